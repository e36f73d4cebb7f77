"""Shadow mode: the rollout's candidate answers a question the stable model answered, unseen.

The candidate gets the same passages the stable model was given (the task carries their
chunk ids, so the index may change in between without changing the comparison) and the
same earlier turns; its answer is stored as a :class:`rag.qa.models.ShadowAnswer`, never
shown to the asker, and kept for offline comparison; ``manage.py evaluate QA --model NAME``
runs a whole question set through either registry entry, outside the canary.
"""
from __future__ import annotations

import time

from ingest.models import Chunk
from rag.llm.base import LLMError
from rag.llm.local_models import registry_load
from rag.llm.models import Rollout
from rag.llm.rollout import SHADOW
from rag.llm.services import llm_chat
from rag.qa.conversation import Turn, history_messages
from rag.qa.models import Question, ShadowAnswer
from rag.qa.prompts import answer_messages
from rag.search.hits import RetrievedChunk

_ABSTAIN_WORDS = ("i don't know", "i do not know", "i don’t know")


def _chunks(chunk_ids: list[int]) -> list[RetrievedChunk]:
    rows = {c.pk: c for c in Chunk.objects.filter(pk__in=chunk_ids).select_related("document")}
    return [RetrievedChunk(chunk_id=c.pk, document_id=c.document.pk, source=c.document.source,
                           title=c.document.title, heading=c.heading_path, page=c.page, text=c.text, score=0.0,
                           privacy_level=c.document.privacy_level)
            for c in (rows.get(i) for i in chunk_ids) if c is not None]


def shadow_answer(*, question_id: int, chunk_ids: list[int]) -> ShadowAnswer | None:
    """Run the candidate of the question's rollout on it and store the result (one recorded call,
    arm ``shadow``). Idempotent: returns the stored one if it exists; None when the question, its
    rollout or the candidate's registry entry has gone. A model failure is stored as ``error``."""
    q = Question.objects.filter(pk=question_id).first()
    if q is None or q.rollout_id is None:
        return None
    if existing := ShadowAnswer.objects.filter(question=q).first():
        return existing
    rollout = Rollout.objects.filter(pk=q.rollout_id).first()
    model = registry_load().models.get(rollout.candidate) if rollout else None
    if model is None:
        return None
    chunks = _chunks(chunk_ids)
    history = []
    if q.conversation_id:
        earlier = q.conversation.turns.filter(created_at__lt=q.created_at).order_by("created_at", "id")
        history = [Turn(t.standalone_question or t.text, t.answer) for t in earlier]
    messages = answer_messages(question=q.standalone_question or q.text, chunks=chunks,
                               context_char_budget=model.context_char_budget, prompt_version=model.prompt_version,
                               history=history_messages(history))
    started = time.monotonic()
    fields = {"rollout": rollout, "model_name": model.name, "prompt_version": model.prompt_version}
    try:
        result, call = llm_chat(provider=model.provider(), messages=messages, prompt_version=model.prompt_version,
                                purpose="shadow", max_tokens=model.max_tokens, arm=SHADOW, model_name=model.name)
    except LLMError as exc:
        return ShadowAnswer.objects.create(question=q, error=str(exc)[:500],
                                           generation_ms=int((time.monotonic() - started) * 1000), **fields)
    text = result.text.strip()
    abstained = not text or any(w in text.lower() for w in _ABSTAIN_WORDS)
    return ShadowAnswer.objects.create(
        question=q, answer=text, abstained=abstained, llm_call=call,
        citations=[] if abstained else [{"document_id": c.document_id, "source": c.source, "chunk_id": c.chunk_id}
                                        for c in chunks],
        generation_ms=int((time.monotonic() - started) * 1000), **fields)
