"""Deleting documents and collections: the basis of right-to-erasure.

A deletion removes, in one transaction with its audit row: the document rows (a
document's pending replacement goes with it), their chunks (``ON DELETE
CASCADE``), and with the chunks their BM25 postings and statistics
(:mod:`rag.search.models`: cascades and triggers in the database). After commit
the stored bytes (:mod:`ingest.blobs`) are removed when no remaining document
uses them (content addressing: two documents may share one blob).

Blob removal and :func:`ingest.services.document_register` serialize on a
per-blob advisory lock (:func:`blob_lock`), so a file registered while its bytes
are being released either keeps them or stores them again; never a document
whose blob is gone.

Questions keep their stored answers; pages hide citations of documents that are
gone or unreadable (:mod:`rag.ui.selectors`).
"""
from __future__ import annotations

from django.db import connection, transaction

from ingest.blobs import blob_delete
from ingest.models import Chunk, Collection, Document
from rag.access.models import APIToken
from rag.access.selectors import collection_is_readable, collection_manageable, collections_readable
from rag.audit.models import AuditEvent
from rag.audit.services import ACTOR_SYSTEM, actor_token, audit_append
from rag.core.errors import NotFound, PermissionRefused

# First key of pg_advisory_xact_lock(int, int) for blobs; the second is 32 bits of the SHA-256.
BLOB_LOCK_SPACE = 0x626C6F62  # "blob"


class DeletionRefused(PermissionRefused):
    """The caller may read the document or collection but is not its manager:
    403 ``not_collection_manager``; the message is user-facing."""

    code = "not_collection_manager"


def actor_of(*, user, token: APIToken | None):
    """The audit actor of a request: ``token:<name>`` for an API token, else the signed-in
    user (stored as username and pk), else ``"system"`` (management commands)."""
    if token is not None:
        return actor_token(token.name)
    if getattr(user, "is_authenticated", False):
        return user
    return ACTOR_SYSTEM


def blob_lock(sha256: str) -> None:
    """Hold the blob's advisory lock until the current transaction ends (call inside one)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                       [BLOB_LOCK_SPACE, int(sha256[:8], 16) - 2**31])


def blobs_release(sha256s: set[str]) -> None:
    """After the current transaction commits, delete each blob that no document uses any more."""
    def release() -> None:
        for sha in sorted(sha256s):
            with transaction.atomic():
                blob_lock(sha)
                if not Document.objects.filter(sha256=sha).exists():
                    blob_delete(sha)

    if sha256s:
        transaction.on_commit(release)


def document_delete(*, document: Document, actor=ACTOR_SYSTEM) -> list[int]:
    """Delete ``document`` (and, if it is the current version, its pending replacement) with their
    chunks and postings, audited (``document.deleted``, one row per document, by ``actor``: a user,
    ``token:<name>`` or ``"system"``) in one transaction; their blobs go after commit when unused.

    No permission check: callers decide (:func:`document_remove` for requests, the ``ingest --prune``
    command for operators). Returns the ids deleted (empty if the document was already gone)."""
    with transaction.atomic():
        rows = list(Document.objects.select_for_update()
                    .filter(collection_id=document.collection_id, source=document.source).order_by("is_replacement"))
        target = next((d for d in rows if d.pk == document.pk), None)
        if target is None:
            return []
        doomed = [d for d in rows if d.pk == target.pk or (not target.is_replacement and d.is_replacement)]
        for doc in doomed:
            audit_append(event_type=AuditEvent.EventType.DOCUMENT_DELETED, actor=actor, target_type="document",
                         target_id=doc.pk, details={
                             "source": doc.source, "collection": doc.collection_id, "sha256": doc.sha256,
                             "chunks": doc.chunks.count(), "replacement": doc.is_replacement})
        Document.objects.filter(pk__in=[d.pk for d in doomed]).delete()
        blobs_release({d.sha256 for d in doomed})
    return [d.pk for d in doomed]


def document_remove(*, document_id: int, user, token: APIToken | None = None) -> list[int]:
    """Delete a document on request of ``user`` or API ``token`` (see :func:`document_delete`).

    The caller must manage the document's collection
    (:func:`rag.access.selectors.collection_manageable`). Returns the ids deleted.

    Raises:
        NotFound: 404, no such document, or one the caller may not read (not told apart).
        DeletionRefused: 403, the caller reads the collection but does not manage it.
    """
    document = Document.objects.filter(pk=document_id).first()
    if document is None or not collection_is_readable(collection_id=document.collection_id, user=user, token=token):
        raise NotFound("no such document")
    if collection_manageable(collection_id=document.collection_id, user=user, token=token) is None:
        raise DeletionRefused("only a manager of this collection may delete its documents")
    return document_delete(document=document, actor=actor_of(user=user, token=token))


def collection_delete(*, slug: str, user, token: APIToken | None = None) -> dict:
    """Delete collection ``slug`` with all its documents, chunks, postings, access rows and unused
    blobs, audited (one ``collection.deleted`` row by the caller, listing the document ids), in one
    transaction. The caller must manage the collection.

    Returns ``{"collection": slug, "documents": int, "chunks": int}``.

    Raises:
        NotFound: 404, no such collection, or one the caller may not read.
        DeletionRefused: 403, the caller reads the collection but does not manage it.
    """
    readable = collections_readable(user=user, token=token).filter(slug=slug).first()
    if readable is None:
        raise NotFound("no such collection")
    if collection_manageable(slug=slug, user=user, token=token) is None:
        raise DeletionRefused("only a manager of this collection may delete it")
    with transaction.atomic():
        collection = Collection.objects.select_for_update().filter(pk=readable.pk).first()
        if collection is None:
            raise NotFound("no such collection")
        documents = list(Document.objects.select_for_update().filter(collection=collection)
                         .order_by("pk").values_list("pk", "sha256"))
        chunks = Chunk.objects.filter(document__collection=collection).count()
        audit_append(event_type=AuditEvent.EventType.COLLECTION_DELETED, actor=actor_of(user=user, token=token),
                     target_type="collection", target_id=collection.pk, details={
                         "slug": collection.slug, "documents": len(documents), "chunks": chunks,
                         "document_ids": [pk for pk, _ in documents]})
        Chunk.objects.filter(document__collection=collection).delete()
        Document.objects.filter(collection=collection).delete()
        collection.delete()
        blobs_release({sha for _, sha in documents})
    return {"collection": slug, "documents": len(documents), "chunks": chunks}
