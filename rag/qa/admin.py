"""Django admin for feedback and shadow answers: read-only.

Feedback is given by the asker through :func:`rag.qa.feedback.feedback_give`, audited
(``feedback.given``); shadow answers are written by :mod:`rag.qa.shadow`. Both feed the
rollout comparison and ``feedback_export``, so an admin edit would change the evidence
without an audit row: here they are looked at, never added, changed or deleted.
"""
from __future__ import annotations

from django.contrib import admin

from rag.core.admin import ReadOnlyAdmin
from rag.qa.models import Feedback, ShadowAnswer


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    """Thumbs up/down with the question, arm, model and prompt version; filter by rating for the negatives."""

    list_display = ["id", "rating", "question_text", "arm", "model_name", "prompt_version", "rated_by", "updated_at"]
    list_filter = ["rating", "arm", "model_name", "prompt_version"]
    search_fields = ["comment", "question__text"]
    list_select_related = ["question", "rated_by"]
    date_hierarchy = "updated_at"

    @admin.display(description="question")
    def question_text(self, obj: Feedback) -> str:
        """The rated question's text, first 120 characters."""
        return _question_text(obj)


@admin.register(ShadowAnswer)
class ShadowAnswerAdmin(ReadOnlyAdmin):
    """The candidate's unseen answers (shadow mode), with the question they answered and any error."""

    list_display = ["id", "question_text", "model_name", "prompt_version", "abstained", "generation_ms", "error",
                    "created_at"]
    list_filter = ["model_name", "prompt_version", "abstained"]
    search_fields = ["question__text", "answer"]
    list_select_related = ["question"]
    date_hierarchy = "created_at"

    @admin.display(description="question")
    def question_text(self, obj: ShadowAnswer) -> str:
        """The shadowed question's text, first 120 characters."""
        return _question_text(obj)
