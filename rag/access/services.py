"""Writes for access control: creating, revoking and using API tokens, and collection grants.

Every token use is written to the audit trail (``auth.api_token_used``) in the same
transaction as the token's ``last_used_at``; scope refusals too (``auth.api_token_refused``).
Failed token attempts are limited per client and audited in aggregate (:mod:`rag.access.failures`).
Audit details hold the token's name, prefix and the request's method and path, never
the secret.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Sequence

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from ingest.models import Collection
from rag.access.failures import auth_failure_record, auth_failure_throttled
from rag.access.models import APIToken, CollectionAccess
from rag.access.selectors import api_token_by_secret, token_secret_hash
from rag.audit.models import AuditEvent
from rag.audit.services import ACTOR_ANONYMOUS, actor_token, audit_append
from rag.core.errors import DomainError

TOKEN_PREFIX = "pmt_"
TOKEN_RANDOM_BYTES = 32
PREFIX_CHARS = 12  # "pmt_" + 8 characters of the 43 random ones


class TokenRefused(DomainError):
    """The bearer token cannot be used: 401 with ``code`` ``invalid_token``, ``token_revoked`` or
    ``token_expired``; 403 ``insufficient_scope`` when it lacks a scope. The message is user-facing.

    :class:`rag.access.authentication.APITokenAuthentication` re-raises the 401s as DRF's
    ``AuthenticationFailed`` (DRF adds ``WWW-Authenticate`` only to its own class); the 403
    propagates to :func:`rag.core.api.exception_handler` as it is."""

    code = "invalid_token"
    http_status = 401


class TokenAttemptsThrottled(DomainError):
    """429: the client is past ``AUTH_FAILURES_PER_MIN`` failed token attempts; its token was not
    looked up. ``retry_after_s``: whole seconds until one more attempt is allowed."""

    code = "too_many_failed_attempts"
    http_status = 429

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message, details={"retry_after_s": retry_after_s})
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class RequestInfo:
    method: str
    path: str
    client: str = ""  # the client address (rag.access.clients.client_address); never audited
    client_id: str = ""  # its pseudonym (rag.access.clients.client_pseudonym), for the trail

    def as_details(self) -> dict:
        return {"method": self.method, "path": self.path[:500]}


def api_token_secret_assign(*, token: APIToken) -> str:
    """Give ``token`` a new random secret (not saved) and return it; only its SHA-256 is kept."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_RANDOM_BYTES)
    token.secret_sha256 = token_secret_hash(secret)
    token.prefix = secret[:PREFIX_CHARS]
    return secret


def api_token_create(*, name: str, scopes: list[str], collections: Sequence[Collection] = (),
                     all_collections: bool = False, expires_at: datetime | None = None, created_by=None,
                     rate_limit_per_min: int | None = None) -> tuple[APIToken, str]:
    """Create a token; return it and its secret (shown once, never stored).

    ``expires_at`` defaults to ``API_TOKEN_DEFAULT_DAYS`` from now. Raises ValueError
    for an unknown scope.
    """
    unknown = set(scopes) - set(APIToken.Scope.values)
    if unknown:
        raise ValueError(f"unknown scopes: {', '.join(sorted(unknown))}")
    token = APIToken(name=name, scopes=sorted(set(scopes)), all_collections=all_collections,
                     expires_at=expires_at or timezone.now() + timedelta(days=settings.API_TOKEN_DEFAULT_DAYS),
                     created_by=created_by, rate_limit_per_min=rate_limit_per_min)
    secret = api_token_secret_assign(token=token)
    with transaction.atomic():
        token.save()
        token.collections.set(collections)
    return token, secret


def api_token_revoke(*, token: APIToken) -> None:
    """Revoke now; a revoked token is refused from its next request on. Idempotent."""
    APIToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def _refuse(*, token: APIToken | None, prefix: str, code: str, message: str, request: RequestInfo,
            http_status: int = 401) -> TokenRefused:
    details = {"reason": code, "prefix": prefix, **request.as_details()}
    with transaction.atomic():
        audit_append(event_type=AuditEvent.EventType.API_TOKEN_REFUSED,
                     actor=actor_token(token.name) if token else ACTOR_ANONYMOUS,
                     target_type="api_token", target_id=token.pk if token else "", details=details)
    return TokenRefused(message, code=code, http_status=http_status)


