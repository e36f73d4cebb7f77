"""Answering: validate the question, retrieve (:func:`rag.search.selectors.retrieval_run`),
prompt the local model, store and audit the question.

``question_answer`` returns the whole answer; ``question_answer_stream`` yields
events for the web UI (citations first, then text deltas, then a final record).
"""
from __future__ import annotations

import hashlib
import re
import time
from dataclasses import asdict, dataclass, field
from typing import Iterator

from django.conf import settings
from django.db import transaction

from rag.access.models import APIToken
from rag.audit.models import AuditEvent
from rag.audit.services import ACTOR_ANONYMOUS, actor_token, audit_append
from rag.core.errors import DomainError
from rag.llm.base import LLMError
from rag.llm.capacity import generation_slot, question_slot
from rag.llm.services import llm_chat, llm_chat_stream
from rag.qa.conversation import Turn
from rag.qa.models import Conversation, Question
from rag.qa.planning import AnswerPlan, answer_plan
from rag.qa.prompts import DONT_KNOW
from rag.search.abstention import SupportDecision, support_after_answer, support_dict
from rag.search.hits import RetrievedChunk, citation_dict
from rag.search.selectors import MODES, retrieval_run

_ABSTAIN = re.compile(r"\b(i\s+(do\s+not|don't|don’t|cannot|can't)\s+know)\b", re.IGNORECASE)


class QuestionInvalid(DomainError):
    """Empty or overlong question, or top_k or mode out of range: 400 ``invalid_question``;
    the message is user-facing."""

    code = "invalid_question"
    http_status = 400


class AnswerModelUnavailable(DomainError):
    """The answer model failed (an LLMError, its ``__cause__``, after the provider's retries):
    503 ``model_unavailable``, message ``the answer model failed: <reason>``."""

    code = "model_unavailable"
    http_status = 503

    @classmethod
    def wrapping(cls, exc: Exception) -> AnswerModelUnavailable:
        """The error for a failed model call ``exc`` (kept as ``__cause__`` by the caller)."""
        return cls(f"the answer model failed: {exc}")


@dataclass
class Answer:
    """A finished answer as the API returns it (``timings_ms``: retrieval and generation, ms)."""

    question_id: int
    answer: str
    abstained: bool
    citations: list[dict]
    model: dict
    timings_ms: dict = field(default_factory=dict)
    # the support decision (rag.search.abstention): {supported, weak, reason, probability, method,
    # closest: the two closest passages as citation dicts, shown when it abstains}
    support: dict = field(default_factory=dict)
    # the conversation turn: {conversation_id, standalone_question (what retrieval searched), rewrite_method}
    turn: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """The answer as a JSON-ready dict."""
        return asdict(self)


def _validate(question: str, top_k: int, mode: str | None) -> str:
    question = (question or "").strip()
    if not question:
        raise QuestionInvalid("question must not be empty")
    if len(question) > settings.QUERY_MAX_CHARS:
        raise QuestionInvalid(f"question is {len(question)} characters; the limit is {settings.QUERY_MAX_CHARS}")
    if not 1 <= top_k <= settings.RETRIEVAL_MAX_TOP_K:
        raise QuestionInvalid(f"top_k must be between 1 and {settings.RETRIEVAL_MAX_TOP_K}")
    if (mode or settings.RETRIEVAL_MODE) not in MODES:
        raise QuestionInvalid(f"mode must be one of {', '.join(MODES)}")
    return question


def _model_info(plan: AnswerPlan) -> dict:
    return plan.model_info()


@dataclass(frozen=True)
class Asker:
    """Who asks: a signed-in ``user``, or an API ``token`` (the user is then anonymous).
    ``actor`` is what the audit trail records: the user, ``token:<name>`` or ``"anonymous"``."""

    user: object = None
    token: APIToken | None = None

    @property
    def actor(self):
        """Who the audit trail names: the user, ``token:<name>`` or ``anonymous``."""
        if self.token is not None:
            return actor_token(self.token.name)
        return self.user if getattr(self.user, "is_authenticated", False) else ACTOR_ANONYMOUS

    @property
    def key(self) -> str:
        """Who asks, for sticky rollout routing: ``token:<pk>``, ``user:<pk>`` or ``anonymous``."""
        if self.token is not None:
            return f"token:{self.token.pk}"
        return f"user:{self.user.pk}" if getattr(self.user, "is_authenticated", False) else "anonymous"

    def question_fields(self) -> dict:
        """The Question's ``asked_by`` / ``asked_by_token``."""
        return {"asked_by": self.user if self.token is None and getattr(self.user, "is_authenticated", False)
                else None, "asked_by_token": self.token}


