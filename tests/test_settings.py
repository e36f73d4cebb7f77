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


# ---------------------------------------------------------------- production (PERIMETER_ENV=production)
SECRET_VALUES = {
    "django_secret_key": "p" * 10 + "-production-django-secret-0123456789abcdefghijklmnop",
    "audit_key": "production-audit-key-0123456789abcdef",
    "vault_key": "production-vault-key-0123456789abcdef",
    "database_url": "postgres://perimeter_app:app-password@postgres:5432/perimeter",
}


def compose_env(tmp_path: Path, service: str = "web") -> dict[str, str]:
    """The environment compose.yaml gives ``service``, with every /run/secrets/NAME file
    written into ``tmp_path`` (a clean environment: nothing inherited from this test run)."""
    import yaml

    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "PYTHONPATH": str(ROOT),
           "DJANGO_SETTINGS_MODULE": "rag.settings", "PERIMETER_STATE_DIR": str(tmp_path / "state")}
    for name, value in compose["services"][service]["environment"].items():
        value = str(value)
        if value.startswith("/run/secrets/"):
            secret = value.removeprefix("/run/secrets/")
            path = tmp_path / secret
            path.write_text(SECRET_VALUES[secret] + "\n")
            value = str(path)
        env[name] = value
    return env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=180)


def test_check_deploy_is_clean_under_the_production_settings_compose_uses(tmp_path):
    env = compose_env(tmp_path)
    assert env["PERIMETER_ENV"] == "production"
    proc = _run(env, "check", "--deploy", "--fail-level", "WARNING")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "System check identified no issues (0 silenced)." in proc.stdout


@pytest.mark.parametrize("secret,variable", [
    ("django_secret_key", "DJANGO_SECRET_KEY"), ("vault_key", "VAULT_KEY"), ("audit_key", "AUDIT_KEY"),
])
def test_production_refuses_to_start_without_each_key(tmp_path, secret, variable):
    env = compose_env(tmp_path)
    del env[f"{variable}_FILE"]
    state = tmp_path / "state"  # a key the embedded mode generated is no excuse in production
    state.mkdir()
    (state / secret.removeprefix("django_")).write_text("x" * 64)
    proc = _run(env, "check")
    assert proc.returncode != 0
    assert "ImproperlyConfigured" in proc.stderr and variable in proc.stderr


@pytest.mark.parametrize("variable,default", [
    ("DJANGO_SECRET_KEY", "embedded-mode-insecure-key-change-me"), ("VAULT_KEY", "short"), ("AUDIT_KEY", "short"),
])
def test_production_refuses_a_default_or_weak_key(tmp_path, variable, default):
    env = compose_env(tmp_path)
    del env[f"{variable}_FILE"]
    proc = _run({**env, variable: default}, "check")
    assert proc.returncode != 0
    assert "ImproperlyConfigured" in proc.stderr and variable in proc.stderr


def test_production_refuses_debug_pages_and_plain_http_origins(tmp_path):
    env = compose_env(tmp_path)
    debug = _run({**env, "DJANGO_DEBUG": "1"}, "check")
    assert debug.returncode != 0 and "DJANGO_DEBUG" in debug.stderr
    http = _run({**env, "DJANGO_CSRF_TRUSTED_ORIGINS": "http://perimeter.internal"}, "check")
    assert http.returncode != 0 and "DJANGO_CSRF_TRUSTED_ORIGINS" in http.stderr


def test_development_reads_the_keys_run_generated_into_the_state_directory(tmp_path):
    state = tmp_path / "state"
    state.mkdir()
    for name in ("secret_key", "vault_key", "audit_key"):
        (state / name).write_text(f"generated-{name}-0123456789abcdef0123456789\n")
    env = {k: v for k, v in os.environ.items() if k not in ("AUDIT_KEY", "VAULT_KEY", "DJANGO_SECRET_KEY")}
    proc = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings as s; "
                               "print(s.SECRET_KEY, s.VAULT_KEY, s.AUDIT_KEY)"],
        cwd=ROOT, env={**env, "PERIMETER_STATE_DIR": str(state), "DJANGO_SETTINGS_MODULE": "rag.settings"},
        capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [f"generated-{n}-0123456789abcdef0123456789"
                                   for n in ("secret_key", "vault_key", "audit_key")]
