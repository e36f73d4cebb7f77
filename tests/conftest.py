"""Fixtures on real services (see tests/plugin_services.py for how they start)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.db.backends.signals import connection_created

from tests import plugin_services

ROOT = Path(__file__).resolve().parents[1]
FILES = Path(__file__).parent / "fixtures" / "files"


# Once any test has written an audit event, pytest-django's flush after a
# ``transaction=True`` test (one TRUNCATE of every table) is refused by the
# ``audit_event_no_truncate`` trigger unless the session says it is maintenance,
# which counts only for the table's owner (the test connection; never the app role).
def _audit_maintenance_on(sender, connection, **kwargs):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET perimeter.audit_maintenance = 'on'")


@pytest.fixture(scope="session", autouse=True)
def audit_truncate_allowed_in_tests():
    """Every test connection may TRUNCATE audit_event (for pytest-django's flush).

    UPDATE and DELETE stay refused: that trigger has no switch.
    """
    connection_created.connect(_audit_maintenance_on, dispatch_uid="tests.audit_maintenance")
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None:
            _audit_maintenance_on(None, conn)
    yield
    connection_created.disconnect(dispatch_uid="tests.audit_maintenance")


@pytest.fixture(autouse=True)
def audit_checkpoints_per_test(settings, tmp_path):
    """Each test has its own audit checkpoint file: the database is rolled back between
    tests, so a checkpoint from an earlier test would (rightly) fail verification."""
    settings.AUDIT_CHECKPOINT_PATH = tmp_path / "audit-checkpoints.jsonl"
    return settings.AUDIT_CHECKPOINT_PATH


@pytest.fixture(autouse=True)
def auth_failures_forgotten():
    """Failed-attempt counts live in the session's Redis: each test starts with none, so one
    test's refused tokens neither throttle nor reach the audit trail of another."""
    from rag.access.failures import auth_failures_forget

    auth_failures_forget()


@pytest.fixture(scope="session")
def llm_server():
    """The real vLLM server started by the plugin; waits until it serves the model."""
    from rag.embedded.net import http_wait

    http_wait(settings.LLM_BASE_URL.rstrip("/") + "/models", timeout_s=600, proc=plugin_services.vllm_process())
    return settings.LLM_BASE_URL


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real Celery worker subprocess on the session's Redis and the test database."""
    db = settings.DATABASES["default"]
    # The worker connects as the application role, as in production (rag.audit.roles).
    user = settings.DATABASE_APP_ROLE or db["USER"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{user}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "PYTHONPATH": str(ROOT),
    }
    log = open(plugin_services.state_dir() / "worker.log", "w")
    proc = subprocess.Popen(
        # every queue (rag.settings CELERY_TASK_ROUTES): production splits them over several workers
        [sys.executable, "-m", "celery", "-A", "rag", "worker", "--pool=solo", "--concurrency=1",
         "-Q", "ingest,interactive,maintenance",
         "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    from rag.celery import app

    deadline = time.monotonic() + 120
    while not app.control.ping(timeout=0.5):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"celery worker did not start; see {log.name}:\n" + Path(log.name).read_text()[-3000:])
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def wait_for_status(document_id: int, *, statuses=("ready", "failed"), timeout_s: float = 180):
    """Poll the database until the worker has finished the document; return it."""
    from ingest.models import Document

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        doc = Document.objects.get(pk=document_id)
        if doc.status in statuses:
            return doc
        time.sleep(0.2)
    raise TimeoutError(f"document {document_id} still {doc.status} after {timeout_s} s")


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(username="employee", password="correct horse battery")


@pytest.fixture
def admin_user_obj(django_user_model):
    return django_user_model.objects.create_superuser(username="boss", password="correct horse battery")


@pytest.fixture
def api(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client

