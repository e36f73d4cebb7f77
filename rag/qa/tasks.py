"""Celery tasks of answering: thin, idempotent, keyed by id (queue ``interactive``, the default)."""
from __future__ import annotations

from celery import shared_task

from rag.qa.shadow import shadow_answer


@shared_task(acks_late=True, ignore_result=True)
def shadow_answer_task(question_id: int, chunk_ids: list[int]) -> None:
    """The rollout candidate's unseen answer to ``question_id`` (rag.qa.shadow); exits quietly when
    the question is gone or already has one."""
    shadow_answer(question_id=question_id, chunk_ids=chunk_ids)
