"""Feedback on answers: a thumbs up or down by the asker, and its export as an evaluation set.

A rating is stored with the arm, model and prompt version that answered (copied from the
question) and audited (``feedback.given``: rating and ids, never the comment's text).
:func:`feedback_eval_records` turns rated questions into lines of the ``manage.py evaluate``
format, so real questions become regression tests: ``gold`` is the documents a reviewer
marked as the right sources, or, for a thumbs up without marks, the answer's cited documents.
"""
from __future__ import annotations

from django.db import transaction

from ingest.models import Document
from rag.access.models import APIToken
from rag.audit.models import AuditEvent
from rag.audit.services import actor_token, audit_append
from rag.core.errors import DomainError, NotFound
from rag.qa.models import Feedback, Question

COMMENT_MAX_CHARS = 2000


class FeedbackInvalid(DomainError):
    """A rating other than up/down, a comment over 2,000 characters, or gold documents that do not
    exist: 400 ``invalid_feedback``."""

    code = "invalid_feedback"
    http_status = 400


def _asked_by(q: Question, *, user, token: APIToken | None) -> bool:
    if token is not None:
        return q.asked_by_token_id == token.pk
    return q.asked_by_token_id is None and q.asked_by_id is not None and q.asked_by_id == getattr(user, "pk", None)


@transaction.atomic(durable=True)
def feedback_give(*, question_id: int, user, rating: str, comment: str = "", token: APIToken | None = None,
                  gold_document_ids: list[int] | None = None) -> Feedback:
    """Rate the answer to ``question_id`` (``"up"`` / ``"down"``); a second rating by the same asker
    replaces the first. Only the asker (user or API token) may rate: anyone else gets NotFound,
    like a question that does not exist. Raises FeedbackInvalid, NotFound."""
    q = Question.objects.filter(pk=question_id).first()
    if q is None or not _asked_by(q, user=user, token=token):
        raise NotFound("no such question")
    if rating not in Feedback.Rating.values:
        raise FeedbackInvalid("rating must be 'up' or 'down'")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_CHARS:
        raise FeedbackInvalid(f"the comment is {len(comment)} characters; the limit is {COMMENT_MAX_CHARS}")
    gold = sorted(set(gold_document_ids or []))
    if gold and Document.objects.filter(pk__in=gold).count() != len(gold):
        raise FeedbackInvalid("gold_document_ids names a document that does not exist")
    who = {"rated_by_token": token} if token is not None else {"rated_by": user}
    feedback, _ = Feedback.objects.update_or_create(
        question=q, **who, defaults={"rating": rating, "comment": comment, "gold_document_ids": gold, "arm": q.arm,
                                     "model_name": q.model_name, "prompt_version": q.prompt_version})
    audit_append(event_type=AuditEvent.EventType.FEEDBACK_GIVEN,
                 actor=actor_token(token.name) if token is not None else user, target_type="question",
                 target_id=q.pk, details={"rating": rating, "comment_chars": len(comment), "arm": q.arm,
                                          "model_name": q.model_name, "prompt_version": q.prompt_version,
                                          "gold_document_ids": gold, "feedback": feedback.pk})
    return feedback


def feedback_negative(*, limit: int = 200) -> list[Feedback]:
    """Thumbs-down feedback, newest first, with its question (text, answer, citations) for review."""
    return list(Feedback.objects.filter(rating=Feedback.Rating.DOWN).select_related("question", "rated_by")
                .order_by("-updated_at")[:limit])


def feedback_eval_records() -> list[dict]:
    """One ``manage.py evaluate`` record per rated question that has gold sources, oldest first:
    ``{"id": "fb<question id>", "question", "gold": [Document.source...], "answer_must_contain": [],
    "kind": "lookup", "rating", "arm", "model_name", "prompt_version"}``. ``question`` is the
    standalone rewrite of a follow-up (what retrieval searched). Thumbs-down answers without
    marked sources have no known right answer and are left out."""
    records, seen = [], set()
    rows = Feedback.objects.select_related("question").order_by("created_at", "id")
    for fb in rows:
        q = fb.question
        ids = fb.gold_document_ids or ([c["document_id"] for c in q.citations] if fb.rating == "up" else [])
        if not ids or q.pk in seen:
            continue
        sources = dict(Document.objects.filter(pk__in=ids).values_list("pk", "source"))
        gold = list(dict.fromkeys(sources[i] for i in ids if i in sources))
        if not gold:
            continue
        seen.add(q.pk)
        records.append({"id": f"fb{q.pk}", "question": q.standalone_question or q.text, "gold": gold,
                        "answer_must_contain": [], "kind": "lookup", "rating": fb.rating, "arm": fb.arm,
                        "model_name": fb.model_name, "prompt_version": fb.prompt_version})
    return records
