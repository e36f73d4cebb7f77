"""``manage.py reembed --collection SLUG | --all``: move collections to the configured embedding space."""
from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from ingest.embedding import embedding_space
from ingest.models import Collection
from ingest.pipeline import collection_reembed


class Command(BaseCommand):
    """Re-embeds collections whose vectors are in another embedding space than the configured one."""

    help = ("Re-embed every chunk of a collection with the configured EMBEDDING_MODEL and EMBEDDING_BACKEND "
            "(after changing either), then mark the collection as embedded in that space. Chunk texts, ids and "
            "citations stay; only vectors change. Collections already in the space are skipped.")

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--collection", action="append", help="collection slug (repeatable)")
        target.add_argument("--all", action="store_true",
                            help="every collection with chunks in another space (nothing to do: no output)")

    def handle(self, *args, collection: list[str] | None, all: bool, **options):
        space = embedding_space()
        if all:
            # "" is a collection with no chunks yet: its first document fixes its space
            slugs = list(Collection.objects.exclude(embedding_space__in=(space, "")).values_list("slug", flat=True))
        else:
            slugs = collection
            unknown = set(slugs) - set(Collection.objects.filter(slug__in=slugs).values_list("slug", flat=True))
            if unknown:
                raise CommandError(f"no such collection: {', '.join(sorted(unknown))}")
        for slug in slugs:
            started = time.monotonic()
            report = collection_reembed(slug=slug)
            self.stdout.write(f"{slug}: {report.previous_space or '(empty)'} -> {space}: {report.chunks} chunks "
                              f"({report.cache_hits} from the vector cache) in {time.monotonic() - started:.1f} s")
