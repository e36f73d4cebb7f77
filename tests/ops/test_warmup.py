"""A gunicorn worker loads views and the query path's models before it serves (rag.ops.gunicorn_conf)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def test_warming_loads_the_embedding_model_and_resolves_the_urls():
    # in a fresh process, as a gunicorn worker is: nothing loaded before the warm-up
    probe = ("import django; django.setup(); import ingest.embedding as e; from django.urls import get_resolver; "
             "from rag.ops.warmup import web_process_warm; before = dict(e._encoders); seconds = web_process_warm(); "
             "print('warm:', len(before), sorted(e._encoders), 'url_patterns' in get_resolver().__dict__, seconds > 0)")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT,
                            env={**os.environ, "DJANGO_SETTINGS_MODULE": "rag.settings"},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    warm = [line for line in result.stdout.splitlines() if line.startswith("warm: ")]
    assert warm == [f"warm: 0 ['{settings.EMBEDDING_BACKEND}'] True True"], result.stdout[-3000:]


def test_a_gunicorn_worker_is_warmed_before_it_answers(tmp_path):
    from rag.embedded.net import http_wait, port_free

    port = port_free()
    log = tmp_path / "web.log"
    with log.open("w") as out:
        web = subprocess.Popen([sys.executable, "-m", "gunicorn", "rag.wsgi:application",
                                "-c", "python:rag.ops.gunicorn_conf", "--bind", f"127.0.0.1:{port}",
                                "--workers", "1", "--threads", "2"],
                               cwd=ROOT, env=os.environ.copy(), stdout=out, stderr=subprocess.STDOUT)
    try:
        http_wait(f"http://127.0.0.1:{port}/healthz", timeout_s=180)
    finally:
        web.terminate()
        web.wait(timeout=60)
    warmed = [line for line in log.read_text().splitlines() if "web.warmed" in line]
    assert len(warmed) == 1, log.read_text()[-3000:]
