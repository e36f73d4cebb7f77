"""Request id middleware: one id per web request, echoed in ``X-Request-ID``, bound to
every log line of the request and handed to the Celery tasks it dispatches
(:mod:`rag.ops.signals`). Writes one ``request`` log line with the route, never the
query string or body (they may hold question text)."""
from __future__ import annotations

import time

import structlog

from rag.ops.logs import request_id_new

logger = structlog.get_logger("rag.ops.request")


class RequestIdMiddleware:
    """Binds a request id (the caller's ``X-Request-ID`` if plausible, else a new uuid4 hex) to the
    request's log lines, echoes it in the response, and logs one ``request`` line (route, status, ms).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        structlog.contextvars.clear_contextvars()
        request_id = request_id_new(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
        finally:
            duration_ms = int((time.monotonic() - started) * 1000)
        response["X-Request-ID"] = request_id
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        logger.info("request", method=request.method, route=(match.route if match else "unmatched"),
                    view=(match.view_name if match else ""), status=response.status_code, duration_ms=duration_ms,
                    user_id=(user.pk if user is not None and user.is_authenticated else None))
        if not getattr(response, "streaming", False):
            structlog.contextvars.clear_contextvars()
        return response
