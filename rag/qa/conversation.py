"""Conversations: earlier turns, and the standalone rewrite a follow-up is retrieved with.

A follow-up ("and its default?") cannot be retrieved on its own words. It is rewritten
to stand alone by the stable local model (prompt ``rewrite-v1``); the rewrite is
accepted only if it keeps the follow-up's own key terms and brings in at least one
key term of the earlier turns (that is what resolving "its" means). Otherwise, and
whenever the model fails, a deterministic rewrite is used: the follow-up followed by
the key terms of the previous question that it lacks. With SmolLM2-135M the model's
rewrite is often refused by that check; the deterministic one always retrieves on
the earlier subject. Both are stored on the question and shown to the user.

The answer prompt sees up to :data:`HISTORY_TURNS` earlier turns as user/assistant
messages (answers cut at :data:`HISTORY_ANSWER_CHARS`), and its source budget
shrinks by what they take, so the 2048-token window still holds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rag.llm.base import ChatMessage, LLMError
from rag.llm.local_models import LocalModel
from rag.llm.services import llm_chat
from rag.qa.models import Conversation, Question
from rag.search.analysis import terms_extract

REWRITE_PROMPT_VERSION = "rewrite-v1"
HISTORY_TURNS = 2
HISTORY_ANSWER_CHARS = 300
REWRITE_MAX_CHARS = 400
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[^\W_]+(?:[_.\-]+[^\W_]+)*")
# Words that are in questions but name no subject: never carried over as key terms.
_GENERIC = frozenset("""default defaults use used using work works example examples way ways thing things
    happen happens mean means tell explain else more other another instead about version versions""".split())

REWRITE_SYSTEM = (
    "Rewrite the user's last question so that it can be understood without the conversation. "
    "Replace words like it, its, that or they with what they refer to. Keep the meaning. "
    "Reply with the rewritten question only, on one line."
)


@dataclass(frozen=True)
class Turn:
    """One earlier turn: what was asked (its standalone form when it had one) and answered."""

    question: str
    answer: str


@dataclass(frozen=True)
class Rewrite:
    """The question retrieval uses; ``method`` is ``""`` (a first turn, as asked), ``"model"``
    or ``"key-terms"`` (the deterministic fallback); ``llm_call_id`` the rewrite's LLMCall."""

    text: str
    method: str
    llm_call_id: int | None = None


def conversation_turns(*, conversation: Conversation) -> list[Turn]:
    """The conversation's finished turns, oldest first (streaming and failed turns left out)."""
    rows = conversation.turns.filter(status__in=[Question.Status.ANSWERED, Question.Status.ABSTAINED]
                                     ).order_by("created_at", "id")
    return [Turn(q.standalone_question or q.text, q.answer) for q in rows]


def key_words(text: str) -> list[str]:
    """Words of ``text`` that carry a subject, as typed, in order, without repeats: not stopwords
    (:data:`rag.search.analysis.STOPWORDS`), not generic question words."""
    out: list[str] = []
    for match in _WORD.finditer(text):
        word = match.group()
        if word.lower() in _GENERIC or not terms_extract(word) or word in out:
            continue
        out.append(word)
    return out


def _terms(text: str) -> set[str]:
    return set(terms_extract(text))


def rewrite_key_terms(*, question: str, history: list[Turn]) -> str:
    """The deterministic rewrite: ``question`` then the previous question's key words it lacks
    (``"and its default?"`` after ``"What is CSRF_COOKIE_AGE?"`` -> ``"and its default? CSRF_COOKIE_AGE"``)."""
    have = _terms(question)
    carried = [w for w in key_words(history[-1].question) if not set(terms_extract(w)) <= have]
    return f"{question.strip()} {' '.join(carried)}".strip() if carried else question.strip()


