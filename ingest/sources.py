"""Folder sources: folders registered on a collection and kept in sync on a schedule.

A :class:`ingest.models.FolderSource` is a path (local disk, NFS or SMB mount) registered once per
collection. Celery beat runs ``ingest.folder_sources_scan_due`` every
:data:`SCAN_DUE_TICK_S` seconds (maintenance queue, ``rag.settings``); it sends one
``ingest.folder_source_scan`` per enabled source whose ``interval_s`` has passed since its last scan.
A manager can also scan a source now (admin console › Folder sources), and
``manage.py ingest --sync DIR`` scans a registered folder through here too, so its counts show.
Each scan is :func:`ingest.sync.folder_sync` (adds, edits, renames by hash, deletes), recorded on
the source (time, duration, counts, error) and audited ``source.scanned``; adding and removing a
source are audited ``source.added`` / ``source.removed``.

Registering a folder lets the worker read every file in it, so from the web a folder must lie under
one of ``FOLDER_SOURCE_ROOTS`` (none configured: registration is refused there);
``manage.py folder_source`` is run by whoever already has the server's shell and is not limited.
Services (writes) and selectors (reads) of one small concept, kept together.
"""
from __future__ import annotations

import logging
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ingest.erasure import actor_of
from ingest.models import Collection, Document, FolderSource
from ingest.sync import SyncReport, folder_sync
from rag.access.selectors import collection_ids_with_role, collection_manageable
from rag.audit.models import AuditEvent
from rag.audit.services import ACTOR_SYSTEM, audit_append
from rag.core.errors import Conflict, DomainError, NotFound, PermissionRefused

logger = logging.getLogger(__name__)

SCAN_DUE_TICK_S = 60  # how often beat looks for sources that are due
SCAN_CLAIM_S = 6 * 3600  # a scan holding its source longer than this is taken as crashed
INTERVAL_MIN_S = 60


class FolderSourceRefused(DomainError):
    """A folder that cannot be registered (not absolute, not a folder, outside
    ``FOLDER_SOURCE_ROOTS``, interval too short): 400 ``folder_source_invalid``; user-facing."""

    code = "folder_source_invalid"


class FolderSourceExists(Conflict):
    """The folder is already a source of the collection: 409 ``folder_source_exists``."""

    code = "folder_source_exists"


class FolderSourceNotManager(PermissionRefused):
    """Only a manager of the collection adds, removes or scans its sources: 403 ``not_collection_manager``."""

    code = "not_collection_manager"


# -- selectors ---------------------------------------------------------------------------------


def folder_sources_visible(*, user) -> QuerySet[FolderSource]:
    """The sources ``user`` may see: every one for staff, else those of collections they manage;
    annotated ``documents`` and ``failed`` (path documents of the collection, and those failed)."""
    sources = FolderSource.objects.select_related("collection").annotate(
        documents=Count("collection__documents", filter=Q(collection__documents__origin=Document.Origin.PATH,
                                                          collection__documents__is_replacement=False)),
        failed=Count("collection__documents", filter=Q(collection__documents__origin=Document.Origin.PATH,
                                                       collection__documents__status=Document.Status.FAILED)))
    if user.is_staff:
        return sources
    managed = collection_ids_with_role(user=user, role="manager")
    return sources if managed is None else sources.filter(collection_id__in=managed)


def folder_sources_due(*, now=None) -> list[int]:
    """Ids of enabled sources whose interval has passed since their last scan (or never scanned)
    and that no scan holds (a claim older than :data:`SCAN_CLAIM_S` does not count)."""
    now = now or timezone.now()
    free = Q(scan_started_at__isnull=True) | Q(scan_started_at__lt=now - timedelta(seconds=SCAN_CLAIM_S))
    return [source.pk for source in FolderSource.objects.filter(free, enabled=True).order_by("pk")
            if source.last_scan_at is None or source.last_scan_at + timedelta(seconds=source.interval_s) <= now]


def folder_source_for(*, collection: Collection, root: Path) -> FolderSource | None:
    """The source registered for ``root`` (resolved) on ``collection``, if any."""
    return FolderSource.objects.filter(collection=collection, path=str(root.resolve())).first()


# -- services ----------------------------------------------------------------------------------


