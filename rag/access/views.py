"""Project-wide error pages that keep the API's error body (``handler404`` in rag.urls)."""
from __future__ import annotations

from django.http import JsonResponse
from django.views import defaults

from rag.core.api import error_body

API_PREFIXES = ("/api/", "/v1/")


def not_found(request, exception=None):
    """A URL that matches nothing: 404 with the error body (code ``not_found``) under /api/ and
    /v1/, Django's page elsewhere."""
    if request.path.startswith(API_PREFIXES):
        return JsonResponse(error_body(code="not_found", message="no such endpoint"), status=404)
    return defaults.page_not_found(request, exception)
