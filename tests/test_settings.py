"""Settings fail loudly on bad values."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_settings(**env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.LLM_MODEL)"],
        cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "rag.settings", **env},
        capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize("var,value,expected", [
    ("REDIS_URL", "localhost:6379", "REDIS_URL"),
    ("DATABASE_URL", "mysql://x@y/z", "DATABASE_URL"),
    ("LLM_BASE_URL", "ftp://vllm/v1", "LLM_BASE_URL"),
    ("CHUNK_MAX_TOKENS", "lots", "CHUNK_MAX_TOKENS"),
    ("RETRIEVAL_TOP_K", "0", "RETRIEVAL_TOP_K"),
    ("DEFAULT_PRIVACY_LEVEL", "public", "DEFAULT_PRIVACY_LEVEL"),
])
def test_it_refuses_to_start_with_a_bad_value(var, value, expected):
    proc = _load_settings(**{var: value})
    assert proc.returncode != 0
    assert "ImproperlyConfigured" in proc.stderr and expected in proc.stderr


def test_it_reads_secrets_from_file_variables(tmp_path):
    secret = tmp_path / "model"
    secret.write_text("from-a-file\n")
    proc = _load_settings(LLM_MODEL_FILE=str(secret))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "from-a-file"
