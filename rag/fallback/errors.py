"""Refusals of the fallback flow. Each carries its API code and HTTP status.

They are :class:`rag.core.errors.DomainError` subclasses, so the REST API renders
them through :func:`rag.core.api.exception_handler` (``{"error": {"code",
"message", "details"}}``) and the pages show the message; no view maps them.
Every one is a :class:`FallbackError` (409 unless said otherwise); the
permission and state refusals are also the generic
:class:`~rag.core.errors.PermissionRefused` (403) and
:class:`~rag.core.errors.Conflict` (409). A missing question or request is
:class:`rag.core.errors.NotFound` (404).
"""
from __future__ import annotations

from rag.core.errors import Conflict, DomainError, PermissionRefused


class FallbackError(DomainError):
    """A refused fallback operation; the message is user-facing."""

    code = "fallback_error"
    http_status = 409


class FallbackNotAllowed(PermissionRefused, FallbackError):
    """403 ``permission_denied``: not the asker nor staff, not an admin, or approving one's own request."""


class FallbackDisabled(FallbackError):
    """403 ``fallback_disabled``: FALLBACK_ENABLED is off on this server."""

    code, http_status = "fallback_disabled", 403


class FallbackInvalid(FallbackError):
    """400 ``invalid``: unusable input (e.g. an empty rejection reason)."""

    code, http_status = "invalid", 400


class FallbackStateError(Conflict, FallbackError):
    """409 ``invalid_state``: the request's state does not allow it (e.g. blocked, already rejected)."""

    code = "invalid_state"


class FallbackExpired(FallbackStateError):
    """409 ``expired``: the request passed ``expires_at`` before it was decided (the expiry is recorded)."""

    code = "expired"


class FallbackPayloadChanged(FallbackError):
    """409 ``payload_changed``: the SHA-256 the approver reviewed is not the stored payload's."""

    code = "payload_changed"


class FallbackBudgetExceeded(FallbackError):
    """409 ``budget_exceeded``: the provider's monthly token budget cannot cover this request's estimate."""

    code = "budget_exceeded"


class FallbackSendRetry(Exception):
    """A transient send failure with attempts left; the Celery task retries later. Never shown to users."""
