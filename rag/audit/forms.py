"""The audit page's filter form (GET): parses query-string input for :func:`audit_event_list`."""
from __future__ import annotations

from typing import Any

from django import forms

from rag.audit.models import AuditEvent


class _DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


class AuditFilterForm(forms.Form):
    """GET filters of the audit page and its export: time range (UTC, ``since`` inclusive, ``until``
    exclusive), actor, event type, target and a substring search over details, actor and target id.
    """

    since = forms.DateTimeField(required=False, widget=_DateTimeLocal(), label="From (UTC)")
    until = forms.DateTimeField(required=False, widget=_DateTimeLocal(), label="Until (UTC)")
    actor = forms.CharField(required=False, max_length=200)
    event_type = forms.ChoiceField(required=False, choices=[("", "any")] + AuditEvent.EventType.choices,
                                   label="Event type")
    target_type = forms.CharField(required=False, max_length=64, label="Target type")
    target_id = forms.CharField(required=False, max_length=200, label="Target id")
    search = forms.CharField(required=False, max_length=200, label="Search details")

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for ``audit_event_list`` (empty when the form is invalid)."""
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
