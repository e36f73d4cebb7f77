"""DRF authentication for apps: ``Authorization: Bearer pmt_...``.

A valid token authenticates the request as an anonymous *user* with
``request.auth`` set to the :class:`~rag.access.models.APIToken`: a token is never
a user, so views that only check ``IsAuthenticated`` refuse it (fail closed) and
only views using :mod:`rag.access.permissions` let tokens in.

Failed attempts are limited per client address: past ``AUTH_FAILURES_PER_MIN`` in
the sliding minute, 429 with ``Retry-After`` before the token is looked up; 503
when the limiter's Redis is down (fail closed). See :mod:`rag.access.failures`.
"""
from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from rag.access.clients import client_address, client_pseudonym
from rag.access.models import APIToken
from rag.access.ratelimit import RateLimiterUnavailable
from rag.access.services import RequestInfo, TokenAttemptsThrottled, TokenRefused, api_token_authenticate

REALM = "perimeter"


class TokenAuthenticationFailed(exceptions.AuthenticationFailed):
    """401 whose ``default_code`` (the error body's ``code``) says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(detail=message, code=code)
        self.default_code = code


class TokenAttemptsRefused(exceptions.Throttled):
    """429 with ``Retry-After`` and the code ``too_many_failed_attempts``."""

    default_code = "too_many_failed_attempts"


class RateLimiterDown(exceptions.APIException):
    """503 ``rate_limiter_unavailable``: the limiter's Redis is down, so the request is refused (fail closed)."""

    status_code = 503
    default_detail = "the rate limiter is unavailable; try again shortly"
    default_code = "rate_limiter_unavailable"


def request_info(request) -> RequestInfo:
    """The method, path, client address and its pseudonym of ``request``, for the token services and their audit rows."""
    client = client_address(request)
    return RequestInfo(method=request.method, path=request.path, client=client, client_id=client_pseudonym(client))


def token_of(request) -> APIToken | None:
    """The API token that authenticated ``request`` (DRF or Django request), or None."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, APIToken) else None


class APITokenAuthentication(BaseAuthentication):
    """Bearer API tokens. No ``Authorization: Bearer`` header: not this scheme (None).
    A bearer header with an unknown, revoked or expired token: 401, audited."""

    def authenticate(self, request):
        """``(AnonymousUser(), token)`` for a valid bearer token, None without a bearer header.

        Raises TokenAuthenticationFailed (401, code ``invalid_token``/``token_revoked``/...),
        TokenAttemptsRefused (429 with ``Retry-After``: too many failed tokens from this client)
        or RateLimiterDown (503).
        """
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != b"bearer":
            return None
        if len(parts) != 2:
            raise TokenAuthenticationFailed("invalid_token", "the Authorization header must be 'Bearer <token>'")
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise TokenAuthenticationFailed("invalid_token", "the API token is not valid") from None
        try:
            token = api_token_authenticate(secret=secret, request=request_info(request))
        except TokenRefused as exc:  # DRF answers 401 with WWW-Authenticate only for its own class
            raise TokenAuthenticationFailed(exc.code, exc.message) from None
        except TokenAttemptsThrottled as exc:  # DRF's Throttled carries Retry-After
            raise TokenAttemptsRefused(wait=exc.retry_after_s, detail=exc.message) from None
        except RateLimiterUnavailable:
            raise RateLimiterDown() from None
        return AnonymousUser(), token

    def authenticate_header(self, request) -> str:
        """``WWW-Authenticate`` value of a 401: ``Bearer realm="perimeter"`` (RFC 6750 §3)."""
        return f'Bearer realm="{REALM}"'
