"""Reads behind the employee history and the admin ingestion-health pages."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import BooleanField, Count, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from ingest.models import Chunk, Document
from rag.access.selectors import collection_ids_readable
from rag.qa.models import Question

RECENT_FAILURES = 20


# True when every document the question cites still exists and is in a collection the reader may read
# (%s: readable collection ids, or NULL for all). Citations are stored JSON, so revoking access or
# deleting a document does not rewrite them; pages check this instead.
_CITED_ALL_READABLE = """NOT EXISTS (
    SELECT 1 FROM jsonb_array_elements(qa_question.citations) AS cited
    WHERE NOT EXISTS (
        SELECT 1 FROM ingest_document d
        WHERE d.id = (cited->>'document_id')::bigint AND (%s::bigint[] IS NULL OR d.collection_id = ANY(%s::bigint[]))))"""


def _with_visibility(questions: QuerySet[Question], *, user) -> QuerySet[Question]:
    """Annotate ``sources_visible``: whether ``user`` may still read every document the question cites."""
    readable = collection_ids_readable(user=user)
    return questions.annotate(sources_visible=RawSQL(_CITED_ALL_READABLE, [readable, readable],
                                                     output_field=BooleanField()))


def question_history(*, user, search: str = "") -> QuerySet[Question]:
    """The questions ``user`` asked, newest first, annotated ``sources_visible`` (see
    :func:`question_sources_shown`); ``search`` matches the question text, and the answer text
    only where the sources are still visible (a search must not probe hidden answers)."""
    questions = _with_visibility(Question.objects.filter(asked_by=user).prefetch_related("fallback_requests"),
                                 user=user)
    if search:
        questions = questions.filter(Q(text__icontains=search) | Q(sources_visible=True, answer__icontains=search))
    return questions.order_by("-created_at")


def question_of(*, user, question_id: int) -> Question | None:
    """One question, if ``user`` asked it, annotated ``sources_visible``. Nobody else opens it (staff
    neither; approvers review the redacted payload in the queue instead)."""
    questions = Question.objects.filter(asked_by=user)
    return _with_visibility(questions, user=user).filter(pk=question_id).first()


def question_sources_shown(*, question: Question) -> tuple[str, list[dict]]:
    """(answer, citations) as a page may show them to the reader ``question`` was loaded for.

    After the reader lost access to a cited document (or it was deleted), the stored answer,
    snippets and sources are withheld, not just the unreadable ones: the answer was written
    from all of them. Returns ``("", [])`` then; pages say why."""
    if getattr(question, "sources_visible", False):
        return question.answer, question.citations
    return "", []


def question_closest(*, question: Question, user, limit: int = 2) -> list[dict]:
    """The closest passages retrieval found for an abstained ``question`` (its first ``limit``
    ``retrieved_chunk_ids``, rank order) that ``user`` may still read and that still exist, as
    ``{chunk_id, document_id, source, heading, page, snippet}``; ``[]`` for other statuses."""
    if question.status != Question.Status.ABSTAINED or not question.retrieved_chunk_ids:
        return []
    readable = collection_ids_readable(user=user)
    chunks = Chunk.objects.filter(pk__in=question.retrieved_chunk_ids[:limit]).select_related("document")
    if readable is not None:
        chunks = chunks.filter(document__collection_id__in=readable)
    by_id = {c.pk: c for c in chunks}
    shown = []
    for chunk_id in question.retrieved_chunk_ids[:limit]:
        if (c := by_id.get(chunk_id)) is not None:
            snippet = " ".join(c.text.split())
            shown.append({"chunk_id": c.pk, "document_id": c.document_id, "source": c.document.source,
                          "heading": c.heading_path, "page": c.page,
                          "snippet": snippet[:300] + ("…" if len(snippet) > 300 else "")})
    return shown


@dataclass(frozen=True)
class IngestionHealth:
    """What the ingestion health page shows: counts by status, recent failures, queue depth, hourly throughput."""

    counts: dict[str, int]          # every Document.Status value → number of documents
    failures: list[Document]        # most recently failed first
    queue_depth: int | None         # messages waiting in the Celery "ingest" queue; None if Redis is down
    finished_last_hour: int         # documents that became ready in the last 60 minutes
    failed_last_hour: int


def celery_queue_depth() -> int | None:
    """Length of the Redis list backing Celery's ``ingest`` queue (ingestion tasks not yet taken by a
    worker; CELERY_TASK_ROUTES sends every ``ingest.*`` task there), or None when Redis is unreachable."""
    import redis

    try:
        return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1).llen("ingest")
    except redis.RedisError:
        return None


def ingestion_health() -> IngestionHealth:
    """Counts by status over every collection, the RECENT_FAILURES latest failures, the ingest queue depth and the
    documents that finished (ready or failed) in the last 60 minutes. Staff only (names of failed files)."""
    counts = dict.fromkeys(Document.Status.values, 0)
    counts.update(Document.objects.values_list("status").annotate(n=Count("id")).order_by())
    hour_ago = timezone.now() - timedelta(hours=1)
    recent = Document.objects.filter(finished_at__gte=hour_ago)
    return IngestionHealth(
        counts=counts,
        failures=list(Document.objects.filter(status=Document.Status.FAILED).select_related("collection")
                      .order_by("-finished_at", "-updated_at")[:RECENT_FAILURES]),
        queue_depth=celery_queue_depth(),
        finished_last_hour=recent.filter(status=Document.Status.READY).count(),
        failed_last_hour=recent.filter(status=Document.Status.FAILED).count(),
    )
