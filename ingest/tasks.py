"""Celery tasks of ingestion (thin: one service each), with poison-document protection.

A document whose processing kills the worker (a parser crash, the OOM killer, the hard
time limit, ``kill -9``) must not be redelivered forever. Each delivery is counted in
Redis before processing; the count is cleared as soon as processing returns or raises,
because then the worker survived. A count left behind therefore means a worker died on
this document. After ``DEATHS_MAX`` deaths the next delivery fails the document with
:data:`DIED_REASON` instead of processing it again; an admin can re-run it
(``document_requeue``), which starts a fresh count.
"""
import redis
from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from ingest.models import Document
from ingest.services import document_fail, document_process, documents_process

DEATHS_MAX = 2
DIED_REASON = "worker died while processing (twice)"
_COUNT_TTL_S = 7 * 24 * 3600


def deliveries_key(*, document_id: int, sha256: str) -> str:
    """Redis key counting unfinished deliveries of one version of one document."""
    return f"perimeter:ingest:deliveries:{document_id}:{sha256}"


@shared_task(
    name="ingest.document_ingest",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    max_retries=5,
    acks_late=True,
)
def document_ingest_task(document_id: int) -> None:
    """Parse, chunk, embed and store one document (see ingest.services.document_process),
    unless workers died on it ``DEATHS_MAX`` times: then it is failed with DIED_REASON."""
    sha256 = Document.objects.filter(pk=document_id).values_list("sha256", flat=True).first()
    if sha256 is None:
        return  # deleted meanwhile
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5)
    key = deliveries_key(document_id=document_id, sha256=sha256)
    deaths = client.incr(key) - 1
    client.expire(key, _COUNT_TTL_S)
    if deaths >= DEATHS_MAX:
        document_fail(document_id=document_id, sha256=sha256, reason=DIED_REASON)
        client.delete(key)
        return
    try:
        document_process(document_id=document_id)
    finally:
        client.delete(key)  # the worker survived this delivery, whatever its outcome


@shared_task(
    name="ingest.documents_ingest",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    max_retries=5,
    acks_late=True,
)
def documents_ingest_task(document_ids: list[int]) -> None:
    """Ingest a batch of documents with their chunks embedded together (see
    ingest.services.documents_process; sent by ingest.pipeline.ingest_batched).

    If a worker died on an earlier delivery of this batch, the batch is split instead: each
    document is sent alone as ``ingest.document_ingest``, where the poison-document count
    finds the one that kills workers without failing the others."""
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5)
    key = "perimeter:ingest:batch-deliveries:" + ",".join(str(i) for i in sorted(document_ids))
    if client.incr(key) > 1:
        client.delete(key)
        for document_id in document_ids:
            document_ingest_task.delay(document_id)
        return
    client.expire(key, _COUNT_TTL_S)
    try:
        documents_process(document_ids=document_ids)
    finally:
        client.delete(key)  # the worker survived this delivery, whatever its outcome


@shared_task(name="ingest.folder_sources_scan_due", autoretry_for=(OperationalError, InterfaceError),
             retry_backoff=2, max_retries=3)
def folder_sources_scan_due_task() -> None:
    """Beat (maintenance queue): send one ``ingest.folder_source_scan`` per source that is due
    (:func:`ingest.sources.folder_sources_due`)."""
    from ingest.sources import folder_sources_due

    for source_id in folder_sources_due():
        folder_source_scan_task.delay(source_id)


@shared_task(name="ingest.folder_source_scan", autoretry_for=(OperationalError, InterfaceError),
             retry_backoff=2, max_retries=3)
def folder_source_scan_task(source_id: int) -> None:
    """Scan one folder source (:func:`ingest.sources.folder_source_scan`); quiet if it is gone or
    another scan holds it."""
    from ingest.sources import folder_source_scan

    folder_source_scan(source_id=source_id)
