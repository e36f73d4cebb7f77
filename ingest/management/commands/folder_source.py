"""``manage.py folder_source``: register, list, scan and remove folder sources (:mod:`ingest.sources`).

Run from the server's shell, so not limited to ``FOLDER_SOURCE_ROOTS``; audited with actor ``system``::

    manage.py folder_source add --collection hr /mnt/share/hr [--interval 3600]
    manage.py folder_source list
    manage.py folder_source scan ID
    manage.py folder_source remove ID
"""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ingest.models import FolderSource
from ingest.services import collection_get_or_create
from ingest.sources import folder_source_add, folder_source_remove, folder_source_scan
from rag.core.errors import DomainError


class Command(BaseCommand):
    """Manages folder sources (folders Celery beat keeps in sync with a collection)."""

    help = "Register (add), list, scan now or remove folder sources kept in sync with collections."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["add", "list", "scan", "remove"])
        parser.add_argument("target", nargs="?", help="add: the folder; scan/remove: the source id")
        parser.add_argument("--collection", default="default", help="add: collection slug (created if missing)")
        parser.add_argument("--interval", type=int, default=3600, help="add: seconds between scans [3600]")

    def handle(self, *args, action: str, target: str | None, collection: str, interval: int, **options):
        if action == "list":
            for s in FolderSource.objects.select_related("collection"):
                self.stdout.write(f"{s.pk}\t{s.collection.slug}\t{s.path}\tevery {s.interval_s} s\t"
                                  f"last {s.last_scan_at or 'never'}\t{s.last_counts}\t{s.last_error}")
            return
        if not target:
            raise CommandError(f"{action} needs a {'folder' if action == 'add' else 'source id'}")
        try:
            if action == "add":
                source = folder_source_add(collection=collection_get_or_create(slug=collection), path=target,
                                           interval_s=interval, restricted=False)
                self.stdout.write(f"added source {source.pk}: {source.path} -> {collection}")
            elif action == "scan":
                report = folder_source_scan(source_id=int(target))
                if report is None:
                    raise CommandError(f"no source {target}, or a scan of it is running")
                source = FolderSource.objects.get(pk=int(target))
                self.stdout.write(f"scanned {source.path}: {report.summary()}"
                                  + (f"; error: {source.last_error}" if source.last_error else ""))
            else:
                folder_source_remove(source_id=int(target), restricted=False)
                self.stdout.write(f"removed source {target}")
        except (DomainError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
