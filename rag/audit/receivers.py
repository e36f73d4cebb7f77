"""Login events, connected in :meth:`rag.audit.apps.AuditConfig.ready`.

Django's login code is not ours to wrap in a service, so these receivers are the
cross-cutting glue. Each writes one event in the login's own transaction (or its
own, in autocommit); an audit failure makes the login fail, never pass unrecorded.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model

from rag.audit.models import AuditEvent
from rag.audit.services import ACTOR_ANONYMOUS, audit_append


def _path(request) -> str:
    return getattr(request, "path", "") if request is not None else ""


def login_succeeded_record(sender, request, user, **kwargs) -> None:
    """``user_logged_in``: ADMIN_LOGIN for staff, USER_LOGIN otherwise. Details: the login path.

    No IP address or user agent is stored: both are personal data and the audit
    trail keeps what the flow needs, nothing more.
    """
    event_type = AuditEvent.EventType.ADMIN_LOGIN if user.is_staff else AuditEvent.EventType.USER_LOGIN
    audit_append(event_type=event_type, actor=user, target_type="user", target_id=user.pk,
                 details={"path": _path(request)})


def login_failed_record(sender, credentials, request=None, **kwargs) -> None:
    """``user_login_failed``: LOGIN_FAILED with the username that was tried, never the password.

    ``credentials`` is already cleansed by Django; only the username field is read.
    """
    field = get_user_model().USERNAME_FIELD
    username = str(credentials.get(field) or credentials.get("username") or "")[:150]
    audit_append(event_type=AuditEvent.EventType.LOGIN_FAILED, actor=ACTOR_ANONYMOUS, target_type="user",
                 target_id=username, details={"path": _path(request)})
