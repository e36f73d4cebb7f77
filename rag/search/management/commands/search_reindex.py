"""``manage.py search_reindex [--rebuild]``: BM25-index chunks stored before rag.search existed."""
from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from rag.search.bm25 import bm25_stats_get
from rag.search.services import search_index_backfill


class Command(BaseCommand):
    """Adds chunks without BM25 postings to the keyword index (``--rebuild``: re-indexes everything)."""

    help = ("Add every chunk of a ready document that has no BM25 postings yet to the index (idempotent). "
            "--rebuild empties the index and its statistics first and indexes everything again.")

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true",
                            help="truncate the index and its statistics, then index every chunk")

    def handle(self, *args, rebuild: bool, **options):
        started = time.monotonic()
        documents, chunks = search_index_backfill(rebuild=rebuild)
        stats = bm25_stats_get(terms=[])
        self.stdout.write(
            f"indexed {chunks} chunks of {documents} documents in {time.monotonic() - started:.1f} s; "
            f"index: N={stats.chunk_count} chunks, avgdl={stats.avg_length:.1f} terms"
        )
