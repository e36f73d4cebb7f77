"""The BM25 index: an inverted file (postings) in PostgreSQL, with its statistics.

Rows are derived from :class:`ingest.models.Chunk`, written by
:func:`rag.search.services.chunks_index` in the transaction that stores the
chunks, and removed by the database: both foreign keys to ``ingest_chunk``
are ``ON DELETE CASCADE`` constraints (migration 0001), so every way a chunk
disappears (re-ingestion, a failed re-ingestion, a document delete, raw SQL)
takes its postings along. Django sees the relations as ``DO_NOTHING`` so
chunk deletes stay single ``DELETE`` statements.

The statistics BM25 needs (N, avgdl, df) are kept per collection in
:class:`CollectionStat` and :class:`TermStat` by statement-level triggers on
:class:`IndexedChunk` and :class:`Posting` (migrations 0002 and 0003): they change in
the same transaction as the postings, whatever the code path. Each is split in
shards, one per concurrent writing transaction, so parallel ingestion never waits
on a statistics row; a statistic is the sum of its shards (migration 0003). Per collection,
so that a query restricted to some collections scores with the statistics of
exactly those collections (sums of their rows), and an unreadable collection
cannot shift scores. See :mod:`rag.search.selectors` for the query.
"""
from __future__ import annotations

from django.db import models

from ingest.models import Chunk


class IndexedChunk(models.Model):
    """One BM25 "document": a chunk, its collection and its length in terms."""

    chunk = models.OneToOneField(Chunk, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False,
                                 related_name="bm25")  # ON DELETE CASCADE in SQL (migration 0001)
    collection_id = models.BigIntegerField(help_text="The chunk's document's collection (copied)")
    length = models.PositiveIntegerField(help_text="Number of terms, repeats counted (BM25 dl)")

    class Meta:
        db_table = "search_indexed_chunk"


class Posting(models.Model):
    """``term`` occurs ``tf`` times in ``chunk``. ``collection_id`` and
    ``length`` are copied from :class:`IndexedChunk` so a query reads only
    the covering index on ``term``."""

    pk = models.CompositePrimaryKey("chunk", "term")  # also serves ON DELETE CASCADE lookups
    chunk = models.ForeignKey(Chunk, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
                              related_name="postings")  # ON DELETE CASCADE in SQL (migration 0001)
    term = models.CharField(max_length=80)
    tf = models.PositiveSmallIntegerField()
    collection_id = models.BigIntegerField()
    length = models.PositiveIntegerField()

    class Meta:
        db_table = "search_posting"
        indexes = [
            models.Index(fields=["term"], include=["collection_id", "chunk", "tf", "length"],
                         name="search_posting_term_cover"),
        ]


class TermStat(models.Model):
    """Document frequency: the number of indexed chunks of a collection containing ``term`` is the
    sum of ``df`` over the shards. Maintained by triggers (migration 0003); a shard may be negative,
    shard rows at zero are deleted."""

    pk = models.CompositePrimaryKey("term", "collection_id", "shard")
    term = models.CharField(max_length=80)
    collection_id = models.BigIntegerField()
    shard = models.SmallIntegerField()
    df = models.IntegerField()

    class Meta:
        db_table = "search_term_stat"


class CollectionStat(models.Model):
    """N (indexed chunks) and the sum of their lengths, per collection: sums over the shards.
    Maintained by triggers (migration 0003); a shard may be negative."""

    pk = models.CompositePrimaryKey("collection_id", "shard")
    collection_id = models.BigIntegerField()
    shard = models.SmallIntegerField()
    chunk_count = models.BigIntegerField()
    total_length = models.BigIntegerField()

    class Meta:
        db_table = "search_collection_stat"
