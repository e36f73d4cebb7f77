"""Reads for access control: which collections a principal may read, and token lookup.

A *principal* is a Django user (session or basic auth) or an API token. For a
token the user is anonymous and only the token's own collections count.
``None`` in a return value means "every collection" (staff, superusers, tokens
with ``all_collections``); an empty list means "none".
"""
from __future__ import annotations

import hashlib

from django.conf import settings
from django.db.models import Q, QuerySet

from ingest.models import Collection
from rag.access.models import APIToken


def collection_ids_readable(*, user, token: APIToken | None = None) -> list[int] | None:
    """Ids of the collections ``user`` (or ``token``) may read; None for all of them.

    Users: staff and superusers read all; others read the collections granted to
    one of their groups or to everyone signed in, plus the slugs listed in
    ``ACCESS_OPEN_COLLECTIONS`` that have no explicit access row. Anonymous: none.
    Tokens: their ``collections``, or all with ``all_collections``. Inactive
    users and tokens read nothing (the caller refuses them earlier anyway).
    """
    if token is not None:
        if token.all_collections:
            return None
        return sorted(token.collections.values_list("id", flat=True))
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser or user.is_staff:
        return None
    granted = (
        Q(access__all_signed_in=True)
        | Q(access__groups__in=user.groups.all())
        | Q(access__isnull=True, slug__in=settings.ACCESS_OPEN_COLLECTIONS)
    )
    return sorted(set(Collection.objects.filter(granted).values_list("id", flat=True)))


def collections_readable(*, user, token: APIToken | None = None) -> QuerySet[Collection]:
    """The readable collections, ordered by slug."""
    ids = collection_ids_readable(user=user, token=token)
    qs = Collection.objects.order_by("slug")
    return qs if ids is None else qs.filter(id__in=ids)


def collection_is_readable(*, collection_id: int, user, token: APIToken | None = None) -> bool:
    ids = collection_ids_readable(user=user, token=token)
    return ids is None or collection_id in ids


def token_secret_hash(secret: str) -> str:
    """Lower-case hex SHA-256 of the UTF-8 secret, as stored in ``APIToken.secret_sha256``."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def api_token_by_secret(*, secret: str) -> APIToken | None:
    """The token whose secret hashes to the stored value, or None.

    Looked up by hash, so comparing secrets never takes time that depends on how
    many leading characters match."""
    return APIToken.objects.filter(secret_sha256=token_secret_hash(secret)).first()


def api_token_list() -> QuerySet[APIToken]:
    return APIToken.objects.prefetch_related("collections").order_by("name")


def collection_writable(*, slug: str, user, token: APIToken | None = None) -> Collection | None:
    """The collection ``slug`` if the principal may add documents to it, else None.

    Whoever may read a collection may add to it (tokens also need the ``ingest``
    scope, checked by the view). A collection that exists but is unreadable gives
    None, exactly like one that does not exist, so its name does not leak."""
    collection = Collection.objects.filter(slug=slug).first()
    if collection is None or not collection_is_readable(collection_id=collection.pk, user=user, token=token):
        return None
    return collection


def collections_creatable(*, user, token: APIToken | None = None) -> bool:
    """Whether the principal may create collections by uploading into a new slug:
    staff users, and ``admin`` tokens valid for all collections."""
    if token is not None:
        return token.all_collections and APIToken.Scope.ADMIN in token.scopes
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)