def _record(*, asker: Asker, question: str, top_k: int, status: str, answer: str, citations: list[dict],
            hits: list[RetrievedChunk], cited: list[int], llm_call, retrieval_ms: int, generation_ms: int,
            support: SupportDecision | None = None, extra: dict | None = None) -> Question:
    """Store the question with its ``query.asked`` and ``chunks.retrieved`` audit rows, in one
    transaction. The audit trail gets the question's SHA-256 and length, never its text:
    questions may hold personal data. ``cited`` are the chunk ids given to the model. A new
    conversation (not saved yet) is saved with its first question."""
    with transaction.atomic():
        conversation = (extra or {}).get("conversation")
        if conversation is not None and conversation.pk is None:
            conversation.save()
        q = Question.objects.create(
            **asker.question_fields(), text=question, top_k=top_k, answer=answer, status=status,
            citations=citations, retrieved_chunk_ids=[h.chunk_id for h in hits], llm_call=llm_call,
            retrieval_ms=retrieval_ms, generation_ms=generation_ms, **(extra or {}),
            **({"support_reason": support.reason[:500], "support_probability": support.probability,
                "weakly_supported": support.weak} if support else {}),
        )
        audit_append(event_type=AuditEvent.EventType.QUERY_ASKED, actor=asker.actor, target_type="question",
                     target_id=q.pk, details={"question_sha256": hashlib.sha256(question.encode()).hexdigest(),
                                              "question_chars": len(question), "top_k": top_k,
                                              "status": q.status, "llm_call": llm_call.pk if llm_call else None,
                                              "arm": q.arm, "conversation": q.conversation_id})
        audit_append(event_type=AuditEvent.EventType.CHUNKS_RETRIEVED, actor=asker.actor, target_type="question",
                     target_id=q.pk, details={"chunk_ids": [h.chunk_id for h in hits],
                                              "scores": [round(h.score, 4) for h in hits],
                                              "cited_chunk_ids": cited})
    return q


def _save(*, asker: Asker, question: str, top_k: int, answer: str, abstained: bool, citations: list[dict],
          hits: list[RetrievedChunk], llm_call, retrieval_ms: int, generation_ms: int,
          support: SupportDecision | None = None, extra: dict | None = None) -> Question:
    """Store a finished answer and audit it (see :func:`_record`)."""
    return _record(asker=asker, question=question, top_k=top_k, answer=answer, citations=citations, hits=hits,
                   status=Question.Status.ABSTAINED if abstained else Question.Status.ANSWERED,
                   cited=[c["chunk_id"] for c in citations], llm_call=llm_call, retrieval_ms=retrieval_ms,
                   generation_ms=generation_ms, support=support, extra=extra)


def question_answer(*, user, question: str, top_k: int, collection_ids: list[int] | None,
                    mode: str | None = None, token: APIToken | None = None,
                    conversation: Conversation | None = None, history: list[Turn] | None = None,
                    model: str | None = None) -> Answer:
    """Answer ``question`` from the top-k chunks of ``collection_ids`` (None: all; the caller
    passes :func:`rag.access.selectors.collection_ids_readable`) with the local model.

    ``user`` asks, or API ``token`` (stored on the question and audited as ``token:<name>``).
    When no chunk reaches RETRIEVAL_MIN_SCORE the model is not called: the answer
    says it does not know and cites nothing. Raises QuestionInvalid, AnswerModelUnavailable,
    :class:`rag.llm.capacity.ServerBusy` (this process already works on
    QUESTION_MAX_IN_FLIGHT_PER_PROCESS questions: refused before any work) or its subclass
    ModelBusy (no generation slot freed within LLM_QUEUE_WAIT_S); nothing is stored for either.

    A turn of ``conversation`` (or after the earlier turns ``history``) is retrieved with its
    standalone rewrite and answered seeing the earlier turns (:mod:`rag.qa.conversation`); the
    model is the one the rollout routes the asker to (:mod:`rag.qa.planning`), recorded on the question,
    or the registry entry ``model`` (evaluation: no arm, outside the canary; KeyError if unknown).
    """
    asker = Asker(user, token)
    question = _validate(question, top_k, mode)
    with question_slot(purpose="answer"):  # ServerBusy (503 busy) at once when this process is full
        return _answer(asker=asker, question=question, top_k=top_k, collection_ids=collection_ids, mode=mode,
                       conversation=conversation, history=history, model=model)