def rewrite_acceptable(*, rewrite: str, question: str, history: list[Turn]) -> bool:
    """Whether a model's rewrite may be used: a question (ending in "?") of at most 400 characters,
    keeping every key term of ``question``, adding at least one key term of the earlier questions,
    and no number that neither has (a small model tends to answer instead of rewriting)."""
    if not rewrite or len(rewrite) > REWRITE_MAX_CHARS or "don't know" in rewrite.lower() \
            or not rewrite.rstrip().endswith("?"):
        return False
    known = set(_NUMBER.findall(question + " " + " ".join(t.question for t in history)))
    if set(_NUMBER.findall(rewrite)) - known:
        return False
    got = _terms(rewrite)
    own = set().union(*(terms_extract(w) for w in key_words(question))) if key_words(question) else set()
    earlier = set().union(*(_terms(" ".join(key_words(t.question))) for t in history)) - own
    return own <= got and bool(earlier & got)


def question_standalone(*, question: str, history: list[Turn], model: LocalModel) -> Rewrite:
    """The standalone form of ``question`` after ``history`` (see the module docstring).

    One recorded model call (purpose ``rewrite``, at most 64 tokens) to ``model``; never raises
    on a model failure (the deterministic rewrite is used)."""
    if not history:
        return Rewrite(question, "")
    lines = []
    for turn in history[-HISTORY_TURNS:]:
        lines += [f"Q: {turn.question}", f"A: {turn.answer[:HISTORY_ANSWER_CHARS]}"]
    user = "Conversation:\n" + "\n".join(lines) + f"\n\nLast question: {question}\nRewritten question:"
    try:
        result, call = llm_chat(provider=model.provider(), messages=[ChatMessage("system", REWRITE_SYSTEM),
                                                                     ChatMessage("user", user)],
                                prompt_version=REWRITE_PROMPT_VERSION, purpose="rewrite", max_tokens=64,
                                model_name=model.name)
    except LLMError:
        return Rewrite(rewrite_key_terms(question=question, history=history), "key-terms")
    text = (result.text.strip().splitlines() or [""])[0].strip().strip('"')
    if rewrite_acceptable(rewrite=text, question=question, history=history):
        return Rewrite(text, "model", call.pk)
    return Rewrite(rewrite_key_terms(question=question, history=history), "key-terms", call.pk)


def history_messages(history: list[Turn]) -> list[ChatMessage]:
    """The last :data:`HISTORY_TURNS` turns as alternating user/assistant messages."""
    out: list[ChatMessage] = []
    for turn in history[-HISTORY_TURNS:]:
        answer = turn.answer if len(turn.answer) <= HISTORY_ANSWER_CHARS else turn.answer[:HISTORY_ANSWER_CHARS] + "…"
        out += [ChatMessage("user", turn.question), ChatMessage("assistant", answer)]
    return out


def conversation_of(*, conversation_id: int | None, user=None, token=None) -> Conversation | None:
    """The caller's conversation ``conversation_id`` (None when it is not theirs or does not exist)."""
    if not conversation_id:
        return None
    rows = Conversation.objects.filter(pk=conversation_id)
    rows = rows.filter(owner_token=token) if token is not None else rows.filter(owner=user, owner_token=None)
    return rows.first()


def conversation_new(*, user=None, token=None) -> Conversation:
    """A new conversation of ``user`` (or API ``token``), not saved yet: the first question stored
    in it saves it (:mod:`rag.qa.services`), so a refused question leaves no empty conversation."""
    return Conversation(owner=user if token is None and getattr(user, "is_authenticated", False) else None,
                        owner_token=token)


def conversation_start(*, user=None, token=None) -> Conversation:
    """A new empty conversation of ``user`` (or API ``token``), saved."""
    conversation = conversation_new(user=user, token=token)
    conversation.save()
    return conversation


def turns_from_messages(messages: list[dict]) -> list[Turn]:
    """Earlier turns of an OpenAI ``messages`` list: each user message followed by an assistant
    message is one turn; system messages and the last user message are not turns. Text parts of
    list contents are joined."""
    def text(m: dict) -> str:
        content = m.get("content")
        if isinstance(content, list):
            content = "\n".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
        return content if isinstance(content, str) else ""

    turns, pending = [], None
    for m in messages:
        if m.get("role") == "user":
            pending = text(m)
        elif m.get("role") == "assistant" and pending is not None:
            turns.append(Turn(pending, text(m)))
            pending = None
    return turns
