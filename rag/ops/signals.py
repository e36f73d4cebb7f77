"""Receivers that only observe: the request id across Celery, and one log line plus
metrics per recorded model call and per answered question.

- ``before_task_publish``: the current request id travels in the task message's
  headers (``perimeter_request_id``), so a task dispatched by a web request logs
  with that request's id.
- ``task_prerun`` / ``task_postrun``: bind ``request_id``, ``task`` and ``task_id``
  for every log line of the task, then clear them.
- ``post_save`` of :class:`rag.llm.models.LLMCall` (once completed) and of
  :class:`rag.qa.models.Question`: a log line with ids, model, tokens and
  milliseconds (never text) and the latency histograms of :mod:`rag.ops.metrics`.
"""
from __future__ import annotations

import structlog
from celery import signals as celery_signals
from django.db.models.signals import post_save

from rag.ops.logs import request_id_current, request_id_new

HEADER = "perimeter_request_id"
logger = structlog.get_logger("rag.ops")


def task_publish_tag(sender=None, headers=None, **kwargs) -> None:
    """``before_task_publish``: puts the current request id (or a new one) in the message's ``perimeter_request_id`` header."""
    if headers is not None and HEADER not in headers:
        headers[HEADER] = request_id_current() or request_id_new()


def _task_request_id(task) -> str:
    request = task.request
    value = getattr(request, HEADER, None) or (getattr(request, "headers", None) or {}).get(HEADER)
    return request_id_new(value)


def task_context_bind(sender=None, task_id=None, task=None, **kwargs) -> None:
    """``task_prerun``: binds ``request_id`` (from the message header), ``task`` and ``task_id`` to the task's log lines."""
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(request_id=_task_request_id(task), task=task.name, task_id=task_id)


def task_context_clear(**kwargs) -> None:
    """``task_postrun``: unbinds the task's log context."""
    structlog.contextvars.clear_contextvars()


def llm_call_observe(sender, instance, created, **kwargs) -> None:
    """``post_save`` of LLMCall: once it is no longer ``started``, one ``llm_call`` log line (tokens, ms) and its latency metric."""
    from rag.ops import metrics

    if instance.status == "started":
        return
    logger.info("llm_call", llm_call_id=instance.pk, provider=instance.provider, model_id=instance.model_id,
                prompt_version=instance.prompt_version, purpose=instance.purpose, status=instance.status,
                prompt_tokens=instance.prompt_tokens, completion_tokens=instance.completion_tokens,
                latency_ms=instance.latency_ms)
    metrics.llm_call_observe(call=instance)


def question_observe(sender, instance, created, **kwargs) -> None:
    """``post_save`` of a new Question: one ``question`` log line (ids, counts, ms; never the text) and its latency metrics."""
    from rag.ops import metrics

    if not created:
        return
    logger.info("question", question_id=instance.pk, status=instance.status, top_k=instance.top_k,
                chars=len(instance.text), citations=len(instance.citations or []),
                llm_call_id=instance.llm_call_id, retrieval_ms=instance.retrieval_ms,
                generation_ms=instance.generation_ms)
    metrics.question_observe(question=instance)


def connect() -> None:
    """Connects the receivers above (idempotent: each has a ``dispatch_uid``); called from ``OpsConfig.ready``."""
    from rag.llm.models import LLMCall
    from rag.qa.models import Question

    celery_signals.before_task_publish.connect(task_publish_tag, dispatch_uid="ops.task_publish_tag")
    celery_signals.task_prerun.connect(task_context_bind, dispatch_uid="ops.task_context_bind")
    celery_signals.task_postrun.connect(task_context_clear, dispatch_uid="ops.task_context_clear")
    post_save.connect(llm_call_observe, sender=LLMCall, dispatch_uid="ops.llm_call_observe")
    post_save.connect(question_observe, sender=Question, dispatch_uid="ops.question_observe")
