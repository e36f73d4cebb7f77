"""Recovery of documents whose ingestion task was lost.

A document is stranded when it sits ``queued``, ``parsing`` or ``embedding`` and no task
will ever process it: the broker restarted without its data, or a message was dropped. A
worker that dies mid-task is not such a case: its message stays unacknowledged in the broker
(``acks_late``) and is delivered again after the visibility timeout, where the poison-document
count of :mod:`ingest.tasks` takes over. So the periodic sweep (``rag.ops.tasks``, beat every
``INGEST_SWEEP_INTERVAL_S``) requeues only while the broker holds no ingestion message at all,
and only documents unchanged for longer than one interval.
"""
from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ingest.models import Document
from rag.audit.models import AuditEvent
from rag.audit.services import audit_append

IN_FLIGHT = (Document.Status.QUEUED, Document.Status.PARSING, Document.Status.EMBEDDING)
STRANDED_REASON = "stranded: no ingestion task left in the broker"


def documents_stranded_requeue(*, older_than_s: float, limit: int = 5000) -> list[int]:
    """Queue again, as ``queued``, every document left in flight (queued, parsing, embedding) and
    unchanged for more than ``older_than_s`` seconds; each audited ``document.requeued`` by
    ``system`` with its previous status, in the transaction that requeues it.

    Call it only when the broker holds no ingestion message (waiting or unacknowledged):
    otherwise a document merely waiting its turn would be processed twice (harmless, since
    processing is idempotent, but wasted). At most ``limit`` documents per call, oldest first.
    Returns the ids requeued."""
    from ingest.pipeline import document_enqueue

    cutoff = timezone.now() - timedelta(seconds=older_than_s)
    candidates = list(Document.objects.filter(status__in=IN_FLIGHT, updated_at__lt=cutoff)
                      .order_by("updated_at").values_list("pk", flat=True)[:limit])
    requeued = []
    for document_id in candidates:
        with transaction.atomic():
            doc = Document.objects.select_for_update().filter(
                pk=document_id, status__in=IN_FLIGHT, updated_at__lt=cutoff).first()
            if doc is None:
                continue  # finished, failed or deleted meanwhile
            previous = doc.status
            doc.status, doc.started_at = Document.Status.QUEUED, None
            doc.save(update_fields=["status", "started_at", "updated_at"])
            audit_append(event_type=AuditEvent.EventType.DOCUMENT_REQUEUED, actor="system",
                         target_type="document", target_id=doc.pk,
                         details={"source": doc.source, "sha256": doc.sha256, "previous_status": previous,
                                  "reason": STRANDED_REASON})
            document_enqueue(doc.pk)
        requeued.append(document_id)
    return requeued
