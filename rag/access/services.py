"""Writes for access control: API tokens (create, change, revoke, use) and the roles that
people hold (per collection, approver, auditor, group membership from SSO).

Every change is written to the audit trail in the same transaction as the change
(``auth.api_token_*``, ``access.*``), with the actor: a user, ``token:<name>``, or
a string such as ``system`` or ``command:<name>`` for management commands. Token
uses are audited with the token's ``last_used_at``; failed token attempts are limited per
client and audited in aggregate (:mod:`rag.access.failures`). Audit details hold names,
prefixes and ids, never a secret.
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
from rag.access.models import APIToken, CollectionAccess, CollectionRole
from rag.access.roles import GlobalRole
from rag.access.selectors import api_token_by_secret, collection_manageable, token_secret_hash
from rag.audit.models import AuditEvent
from rag.audit.services import ACTOR_ANONYMOUS, ACTOR_SYSTEM, actor_token, audit_append
from rag.core.errors import DomainError, PermissionRefused

Event = AuditEvent.EventType

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
    """The request a token was presented with: the audit rows keep ``method``, ``path`` and the client's pseudonym."""

    method: str
    path: str
    client: str = ""  # the client address (rag.access.clients.client_address); never audited
    client_id: str = ""  # its pseudonym (rag.access.clients.client_pseudonym), for the trail

    def as_details(self) -> dict:
        """``{"method", "path"}`` for an audit row's details (path cut to 500 characters; never the address)."""
        return {"method": self.method, "path": self.path[:500]}


def api_token_secret_assign(*, token: APIToken) -> str:
    """Give ``token`` a new random secret (not saved) and return it; only its SHA-256 is kept."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_RANDOM_BYTES)
    token.secret_sha256 = token_secret_hash(secret)
    token.prefix = secret[:PREFIX_CHARS]
    return secret


def _token_state(token: APIToken) -> dict:
    """What an audit row says about a token: never its secret."""
    return {"name": token.name, "prefix": token.prefix, "scopes": list(token.scopes),
            "collections": sorted(token.collections.values_list("slug", flat=True)),
            "all_collections": token.all_collections, "rate_limit_per_min": token.rate_limit_per_min,
            "expires_at": token.expires_at.isoformat() if token.expires_at else None}


def api_token_created_record(*, token: APIToken, actor) -> None:
    """Audit a token that was just saved with its collections (``auth.api_token_created``),
    in the caller's transaction. For the admin, which saves the token itself."""
    audit_append(event_type=Event.API_TOKEN_CREATED, actor=actor or ACTOR_SYSTEM, target_type="api_token",
                 target_id=token.pk, details=_token_state(token))


def api_token_changed_record(*, token: APIToken, actor, before: dict) -> None:
    """Audit an edit of a saved token (``auth.api_token_changed``: the fields that changed, before
    and after), in the caller's transaction. ``before`` is the token's state read before the edit
    (:func:`api_token_state`). No row when nothing changed."""
    after = _token_state(token)
    changed = {k: {"before": before.get(k), "after": v} for k, v in after.items() if before.get(k) != v}
    if changed:
        audit_append(event_type=Event.API_TOKEN_CHANGED, actor=actor, target_type="api_token", target_id=token.pk,
                     details={"name": token.name, "prefix": token.prefix, "changed": changed})


def api_token_state(*, token: APIToken) -> dict:
    """The audited state of a saved token (scopes, collections, expiry, ...; never the secret)."""
    return _token_state(token)


def api_token_create(*, name: str, scopes: list[str], collections: Sequence[Collection] = (),
                     all_collections: bool = False, expires_at: datetime | None = None, created_by=None,
                     rate_limit_per_min: int | None = None) -> tuple[APIToken, str]:
    """Create a token; return it and its secret (shown once, never stored). Audited
    (``auth.api_token_created``, actor ``created_by`` or ``system``).

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
        api_token_created_record(token=token, actor=created_by)
    return token, secret


def api_token_revoke(*, token: APIToken, actor=ACTOR_SYSTEM) -> bool:
    """Revoke now; a revoked token is refused from its next request on. Audited
    (``auth.api_token_revoked``) when it was not revoked yet. Idempotent: returns
    whether this call revoked it."""
    with transaction.atomic():
        revoked = APIToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        if revoked:
            audit_append(event_type=Event.API_TOKEN_REVOKED, actor=actor, target_type="api_token",
                         target_id=token.pk, details={"name": token.name, "prefix": token.prefix})
    return bool(revoked)


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


# --------------------------------------------------------------------- collection roles
def _may_manage(*, collection: Collection, actor) -> None:
    """Refuse (PermissionRefused) a user who is not manager of ``collection``. String actors
    (``system``, ``command:...``) are the operator's own tools and pass."""
    if isinstance(actor, str):
        return
    if collection_manageable(collection_id=collection.pk, user=actor) is None:
        raise PermissionRefused(f"only a manager of {collection.slug!r} may change who may use it")


