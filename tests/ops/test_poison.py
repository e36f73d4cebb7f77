"""A document whose processing kills the worker is not redelivered forever."""
from __future__ import annotations

import pytest
import redis
from django.conf import settings

from ingest.models import Document
from ingest.tasks import DIED_REASON, deliveries_key, document_ingest_task
from tests.factories import collection


def _queued_document() -> Document:
    return Document.objects.create(collection=collection(), source="notes/crash.md", origin="path",
                                   media_type="text/markdown", sha256="ab" * 32, size_bytes=10,
                                   privacy_level="external_redacted", status=Document.Status.PARSING)


@pytest.mark.django_db
def test_it_fails_a_document_two_workers_died_on_with_the_reason(redis_db):
    doc = _queued_document()
    client = redis.Redis.from_url(settings.REDIS_URL)
    key = deliveries_key(document_id=doc.pk, sha256=doc.sha256)
    client.set(key, 2)  # two deliveries started and never finished: both workers died
    document_ingest_task.run(doc.pk)
    doc.refresh_from_db()
    assert doc.status == "failed" and doc.error == DIED_REASON == "worker died while processing (twice)"
    assert client.get(key) is None  # an admin's re-run starts a fresh count


@pytest.mark.django_db
def test_a_delivery_the_worker_survived_does_not_count(redis_db):
    doc = _queued_document()  # its stored copy is missing: processing fails it cleanly
    client = redis.Redis.from_url(settings.REDIS_URL)
    key = deliveries_key(document_id=doc.pk, sha256=doc.sha256)
    client.set(key, 1)  # one earlier death
    document_ingest_task.run(doc.pk)
    doc.refresh_from_db()
    assert doc.status == "failed" and doc.error != DIED_REASON
    assert client.get(key) is None
