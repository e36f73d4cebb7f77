"""Content-addressed store of every ingested file's bytes, keyed by SHA-256.

Ingestion stores each file here before queueing it, so a worker never depends
on the source path still existing or being unchanged. Where the bytes live is
``settings.BLOB_STORE``:

- ``"database"`` (default): a :class:`ingest.models.Blob` row (PostgreSQL
  ``bytea``). Any worker on any machine that reaches the database can process
  any document, with no shared volume; and a blob is written in the same
  transaction as the document row that needs it (rolled back together).
- ``"filesystem"``: ``BLOB_ROOT/<sha256[:2]>/<sha256>`` on local disk. Every
  process that registers or processes documents must then share that directory
  (one host, or a shared volume).

``manage.py blobs_migrate`` copies the files of a filesystem store into the
database. Callers serialize puts and deletes of one digest with
:func:`ingest.erasure.blob_lock`.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ingest.models import Blob, Document

DATABASE = "database"
FILESYSTEM = "filesystem"


def blob_path(sha256: str) -> Path:
    """Where the filesystem store keeps the blob of ``sha256`` (64 hex digits); the file may not exist.
    Meaningful only with ``BLOB_STORE=filesystem`` (and for ``blobs_migrate``)."""
    return Path(settings.BLOB_ROOT) / sha256[:2] / sha256


def blob_put(data: bytes) -> str:
    """Store ``data`` idempotently (a file atomically, or a row that is kept if already there);
    return its SHA-256 hex digest. In the database store the row is part of the caller's transaction."""
    digest = hashlib.sha256(data).hexdigest()
    if settings.BLOB_STORE == DATABASE:
        Blob.objects.bulk_create([Blob(sha256=digest, data=data, size_bytes=len(data))], ignore_conflicts=True)
        return digest
    path = blob_path(digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    return digest


def blob_get(sha256: str) -> bytes:
    """The stored bytes of ``sha256``. Raises FileNotFoundError if the blob is gone (either store)."""
    if settings.BLOB_STORE == DATABASE:
        data = Blob.objects.filter(sha256=sha256).values_list("data", flat=True).first()
        if data is None:
            raise FileNotFoundError(f"blob {sha256} is not stored")
        return bytes(data)
    return blob_path(sha256).read_bytes()


def blob_exists(sha256: str) -> bool:
    """Whether the blob of ``sha256`` is stored."""
    if settings.BLOB_STORE == DATABASE:
        return Blob.objects.filter(sha256=sha256).exists()
    return blob_path(sha256).exists()


def blob_delete(sha256: str) -> bool:
    """Remove the blob if it exists; True if one was removed. Callers check first that no
    document uses it (:func:`ingest.erasure.blobs_release`)."""
    if settings.BLOB_STORE == DATABASE:
        deleted, _ = Blob.objects.filter(sha256=sha256).delete()
        return deleted > 0
    try:
        blob_path(sha256).unlink()
    except FileNotFoundError:
        return False
    return True


@dataclass(frozen=True)
class BlobsMigrated:
    """What :func:`blobs_migrate` did, in blobs (distinct SHA-256s used by documents): ``copied``
    into the database, ``present`` there already, ``absent`` from both stores (files refused at
    registration are never stored), ``corrupt`` files whose bytes do not hash to their name (left
    alone), and ``files_deleted`` from ``BLOB_ROOT``."""

    copied: int
    present: int
    absent: int
    corrupt: list[str]
    files_deleted: int


def blobs_migrate(*, delete_files: bool = False) -> BlobsMigrated:
    """Copy the filesystem store (``BLOB_ROOT``) into the database store: each blob that a document
    still uses, verified against its SHA-256, one transaction per blob under its advisory lock (a
    concurrent deletion either runs first, and the blob is not copied, or after, and removes it).
    Files no document uses are not copied (erased documents stay erased). Idempotent, whatever
    ``BLOB_STORE`` is set to; with ``delete_files`` each file is removed once its row is committed."""
    from ingest.erasure import blob_lock  # ingest.erasure imports this module

    copied = present = absent = deleted = 0
    corrupt: list[str] = []
    for sha in sorted(set(Document.objects.values_list("sha256", flat=True))):
        path = blob_path(sha)
        with transaction.atomic():
            blob_lock(sha)
            if Blob.objects.filter(sha256=sha).exists():
                present += 1
            elif not Document.objects.filter(sha256=sha).exists():
                continue  # deleted meanwhile
            elif not path.exists():
                absent += 1
                continue
            else:
                data = path.read_bytes()
                if hashlib.sha256(data).hexdigest() != sha:
                    corrupt.append(sha)
                    continue
                Blob.objects.create(sha256=sha, data=data, size_bytes=len(data))
                copied += 1
        if delete_files and path.exists():
            path.unlink()
            deleted += 1
    return BlobsMigrated(copied=copied, present=present, absent=absent, corrupt=corrupt, files_deleted=deleted)
