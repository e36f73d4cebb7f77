"""Failed sign-ins, counted per client and audited in aggregate (connected in
:meth:`rag.access.apps.AccessConfig.ready`).

Django's login code is not ours to wrap in a service, so ``user_login_failed`` is the
hook. django-axes listens to the same signal to lock a username+address out.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model

from rag.access.clients import client_address, client_pseudonym
from rag.access.failures import auth_failure_record


def login_failed_record(sender, credentials, request=None, **kwargs) -> None:
    """``user_login_failed``: one failed password, counted into the client's ``auth.failures``
    row of this minute with the username tried, never the password (``credentials`` is
    already cleansed by Django; only the username field is read). ``reason`` is
    ``locked_out`` when django-axes refused a locked-out username+address."""
    field = get_user_model().USERNAME_FIELD
    username = str(credentials.get(field) or credentials.get("username") or "")[:150]
    client = client_address(request) if request is not None else ""
    reason = "locked_out" if getattr(request, "axes_locked_out", False) else "bad_credentials"
    auth_failure_record(client=client, client_id=client_pseudonym(client), kind="password", reason=reason,
                        name=username)
