"""Reads for access control: a principal's role on each collection, and token lookup.

A *principal* is a Django user (session or basic auth) or an API token. For a
token the user is anonymous and only the token's own collections count.
``None`` in a return value means "every collection" (superusers, tokens with
``all_collections``); an empty list means "none".

Roles rank ``reader`` < ``contributor`` < ``manager``; a user's role on a collection
is the highest one granted to them or to one of their groups, ``reader`` when the
collection is open to everyone signed in. ``is_staff`` adds nothing. A superuser is
manager everywhere (Django's "every permission"). A token's role on its own
collections follows its scopes: ``query`` reads, ``ingest`` contributes, ``admin`` manages.
"""
from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet

from ingest.models import Collection
from rag.access.models import ROLE_RANK, APIToken, CollectionAccess, CollectionRole
from rag.core.errors import NotFound

Role = CollectionRole.Role


def _user_active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _token_role(token: APIToken) -> str:
    if APIToken.Scope.ADMIN in token.scopes:
        return Role.MANAGER
    return Role.CONTRIBUTOR if APIToken.Scope.INGEST in token.scopes else Role.READER


def collection_ids_with_role(*, user, token: APIToken | None = None, role: str = Role.READER) -> list[int] | None:
    """Ids of the collections on which the principal holds ``role`` or a higher one; None for all.

    Users: their own and their groups' :class:`CollectionRole` rows; for ``reader``
    also collections open to everyone signed in, and the ``ACCESS_OPEN_COLLECTIONS``
    slugs without an access row. Superusers: all. Staff: like anyone else.
    Anonymous and inactive users: none. Tokens: their collections (or all with
    ``all_collections``) if their scopes reach ``role``, else none.
    """
    needed = ROLE_RANK[Role(role)]
    if token is not None:
        if ROLE_RANK[_token_role(token)] < needed:
            return []
        return None if token.all_collections else sorted(token.collections.values_list("id", flat=True))
    if not _user_active(user):
        return []
    if user.is_superuser:
        return None
    ranked = [r for r, rank in ROLE_RANK.items() if rank >= needed]
    granted = Q(roles__role__in=ranked) & (Q(roles__user=user) | Q(roles__group__in=user.groups.all()))
    if needed == ROLE_RANK[Role.READER]:
        granted |= Q(access__all_signed_in=True) | Q(access__isnull=True, slug__in=settings.ACCESS_OPEN_COLLECTIONS)
    return sorted(set(Collection.objects.filter(granted).values_list("id", flat=True)))


def collection_ids_readable(*, user, token: APIToken | None = None) -> list[int] | None:
    """Ids of the collections ``user`` (or ``token``) may read; None for all of them.

    The collections where the principal is at least ``reader``
    (:func:`collection_ids_with_role`). Staff read only what they were granted."""
    return collection_ids_with_role(user=user, token=token, role=Role.READER)


def collection_role_get(*, collection_id: int, user, token: APIToken | None = None) -> str | None:
    """The principal's highest role on one collection (a ``CollectionRole.Role`` value), or None."""
    for role in (Role.MANAGER, Role.CONTRIBUTOR, Role.READER):
        ids = collection_ids_with_role(user=user, token=token, role=role)
        if ids is None or collection_id in ids:
            return role
    return None


def collections_readable(*, user, token: APIToken | None = None) -> QuerySet[Collection]:
    """The readable collections, ordered by slug."""
    ids = collection_ids_readable(user=user, token=token)
    qs = Collection.objects.order_by("slug")
    return qs if ids is None else qs.filter(id__in=ids)


def collection_is_readable(*, collection_id: int, user, token: APIToken | None = None) -> bool:
    """Whether the user (or ``token``) may read collection ``collection_id``: one :func:`collection_ids_readable` lookup."""
    ids = collection_ids_readable(user=user, token=token)
    return ids is None or collection_id in ids


def _collection_with_role(role: str, *, slug: str | None, collection_id: int | None, user,
                          token: APIToken | None) -> Collection | None:
    if (slug is None) == (collection_id is None):
        raise TypeError("give exactly one of slug and collection_id")
    collection = Collection.objects.filter(**({"slug": slug} if slug is not None else {"pk": collection_id})).first()
    if collection is None:
        return None
    ids = collection_ids_with_role(user=user, token=token, role=role)
    return collection if ids is None or collection.pk in ids else None


