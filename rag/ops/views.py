"""/healthz (the process answers), /readyz (every dependency is usable) and /metrics.

/readyz answers 200 ``{"status": "ok", "checks": {name: "ok"}}`` or 503
``{"status": "unavailable", "failed": [names], "checks": {name: "ok" | reason}}``.
/metrics is Prometheus text, served only to callers on ``METRICS_ALLOWED_NETWORKS``
that did not come through the proxy (no ``X-Forwarded-For``), or to any caller with
``Authorization: Bearer <METRICS_TOKEN>``; others get 404.
"""
from __future__ import annotations

import hmac
import ipaddress
import logging

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from health_check.views import HealthCheckView

from rag.ops.health import READINESS_CHECKS

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """Liveness: 200 ``{"status": "ok"}`` whenever the process answers; checks no dependency."""
    return JsonResponse({"status": "ok"})


class ReadyView(HealthCheckView):
    """Readiness: runs :data:`READINESS_CHECKS` and answers 200 or 503 with each check's outcome."""

    checks = READINESS_CHECKS

    async def get(self, request, *args, **kwargs):
        """Runs the checks concurrently; 503 with ``failed`` (and one warning log line) when any failed."""
        await super().get(request, *args, **kwargs)  # runs the checks concurrently into self.results
        checks = {result.check.name: (result.error.message if result.error else "ok") for result in self.results}
        failed = [name for name, outcome in checks.items() if outcome != "ok"]
        body = {"status": "unavailable" if failed else "ok", "checks": checks}
        if failed:
            body["failed"] = failed
            # one line per failed probe (django-health-check's own tracebacks are silenced in LOGGING)
            logger.warning("not ready: %s", "; ".join(f"{name}: {checks[name]}" for name in failed))
        return JsonResponse(body, status=503 if failed else 200)


def _metrics_allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].encode(), token.encode()):
        return True
    if "X-Forwarded-For" in request.headers:  # came through the TLS proxy: from outside
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.METRICS_ALLOWED_NETWORKS)


@never_cache
def metrics(request):
    """Prometheus text exposition to allowed callers (see the module docstring); 404 for everyone else."""
    from rag.ops.metrics import metrics_render

    if not _metrics_allowed(request):
        raise Http404()
    body, content_type = metrics_render()
    return HttpResponse(body, content_type=content_type)
