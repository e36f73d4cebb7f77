"""Issue 13, scale-out: two independent ingestion workers, as on two machines, share the work.

Each worker is its own ``celery -A rag worker -Q ingest`` process with its own working
directory and its own empty ``PERIMETER_STATE_DIR`` (no shared disk: the files' bytes come
from PostgreSQL, ``BLOB_STORE=database``), on the same broker and database. Twenty documents
registered through the real service must each be processed exactly once, by one of them.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from ingest.models import Chunk, Document
from ingest.services import document_register
from rag.audit.models import AuditEvent
from rag.celery import app
from tests.conftest import wait_for_status
from tests.factories import collection

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = 20


def _worker_start(home: Path, name: str) -> subprocess.Popen:
    """A worker as another machine would run it: cwd and state directory of its own; only the
    broker, the database (as the application role) and the deployment's keys in common."""
    (home / "state").mkdir(parents=True)
    db = settings.DATABASES["default"]
    user = settings.DATABASE_APP_ROLE or db["USER"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PERIMETER_STATE_DIR": str(home / "state"),
           "DATABASE_URL": f"postgres://{user}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "DJANGO_SECRET_KEY": settings.SECRET_KEY, "AUDIT_KEY": settings.AUDIT_KEY}
    if settings.VAULT_KEY:
        env["VAULT_KEY"] = settings.VAULT_KEY
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "rag", "worker", "--pool=solo", "-Q", "ingest", "-n", f"{name}@%h",
         "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=home, env=env, stdout=open(home / "worker.log", "w"), stderr=subprocess.STDOUT)


def _workers_await(names: list[str], procs: list[subprocess.Popen], homes: list[Path]) -> list[str]:
    deadline = time.monotonic() + 120
    while True:
        found = [n for reply in app.control.ping(timeout=0.5) for n in reply if n.split("@")[0] in names]
        if len(found) == len(names):
            return found
        if any(p.poll() is not None for p in procs) or time.monotonic() > deadline:
            logs = "\n".join((h / "worker.log").read_text()[-2000:] for h in homes)
            raise RuntimeError(f"workers did not start:\n{logs}")


@pytest.fixture
def other_workers_paused():
    """Workers already running in this session (the ``celery_worker`` fixture) stop taking
    ingestion tasks meanwhile, and tasks left in the queue by earlier tests (their documents
    are gone) are dropped, so the two workers under test see exactly this test's tasks."""
    others = [n for reply in app.control.ping(timeout=1) for n in reply]
    if others:
        app.control.cancel_consumer("ingest", destination=others, reply=True)
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("ingest")
    yield
    if others:
        app.control.add_consumer("ingest", destination=others, reply=True)


def test_two_workers_with_separate_directories_process_every_document_exactly_once(tmp_path, other_workers_paused):
    homes = [tmp_path / "host-a", tmp_path / "host-b"]
    names = ["ingest-a", "ingest-b"]
    procs = [_worker_start(home, name) for home, name in zip(homes, names)]
    try:
        workers = _workers_await(names, procs, homes)
        target = collection("default")
        ids = [document_register(collection=target, source=f"handbook/section-{i:02}.md", data=(
            f"# Section {i}\n\nRule {i}: requests of type {i} are answered within {i + 1} working days. "
            f"Escalate unanswered type-{i} requests to the desk of team {i % 3}.\n").encode()).document.pk
            for i in range(DOCUMENTS)]
        docs = [wait_for_status(pk, timeout_s=300) for pk in ids]
        stats = app.control.inspect(destination=workers, timeout=5).stats()
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()

    assert [d.status for d in docs] == ["ready"] * DOCUMENTS, [d.error for d in docs]
    ingested = Counter(AuditEvent.objects.filter(event_type=AuditEvent.EventType.DOCUMENT_INGESTED)
                       .values_list("target_id", flat=True))
    assert ingested == Counter({str(pk): 1 for pk in ids})  # each document ingested once, none twice
    for doc in docs:
        ordinals = list(Chunk.objects.filter(document=doc).values_list("ordinal", flat=True))
        assert len(ordinals) == doc.chunk_count > 0 and len(set(ordinals)) == len(ordinals)
    done = {name: stats[name]["total"].get("ingest.document_ingest", 0) for name in workers}
    assert sum(done.values()) == DOCUMENTS and all(done.values()), done  # every task run once; both worked
    assert Document.objects.filter(pk__in=ids, status="ready").count() == DOCUMENTS
    assert not any((home / "state" / "blobs").exists() for home in homes)  # nothing read from a disk
