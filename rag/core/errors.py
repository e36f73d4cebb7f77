"""Domain errors: every refusal a service raises carries its API code and HTTP status.

Services raise a subclass of :class:`DomainError`; they never build responses.
The REST API renders every one of them the same way through
:func:`rag.core.api.exception_handler` (``{"error": {"code", "message",
"details"}}`` with ``http_status``); web pages show ``str(exc)`` as a message.
So a new refusal is one class here or next to its service, and no view maps
exceptions by hand.
"""
from __future__ import annotations


class DomainError(Exception):
    """A refused operation with a user-facing message.

    Class attributes (override per subclass):
        code: machine-readable error code, e.g. ``"invalid_question"``.
        http_status: HTTP status the API answers with (int, e.g. 400).

    Args:
        message: user-facing text (never personal data or document text).
        details: JSON-serializable extra data for the API body; ``{}`` when omitted.
        code / http_status: per-instance overrides of the class attributes.
        retry_after_s: seconds after which a retry may succeed (a 503 or 429); the API sends
            it as the ``Retry-After`` header. None: no header.
    """

    code: str = "error"
    http_status: int = 400
    retry_after_s: int | None = None

    def __init__(self, message: str = "", *, details: dict | None = None, code: str | None = None,
                 http_status: int | None = None, retry_after_s: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}
        if retry_after_s is not None:
            self.retry_after_s = retry_after_s
        if code is not None:
            self.code = code
        if http_status is not None:
            self.http_status = http_status


class NotFound(DomainError):
    """The object does not exist, or the caller may not read it (the two are not told apart)."""

    code = "not_found"
    http_status = 404


class PermissionRefused(DomainError):
    """Signed in, but not allowed to do this."""

    code = "permission_denied"
    http_status = 403


class Conflict(DomainError):
    """The object is not in a state that allows the operation."""

    code = "conflict"
    http_status = 409
