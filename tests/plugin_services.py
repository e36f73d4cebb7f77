"""pytest plugin (loaded with ``-p tests.plugin_services``): real services for the test session.

It runs before pytest-django reads settings, so it can point DATABASE_URL,
REDIS_URL and LLM_BASE_URL at services it starts under a throw-away state
directory on free ports, using exactly the code ``./perimeter run`` uses:

- PostgreSQL 16 + pgvector (started here, ~1 s);
- Redis (started here);
- vLLM on CPU with SmolLM2-135M-Instruct: started here in the background and
  awaited by the ``llm_server`` fixture, so its ~40 s start overlaps other tests;
- a real Celery worker subprocess: the ``celery_worker`` fixture in conftest.

Set any of DATABASE_URL / REDIS_URL / LLM_BASE_URL yourself to reuse a running
service instead.
"""
from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from rag.embedded.net import port_free

_started: dict = {}


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    _services_start()
    yield


def _services_start() -> None:
    from rag.embedded.postgres import APP_ROLE, OWNER_ROLE, pg_roles_ensure, pg_start
    from rag.embedded.redis import redis_start

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    state = Path(tempfile.mkdtemp(prefix="perimeter-test-"))
    state.chmod(0o755)  # the postgres user must reach its data directory
    _started["state"] = state
    (state / "static").mkdir()  # STATIC_ROOT; WhiteNoise serves from the finders in tests
    os.environ["PERIMETER_STATE_DIR"] = str(state)
    atexit.register(_services_stop)
    if "DATABASE_URL" not in os.environ:
        port = port_free()
        _started["pg"] = pg_start(state_dir=state, port=port)
        # The test database is created and migrated by the bootstrap superuser (the owner
        # here); the app role gets its rights from the same post-migrate grant as production.
        pg_roles_ensure(_started["pg"], owner=OWNER_ROLE, app=APP_ROLE)
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{port}/perimeter"
        os.environ["DATABASE_APP_ROLE"] = APP_ROLE
    # A fixed test key (never a real one); the chain and checkpoints are keyed with it.
    os.environ.setdefault("AUDIT_KEY", "test-audit-key-not-secret-0123456789abcdef")
    if "REDIS_URL" not in os.environ:
        port = port_free()
        redis_start(state_dir=state, port=port)
        _started["redis_port"] = port
        os.environ["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    if "LLM_BASE_URL" not in os.environ:
        from rag.embedded.vllm import model_ensure, vllm_command, vllm_venv_ensure

        port = port_free()
        venv = vllm_venv_ensure()
        argv, env = vllm_command(venv=venv, model_dir=model_ensure(venv), port=port)
        log = open(state / "vllm.log", "w")
        _started["vllm"] = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        os.environ["LLM_BASE_URL"] = f"http://127.0.0.1:{port}/v1"
    else:
        _candidate_alias_check(os.environ["LLM_BASE_URL"])


def _candidate_alias_check(base_url: str) -> None:
    """A reused vLLM started before the candidate alias existed serves one name only: then the
    registry's candidate asks for the stable name (it differs by prompt and decoding anyway)."""
    import json
    import urllib.request

    from rag.embedded.vllm import CANDIDATE_SERVED_MODEL_NAME, SERVED_MODEL_NAME

    if "LLM_CANDIDATE_MODEL" in os.environ:
        return
    try:
        with urllib.request.urlopen(f"{base_url}/models", timeout=5) as resp:
            names = {m["id"] for m in json.load(resp)["data"]}
    except (OSError, ValueError, KeyError):
        return
    if CANDIDATE_SERVED_MODEL_NAME not in names:
        os.environ["LLM_CANDIDATE_MODEL"] = SERVED_MODEL_NAME


def vllm_process() -> subprocess.Popen | None:
    return _started.get("vllm")


def state_dir() -> Path:
    return _started["state"]


def _services_stop() -> None:
    from rag.embedded.postgres import pg_stop
    from rag.embedded.redis import redis_stop

    proc = _started.pop("vllm", None)
    if proc is not None and proc.poll() is None:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
    if port := _started.pop("redis_port", None):
        redis_stop(port=port)
    if pg := _started.pop("pg", None):
        pg_stop(pg)
    if state := _started.pop("state", None):
        shutil.rmtree(state, ignore_errors=True)


def pytest_unconfigure(config):
    _services_stop()
