"""The one place API errors become responses: ``{"error": {"code", "message", "details"}}``.

:func:`exception_handler` (DRF's ``EXCEPTION_HANDLER``) renders DRF's own
exceptions, Django's ``Http404``/``PermissionDenied`` and every
:class:`rag.core.errors.DomainError` a service raises; views let them propagate.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from rag.core.errors import DomainError


def _flatten(detail) -> str:
    if isinstance(detail, dict) and set(detail) == {"detail"}:
        return _flatten(detail["detail"])
    if isinstance(detail, dict):
        return "; ".join(f"{k}: {_flatten(v)}" for k, v in detail.items())
    if isinstance(detail, list):
        return "; ".join(_flatten(v) for v in detail)
    return str(detail)


def exception_handler(exc, context):
    """DRF exception handler: the error body for DRF, Django and domain errors; None (a 500) otherwise."""
    if isinstance(exc, DomainError):
        return error_response(code=exc.code, message=exc.message, http_status=exc.http_status,
                              details=exc.details)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    code = getattr(exc, "default_code", "error")
    response.data = {"error": {"code": code, "message": _flatten(detail), "details": detail}}
    return response


def error_body(*, code: str, message: str, details: dict | None = None) -> dict:
    """The error body as a dict (also used outside DRF, e.g. the JSON 404 page)."""
    return {"error": {"code": code, "message": message, "details": details or {}}}


def error_response(*, code: str, message: str, http_status: int = status.HTTP_400_BAD_REQUEST,
                   details: dict | None = None) -> Response:
    """A DRF response with the error body. Prefer raising a DomainError from the service."""
    return Response(error_body(code=code, message=message, details=details), status=http_status)
