"""Folder sync: make a collection's path documents match a folder exactly.

One scan (:func:`folder_sync`) compares the folder (local disk, NFS or SMB
mount) with the collection's documents of origin ``path``:

- a new file is registered and queued; a changed file (other SHA-256) is
  queued as a new version (:func:`ingest.services.document_register`);
- a file gone from the folder whose bytes now sit under a new path is a
  rename: the document's ``source`` changes, audited, and nothing is parsed or
  embedded again (content hash, as paperless-ngx recognises duplicates);
- any other file gone from the folder is deleted with its chunks, postings and
  unused bytes, audited (:func:`ingest.erasure.document_delete`).

Uploaded documents (origin ``upload``) in the same collection are left alone.
Hidden files and folders (names starting with ``.``) are skipped, as by
``manage.py ingest``; so is a symbolic link that leads out of the folder
(reported as an error), so whoever may write into a share cannot have the
worker ingest other files of the server. Run it on demand with
``manage.py ingest --sync DIR``, or register the folder as a source
(:mod:`ingest.sources`) for Celery beat to scan it on a schedule.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ingest.erasure import document_delete
from ingest.models import Collection, Document
from ingest.services import document_register
from rag.audit.models import AuditEvent
from rag.audit.services import ACTOR_SYSTEM, audit_append

_READ_CHUNK = 1 << 20


@dataclass
class SyncReport:
    """What one scan did: ``counts`` maps ``created``/``changed`` (a replacement included)/``unchanged``/
    ``requeued``/``rejected``/``renamed``/``deleted`` to numbers of files; ``pending`` are
    the ids queued for the worker; ``errors`` are ``(path, reason)`` for files that could not be read."""

    counts: Counter = field(default_factory=Counter)
    pending: set[int] = field(default_factory=set)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        """``"2 created, 1 deleted, 1 renamed"`` (sorted by action), or ``"nothing to do"``."""
        return ", ".join(f"{n} {a}" for a, n in sorted(self.counts.items()) if n) or "nothing to do"


def folder_files(root: Path) -> tuple[dict[str, Path], list[str]]:
    """Regular files under ``root`` by POSIX path relative to it, hidden ones skipped, and the
    relative paths of symbolic links that lead outside ``root`` (skipped too)."""
    files, outside = {}, []
    real_root = root.resolve()
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(real_root):
            outside.append(relative.as_posix())
            continue
        files[relative.as_posix()] = path
    return files, outside


def folder_sync(*, collection: Collection, root: Path, actor=ACTOR_SYSTEM) -> SyncReport:
    """Scan ``root`` once and make ``collection``'s path documents match it (see the module doc).

    ``actor`` is recorded on rename and delete audit rows. Returns a :class:`SyncReport`.
    Raises ``FileNotFoundError`` if ``root`` is not a directory (a mount that is down must
    not look like a folder whose files were all deleted).
    """
    if not root.is_dir():
        raise FileNotFoundError(f"{root} is not a folder (is the share mounted?)")
    report = SyncReport()
    files, outside = folder_files(root)
    report.errors.extend((source, "symbolic link to outside the folder; not read") for source in outside)
    digests: dict[str, str] = {}
    for source, path in files.items():
        try:
            digests[source] = _sha256(path)
        except OSError as exc:
            report.errors.append((source, f"cannot read: {exc.strerror or exc}"))
    documents = {d.source: d for d in Document.objects.filter(collection=collection, origin=Document.Origin.PATH,
                                                               is_replacement=False)}
    gone = {source: doc for source, doc in documents.items() if source not in files}
    arrived = {source: sha for source, sha in digests.items() if source not in documents}
    by_digest: dict[str, list[str]] = {}
    for source, sha in sorted(arrived.items()):
        by_digest.setdefault(sha, []).append(source)
    for old_source, doc in sorted(gone.items()):
        candidates = by_digest.get(doc.sha256)
        if candidates:
            new_source = candidates.pop(0)
            document_rename(document=doc, source=new_source, actor=actor)
            report.counts["renamed"] += 1
            del gone[old_source]
            del digests[new_source]
    for source, sha in digests.items():
        try:
            with files[source].open("rb") as handle:  # one byte over the limit is enough to refuse it
                data = handle.read(settings.INGEST_MAX_UPLOAD_BYTES + 1)
        except OSError as exc:
            report.errors.append((source, f"cannot read: {exc.strerror or exc}"))
            continue
        registration = document_register(collection=collection, source=source, data=data)
        # Whoever syncs a folder sees a replacement (the ready version serves until the new one is) as a change.
        report.counts["changed" if registration.action == "replacement" else registration.action] += 1
        if registration.action in ("created", "changed", "requeued", "replacement"):
            report.pending.add(registration.document.pk)
    for doc in gone.values():
        if document_delete(document=doc, actor=actor):
            report.counts["deleted"] += 1
    return report


def document_rename(*, document: Document, source: str, actor=ACTOR_SYSTEM) -> Document:
    """Move ``document`` (and its pending replacement) to ``source`` without re-parsing or
    re-embedding; audited as ``document.registered`` with ``action: "renamed"``.
    Returns the updated current row."""
    with transaction.atomic():
        rows = list(Document.objects.select_for_update()
                    .filter(collection_id=document.collection_id, source=document.source))
        for row in rows:
            audit_append(event_type=AuditEvent.EventType.DOCUMENT_REGISTERED, actor=actor, target_type="document",
                         target_id=row.pk, details={"action": "renamed", "from_source": row.source,
                                                    "source": source, "sha256": row.sha256,
                                                    "collection": row.collection_id})
        Document.objects.filter(pk__in=[row.pk for row in rows]).update(source=source)
    document.source = source
    return document


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_READ_CHUNK):
            digest.update(block)
    return digest.hexdigest()
