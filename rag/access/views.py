"""Project-wide error pages that keep the API's error body (``handler404`` in rag.urls)."""
from __future__ import annotations

from django.http import JsonResponse
from django.views import defaults

API_PREFIXES = ("/api/", "/v1/")


def not_found(request, exception=None):
    """A URL that matches nothing: the JSON error body under /api/ and /v1/, Django's page elsewhere."""
    if request.path.startswith(API_PREFIXES):
        return JsonResponse({"error": {"code": "not_found", "message": "no such endpoint", "details": {}}},
                            status=404)
    return defaults.page_not_found(request, exception)
