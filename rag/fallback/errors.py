"""Refusals of the fallback flow. Each carries its API code and HTTP status.

They are :class:`rag.core.errors.DomainError` subclasses, so the REST API renders
them through :func:`rag.core.api.exception_handler` (``{"error": {"code",
"message", "details"}}``) and the pages show the message; no view maps them.
A missing question or request is :class:`rag.core.errors.NotFound` (404).
"""
from __future__ import annotations

from rag.core.errors import DomainError


class FallbackError(DomainError):
    """A refused fallback operation (409 unless a subclass says otherwise); the message is user-facing."""

    code = "fallback_error"
    http_status = 409


class FallbackNotAllowed(FallbackError):
    """The user may not do this: not the asker nor staff, not an admin, or approving their own request."""

    code = "permission_denied"
    http_status = 403


class FallbackDisabled(FallbackError):
    """``FALLBACK_ENABLED`` is off on this server."""

    code = "fallback_disabled"
    http_status = 403


class FallbackInvalid(FallbackError):
    """The input is unusable (e.g. an empty rejection reason)."""

    code = "invalid"
    http_status = 400


class FallbackStateError(FallbackError):
    """The request is not in a state that allows the operation (e.g. blocked, already rejected)."""

    code = "invalid_state"


class FallbackExpired(FallbackStateError):
    """The request passed ``expires_at`` before it was decided (the expiry is recorded)."""

    code = "expired"


class FallbackPayloadChanged(FallbackError):
    """The SHA-256 the approver reviewed is not the stored payload's."""

    code = "payload_changed"


class FallbackBudgetExceeded(FallbackError):
    """The provider's monthly token budget cannot cover this request's estimate."""

    code = "budget_exceeded"


class FallbackSendRetry(Exception):
    """A transient send failure with attempts left; the Celery task retries later. Never shown to users."""