def collection_writable(*, slug: str | None = None, collection_id: int | None = None, user,
                        token: APIToken | None = None) -> Collection | None:
    """The collection (by ``slug`` or ``collection_id``) if the principal may add and replace
    documents in it (``contributor`` or ``manager``; tokens: ``ingest`` or ``admin`` scope and the
    collection among theirs), else None.

    None also when the collection does not exist, so a name does not leak. Raises TypeError
    unless exactly one of ``slug`` and ``collection_id`` is given."""
    return _collection_with_role(Role.CONTRIBUTOR, slug=slug, collection_id=collection_id, user=user, token=token)


def collection_manageable(*, slug: str | None = None, collection_id: int | None = None, user,
                          token: APIToken | None = None) -> Collection | None:
    """The collection if the principal may grant access to it, set its privacy level and delete
    (from) it (``manager``; tokens: ``admin`` scope and the collection among theirs), else None.
    Same arguments and errors as :func:`collection_writable`."""
    return _collection_with_role(Role.MANAGER, slug=slug, collection_id=collection_id, user=user, token=token)


def collection_roles_of(*, collection: Collection) -> QuerySet[CollectionRole]:
    """The role rows of one collection with their group and user, groups first."""
    return collection.roles.select_related("group", "user").order_by("user__username", "group__name")


def collections_managed(*, user) -> list[Collection]:
    """The collections ``user`` manages, by slug, each with ``open_to_all`` (bool: everyone signed in
    reads it, explicitly or as an ``ACCESS_OPEN_COLLECTIONS`` default) and ``role_rows`` (its roles)."""
    ids = collection_ids_with_role(user=user, role=Role.MANAGER)
    qs = Collection.objects.order_by("slug").prefetch_related("roles__group", "roles__user")
    collections = list(qs if ids is None else qs.filter(pk__in=ids))
    open_ids = set(CollectionAccess.objects.filter(all_signed_in=True).values_list("collection_id", flat=True))
    explicit = set(CollectionAccess.objects.values_list("collection_id", flat=True))
    for c in collections:
        c.open_to_all = c.pk in open_ids or (c.pk not in explicit and c.slug in settings.ACCESS_OPEN_COLLECTIONS)
        c.role_rows = list(c.roles.all())
    return collections


def role_holder_find(*, group_name: str = "", username: str = "") -> dict:
    """``{"group": Group}`` or ``{"user": User}`` named by exactly one of the two arguments.

    Raises NotFound (404) if there is no such group or active user, ValueError if both or neither are given."""
    group_name, username = group_name.strip(), username.strip()
    if bool(group_name) == bool(username):
        raise ValueError("name a group or a user, not both")
    if group_name:
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            raise NotFound(f"no group {group_name!r}")
        return {"group": group}
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotFound(f"no active user {username!r}")
    return {"user": user}


def token_secret_hash(secret: str) -> str:
    """Lower-case hex SHA-256 of the UTF-8 secret, as stored in ``APIToken.secret_sha256``."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def api_token_by_secret(*, secret: str) -> APIToken | None:
    """The token whose secret hashes to the stored value, or None.

    Looked up by hash, so comparing secrets never takes time that depends on how
    many leading characters match."""
    return APIToken.objects.filter(secret_sha256=token_secret_hash(secret)).first()


def api_token_list() -> QuerySet[APIToken]:
    """Every API token, by name, with its collections prefetched (admins only; the caller checks)."""
    return APIToken.objects.prefetch_related("collections").order_by("name")


def collections_creatable(*, user, token: APIToken | None = None) -> bool:
    """Whether the principal may create collections by uploading into a new slug: users with
    the ``ingest.add_collection`` permission (superusers), and ``admin`` tokens valid for all
    collections. Plain staff may not (a new collection has no readers until a manager grants them)."""
    if token is not None:
        return token.all_collections and APIToken.Scope.ADMIN in token.scopes
    return _user_active(user) and user.has_perm("ingest.add_collection")
