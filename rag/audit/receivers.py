"""Sign-in events, connected in :meth:`rag.audit.apps.AuditConfig.ready`. Failed sign-ins are
counted per client and audited in aggregate by :mod:`rag.access.receivers`.

Django's login code is not ours to wrap in a service, so these receivers are the
cross-cutting glue. Each writes one event in the login's own transaction (or its
own, in autocommit); an audit failure makes the login fail, never pass unrecorded.
"""
from __future__ import annotations

from rag.audit.models import AuditEvent
from rag.audit.services import audit_append


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
