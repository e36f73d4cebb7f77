"""Writes for ingestion: registering files, running the pipeline, failing cleanly.

Pipeline per document (paperless-ngx style small steps):
``queued → parsing → embedding → ready | failed``. Chunks are swapped in one
transaction at the end, so readers see either the old chunks or the new ones,
never a half-ingested document. Re-running after a crash gives the same result.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from ingest.blobs import blob_get, blob_put
from ingest.models import Chunk, Collection, Document
from ingest.signals import chunks_stored
from rag.access.models import APIToken
from rag.access.selectors import collection_writable, collections_creatable
from rag.audit.models import AuditEvent
from rag.audit.services import audit_append
from rag.core.errors import Conflict, DomainError

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
    document: Document
    action: str  # "created" | "changed" | "unchanged" | "requeued" | "rejected"


def collection_get_or_create(*, slug: str = DEFAULT_COLLECTION) -> Collection:
    collection, _ = Collection.objects.get_or_create(slug=slug, defaults={"name": slug.replace("-", " ").title()})
    return collection


def _enqueue(document_id: int) -> None:
    from ingest.tasks import document_ingest_task

    transaction.on_commit(lambda: document_ingest_task.delay(document_id))


def document_register(*, collection: Collection, source: str, data: bytes, uploaded_by=None,
                      origin: str = Document.Origin.PATH) -> Registration:
    """Register one file for ingestion and queue it, unless it is unchanged.

    ``source`` is the path relative to the ingested folder (POSIX separators) or
    the upload's file name. The bytes are stored content-addressed first. A file
    over ``INGEST_MAX_UPLOAD_BYTES`` or of an unsupported type is recorded as
    ``failed`` with the reason (nothing is silently dropped).

    Unchanged (same SHA-256, already ready or failed) → nothing happens.
    Changed → the document goes back to ``queued``; its old chunks keep serving
    answers until the new ones replace them atomically.
    """
    from ingest.parsers import SUPPORTED_EXTENSIONS

    source = str(PurePosixPath(source))
    size = len(data)
    reason = ""
    if size > settings.INGEST_MAX_UPLOAD_BYTES:
        reason = f"file too large: {size} bytes > limit {settings.INGEST_MAX_UPLOAD_BYTES} bytes"
    elif PurePosixPath(source).suffix.lower() not in SUPPORTED_EXTENSIONS:
        reason = (f"unsupported file type {PurePosixPath(source).suffix or '(no extension)'!r}; "
                  f"supported: {', '.join(sorted(SUPPORTED_EXTENSIONS))}")
    import hashlib

    digest = blob_put(data) if not reason else hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        doc = Document.objects.select_for_update().filter(collection=collection, source=source).first()
        if doc is not None and doc.sha256 == digest and doc.status in (Document.Status.READY, Document.Status.FAILED):
            return Registration(doc, "unchanged")
        if doc is not None and doc.sha256 == digest:
            action = "requeued"  # left mid-pipeline by a crash: run it again
        else:
            action = "created" if doc is None else "changed"
        doc = doc or Document(collection=collection, source=source, privacy_level=collection.privacy_level)
        doc.origin = origin
        doc.title = doc.title or PurePosixPath(source).name
        doc.media_type = doc.media_type or "application/octet-stream"
        doc.sha256 = digest
        doc.size_bytes = size
        doc.uploaded_by = uploaded_by or doc.uploaded_by
        doc.started_at = None
        doc.finished_at = timezone.now() if reason else None
        doc.status = Document.Status.FAILED if reason else Document.Status.QUEUED
        doc.error = reason
        doc.save()
        if reason:
            return Registration(doc, "rejected")
        _enqueue(doc.pk)
    return Registration(doc, action)


def document_upload(*, collection_slug: str, name: str, data: bytes | File, user,
                    token: APIToken | None) -> Registration:
    """Register an uploaded file in collection ``collection_slug`` for ``user`` (or API ``token``)
    and queue it, as :func:`document_register` does (``origin`` upload, ``uploaded_by`` the user).

    ``name`` is the upload's file name; ``data`` its bytes or a file (its ``size`` is checked
    before it is read). The collection must be one the caller may write to
    (:func:`rag.access.selectors.collection_writable`); a caller who may create collections
    (:func:`rag.access.selectors.collections_creatable`) creates it by naming a new slug.

    Returns the Registration (``action`` created, changed, unchanged or requeued).

    Raises:
        UploadNameInvalid: 400, the name holds a NUL character.
        UploadTooLarge: 413, more than ``INGEST_MAX_UPLOAD_BYTES`` bytes.
        UploadCollectionUnknown: 400, no such collection the caller may add documents to.
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
                                     uploaded_by=user if getattr(user, "is_authenticated", False) else None,
                                     origin=Document.Origin.UPLOAD)
    if registration.action == "rejected":  # stored as failed, so it stays visible
        raise UploadUnsupported(registration.document.error, document=registration.document)
    return registration


