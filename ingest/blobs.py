"""Content-addressed file store: ``BLOB_ROOT/<sha256[:2]>/<sha256>``.

Ingestion copies every file here before queueing it, so a worker never depends
on the source path still existing or being unchanged.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings


def blob_path(sha256: str) -> Path:
    """Where the blob of ``sha256`` (64 hex digits) lives; the file may not exist."""
    return Path(settings.BLOB_ROOT) / sha256[:2] / sha256


def blob_put(data: bytes) -> str:
    """Store ``data`` (atomically, idempotently); return its SHA-256 hex digest."""
    digest = hashlib.sha256(data).hexdigest()
    path = blob_path(digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    return digest


def blob_get(sha256: str) -> bytes:
    """Raises FileNotFoundError if the blob is gone."""
    return blob_path(sha256).read_bytes()


def blob_delete(sha256: str) -> bool:
    """Remove the blob if it exists; True if a file was removed. Callers check first that no
    document uses it (:func:`ingest.erasure.blobs_release`)."""
    try:
        blob_path(sha256).unlink()
    except FileNotFoundError:
        return False
    return True