def _holder(*, group: Group | None, user) -> dict:
    if (group is None) == (user is None):
        raise ValueError("give exactly one of group and user")
    return {"group": group} if group is not None else {"user": user}


def _access_explicit(*, collection: Collection, actor) -> CollectionAccess:
    """The collection's access row, created (and audited as ``access.open_set``) on the first explicit
    change. A collection open by default (``ACCESS_OPEN_COLLECTIONS``) stays open to everyone signed in."""
    access, created = CollectionAccess.objects.select_for_update().get_or_create(
        collection=collection, defaults={"all_signed_in": collection.slug in settings.ACCESS_OPEN_COLLECTIONS})
    if created:
        audit_append(event_type=Event.ACCESS_OPEN_SET, actor=actor, target_type="collection", target_id=collection.pk,
                     details={"collection": collection.slug, "all_signed_in": access.all_signed_in})
    return access


def _role_row(*, collection: Collection, holder: dict) -> CollectionRole | None:
    return CollectionRole.objects.select_for_update().filter(collection=collection, **holder).order_by("pk").first()


def collection_role_grant(*, collection: Collection, role: str, actor, group: Group | None = None,
                          user=None) -> CollectionRole:
    """Give ``group`` or ``user`` (exactly one) ``role`` on ``collection``, replacing its previous role.

    Audited as ``access.role_granted`` (``{"collection", "holder", "role", "previous"}``) unless
    the role was already that one. The collection's access becomes explicit (a collection open
    by ``ACCESS_OPEN_COLLECTIONS`` stays open). Raises PermissionRefused (403) when ``actor`` is a
    user who is not manager of the collection, ValueError for an unknown role or holder.
    """
    role = CollectionRole.Role(role)
    holder = _holder(group=group, user=user)
    _may_manage(collection=collection, actor=actor)
    with transaction.atomic():
        _access_explicit(collection=collection, actor=actor)
        existing = _role_row(collection=collection, holder=holder)
        previous = existing.role if existing else None
        if existing is None:
            existing = CollectionRole(collection=collection, **holder)
        existing.role = role
        existing.granted_by = actor if not isinstance(actor, str) else None
        existing.save()
        if previous != role:
            audit_append(event_type=Event.ACCESS_ROLE_GRANTED, actor=actor, target_type="collection",
                         target_id=collection.pk, details={"collection": collection.slug, "holder": existing.holder,
                                                           "role": role.value, "previous": previous})
    return existing


def collection_role_revoke(*, collection: Collection, actor, group: Group | None = None, user=None) -> bool:
    """Take ``group``'s or ``user``'s role on ``collection`` away; audited as ``access.role_revoked``.
    Returns whether there was a role. Raises like :func:`collection_role_grant`."""
    holder = _holder(group=group, user=user)
    _may_manage(collection=collection, actor=actor)
    with transaction.atomic():
        existing = _role_row(collection=collection, holder=holder)
        if existing is None:
            return False
        name, role = existing.holder, existing.role
        existing.delete()
        audit_append(event_type=Event.ACCESS_ROLE_REVOKED, actor=actor, target_type="collection",
                     target_id=collection.pk, details={"collection": collection.slug, "holder": name, "role": role})
    return True


def collection_open_set(*, collection: Collection, all_signed_in: bool, actor) -> CollectionAccess:
    """Whether everyone signed in may read ``collection``; audited as ``access.open_set`` when it
    changes (or when its access becomes explicit). Raises like :func:`collection_role_grant`."""
    _may_manage(collection=collection, actor=actor)
    with transaction.atomic():
        access = _access_explicit(collection=collection, actor=actor)
        if access.all_signed_in != all_signed_in:
            access.all_signed_in = all_signed_in
            access.save()
            audit_append(event_type=Event.ACCESS_OPEN_SET, actor=actor, target_type="collection",
                         target_id=collection.pk, details={"collection": collection.slug,
                                                           "all_signed_in": all_signed_in})
    return access