def document_requeue(*, document_id: int, actor) -> Document:
    """Put a failed document back in the queue (its stored bytes are parsed again), audited.

    ``actor`` is the admin who asked. Raises DocumentNotRequeueable (409) if the document is gone
    or not failed (re-running a ready or in-flight document would only duplicate work)."""
    with transaction.atomic():
        doc = Document.objects.select_for_update().filter(pk=document_id).first()
        if doc is None or doc.status != Document.Status.FAILED:
            raise DocumentNotRequeueable(f"document {document_id} is not failed; nothing to re-run")
        previous_error = doc.error
        doc.status, doc.error, doc.started_at, doc.finished_at = Document.Status.QUEUED, "", None, None
        doc.save(update_fields=["status", "error", "started_at", "finished_at", "updated_at"])
        audit_append(event_type=AuditEvent.EventType.DOCUMENT_REQUEUED, actor=actor, target_type="document",
                     target_id=doc.pk, details={"source": doc.source, "sha256": doc.sha256,
                                                "previous_error": previous_error[:500]})
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


def document_process(*, document_id: int) -> None:
    """Parse, chunk, embed and store one document. Idempotent.

    Exits quietly if the document is gone. Expected failures (corrupt, empty,
    unsupported, no text) end as ``failed`` with the parser's reason; anything
    else ends as ``failed`` with ``internal error: ...`` and is logged.
    """
    from ingest.chunking import document_chunk, embedding_prefix, embedding_text_join
    from ingest.embedding import texts_embed, tokenizer_counter
    from ingest.parsers import ParseError, document_parse

    doc = Document.objects.filter(pk=document_id).first()
    if doc is None:
        return
    if doc.status == Document.Status.READY:
        # Already processed at these bytes: a redelivered task or a second dispatch must
        # not take a serving document offline and swap its chunks (their ids are cited).
        # New bytes, requeue and re-embedding set the status back to queued first.
        return
    sha = doc.sha256
    try:
        _status_set(document_id, sha, status=Document.Status.PARSING, started_at=timezone.now(), error="")
        try:
            data = blob_get(sha)
        except FileNotFoundError:
            raise ParseError("stored copy of the file is missing; upload it again")
        parsed = document_parse(data=data, filename=doc.source)
        drafts = document_chunk(parsed=parsed, max_tokens=settings.CHUNK_MAX_TOKENS,
                                overlap_tokens=settings.CHUNK_OVERLAP_TOKENS, token_counter=tokenizer_counter())
        if not drafts:
            raise ParseError("no text to index")
        _status_set(document_id, sha, status=Document.Status.EMBEDDING, media_type=parsed.media_type,
                    title=(parsed.title or doc.title)[:500])
        title = parsed.title or doc.title
        prefixes = [embedding_prefix(title=title, heading_path=d.heading_path) for d in drafts]
        texts = [embedding_text_join(prefix=p, text=d.text) for p, d in zip(prefixes, drafts)]
        vectors = texts_embed(texts)
        with transaction.atomic():
            locked = Document.objects.select_for_update().filter(pk=document_id, sha256=sha).first()
            if locked is None:
                return  # deleted, or a newer version arrived; its own task handles it
            Chunk.objects.filter(document_id=document_id).delete()
            chunks = Chunk.objects.bulk_create(
                Chunk(document_id=document_id, ordinal=d.ordinal, text=d.text,
                      heading_path=" > ".join(d.heading_path)[:1000], embedding_prefix=p,
                      char_start=d.char_start, char_end=d.char_end, page=d.page, token_count=d.token_count,
                      embedding=vec)
                for d, p, vec in zip(drafts, prefixes, vectors)
            )
            # Search indexes them here, in this transaction (rag.search connects to the signal);
            # ingest never imports search. ``texts`` are the exact strings just embedded.
            chunks_stored.send(sender=Document, document=locked, chunks=chunks, texts=texts)
            _status_set(document_id, sha, status=Document.Status.READY, chunk_count=len(drafts),
                        finished_at=timezone.now(), error="")
            audit_append(event_type=AuditEvent.EventType.DOCUMENT_INGESTED, actor="system", target_type="document",
                         target_id=document_id,
                         details={"source": locked.source, "collection": locked.collection_id, "sha256": sha,
                                  "chunks": len(drafts)})
    except ParseError as exc:
        document_fail(document_id=document_id, sha256=sha, reason=str(exc))
    except Exception as exc:  # the worker must survive anything one file can do
        if _is_transient(exc):
            raise  # the task retries these
        logger.exception("ingestion of document %s failed", document_id)
        document_fail(document_id=document_id, sha256=sha, reason=f"internal error: {type(exc).__name__}: {exc}")


def _is_transient(exc: Exception) -> bool:
    from django.db import InterfaceError, OperationalError

    return isinstance(exc, (OperationalError, InterfaceError))


def document_delete(*, document: Document, actor="system") -> None:
    """Delete a document and its chunks (cascade), audited, in one transaction.

    ``actor`` is the user (or "system") who deleted it. The stored blob is kept:
    other documents may share its bytes (content addressing)."""
    with transaction.atomic():
        audit_append(event_type=AuditEvent.EventType.DOCUMENT_DELETED, actor=actor, target_type="document",
                     target_id=document.pk, details={"source": document.source, "sha256": document.sha256,
                                                     "collection": document.collection_id})
        document.delete()
