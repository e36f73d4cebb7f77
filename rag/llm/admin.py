"""Django admin for canary rollouts: read-only.

Starting, promoting and rolling back a rollout must write its audit row in the same
transaction (:mod:`rag.llm.rollout`), so they happen only on the audited models page
(``/admin-console/models/``); here the rows can be looked at, never changed or deleted.
"""
from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from rag.core.admin import ReadOnlyAdmin
from rag.llm.models import Rollout


@admin.register(Rollout)
class RolloutAdmin(ReadOnlyAdmin):
    """Every rollout, newest first; a link to the audited page where they are started, promoted and rolled back."""

    list_display = ["id", "status", "stable", "candidate", "share_percent", "shadow", "started_by", "started_at",
                    "ended_by", "ended_at", "manage"]
    list_filter = ["status", "shadow"]
    search_fields = ["stable", "candidate", "started_by", "ended_by"]
    readonly_fields = ["manage"]

    @admin.display(description="promote / roll back")
    def manage(self, obj: Rollout) -> str:
        """A link to the audited models page (the only place a rollout changes)."""
        return format_html('<a href="{}">models page</a>', reverse("ui:models"))
