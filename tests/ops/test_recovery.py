"""Documents whose ingestion task was lost are requeued by the periodic sweep, and only then."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from ingest.models import Document
from ingest.recovery import STRANDED_REASON
from rag.audit.models import AuditEvent
from rag.ops.state import broker_messages_held, redis_client
from rag.ops.tasks import documents_stranded_sweep_task
from tests.factories import collection


def _document(*, status: str, age_s: float, source: str = "notes/a.md") -> Document:
    doc = Document.objects.create(collection=collection(), source=source, origin="path",
                                  media_type="text/markdown", sha256="cd" * 32, size_bytes=10,
                                  privacy_level="external_redacted", status=status)
    Document.objects.filter(pk=doc.pk).update(updated_at=timezone.now() - timedelta(seconds=age_s))
    return doc


@pytest.mark.django_db
def test_it_requeues_documents_stranded_mid_pipeline_when_the_broker_holds_no_ingest_task(
        redis_db, settings, django_capture_on_commit_callbacks):
    settings.INGEST_SWEEP_INTERVAL_S = 300
    parsing = _document(status="parsing", age_s=900, source="a.md")
    queued = _document(status="queued", age_s=900, source="b.md")
    ready = _document(status="ready", age_s=900, source="c.md")
    with django_capture_on_commit_callbacks(execute=False) as sent:
        assert documents_stranded_sweep_task.run() == 2
    assert len(sent) == 2  # one ingestion task per document, sent when each requeue commits
    for doc in (parsing, queued):
        doc.refresh_from_db()
        assert doc.status == "queued" and doc.updated_at > timezone.now() - timedelta(seconds=60)
    ready.refresh_from_db()
    assert ready.status == "ready"
    event = AuditEvent.objects.get(event_type="document.requeued", target_id=str(parsing.pk))
    assert event.actor == "system"
    assert event.details["previous_status"] == "parsing" and event.details["reason"] == STRANDED_REASON


@pytest.mark.django_db
def test_it_leaves_a_document_alone_while_its_task_waits_in_the_broker(redis_db, django_capture_on_commit_callbacks):
    doc = _document(status="queued", age_s=900)
    redis_client().lpush("ingest", json.dumps({"headers": {"task": "ingest.document_ingest"}}))
    assert broker_messages_held(queue="ingest") == 1
    with django_capture_on_commit_callbacks(execute=False) as sent:
        assert documents_stranded_sweep_task.run() == 0
    assert sent == []
    doc.refresh_from_db()
    assert doc.status == "queued"


@pytest.mark.django_db
def test_it_leaves_a_document_alone_while_a_worker_holds_its_task_unacknowledged(redis_db):
    doc = _document(status="embedding", age_s=900)
    message = {"body": "", "properties": {"delivery_info": {"exchange": "ingest", "routing_key": "ingest"}}}
    redis_client().hset("unacked", "tag-1", json.dumps([message, "ingest", "ingest"]))
    other = {"body": "", "properties": {"delivery_info": {"exchange": "", "routing_key": "maintenance"}}}
    redis_client().hset("unacked", "tag-2", json.dumps([other, "", "maintenance"]))
    assert broker_messages_held(queue="ingest") == 1  # the maintenance task (this sweep) does not count
    assert documents_stranded_sweep_task.run() == 0
    doc.refresh_from_db()
    assert doc.status == "embedding"


@pytest.mark.django_db
def test_it_leaves_a_recently_changed_document_alone(redis_db, settings):
    settings.INGEST_SWEEP_INTERVAL_S = 300
    doc = _document(status="parsing", age_s=30)
    assert documents_stranded_sweep_task.run() == 0
    doc.refresh_from_db()
    assert doc.status == "parsing"