def _answer(*, asker: Asker, question: str, top_k: int, collection_ids: list[int] | None, mode: str | None,
            conversation: Conversation | None, history: list[Turn] | None, model: str | None) -> Answer:
    """:func:`question_answer` once admitted: plan, retrieve, generate, store."""
    plan = answer_plan(asker_key=asker.key, question=question, conversation=conversation, history=history,
                       model_name=model)
    found = retrieval_run(question=plan.retrieval_text, top_k=top_k, collection_ids=collection_ids, mode=mode)
    hits, relevant, retrieval_ms, support = found.hits, found.relevant, found.retrieval_ms, found.support
    provider = plan.route_for(relevant).model.provider()
    if not relevant:
        return _abstain(asker=asker, question=question, top_k=top_k, hits=hits, plan=plan,
                        retrieval_ms=retrieval_ms, support=support)
    messages = plan.messages(relevant)
    started = time.monotonic()
    try:
        with generation_slot(purpose="answer"):  # ModelBusy (503 model_busy) when none frees in time
            result, call = llm_chat(provider=provider, messages=messages, **plan.call_kwargs())
    except LLMError as exc:
        raise AnswerModelUnavailable.wrapping(exc) from exc
    generation_ms = int((time.monotonic() - started) * 1000)
    text, abstained, citations = _outcome(result.text, relevant)
    if not abstained:  # the answer-citation rule (rag.search.abstention.answer_citation_reason)
        support = support_after_answer(support, answer=text, sources=relevant)
    q = _save(asker=asker, question=question, top_k=top_k, answer=text, abstained=abstained, citations=citations,
              hits=hits, llm_call=call, retrieval_ms=retrieval_ms, generation_ms=generation_ms, support=support,
              extra=plan.question_fields())
    plan.shadow_dispatch(question_id=q.id, relevant=relevant)
    return Answer(q.id, text, abstained, citations, _model_info(plan),
                  {"retrieval": retrieval_ms, "generation": generation_ms}, support_dict(support, hits),
                  plan.turn_info())


def _abstain(*, asker: Asker, question: str, top_k: int, hits: list[RetrievedChunk], plan: AnswerPlan,
             retrieval_ms: int, support: SupportDecision) -> Answer:
    """Store and return "I don't know" with no citation, without calling the model
    (the support decision says abstain; see :func:`rag.search.selectors.retrieval_run`)."""
    q = _save(asker=asker, question=question, top_k=top_k, answer=DONT_KNOW, abstained=True, citations=[],
              hits=hits, llm_call=None, retrieval_ms=retrieval_ms, generation_ms=0, support=support,
              extra=plan.question_fields())
    return Answer(q.id, DONT_KNOW, True, [], _model_info(plan), {"retrieval": retrieval_ms, "generation": 0},
                  support_dict(support, hits), plan.turn_info())


def _outcome(text: str, relevant: list[RetrievedChunk]) -> tuple[str, bool, list[dict]]:
    """(answer text, abstained, citations) of the model's reply: no citation when it abstains."""
    text = text.strip()
    abstained = bool(_ABSTAIN.search(text)) or not text
    return text or DONT_KNOW, abstained, [] if abstained else [citation_dict(c) for c in relevant]


def _stream_close(q: Question, *, asker: Asker, status: str, answer: str, citations: list[dict], llm_call,
                  generation_ms: int, reason: str = "", support: SupportDecision | None = None) -> None:
    """Complete a streamed question saved by :func:`question_answer_stream`, with its
    ``query.answered`` audit row (status answered, abstained, error or interrupted);
    ``support`` (after the answer-citation rule) replaces the stored reason and weak mark."""
    with transaction.atomic():
        q.status, q.answer, q.citations, q.llm_call, q.generation_ms = (status, answer, citations, llm_call,
                                                                         generation_ms)
        fields = ["status", "answer", "citations", "llm_call", "generation_ms"]
        if support is not None:
            q.support_reason, q.weakly_supported = support.reason[:500], support.weak
            fields += ["support_reason", "weakly_supported"]
        q.save(update_fields=fields)
        audit_append(event_type=AuditEvent.EventType.QUERY_ANSWERED, actor=asker.actor, target_type="question",
                     target_id=q.pk, details={"status": status, "answer_chars": len(answer),
                                              "cited_chunk_ids": [c["chunk_id"] for c in citations],
                                              "llm_call": llm_call.pk if llm_call else None,
                                              "generation_ms": generation_ms, "reason": reason})