def folder_source_add(*, collection: Collection, path: str, interval_s: int = 3600, user=None,
                      restricted: bool = True) -> FolderSource:
    """Register folder ``path`` on ``collection``, scanned every ``interval_s`` seconds; audited
    ``source.added`` with ``user`` as the actor (None: ``system``, a management command).

    With ``restricted`` (the web), ``user`` must manage the collection and the folder (symlinks
    resolved) must lie under one of ``settings.FOLDER_SOURCE_ROOTS``. Nothing is scanned yet: beat
    scans it within :data:`SCAN_DUE_TICK_S` seconds, or :func:`folder_source_scan` now.

    Raises FolderSourceNotManager (403), FolderSourceRefused (400: not absolute, not a folder,
    outside the roots, ``interval_s`` under :data:`INTERVAL_MIN_S`), FolderSourceExists (409).
    """
    if restricted and collection_manageable(collection_id=collection.pk, user=user) is None:
        raise FolderSourceNotManager(f"only a manager of {collection.slug} may add folders to it")
    root = Path(path)
    if not root.is_absolute():
        raise FolderSourceRefused(f"{path!r} is not an absolute path")
    root = root.resolve()
    if not root.is_dir():
        raise FolderSourceRefused(f"{root} is not a folder (is the share mounted?)")
    if interval_s < INTERVAL_MIN_S:
        raise FolderSourceRefused(f"scan interval must be at least {INTERVAL_MIN_S} seconds")
    if restricted:
        allowed = [Path(r).resolve() for r in settings.FOLDER_SOURCE_ROOTS]
        if not any(root.is_relative_to(r) for r in allowed):
            raise FolderSourceRefused(
                f"{root} is not under a folder allowed for sources (FOLDER_SOURCE_ROOTS: "
                f"{', '.join(map(str, allowed)) or 'none configured'})")
    actor = actor_of(user=user, token=None)
    try:
        with transaction.atomic():
            source = FolderSource.objects.create(collection=collection, path=str(root), interval_s=interval_s,
                                                 created_by=user if actor is user else None)
            audit_append(event_type=AuditEvent.EventType.SOURCE_ADDED, actor=actor, target_type="folder_source",
                         target_id=source.pk, details={"collection": collection.slug, "path": str(root),
                                                       "interval_s": interval_s})
    except IntegrityError as exc:
        raise FolderSourceExists(f"{root} is already a folder source of {collection.slug}") from exc
    return source


def folder_source_remove(*, source_id: int, user=None, restricted: bool = True) -> None:
    """Unregister a source; audited ``source.removed``. Its documents stay in the collection
    (delete them or the collection to remove them). Raises NotFound (404: no such source the
    user may see) or FolderSourceNotManager (403)."""
    with transaction.atomic():
        source = _source_locked(source_id=source_id, user=user, restricted=restricted)
        audit_append(event_type=AuditEvent.EventType.SOURCE_REMOVED, actor=actor_of(user=user, token=None),
                     target_type="folder_source", target_id=source.pk,
                     details={"collection": source.collection.slug, "path": source.path})
        source.delete()


def folder_source_scan_request(*, source_id: int, user) -> FolderSource:
    """Queue a scan of the source now (``ingest.folder_source_scan``, after commit), for a manager
    of its collection. Raises NotFound (404) or FolderSourceNotManager (403)."""
    from ingest.tasks import folder_source_scan_task

    with transaction.atomic():
        source = _source_locked(source_id=source_id, user=user, restricted=True)
        transaction.on_commit(lambda: folder_source_scan_task.delay(source.pk))
    return source


def folder_source_scan(*, source_id: int, actor=ACTOR_SYSTEM) -> SyncReport | None:
    """Scan one source now: :func:`ingest.sync.folder_sync`, queued documents sent in batches.

    Records on the source ``last_scan_at``, ``last_scan_ms``, ``last_counts`` (the report's counts
    plus ``unreadable``) and ``last_error`` (a folder that is not there, e.g. an unmounted share,
    deletes nothing and is recorded as the error), audited ``source.scanned``. Returns the report
    (empty if the scan failed: see ``last_error``), or None if the source is gone or another scan
    holds it."""
    from ingest.pipeline import ingest_batched

    now = timezone.now()
    free = Q(scan_started_at__isnull=True) | Q(scan_started_at__lt=now - timedelta(seconds=SCAN_CLAIM_S))
    if not FolderSource.objects.filter(free, pk=source_id).update(scan_started_at=now):
        return None
    source = FolderSource.objects.select_related("collection").get(pk=source_id)
    started = time.perf_counter()
    report, error = SyncReport(), ""
    try:
        with ingest_batched():
            report = folder_sync(collection=source.collection, root=Path(source.path), actor=actor)
    except OSError as exc:
        error = str(exc)
    except Exception as exc:  # recorded for the console; a scan must always release its source
        logger.exception("scan of folder source %s failed", source_id)
        error = f"internal error: {type(exc).__name__}: {exc}"
    counts = {**report.counts, "unreadable": len(report.errors)}
    with transaction.atomic():
        FolderSource.objects.filter(pk=source_id).update(
            scan_started_at=None, last_scan_at=timezone.now(), last_counts=counts, last_error=error[:2000],
            last_scan_ms=int((time.perf_counter() - started) * 1000))
        audit_append(event_type=AuditEvent.EventType.SOURCE_SCANNED, actor=actor, target_type="folder_source",
                     target_id=source_id, details={"collection": source.collection.slug, "path": source.path,
                                                   "counts": counts, "error": error[:500]})
    return report


def _source_locked(*, source_id: int, user, restricted: bool) -> FolderSource:
    source = FolderSource.objects.select_for_update().select_related("collection").filter(pk=source_id).first()
    if source is None or (restricted and not folder_sources_visible(user=user).filter(pk=source_id).exists()):
        raise NotFound(f"no folder source {source_id}")
    if restricted and collection_manageable(collection_id=source.collection_id, user=user) is None:
        raise FolderSourceNotManager(f"only a manager of {source.collection.slug} may change its folder sources")
    return source
