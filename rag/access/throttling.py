"""DRF throttle: per token, or per signed-in user, per view scope (``throttle_scope``).

Scopes and their settings: ``query`` (RATE_LIMIT_QUERY_PER_MIN), ``ingest``
(RATE_LIMIT_INGEST_PER_MIN) and ``read`` (RATE_LIMIT_READ_PER_MIN, the default
for views that do not name one). A token's ``rate_limit_per_min`` replaces the
setting for that token. Anonymous requests are limited per client address.
"""
from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from rest_framework.throttling import BaseThrottle

from rag.access.authentication import RateLimiterDown, token_of
from rag.access.ratelimit import RateLimiterUnavailable, rate_limit_hit

SCOPE_SETTINGS = {
    "query": "RATE_LIMIT_QUERY_PER_MIN",
    "ingest": "RATE_LIMIT_INGEST_PER_MIN",
    "read": "RATE_LIMIT_READ_PER_MIN",
}


def principal_key(request) -> str:
    """Who is counted: ``token:<id>``, ``user:<id>`` or ``ip:<REMOTE_ADDR>`` for anonymous requests."""
    token = token_of(request)
    if token is not None:
        return f"token:{token.pk}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"


def principal_limit(request, scope: str) -> int:
    """Requests per minute for ``scope`` ("query", "ingest", "read"): the token's own
    ``rate_limit_per_min`` if set, else the scope's setting. Raises KeyError for another scope.
    """
    token = token_of(request)
    if token is not None and token.rate_limit_per_min:
        return token.rate_limit_per_min
    return getattr(settings, SCOPE_SETTINGS[scope])


class PrincipalRateThrottle(BaseThrottle):
    """DRF throttle counting each request against its principal's per-minute limit for the view's
    ``throttle_scope`` (default "read"); 429 with ``Retry-After`` past it, 503 when Redis is down.
    """

    def allow_request(self, request, view) -> bool:
        """Counts this request (:func:`rate_limit_hit`); raises RateLimiterDown (503) when Redis does not answer."""
        scope = getattr(view, "throttle_scope", None) or "read"
        try:
            self.decision = rate_limit_hit(key=f"{scope}:{principal_key(request)}",
                                           limit=principal_limit(request, scope))
        except RateLimiterUnavailable:
            raise RateLimiterDown() from None
        return self.decision.allowed

    def wait(self) -> float:
        """Seconds until a request would be allowed (whole seconds), DRF's ``Retry-After``."""
        return float(self.decision.retry_after_s)


def rate_limit_refusal(request, *, scope: str) -> HttpResponse | None:
    """For plain Django views (the web UI): None if the request may go on, else a 429
    (with ``Retry-After``) or a 503 when the limiter is unavailable (fail closed)."""
    try:
        decision = rate_limit_hit(key=f"{scope}:{principal_key(request)}", limit=principal_limit(request, scope))
    except RateLimiterUnavailable:
        return HttpResponse(RateLimiterDown.default_detail, status=503, content_type="text/plain")
    if decision.allowed:
        return None
    response = HttpResponse(f"Too many requests: at most {decision.limit} per minute. "
                            f"Try again in {decision.retry_after_s} s.", status=429, content_type="text/plain")
    response["Retry-After"] = str(decision.retry_after_s)
    return response
