"""Writes for ingestion: registering files, running the pipeline, failing cleanly.

Pipeline per document (paperless-ngx style small steps):
``queued → parsing → embedding → ready | failed``. Chunks are swapped in one
transaction at the end, so readers see either the old chunks or the new ones,
never a half-ingested document. Re-running after a crash gives the same result.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from ingest.blobs import blob_get, blob_put
from ingest.erasure import actor_of, blob_lock, blobs_release, document_delete  # noqa: F401 (document_delete: callers import it here)
from ingest.models import Chunk, Collection, Document
from ingest.signals import chunks_stored
from rag.access.models import APIToken
from rag.access.selectors import collection_is_readable, collection_writable, collections_creatable
from rag.audit.models import AuditEvent
from rag.audit.services import audit_append
from rag.core.errors import Conflict, DomainError, PermissionRefused

logger = logging.getLogger(__name__)

DEFAULT_COLLECTION = "default"


class UploadRefused(DomainError):
    """An upload :func:`document_upload` refuses; the message is user-facing. Subclasses carry the
    API code and HTTP status (rendered by :func:`rag.core.api.exception_handler`)."""


class UploadNameInvalid(UploadRefused):
    """The file name holds a NUL character: 400 ``invalid_file_name``."""

    code = "invalid_file_name"


class UploadTooLarge(UploadRefused):
    """The file is over ``INGEST_MAX_UPLOAD_BYTES``: 413 ``file_too_large`` (nothing is recorded)."""

    code = "file_too_large"
    http_status = 413


class UploadCollectionUnknown(UploadRefused):
    """No collection of that slug the caller may add documents to (or it does not exist and the
    caller may not create one; not told apart): 400 ``unknown_collection``."""

    code = "unknown_collection"


class UploadUnsupported(UploadRefused):
    """Unsupported file type: 415 ``unsupported_file``. The document is recorded as ``failed``
    with the reason (committed before this is raised); ``document`` is that row."""

    code = "unsupported_file"
    http_status = 415

    def __init__(self, message: str, *, document: Document, **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.document = document


class DocumentNotRequeueable(Conflict):
    """Only a failed document can be re-run: 409 ``document_not_requeueable``; the message is user-facing."""

    code = "document_not_requeueable"


@dataclass(frozen=True)
class Registration:
    """What :func:`document_register` did with a file: the document row and the action taken."""

    document: Document
    # "created" | "changed" (a document not serving yet, updated in place) | "replacement" (a new
    # version of a ready document, processed beside it) | "unchanged" | "requeued" | "rejected"
    action: str


class DocumentWriteRefused(PermissionRefused):
    """The caller may read the document but may not add to or replace documents of its collection:
    403 ``not_collection_contributor``; the message is user-facing."""

    code = "not_collection_contributor"


def collection_get_or_create(*, slug: str = DEFAULT_COLLECTION) -> Collection:
    """The collection ``slug``, created (named after the slug) if missing. Callers decide who may create."""
    collection, _ = Collection.objects.get_or_create(slug=slug, defaults={"name": slug.replace("-", " ").title()})
    return collection


def _enqueue(document_id: int) -> None:
    from ingest.pipeline import document_enqueue  # batched inside ingest.pipeline.ingest_batched

    document_enqueue(document_id)


def _refusal(source: str, size: int) -> str:
    """Why a file cannot be ingested at all ("" if it can): too large, or an unsupported type."""
    from ingest.parsers import SUPPORTED_EXTENSIONS

    if size > settings.INGEST_MAX_UPLOAD_BYTES:
        return f"file too large: {size} bytes > limit {settings.INGEST_MAX_UPLOAD_BYTES} bytes"
    if PurePosixPath(source).suffix.lower() not in SUPPORTED_EXTENSIONS:
        return (f"unsupported file type {PurePosixPath(source).suffix or '(no extension)'!r}; "
                f"supported: {', '.join(sorted(SUPPORTED_EXTENSIONS))}")
    return ""


def _target(collection: Collection, source: str) -> tuple[Document | None, Document | None]:
    """Lock and return (current, replacement) rows of ``source``, current first (the lock order
    :func:`document_process` and :func:`ingest.erasure.document_delete` use too)."""
    rows = list(Document.objects.select_for_update().filter(collection=collection, source=source)
                .order_by("is_replacement"))
    return (next((d for d in rows if not d.is_replacement), None), next((d for d in rows if d.is_replacement), None))


def document_register(*, collection: Collection, source: str, data: bytes, uploaded_by=None,
                      uploaded_by_token: APIToken | None = None,
                      origin: str = Document.Origin.PATH) -> Registration:
    """Register one file for ingestion and queue it, unless it is unchanged; audited.

    ``source`` is the path relative to the ingested folder (POSIX separators) or
    the upload's file name. The bytes are stored content-addressed first. A file
    over ``INGEST_MAX_UPLOAD_BYTES`` or of an unsupported type is recorded as
    ``failed`` with the reason (nothing is silently dropped). ``uploaded_by`` (a
    user) or ``uploaded_by_token`` is stored on the version and is the actor of its
    ``document.registered`` audit row (neither: ``"system"``, a management command).

    Unchanged (same SHA-256 as the version it would replace, ready or failed) → nothing
    happens. A new version of a *ready* document → a replacement row (``is_replacement``)
    is queued while the ready one keeps serving; it takes the ready one's place only when
    its chunks are stored, and a failed replacement leaves the ready one as it was. A
    new version of a document that is not serving (queued, in flight, failed) → that row
    is updated in place (``changed``). No permission check: callers decide
    (:func:`document_upload`).
    """
    import hashlib

    source = str(PurePosixPath(source))
    size = len(data)
    reason = _refusal(source, size)
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        if not reason:
            blob_lock(digest)  # until commit: a concurrent deletion cannot release these bytes
            blob_put(data)
        current, replacement = _target(collection, source)
        serving = current is not None and current.status == Document.Status.READY
        doc = (replacement if serving else current)
        if doc is not None and doc.sha256 == digest and doc.status in (Document.Status.READY, Document.Status.FAILED):
            return Registration(doc, "unchanged")
        if serving and current.sha256 == digest:
            return Registration(current, "unchanged")  # the upload equals the serving version
        if doc is not None and doc.sha256 == digest:
            action = "requeued"  # left mid-pipeline by a crash: run it again
        elif serving:
            action = "replacement"
        else:
            action = "created" if doc is None else "changed"
        doc = doc or Document(collection=collection, source=source, privacy_level=collection.privacy_level,
                              is_replacement=serving)
        doc.origin = origin
        doc.title = doc.title or (current.title if serving else "") or PurePosixPath(source).name
        doc.media_type = doc.media_type or "application/octet-stream"
        doc.sha256 = digest
        doc.size_bytes = size
        doc.uploaded_by, doc.uploaded_by_token = uploaded_by, uploaded_by_token
        doc.started_at = None
        doc.finished_at = timezone.now() if reason else None
        doc.status = Document.Status.FAILED if reason else Document.Status.QUEUED
        doc.error = reason
        doc.save()
        audit_append(event_type=AuditEvent.EventType.DOCUMENT_REGISTERED,
                     actor=actor_of(user=uploaded_by, token=uploaded_by_token), target_type="document",
                     target_id=doc.pk, details={
                         "action": "rejected" if reason else action, "source": source,
                         "collection": collection.slug, "sha256": digest, "size_bytes": size, "origin": origin,
                         "replaces": current.pk if serving else None,
                         "replaces_sha256": current.sha256 if serving else None, "reason": reason[:500]})
        if reason:
            return Registration(doc, "rejected")
        _enqueue(doc.pk)
    return Registration(doc, action)


def document_upload(*, collection_slug: str, name: str, data: bytes | File, user,
                    token: APIToken | None) -> Registration:
    """Register an uploaded file in collection ``collection_slug`` for ``user`` (or API ``token``)
    and queue it, as :func:`document_register` does (``origin`` upload; the user or the token is
    stored as uploader and audited as the actor).

    ``name`` is the upload's file name; ``data`` its bytes or a file (its ``size`` is checked
    before it is read). The collection must be one the caller may add to and replace documents
    in (:func:`rag.access.selectors.collection_writable`: contributor); a caller who may create
    collections (:func:`rag.access.selectors.collections_creatable`) creates it by naming a new
    slug. A file named like a ready document is its replacement (see :func:`document_register`).

    Returns the Registration (``action`` created, changed, replacement, unchanged or requeued).

    Raises:
        UploadNameInvalid: 400, the name holds a NUL character.
        UploadTooLarge: 413, more than ``INGEST_MAX_UPLOAD_BYTES`` bytes.
        UploadCollectionUnknown: 400, no such collection the caller may add documents to
            (a reader of the collection gets this too: reading never implies writing).
        UploadUnsupported: 415, the file type is not supported (recorded as a failed document).
    """
    if "\x00" in name:
        raise UploadNameInvalid("the file name must not contain NUL characters")
    size = len(data) if isinstance(data, bytes) else data.size
    if size > settings.INGEST_MAX_UPLOAD_BYTES:
        raise UploadTooLarge(f"file is {size} bytes; the limit is {settings.INGEST_MAX_UPLOAD_BYTES}")
    collection = collection_writable(slug=collection_slug, user=user, token=token)
    if collection is None and collections_creatable(user=user, token=token):
        collection = collection_get_or_create(slug=collection_slug)
    if collection is None:
        raise UploadCollectionUnknown(f"no collection {collection_slug!r} that you may add documents to")
    registration = document_register(collection=collection, source=name,
                                     data=data if isinstance(data, bytes) else data.read(),
                                     uploaded_by=user if token is None and getattr(user, "is_authenticated", False)
                                     else None, uploaded_by_token=token, origin=Document.Origin.UPLOAD)
    if registration.action == "rejected":  # stored as failed, so it stays visible
        raise UploadUnsupported(registration.document.error, document=registration.document)
    return registration


def document_requeue(*, document_id: int, user, token: APIToken | None = None) -> Document:
    """Put a failed document back in the queue (its stored bytes are parsed again), audited with
    ``user`` (or ``token``) as the actor, who must be a contributor of its collection.

    Raises DocumentNotRequeueable (409) if the document is gone, unreadable or not failed
    (re-running a ready or in-flight document would only duplicate work), DocumentWriteRefused
    (403) if the caller may read but not write the collection."""
    with transaction.atomic():
        doc = Document.objects.select_for_update().filter(pk=document_id).first()
        if doc is None or not collection_is_readable(collection_id=doc.collection_id, user=user, token=token) \
                or doc.status != Document.Status.FAILED:
            raise DocumentNotRequeueable(f"document {document_id} is not failed; nothing to re-run")
        if collection_writable(collection_id=doc.collection_id, user=user, token=token) is None:
            raise DocumentWriteRefused("only a contributor of this collection may re-run its documents")
        previous_error = doc.error
        doc.status, doc.error, doc.started_at, doc.finished_at = Document.Status.QUEUED, "", None, None
        doc.save(update_fields=["status", "error", "started_at", "finished_at", "updated_at"])
        audit_append(event_type=AuditEvent.EventType.DOCUMENT_REQUEUED, actor=actor_of(user=user, token=token),
                     target_type="document", target_id=doc.pk,
                     details={"source": doc.source, "sha256": doc.sha256, "previous_error": previous_error[:500]})
        _enqueue(doc.pk)
    return doc


def _status_set(document_id: int, sha256: str, **fields) -> int:
    """Update status fields only if the document still has the bytes we are processing."""
    return Document.objects.filter(pk=document_id, sha256=sha256).update(updated_at=timezone.now(), **fields)


def document_fail(*, document_id: int, sha256: str, reason: str) -> None:
    """Mark failed with a user-facing reason; chunks of an earlier good version are removed
    too so the document never mixes versions."""
    with transaction.atomic():
        if _status_set(document_id, sha256, status=Document.Status.FAILED, error=reason[:4000],
                       finished_at=timezone.now(), chunk_count=0):
            Chunk.objects.filter(document_id=document_id).delete()
            audit_append(event_type=AuditEvent.EventType.DOCUMENT_FAILED, actor="system", target_type="document",
                         target_id=document_id, details={"sha256": sha256, "reason": reason[:500]})


def _swap_rows(doc: Document, sha256: str) -> tuple[Document | None, Document | None]:
    """Lock the rows of ``doc``'s source, current first (the order :func:`document_register` uses).
    Returns (``doc`` still at ``sha256`` or None, the current row it replaces or None)."""
    current, replacement = _target(doc.collection, doc.source)
    locked = next((d for d in (current, replacement) if d is not None and d.pk == doc.pk and d.sha256 == sha256),
                  None)
    return locked, (current if locked is not None and locked.is_replacement else None)


def _current_retire(*, current: Document, replacement: Document) -> None:
    """Delete the serving version ``current`` (its chunks and postings cascade) as ``replacement``
    takes its place, in the caller's swap transaction; audited ``document.replaced`` by whoever
    registered the replacement. Its blob goes after commit if no document uses it."""
    audit_append(event_type=AuditEvent.EventType.DOCUMENT_REPLACED,
                 actor=actor_of(user=replacement.uploaded_by, token=replacement.uploaded_by_token),
                 target_type="document", target_id=replacement.pk, details={
                     "source": current.source, "collection": current.collection_id, "replaced_document_id": current.pk,
                     "replaced_sha256": current.sha256, "sha256": replacement.sha256})
    Document.objects.filter(pk=current.pk).delete()
    blobs_release({current.sha256})


def document_process(*, document_id: int) -> None:
    """Parse, chunk, embed and store one document. Idempotent.

    Exits quietly if the document is gone. Expected failures (corrupt, empty,
    unsupported, no text, a collection embedded in another space) end as ``failed``
    with the reason; anything else ends as ``failed`` with ``internal error: ...``
    and is logged.
    """
    documents_process(document_ids=[document_id])


def documents_process(*, document_ids: list[int]) -> None:
    """Process each document as :func:`document_process` does, with the chunks of all of them
    embedded together (:func:`ingest.pipeline.documents_prepare`: batched across documents,
    sorted by length, vectors of already embedded texts reused). Each document's chunks are
    swapped in its own transaction; one document's failure fails that document only.
    Transient database errors propagate for the task to retry (ready documents are skipped)."""
    from ingest.pipeline import documents_prepare

    batch = documents_prepare(document_ids=document_ids)
    stored_from = time.perf_counter()
    for prepared in batch.documents:
        try:
            _chunks_swap(prepared)
        except Exception as exc:  # the worker must survive anything one file can do
            document_failure_record(document_id=prepared.document.pk, sha256=prepared.sha256, exc=exc)
    # one line per batch: where ingestion time goes (benchmarks/ingest_e2e.py reads these)
    logger.info("ingest batch: documents=%d stored=%d chunks=%d cache_hits=%d parse_ms=%.0f embed_ms=%.0f "
                "store_ms=%.0f", len(document_ids), len(batch.documents), batch.chunks, batch.cache_hits,
                batch.parse_ms, batch.embed_ms, (time.perf_counter() - stored_from) * 1000)


def _chunks_swap(prepared) -> None:
    """Store ``prepared``'s (:class:`ingest.pipeline.Prepared`) chunks in place of the document's
    old ones, or of the version it replaces, in one transaction; mark it ready, audited."""
    doc, sha, document_id = prepared.document, prepared.sha256, prepared.document.pk
    drafts, prefixes, texts = prepared.drafts, prepared.prefixes, prepared.texts
    store_started = time.perf_counter()  # the lock wait counts as storing (Prepared.stage_ms)
    with transaction.atomic():
        locked, replaced = _swap_rows(doc, sha)
        if locked is None:
            return  # deleted, or a newer version arrived; its own task handles it
        if replaced is not None:
            _current_retire(current=replaced, replacement=locked)
        Chunk.objects.filter(document_id=document_id).delete()
        chunks = Chunk.objects.bulk_create(
            Chunk(document_id=document_id, ordinal=d.ordinal, text=d.text,
                  heading_path=" > ".join(d.heading_path)[:1000], embedding_prefix=p,
                  char_start=d.char_start, char_end=d.char_end, page=d.page, token_count=d.token_count,
                  embedding=vec, embedding_space=prepared.space, text_sha256=digest)
            for d, p, vec, digest in zip(drafts, prefixes, prepared.vectors, prepared.digests)
        )
        # Search indexes them here, in this transaction (rag.search connects to the signal);
        # ingest never imports search. ``texts`` are the exact strings just embedded.
        chunks_stored.send(sender=Document, document=locked, chunks=chunks, texts=texts)
        _status_set(document_id, sha, status=Document.Status.READY, chunk_count=len(drafts),
                    finished_at=timezone.now(), error="", is_replacement=False,
                    **prepared.stage_ms(store_started=store_started))
        audit_append(event_type=AuditEvent.EventType.DOCUMENT_INGESTED, actor="system", target_type="document",
                     target_id=document_id,
                     details={"source": locked.source, "collection": locked.collection_id, "sha256": sha,
                              "chunks": len(drafts)})


def document_failure_record(*, document_id: int, sha256: str, exc: Exception) -> None:
    """Fail the document (at ``sha256``) for ``exc``: a parser error or domain error with its
    message, anything else as ``internal error: ...`` (logged). Transient database errors are
    re-raised instead, for the task to retry."""
    from ingest.parsers import ParseError

    if _is_transient(exc):
        raise exc
    if isinstance(exc, (ParseError, DomainError)):
        reason = str(exc)
    else:
        logger.error("ingestion of document %s failed", document_id, exc_info=exc)
        reason = f"internal error: {type(exc).__name__}: {exc}"
    document_fail(document_id=document_id, sha256=sha256, reason=reason)


def _is_transient(exc: Exception) -> bool:
    from django.db import InterfaceError, OperationalError

    return isinstance(exc, (OperationalError, InterfaceError))
