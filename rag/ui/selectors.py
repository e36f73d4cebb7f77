"""Reads behind the employee history and the admin ingestion-health pages."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ingest.models import Document
from rag.qa.models import Question

RECENT_FAILURES = 20


def question_history(*, user, search: str = "") -> QuerySet[Question]:
    """The questions ``user`` asked, newest first; ``search`` matches question or answer text."""
    questions = Question.objects.filter(asked_by=user).prefetch_related("fallback_requests")
    if search:
        questions = questions.filter(Q(text__icontains=search) | Q(answer__icontains=search))
    return questions.order_by("-created_at")


def question_of(*, user, question_id: int) -> Question | None:
    """One question, if ``user`` asked it (staff may open anyone's)."""
    questions = Question.objects.all() if user.is_staff else Question.objects.filter(asked_by=user)
    return questions.filter(pk=question_id).first()


@dataclass(frozen=True)
class IngestionHealth:
    counts: dict[str, int]          # every Document.Status value → number of documents
    failures: list[Document]        # most recently failed first
    queue_depth: int | None         # messages waiting in the Celery "celery" queue; None if Redis is down
    finished_last_hour: int         # documents that became ready in the last 60 minutes
    failed_last_hour: int


def celery_queue_depth() -> int | None:
    """Length of the Redis list backing Celery's default queue (tasks not yet taken by a worker)."""
    import redis

    try:
        return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1).llen("celery")
    except redis.RedisError:
        return None


def ingestion_health() -> IngestionHealth:
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
