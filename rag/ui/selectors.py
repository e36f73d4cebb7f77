"""Reads behind the employee history and the admin ingestion-health pages."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import BooleanField, Count, Max, Min, Q, QuerySet, Sum
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


STAGES = ("parse", "chunk", "embed", "store")  # Document.<stage>_ms, in pipeline order


@dataclass(frozen=True)
class IngestionThroughput:
    """The documents that became ready in the last 60 minutes, from what each stored
    (``finished_at``, ``started_at``, ``chunk_count`` and the stage timings ``<stage>_ms``).

    ``span_s`` runs from the earliest start to the latest finish of those documents (seconds;
    0 when there are none), so a burst of ingestion inside the hour is measured over its own
    duration, as ``benchmarks/ingest_e2e.py`` does. ``stage_ms`` sums each stage's milliseconds
    over the ``timed_documents`` that recorded all four (documents made ready by older code
    recorded none)."""

    documents: int
    chunks: int
    span_s: float
    timed_documents: int
    timed_chunks: int
    stage_ms: dict[str, float]      # STAGES → summed milliseconds

    @property
    def docs_per_min(self) -> float | None:
        """Documents made ready per minute of wall clock over ``span_s``; None without a span."""
        return self.documents * 60 / self.span_s if self.span_s > 0 else None

    @property
    def chunks_per_s(self) -> float | None:
        """Chunks stored per second of wall clock over ``span_s``; None without a span."""
        return self.chunks / self.span_s if self.span_s > 0 else None

    @property
    def stage_share(self) -> dict[str, float]:
        """Each stage's percentage of the summed stage time (STAGES order; empty without timings)."""
        total = sum(self.stage_ms.values())
        return {stage: 100 * ms / total for stage, ms in self.stage_ms.items()} if total > 0 else {}

    @property
    def stage_rows(self) -> list[tuple[str, float, float | None, float | None]]:
        """``(stage, summed ms, mean ms per timed document, share %)`` per stage, STAGES order
        (None where there are no timings)."""
        share, n = self.stage_share, self.timed_documents
        return [(stage, ms, ms / n if n else None, share.get(stage)) for stage, ms in self.stage_ms.items()]

    @property
    def pipeline_docs_per_min(self) -> float | None:
        """Documents per minute of summed stage time: the rate of one pipeline (one worker thread)
        working without pause; parallel workers multiply it. None without timings."""
        total = sum(self.stage_ms.values())
        return self.timed_documents * 60_000 / total if total > 0 else None

    @property
    def pipeline_chunks_per_s(self) -> float | None:
        """Chunks per second of summed stage time (see :attr:`pipeline_docs_per_min`)."""
        total = sum(self.stage_ms.values())
        return self.timed_chunks * 1000 / total if total > 0 else None


@dataclass(frozen=True)
class IngestionHealth:
    """What the ingestion health page shows: counts by status, recent failures, queue depth, the last hour."""

    counts: dict[str, int]          # every Document.Status value → number of documents
    failures: list[Document]        # most recently failed first
    queue_depth: int | None         # messages waiting in the Celery "ingest" queue; None if Redis is down
    last_hour: IngestionThroughput  # documents that became ready in the last 60 minutes
    failed_last_hour: int


def celery_queue_depth() -> int | None:
    """Length of the Redis list backing Celery's ``ingest`` queue (ingestion tasks not yet taken by a
    worker; CELERY_TASK_ROUTES sends every ``ingest.*`` task there), or None when Redis is unreachable."""
    import redis

    try:
        return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1).llen("ingest")
    except redis.RedisError:
        return None


def ingestion_throughput(*, since) -> IngestionThroughput:
    """Throughput and stage times (:class:`IngestionThroughput`) of the documents that became ready
    at or after ``since`` (an aware datetime); one aggregate query."""
    timed = Q(**{f"{stage}_ms__isnull": False for stage in STAGES})
    row = Document.objects.filter(status=Document.Status.READY, finished_at__gte=since).aggregate(
        documents=Count("id"), chunks=Sum("chunk_count"), first=Min("started_at"), last=Max("finished_at"),
        timed_documents=Count("id", filter=timed), timed_chunks=Sum("chunk_count", filter=timed),
        **{stage: Sum(f"{stage}_ms", filter=timed) for stage in STAGES})
    span = (row["last"] - row["first"]).total_seconds() if row["first"] and row["last"] else 0.0
    return IngestionThroughput(
        documents=row["documents"], chunks=row["chunks"] or 0, span_s=max(span, 0.0),
        timed_documents=row["timed_documents"], timed_chunks=row["timed_chunks"] or 0,
        stage_ms={stage: row[stage] or 0.0 for stage in STAGES})


def ingestion_health() -> IngestionHealth:
    """Counts by status over every collection, the RECENT_FAILURES latest failures, the ingest queue depth, and
    the last 60 minutes: documents made ready (:func:`ingestion_throughput`) and failed. Staff only (names of
    failed files)."""
    counts = dict.fromkeys(Document.Status.values, 0)
    counts.update(Document.objects.values_list("status").annotate(n=Count("id")).order_by())
    hour_ago = timezone.now() - timedelta(hours=1)
    return IngestionHealth(
        counts=counts,
        failures=list(Document.objects.filter(status=Document.Status.FAILED).select_related("collection")
                      .order_by("-finished_at", "-updated_at")[:RECENT_FAILURES]),
        queue_depth=celery_queue_depth(),
        last_hour=ingestion_throughput(since=hour_ago),
        failed_last_hour=Document.objects.filter(status=Document.Status.FAILED, finished_at__gte=hour_ago).count(),
    )
