"""Django admin building blocks shared by the apps."""
from __future__ import annotations

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewing only: no add, change or delete, whoever is signed in (superusers included).

    For rows whose every change must go through an audited service (rollouts, feedback,
    shadow answers): an admin edit would change the evidence without an audit row.
    """

    def has_add_permission(self, request) -> bool:
        """Never: rows are created by their audited service."""
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        """Never: a change would bypass the audited service."""
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        """Never: other rows and the comparisons read these."""
        return False
