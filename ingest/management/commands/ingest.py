"""``manage.py ingest PATH...``: register files recursively, queue them, wait with a progress bar.

``--sync`` makes the collection match each folder exactly (:func:`ingest.sync.folder_sync`:
adds, edits, renames by content hash, deletes)."""
from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ingest.erasure import document_delete
from ingest.models import Document
from ingest.pipeline import ingest_batched
from ingest.services import collection_get_or_create, document_register
from ingest.sources import folder_source_for, folder_source_scan
from ingest.sync import folder_sync


def _walk(paths: list[Path]) -> list[tuple[Path, Path]]:
    """(root, file) pairs; ``root`` is the folder the source path is relative to."""
    pairs = []
    for p in paths:
        if p.is_file():
            pairs.append((p.parent, p))
        elif p.is_dir():
            pairs.extend((p, f) for f in sorted(p.rglob("*")) if f.is_file() and not f.name.startswith("."))
        else:
            raise CommandError(f"{p} does not exist")
    return pairs


class Command(BaseCommand):
    """Ingests files and folders into a collection (skipping unchanged files) and waits for the workers unless ``--no-wait``."""

    help = ("Ingest files and folders (recursively). Unchanged files (same SHA-256) are skipped; changed "
            "ones are re-ingested and their old chunks replaced atomically.")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--collection", default="default", help="collection slug (created if missing)")
        parser.add_argument("--no-wait", action="store_true", help="queue and return without waiting")
        parser.add_argument("--timeout", type=float, default=3600, help="seconds to wait for the worker")
        parser.add_argument("--prune", action="store_true",
                            help="delete documents of this collection whose files are no longer in PATHS "
                                 "(only with folder PATHS)")
        parser.add_argument("--sync", action="store_true",
                            help="make the collection's path documents match each folder exactly: new and changed "
                                 "files queued, renamed files moved without re-embedding, deleted files removed")

    def handle(self, *args, paths: list[Path], collection: str, no_wait: bool, timeout: float, prune: bool,
               sync: bool = False, **options):
        coll = collection_get_or_create(slug=collection)
        if sync:
            pending: set[int] = set()
            for root in (p.resolve() for p in paths):
                if not root.is_dir():
                    raise CommandError(f"--sync takes folders; {root} is not one")
                source = folder_source_for(collection=coll, root=root)
                if source is not None:  # a registered source: the scan is recorded on it and audited
                    report = folder_source_scan(source_id=source.pk)
                    if report is None:
                        raise CommandError(f"a scan of {root} is running; try again when it ends")
                else:
                    with ingest_batched():  # queued documents go to the workers in batches
                        report = folder_sync(collection=coll, root=root)
                pending |= report.pending
                self.stdout.write(f"synced {root}: {report.summary()}")
                for source, reason in report.errors:
                    self.stdout.write(f"  not read: {source}: {reason}")
            if not no_wait and pending:
                self._wait(pending, timeout)
            return
        pairs = _walk([p.resolve() for p in paths])
        actions: Counter[str] = Counter()
        pending: set[int] = set()
        with ingest_batched():  # queued documents go to the workers INGEST_BATCH_DOCUMENTS at a time
            for root, f in tqdm(pairs, desc="registering", unit="file", disable=not pairs):
                reg = document_register(collection=coll, source=f.relative_to(root).as_posix(), data=f.read_bytes())
                # For someone ingesting a folder, a replacement (the serving version stays until the
                # new one is ready) is simply a changed file.
                actions["changed" if reg.action == "replacement" else reg.action] += 1
                if reg.action in ("created", "changed", "requeued", "replacement"):
                    pending.add(reg.document.pk)
        if prune:
            seen = {f.relative_to(root).as_posix() for root, f in pairs}
            for doc in Document.objects.filter(collection=coll).exclude(source__in=seen):
                document_delete(document=doc)
                actions["pruned"] += 1
        self.stdout.write("registered: " + ", ".join(f"{n} {a}" for a, n in sorted(actions.items())))
        if no_wait or not pending:
            return
        self._wait(pending, timeout)

    def _wait(self, pending: set[int], timeout: float) -> None:
        started = time.monotonic()
        done_states = (Document.Status.READY, Document.Status.FAILED)
        with tqdm(total=len(pending), desc="ingesting", unit="doc") as bar:
            while True:
                finished = Document.objects.filter(pk__in=pending, status__in=done_states).count()
                bar.update(finished - bar.n)
                if finished == len(pending):
                    break
                if time.monotonic() - started > timeout:
                    raise CommandError(f"timed out after {timeout:.0f} s; is a Celery worker running?")
                time.sleep(0.5)
        elapsed = time.monotonic() - started
        qs = Document.objects.filter(pk__in=pending)
        ready = qs.filter(status=Document.Status.READY)
        failed = qs.filter(status=Document.Status.FAILED)
        chunks = sum(ready.values_list("chunk_count", flat=True))
        self.stdout.write(f"ingested {ready.count()} documents ({chunks} chunks) in {elapsed:.1f} s; "
                          f"{failed.count()} failed")
        for d in failed[:20]:
            self.stdout.write(f"  failed: {d.source}: {d.error}")
