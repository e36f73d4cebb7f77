"""The one place API errors become bodies and responses: ``{"error": {"code", "message", "details"}}``.

:func:`exception_handler` (DRF's ``EXCEPTION_HANDLER``) renders DRF's own
exceptions, Django's ``Http404``/``PermissionDenied`` and every
:class:`rag.core.errors.DomainError` a service raises; views let them propagate.
:func:`error_body` is the shape itself, for the few bodies written outside DRF
(the JSON 404 page, an error object inside a stream), and :data:`ERROR_SCHEMA`
describes it in OpenAPI (:mod:`rag.access.openapi` declares it on every operation).
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from rag.core.errors import DomainError

ERROR_SCHEMA = {
    "type": "object",
    "description": "The body of every error response.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "description": "machine-readable, e.g. not_found, throttled",
                         "example": "not_found"},
                "message": {"type": "string", "description": "human-readable"},
                "details": {"description": "field errors or extra data; {} when there are none"},
            },
            "required": ["code", "message", "details"],
        }
    },
    "required": ["error"],
}


def error_body(*, code: str, message: str, details: dict | list | None = None) -> dict:
    """The error body (:data:`ERROR_SCHEMA`): ``{"error": {"code", "message", "details"}}``.

    ``details`` is JSON-serializable extra data (DRF's field errors, the refused
    document...); ``{}`` when None."""
    return {"error": {"code": code, "message": message, "details": {} if details is None else details}}


def _flatten(detail) -> str:
    if isinstance(detail, dict) and set(detail) == {"detail"}:
        return _flatten(detail["detail"])
    if isinstance(detail, dict):
        return "; ".join(f"{k}: {_flatten(v)}" for k, v in detail.items())
    if isinstance(detail, list):
        return "; ".join(_flatten(v) for v in detail)
    return str(detail)


def exception_handler(exc, context):
    """DRF exception handler: the error body for DRF, Django and domain errors; None (a 500) otherwise.

    A DomainError answers with its ``http_status`` and ``code`` (and ``Retry-After`` when it
    has ``retry_after_s``); DRF's exceptions keep
    their status and headers (``WWW-Authenticate``, ``Retry-After``) and use their
    ``default_code``, with DRF's detail as ``details``."""
    if isinstance(exc, DomainError):
        headers = {"Retry-After": str(exc.retry_after_s)} if exc.retry_after_s is not None else None
        return Response(error_body(code=exc.code, message=exc.message, details=exc.details),
                        status=exc.http_status, headers=headers)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    response.data = error_body(code=getattr(exc, "default_code", "error"), message=_flatten(detail), details=detail)
    return response
