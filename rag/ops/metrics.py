"""Prometheus metrics: django-prometheus (request latency by view and method, response
codes) plus ours.

Observed in-process (histograms, seconds; per process unless PROMETHEUS_MULTIPROC_DIR
is set, as prometheus_client documents for gunicorn):
  perimeter_retrieval_seconds{status}, perimeter_generation_seconds{model},
  perimeter_llm_call_seconds{provider, model, purpose, status}.

Read from the database and Redis at scrape time (so every replica and the worker's
work are counted once, and counts survive restarts):
  perimeter_questions_total{status}                   answered / abstained / error
  perimeter_fallback_requests{status}                 escalations by status
  perimeter_llm_calls_total{provider, model, prompt_version, status}
  perimeter_llm_tokens_total{provider, model, prompt_version, kind}   kind: prompt / completion
  perimeter_fallback_budget_remaining_tokens{provider}
  perimeter_documents{status}
  perimeter_ingest_queue_depth{queue}                 messages waiting in the broker
  perimeter_ingest_chunks_per_second                  chunks of documents finished in the last 5 min / 300
  perimeter_audit_events_total
  perimeter_audit_chain_verified_ok, perimeter_audit_chain_verified_age_seconds
  perimeter_worker_heartbeat_age_seconds
"""
from __future__ import annotations

import os
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, Histogram, generate_latest, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300)
RETRIEVAL_SECONDS = Histogram("perimeter_retrieval_seconds", "Retrieval time per question", ["status"],
                              buckets=_BUCKETS)
GENERATION_SECONDS = Histogram("perimeter_generation_seconds", "Answer generation time per question", ["model"],
                               buckets=_BUCKETS)
LLM_CALL_SECONDS = Histogram("perimeter_llm_call_seconds", "Model call wall-clock time",
                             ["provider", "model", "purpose", "status"], buckets=_BUCKETS)
CHUNKS_WINDOW_S = 300


def question_observe(*, question) -> None:
    """Records one question's retrieval time, and its generation time when a model answered, in seconds."""
    RETRIEVAL_SECONDS.labels(question.status).observe(question.retrieval_ms / 1000)
    if question.llm_call_id:
        GENERATION_SECONDS.labels(question.llm_call.model_id).observe(question.generation_ms / 1000)


def llm_call_observe(*, call) -> None:
    """Records one completed model call's latency (``latency_ms`` / 1000 s) by provider, model, purpose and status."""
    LLM_CALL_SECONDS.labels(call.provider, call.model_id, call.purpose, call.status).observe(
        (call.latency_ms or 0) / 1000)


def _queues() -> list[str]:
    queues = {getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")}
    for route in (getattr(settings, "CELERY_TASK_ROUTES", None) or {}).values():
        if isinstance(route, dict) and route.get("queue"):
            queues.add(route["queue"])
    return sorted(queues)


class PerimeterCollector:
    """Reads the counts above at scrape time (a few GROUP BY queries and Redis reads)."""

    def collect(self):
        """Yields the scrape-time families listed in the module docstring. Database errors propagate
        (the scrape fails); with Redis down, its gauges are left empty and the rest still go out.
        """
        from ingest.models import Document
        from rag.audit.models import AuditEvent
        from rag.fallback.models import FallbackRequest
        from rag.fallback.selectors import fallback_budgets
        from rag.llm.models import LLMCall
        from rag.ops import state
        from rag.qa.models import Question

        questions = CounterMetricFamily("perimeter_questions", "Questions asked, by outcome", labels=["status"])
        for row in Question.objects.values("status").annotate(n=Count("id")).order_by():
            questions.add_metric([row["status"]], row["n"])
        yield questions

        fallback = GaugeMetricFamily("perimeter_fallback_requests", "Escalations by status", labels=["status"])
        for row in FallbackRequest.objects.values("status").annotate(n=Count("id")).order_by():
            fallback.add_metric([row["status"]], row["n"])
        yield fallback

        labels = ["provider", "model", "prompt_version", "status"]
        calls = CounterMetricFamily("perimeter_llm_calls", "Model calls", labels=labels)
        tokens = CounterMetricFamily("perimeter_llm_tokens", "Model tokens", labels=[*labels[:3], "kind"])
        rows = (LLMCall.objects.values("provider", "model_id", "prompt_version", "status")
                .annotate(n=Count("id"), prompt=Sum("prompt_tokens"), completion=Sum("completion_tokens")).order_by())
        for row in rows:
            key = [row["provider"], row["model_id"], row["prompt_version"]]
            calls.add_metric([*key, row["status"]], row["n"])
            tokens.add_metric([*key, "prompt"], row["prompt"] or 0)
            tokens.add_metric([*key, "completion"], row["completion"] or 0)
        yield calls
        yield tokens

        budget = GaugeMetricFamily("perimeter_fallback_budget_remaining_tokens",
                                   "Fallback tokens left this month", labels=["provider"])
        for b in fallback_budgets():
            budget.add_metric([b.provider], b.remaining)
        yield budget

        documents = GaugeMetricFamily("perimeter_documents", "Documents by status", labels=["status"])
        counts = dict(Document.objects.values_list("status").annotate(n=Count("id")).order_by())
        for status in Document.Status.values:
            documents.add_metric([status], counts.get(status, 0))
        yield documents

        since = timezone.now() - timedelta(seconds=CHUNKS_WINDOW_S)
        recent = Document.objects.filter(status=Document.Status.READY, finished_at__gte=since).aggregate(
            n=Sum("chunk_count"))["n"] or 0
        yield GaugeMetricFamily("perimeter_ingest_chunks_per_second",
                                f"Chunks stored per second over the last {CHUNKS_WINDOW_S} s", value=recent / CHUNKS_WINDOW_S)

        yield CounterMetricFamily("perimeter_audit_events", "Audit events appended",
                                  value=AuditEvent.objects.count())

        depth = GaugeMetricFamily("perimeter_ingest_queue_depth", "Messages waiting in the broker", labels=["queue"])
        verified_ok = GaugeMetricFamily("perimeter_audit_chain_verified_ok", "1 if the last verification passed")
        verified_age = GaugeMetricFamily("perimeter_audit_chain_verified_age_seconds",
                                         "Seconds since the audit chain was last verified")
        heartbeat = GaugeMetricFamily("perimeter_worker_heartbeat_age_seconds", "Seconds since a worker's heartbeat")
        try:
            client = state.redis_client()
            for queue in _queues():
                depth.add_metric([queue], client.llen(queue))
            if verified := state.audit_verified_read():
                verified_ok.add_metric([], 1 if verified["ok"] else 0)
                verified_age.add_metric([], verified["age_s"])
            if latest := state.worker_heartbeat_latest():
                heartbeat.add_metric([], latest[1])
        except Exception:  # Redis down: /readyz says so; the database metrics still go out
            pass
        yield from (depth, verified_ok, verified_age, heartbeat)


def metrics_render() -> tuple[bytes, str]:
    """``(body, content type)``: the process's (or all processes') metrics, then ours."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        in_process = CollectorRegistry()
        multiprocess.MultiProcessCollector(in_process)
    else:
        in_process = REGISTRY
    ours = CollectorRegistry(auto_describe=False)
    ours.register(PerimeterCollector())
    return generate_latest(in_process) + generate_latest(ours), CONTENT_TYPE_LATEST
