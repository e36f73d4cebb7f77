"""The roles that are not per collection, as Django permissions held through a group.

``approver`` decides the approval queue (``fallback.approve_fallbackrequest``); ``auditor``
reads and exports the audit trail (``audit.view_auditevent``), not documents. Neither
follows from ``is_staff``. Superusers hold every permission (Django's meaning of the
flag), but the rule that nobody approves their own request or a request about their
own question holds for them too (:func:`rag.fallback.services.fallback_approve`).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GlobalRole:
    """A role held through a Django group's permission: ``name`` ("approver"), ``group`` ("approvers")
    and ``permission`` ("app_label.codename") that carries it.
    """

    name: str        # "approver"
    group: str       # the Django group that carries the permission
    permission: str  # "app_label.codename"


APPROVER = GlobalRole("approver", "approvers", "fallback.approve_fallbackrequest")
AUDITOR = GlobalRole("auditor", "auditors", "audit.view_auditevent")
GLOBAL_ROLES = {r.name: r for r in (APPROVER, AUDITOR)}


def user_has_role(user, role: GlobalRole) -> bool:
    """Whether an active, signed-in ``user`` holds ``role`` (through any group, directly, or as superuser)."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.has_perm(role.permission))
