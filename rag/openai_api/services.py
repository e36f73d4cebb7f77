"""OpenAI Chat Completions on top of :mod:`rag.qa.services`.

Mapping (https://platform.openai.com/docs/api-reference/chat):

- the **last user message** is the question; each earlier user message followed by an
  assistant message is an earlier turn of the conversation: the question is retrieved with
  its standalone rewrite and answered seeing those turns, as on the ask page
  (:mod:`rag.qa.conversation`; ``perimeter.turn`` carries the rewrite);
  system prompts are ignored (Perimeter's own prompt tells the model how to answer from the sources);
- ``model`` is ``perimeter`` (every collection the caller may read) or a
  collection slug (that collection only, if readable);
- sampling parameters (``temperature``, ``max_tokens``...) are accepted and ignored:
  answers use the server's settings;
- the extra member ``perimeter`` carries ``question_id``, ``abstained``, ``citations``
  and ``support`` (the same objects as ``POST /api/v1/query``), on the completion,
  or on the last chunk (the one with ``finish_reason``) of a stream.
"""
from __future__ import annotations

import time
import uuid
from typing import Iterator

from django.conf import settings

from ingest.models import Collection
from rag.access.models import APIToken
from rag.access.selectors import collection_ids_readable, collections_readable
from rag.core.api import error_body
from rag.core.errors import DomainError, NotFound
from rag.qa.conversation import turns_from_messages
from rag.qa.models import Question
from rag.qa.services import Answer, AnswerModelUnavailable, question_answer, question_answer_stream

MODEL_ALL = "perimeter"
OWNER = "perimeter"


class ChatRequestInvalid(DomainError):
    """The messages hold no question to answer: 400 ``invalid_request``; the message is user-facing."""

    code = "invalid_request"
    http_status = 400


class ChatModelNotFound(NotFound):
    """No such collection, or the caller may not read it (not told apart): 404 ``model_not_found``."""

    code = "model_not_found"


def chat_question(messages: list[dict]) -> str:
    """The text of the last ``user`` message (string content, or the text parts of a list).

    Raises ChatRequestInvalid when there is no user message with text."""
    for message in reversed(messages):
        if message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, list):
            content = "\n".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
        if isinstance(content, str) and "\x00" in content:
            raise ChatRequestInvalid("the message must not contain NUL characters")
        if isinstance(content, str) and content.strip():
            return content
        break
    raise ChatRequestInvalid("the last user message must have text content")


def chat_model_collection_ids(*, model: str, user, token: APIToken | None) -> list[int] | None:
    """Collections a ``model`` name searches (None: all). Raises ChatModelNotFound for an unknown
    or unreadable collection (the same answer for both)."""
    readable = collection_ids_readable(user=user, token=token)
    if model == MODEL_ALL:
        return readable
    collection = Collection.objects.filter(slug=model).first()
    if collection is None or (readable is not None and collection.pk not in readable):
        raise ChatModelNotFound(f"the model {model!r} does not exist or you may not use it")
    return [collection.pk]


def chat_models(*, user, token: APIToken | None) -> list[dict]:
    """``perimeter`` plus one model per readable collection, as OpenAI model objects."""
    collections = list(collections_readable(user=user, token=token))
    first = min((int(c.created_at.timestamp()) for c in collections), default=0)
    return [{"id": MODEL_ALL, "object": "model", "created": first, "owned_by": OWNER}] + [
        {"id": c.slug, "object": "model", "created": int(c.created_at.timestamp()), "owned_by": OWNER}
        for c in collections
    ]


def _perimeter_extra(answer: Answer | dict) -> dict:
    data = answer.as_dict() if isinstance(answer, Answer) else answer
    return {"question_id": data["question_id"], "abstained": data["abstained"], "citations": data["citations"],
            "support": data["support"], "turn": data.get("turn") or {}, "model": data.get("model") or {}}


def _usage(question_id: int) -> dict:
    call = Question.objects.select_related("llm_call").get(pk=question_id).llm_call
    prompt, completion = (call.prompt_tokens or 0, call.completion_tokens or 0) if call else (0, 0)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def chat_completion_create(*, user, token: APIToken | None, model: str, messages: list[dict]) -> dict:
    """A ``chat.completion`` object. Raises ChatRequestInvalid, ChatModelNotFound, QuestionInvalid,
    AnswerModelUnavailable."""
    collection_ids = chat_model_collection_ids(model=model, user=user, token=token)
    answer = question_answer(user=user, token=token, question=chat_question(messages),
                             top_k=settings.RETRIEVAL_TOP_K, collection_ids=collection_ids,
                             history=turns_from_messages(messages))
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": answer.answer},
                     "finish_reason": "stop"}],
        "usage": _usage(answer.question_id),
        "perimeter": _perimeter_extra(answer),
    }


def chat_completion_chunks(*, user, token: APIToken | None, model: str, messages: list[dict],
                           include_usage: bool = False) -> Iterator[dict]:
    """``chat.completion.chunk`` objects, then (on a model failure) the error body
    (:func:`rag.core.api.error_body`, code ``model_unavailable``) as the last object.

    The first chunk carries ``delta.role``; the last one ``finish_reason: "stop"`` and
    ``perimeter``; with ``include_usage`` a final chunk with empty ``choices`` and
    ``usage`` follows, as OpenAI's ``stream_options.include_usage`` does.
    Raises ChatRequestInvalid, ChatModelNotFound or QuestionInvalid before the first chunk.
    """
    collection_ids = chat_model_collection_ids(model=model, user=user, token=token)
    events = question_answer_stream(user=user, token=token, question=chat_question(messages),
                                    top_k=settings.RETRIEVAL_TOP_K, collection_ids=collection_ids,
                                    history=turns_from_messages(messages))
    first = next(events)  # validation errors surface here, before any byte is sent
    base = {"id": f"chatcmpl-{uuid.uuid4().hex}", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": model}

    def chunk(delta: dict, finish_reason: str | None = None, **extra) -> dict:
        return {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}], **extra}

    def generate() -> Iterator[dict]:
        yield chunk({"role": "assistant", "content": ""})
        for event in _chain(first, events):
            if event["type"] == "delta":
                yield chunk({"content": event["text"]})
            elif event["type"] == "error":
                yield error_body(code=AnswerModelUnavailable.code, message=event["message"])
                return
            elif event["type"] == "done":
                yield chunk({}, "stop", perimeter=_perimeter_extra(event["answer"]))
                if include_usage:
                    yield {**base, "choices": [], "usage": _usage(event["answer"]["question_id"])}

    return generate()


def _chain(first: dict, rest: Iterator[dict]) -> Iterator[dict]:
    yield first
    yield from rest