def _fail(*, token: APIToken | None, prefix: str, code: str, message: str, request: RequestInfo) -> TokenRefused:
    """Count a failed attempt (aggregated into ``auth.failures`` rows, rag.access.failures:
    an unauthenticated client must not take the audit lock once per guess). Named by the token's
    name when the secret was a real token's, else by the prefix of what was sent."""
    auth_failure_record(client=request.client, client_id=request.client_id, kind="api_token", reason=code,
                        name=token.name if token else prefix)
    return TokenRefused(message, code=code, http_status=401)


def api_token_authenticate(*, secret: str, request: RequestInfo) -> APIToken:
    """The active token for ``secret``; records the use (``last_used_at``, audit row).

    Raises:
        TokenAttemptsThrottled: the client is past ``AUTH_FAILURES_PER_MIN`` failed attempts
            in the sliding minute; nothing is looked up (429).
        TokenRefused: unknown secret (``invalid_token``), revoked (``token_revoked``)
            or expired (``token_expired``). Refusals are counted per client and reach the
            audit trail as one ``auth.failures`` row per client and minute.
        rag.access.ratelimit.RateLimiterUnavailable: Redis is down (callers answer 503).
    """
    throttled = auth_failure_throttled(client=request.client)
    if throttled is not None:
        auth_failure_record(client=request.client, client_id=request.client_id, kind="api_token",
                            reason="throttled")
        raise TokenAttemptsThrottled("too many failed API-token attempts from this client; "
                                     f"try again in {throttled.retry_after_s} s",
                                     retry_after_s=throttled.retry_after_s)
    prefix = secret[:PREFIX_CHARS] if secret.startswith(TOKEN_PREFIX) else ""
    token = api_token_by_secret(secret=secret) if prefix else None
    if token is None:
        raise _fail(token=None, prefix=prefix, code="invalid_token", message="the API token is not valid",
                    request=request)
    now = timezone.now()
    if token.revoked_at is not None:
        raise _fail(token=token, prefix=prefix, code="token_revoked", message="the API token has been revoked",
                    request=request)
    if token.expires_at <= now:
        raise _fail(token=token, prefix=prefix, code="token_expired", message="the API token has expired",
                    request=request)
    with transaction.atomic():
        APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
        audit_append(event_type=AuditEvent.EventType.API_TOKEN_USED, actor=actor_token(token.name),
                     target_type="api_token", target_id=token.pk,
                     details={"prefix": token.prefix, "scopes": token.scopes, **request.as_details()})
    token.last_used_at = now
    return token


def api_token_scope_refuse(*, token: APIToken, needed: str, request: RequestInfo) -> TokenRefused:
    """Audit a request the token's scopes do not allow; return the exception to raise
    (TokenRefused, 403 ``insufficient_scope``)."""
    return _refuse(token=token, prefix=token.prefix, code="insufficient_scope",
                   message=f"the API token lacks the '{needed}' scope", request=request, http_status=403)


def collection_access_set(*, collection: Collection, groups: Sequence[Group] = (),
                          all_signed_in: bool = False) -> CollectionAccess:
    """Replace who may read ``collection``: members of ``groups``, or everyone signed in."""
    with transaction.atomic():
        access, _ = CollectionAccess.objects.update_or_create(collection=collection,
                                                              defaults={"all_signed_in": all_signed_in})
        access.groups.set(groups)
    return access


def user_groups_sync(*, user, group_names: list[str]) -> list[str]:
    """Make ``user``'s groups exactly the existing groups named in ``group_names``;
    return the names applied (unknown names are ignored, not created)."""
    groups = list(Group.objects.filter(name__in=group_names))
    user.groups.set(groups)
    return sorted(g.name for g in groups)