def question_answer_stream(*, user, question: str, top_k: int, collection_ids: list[int] | None,
                           mode: str | None = None, token: APIToken | None = None,
                           conversation: Conversation | None = None,
                           history: list[Turn] | None = None) -> Iterator[dict]:
    """Like question_answer, as events: ``{"type": "citations", "citations": [...]}``,
    then ``{"type": "delta", "text": str}`` repeatedly, then ``{"type": "done", "answer": {...}}``.
    On a model failure the last event is ``{"type": "error", "message": str}``.
    Raises QuestionInvalid, ServerBusy (this process is full) or ModelBusy (no generation slot)
    before the first event; nothing is stored for them. The stream holds its
    :func:`rag.llm.capacity.question_slot` until it ends or is closed.

    The question and its ``query.asked`` / ``chunks.retrieved`` audit rows are committed before
    the first event (status ``streaming``), so a client that goes away leaves its trace; the
    row is completed with a ``query.answered`` audit row when the answer is done, the model
    fails (``error``) or the stream is closed early (``interrupted``, with the text so far).
    """
    asker = Asker(user, token)
    question = _validate(question, top_k, mode)
    with question_slot(purpose="stream"):  # ServerBusy (503 busy) before the first event
        yield from _answer_events(asker=asker, question=question, top_k=top_k, collection_ids=collection_ids,
                                  mode=mode, conversation=conversation, history=history)


def _answer_events(*, asker: Asker, question: str, top_k: int, collection_ids: list[int] | None,
                   mode: str | None, conversation: Conversation | None,
                   history: list[Turn] | None) -> Iterator[dict]:
    """The events of :func:`question_answer_stream` once admitted."""
    plan = answer_plan(asker_key=asker.key, question=question, conversation=conversation, history=history)
    found = retrieval_run(question=plan.retrieval_text, top_k=top_k, collection_ids=collection_ids, mode=mode)
    hits, relevant, retrieval_ms, support = found.hits, found.relevant, found.retrieval_ms, found.support
    provider = plan.route_for(relevant).model.provider()
    if not relevant:
        answer = _abstain(asker=asker, question=question, top_k=top_k, hits=hits, plan=plan,
                          retrieval_ms=retrieval_ms, support=support)
        yield {"type": "citations", "citations": []}
        yield {"type": "delta", "text": DONT_KNOW}
        yield {"type": "done", "answer": answer.as_dict()}
        return
    # A slot is taken before the question is saved: a refusal (ModelBusy, 503 model_busy) comes
    # before the first event and leaves no row; the slot is freed when the stream ends or closes.
    with generation_slot(purpose="answer"):
        offered = [citation_dict(c) for c in relevant]
        q = _record(asker=asker, question=question, top_k=top_k, status=Question.Status.STREAMING, answer="",
                    citations=offered, hits=hits, cited=[c.chunk_id for c in relevant], llm_call=None,
                    retrieval_ms=retrieval_ms, generation_ms=0, support=support, extra=plan.question_fields())
        messages = plan.messages(relevant)
        started, parts, closed = time.monotonic(), [], False

        def elapsed_ms() -> int:
            return int((time.monotonic() - started) * 1000)

        try:
            yield {"type": "citations", "citations": offered}
            try:
                for item in llm_chat_stream(provider=provider, messages=messages, **plan.call_kwargs()):
                    if isinstance(item, str):
                        parts.append(item)
                        yield {"type": "delta", "text": item}
                    else:
                        result, call = item
            except LLMError as exc:
                failure = AnswerModelUnavailable.wrapping(exc).message
                closed = True
                _stream_close(q, asker=asker, status=Question.Status.ERROR, answer="", citations=[], llm_call=None,
                              generation_ms=elapsed_ms(), reason=failure[:500])
                yield {"type": "error", "message": failure}
                return
            text, abstained, citations = _outcome(result.text, relevant)
            if not abstained:  # the answer-citation rule (rag.search.abstention.answer_citation_reason)
                support = support_after_answer(support, answer=text, sources=relevant)
            generation_ms, closed = elapsed_ms(), True
            _stream_close(q, asker=asker, status=Question.Status.ABSTAINED if abstained else Question.Status.ANSWERED,
                          answer=text, citations=citations, llm_call=call, generation_ms=generation_ms, support=support)
            plan.shadow_dispatch(question_id=q.id, relevant=relevant)
            yield {"type": "done", "answer": Answer(q.id, text, abstained, citations, _model_info(plan),
                                                    {"retrieval": retrieval_ms, "generation": generation_ms},
                                                    support_dict(support, hits), plan.turn_info()).as_dict()}
        finally:
            if not closed:  # the client went away (GeneratorExit) or something above raised
                _stream_close(q, asker=asker, status=Question.Status.INTERRUPTED, answer="".join(parts),
                              citations=offered, llm_call=None, generation_ms=elapsed_ms(),
                              reason="the stream was closed before the answer was complete")
