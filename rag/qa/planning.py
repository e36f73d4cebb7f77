"""How one question will be answered: its conversation, the text retrieval uses, and the model.

:func:`answer_plan` runs before retrieval (the standalone rewrite of a follow-up,
:mod:`rag.qa.conversation`); :meth:`AnswerPlan.route` after it, because a canary
never touches an answer drawn from a pinned collection (:func:`rag.llm.rollout.arm_route`).
:mod:`rag.qa.services` then asks the plan for the prompt, the call's arguments and
the Question fields that record which arm answered.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from ingest.models import Document
from rag.llm.base import ChatMessage
from rag.llm.local_models import registry_load
from rag.llm.rollout import Route, arm_route
from rag.qa.conversation import Rewrite, Turn, conversation_turns, history_messages, question_standalone
from rag.qa.models import Conversation
from rag.qa.prompts import answer_messages
from rag.search.hits import RetrievedChunk


@dataclass
class AnswerPlan:
    """``retrieval_text`` is what retrieval searches (the rewrite, or the question as asked);
    ``route`` is set by :meth:`route_for` once the relevant passages are known."""

    asker_key: str
    question: str
    conversation: Conversation | None
    history: list[Turn]
    rewrite: Rewrite
    route: Route | None = field(default=None)
    model_name: str | None = None  # a registry entry chosen by the caller (evaluation): no arm, no canary

    @property
    def retrieval_text(self) -> str:
        """What retrieval searches: the standalone rewrite, or the question as asked."""
        return self.rewrite.text

    def route_for(self, relevant: list[RetrievedChunk]) -> Route:
        """Choose the arm for an answer drawn on ``relevant`` (their documents' collections)."""
        if self.model_name is not None:
            self.route = Route("", registry_load().get(self.model_name), None, "chosen by the caller")
            return self.route
        collections = set(Document.objects.filter(pk__in={c.document_id for c in relevant})
                          .values_list("collection_id", flat=True))
        self.route = arm_route(asker_key=self.asker_key, collection_ids=collections)
        return self.route

    def messages(self, relevant: list[RetrievedChunk]) -> list[ChatMessage]:
        """The answer prompt of the routed model's prompt version, with the earlier turns."""
        model = self.route.model
        return answer_messages(question=self.retrieval_text, chunks=relevant,
                               context_char_budget=model.context_char_budget, prompt_version=model.prompt_version,
                               history=history_messages(self.history))

    def call_kwargs(self) -> dict:
        """``llm_chat`` / ``llm_chat_stream`` arguments besides provider and messages."""
        model = self.route.model
        return {"prompt_version": model.prompt_version, "max_tokens": model.max_tokens, "arm": self.route.arm,
                "model_name": model.name, "purpose": "answer"}

    def question_fields(self) -> dict:
        """The Question fields of the conversation, the rewrite and the arm."""
        route = self.route
        return {"conversation": self.conversation, "standalone_question": self.rewrite.text if self.rewrite.method
                else "", "rewrite_method": self.rewrite.method, "arm": route.arm if route else "",
                "model_name": route.model.name if route else "",
                "prompt_version": route.model.prompt_version if route else "",
                "rollout_id": route.rollout_id if route else None}

    def model_info(self) -> dict:
        """What an answer says about its model: provider, model id, prompt version, registry name, arm."""
        model = self.route.model
        return {"provider": "vllm", "model_id": model.model_id, "prompt_version": model.prompt_version,
                "name": model.name, "arm": self.route.arm}

    def turn_info(self) -> dict:
        """What an answer says about its conversation: ``{conversation_id, standalone_question, rewrite_method}``."""
        return {"conversation_id": self.conversation.pk if self.conversation else None,
                "standalone_question": self.rewrite.text, "rewrite_method": self.rewrite.method}

    def shadow_dispatch(self, *, question_id: int, relevant: list[RetrievedChunk]) -> None:
        """After commit, run the shadow candidate on this question (when the route has one)."""
        if self.route is None or self.route.shadow is None or not relevant:
            return
        from rag.qa.tasks import shadow_answer_task

        chunk_ids = [c.chunk_id for c in relevant]
        transaction.on_commit(lambda: shadow_answer_task.delay(question_id, chunk_ids))


def answer_plan(*, asker_key: str, question: str, conversation: Conversation | None = None,
                history: list[Turn] | None = None, model_name: str | None = None) -> AnswerPlan:
    """The plan before retrieval: earlier turns (``history``, else the ``conversation``'s), and the
    standalone rewrite made by the current stable model (one recorded call when there are turns).
    ``model_name`` answers with that registry entry, outside any rollout (arm ``""``); KeyError
    when the registry has no such entry."""
    if model_name is not None:
        registry_load().get(model_name)
    if history is None:  # a conversation not saved yet (rag.qa.conversation.conversation_new) has no turns
        history = conversation_turns(conversation=conversation) if conversation and conversation.pk else []
    rewrite = Rewrite(question, "")
    if history:
        stable = arm_route(asker_key=asker_key, collection_ids=set(), active=False).model
        rewrite = question_standalone(question=question, history=history, model=stable)
    return AnswerPlan(asker_key, question, conversation, history, rewrite, model_name=model_name)