def collection_access_set(*, collection: Collection, groups: Sequence[Group] = (), all_signed_in: bool = False,
                          actor=ACTOR_SYSTEM) -> CollectionAccess:
    """Replace which groups may read ``collection`` (and whether everyone signed in may), audited.

    Each group in ``groups`` keeps its role, or becomes ``reader``; every other group's role
    on the collection is revoked. Roles of single users are left alone. Raises like
    :func:`collection_role_grant`.
    """
    with transaction.atomic():
        access = collection_open_set(collection=collection, all_signed_in=all_signed_in, actor=actor)
        wanted = {g.pk for g in groups}
        for row in CollectionRole.objects.filter(collection=collection, group__isnull=False).select_related("group"):
            if row.group_id not in wanted:
                collection_role_revoke(collection=collection, group=row.group, actor=actor)
        have = set(CollectionRole.objects.filter(collection=collection, group__in=groups)
                   .values_list("group_id", flat=True))
        for group in groups:
            if group.pk not in have:
                collection_role_grant(collection=collection, role=CollectionRole.Role.READER, group=group, actor=actor)
    return access


# --------------------------------------------------------------------- approver, auditor, groups
def _role_group(role: GlobalRole) -> Group:
    """The group that carries ``role``'s permission, created with it if missing."""
    from django.contrib.auth.models import Permission

    app_label, codename = role.permission.split(".")
    group, _ = Group.objects.get_or_create(name=role.group)
    group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return group


def global_role_set(*, user, role: GlobalRole, granted: bool, actor) -> bool:
    """Add ``user`` to (or remove them from) ``role``'s group; audited as ``access.permission_granted``
    or ``access.permission_revoked``. Returns whether membership changed.

    Only a superuser (or an operator's string actor) may hand out approver and auditor:
    raises PermissionRefused otherwise.
    """
    if not isinstance(actor, str) and not (actor.is_active and actor.is_superuser):
        raise PermissionRefused(f"only a superuser may grant or revoke the {role.name} role")
    with transaction.atomic():
        group = _role_group(role)
        member = user.groups.filter(pk=group.pk).exists()
        if member == granted:
            return False
        (user.groups.add if granted else user.groups.remove)(group)
        audit_append(event_type=Event.ACCESS_PERMISSION_GRANTED if granted else Event.ACCESS_PERMISSION_REVOKED,
                     actor=actor, target_type="user", target_id=user.pk,
                     details={"user": user.get_username(), "role": role.name, "permission": role.permission})
    return True


def admin_change_record(*, holder, kind: str, before: set[str], after: set[str], actor) -> None:
    """Audit what the Django admin saved itself, in its transaction: ``kind`` "groups" (a user's
    group names: ``access.groups_changed``) or "permissions" (a user's or group's permissions as
    ``app.codename``: ``access.permission_granted`` for those added, ``_revoked`` for those removed)."""
    name = f"group:{holder.name}" if isinstance(holder, Group) else f"user:{holder.get_username()}"
    target = {"target_type": "group" if isinstance(holder, Group) else "user", "target_id": holder.pk}
    if kind == "groups" and after != before:
        audit_append(event_type=Event.ACCESS_GROUPS_CHANGED, actor=actor, **target, details={
            "holder": name, "source": "admin", "added": sorted(after - before), "removed": sorted(before - after)})
    elif kind == "permissions":
        for event, changed in ((Event.ACCESS_PERMISSION_GRANTED, after - before),
                               (Event.ACCESS_PERMISSION_REVOKED, before - after)):
            if changed:
                audit_append(event_type=event, actor=actor, **target,
                             details={"holder": name, "source": "admin", "permissions": sorted(changed)})


def user_groups_sync(*, user, group_names: list[str]) -> list[str]:
    """Make ``user``'s groups exactly the existing groups named in ``group_names`` (SSO sign-in);
    return the names applied (unknown names are ignored, not created).

    The groups that carry approver and auditor are never taken from claims: membership in
    them is kept as it is. A change is audited as ``access.groups_synced`` (actor ``system``;
    added, removed, and how many claimed names matched no group)."""
    from rag.access.roles import GLOBAL_ROLES

    reserved = {r.group for r in GLOBAL_ROLES.values()}
    with transaction.atomic():
        before = set(user.groups.values_list("name", flat=True))
        groups = list(Group.objects.filter(name__in=group_names).exclude(name__in=reserved))
        kept = list(user.groups.filter(name__in=reserved))
        user.groups.set(groups + kept)
        after = {g.name for g in groups + kept}
        if after != before:
            unknown = set(group_names) - {g.name for g in groups}
            audit_append(event_type=Event.ACCESS_GROUPS_SYNCED, actor=ACTOR_SYSTEM, target_type="user",
                         target_id=user.pk, details={"user": user.get_username(), "source": "oidc",
                                                     "added": sorted(after - before), "removed": sorted(before - after),
                                                     "unknown_claimed": len(unknown)})
    return sorted(g.name for g in groups)
