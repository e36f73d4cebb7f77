"""A gunicorn worker loads views and the query path's models before it serves (rag.ops.gunicorn_conf)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.urls import clear_url_caches, get_resolver

import ingest.embedding
from rag.ops.warmup import web_process_warm

ROOT = Path(__file__).resolve().parents[2]


def test_warming_loads_the_embedding_model_and_resolves_the_urls(monkeypatch):
    # as in a fresh process: no encoder loaded, no URL resolver built
    monkeypatch.setattr(ingest.embedding, "_encoders", {})
    clear_url_caches()
    seconds = web_process_warm()
    assert seconds > 0
    assert settings.EMBEDDING_BACKEND in ingest.embedding._encoders
    # the resolver's patterns were computed (importing every urls and views module in a new process)
    assert "url_patterns" in get_resolver().__dict__


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
