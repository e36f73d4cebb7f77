"""BM25 statistics under parallel ingestion: writers of one collection do not wait on each
other, and the statistics stay the sums of what is indexed (rag.search migration 0003)."""
from __future__ import annotations

import hashlib
import importlib
import threading

import pytest
from django.db import connection, transaction

from ingest.models import Chunk, Document
from rag.search.analysis import terms_extract
from rag.search.bm25 import bm25_stats_get
from rag.search.services import chunks_index
from tests.factories import collection
from tests.search.conftest import index_recount, index_stats

pytestmark = pytest.mark.django_db(transaction=True)

SHARD_LOCK_SPACE = importlib.import_module("rag.search.migrations.0003_sharded_statistics").SHARD_LOCK_SPACE
# Both documents share "leave" and "approval", so their term statistics rows are the same too.
TEXTS = {
    "a.md": ["annual leave needs approval", "leave carry over", "sabbatical leave"],
    "b.md": ["parental leave approval", "bicycle racks"],
}
LEAVE, APPROVAL, SABBATICAL, BICYCLE = terms_extract("leave approval sabbatical bicycle")


def _document(source: str) -> Document:
    coll = collection("default")
    return Document.objects.create(
        collection=coll, source=source, origin=Document.Origin.PATH, title="", media_type="text/plain",
        sha256=hashlib.sha256(source.encode()).hexdigest(), size_bytes=1, privacy_level=coll.privacy_level,
        status=Document.Status.READY, chunk_count=len(TEXTS[source]))


def _store_and_index(doc: Document) -> None:
    """What the chunk swap does for ``doc``: write its chunks and index them (caller's transaction)."""
    texts = TEXTS[doc.source]
    chunks = Chunk.objects.bulk_create(
        Chunk(document=doc, ordinal=n, text=t, heading_path="", char_start=0, char_end=len(t), token_count=1,
              embedding=[1.0] + [0.0] * 383) for n, t in enumerate(texts))
    chunks_index(chunks=chunks, texts=texts, collection_id=doc.collection_id)


def _in_thread(target) -> tuple[threading.Thread, list]:
    errors: list = []

    def run():
        try:
            target()
        except Exception as exc:  # reported by the test, which runs in another thread
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def _shards(collection_id: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT shard FROM search_collection_stat WHERE collection_id = %s ORDER BY shard",
                       [collection_id])
        return [s for (s,) in cursor.fetchall()]


def _index_concurrently(a: Document, b: Document) -> None:
    """Index ``a`` in a transaction held open while ``b`` is indexed and committed in another."""
    a_indexed, release = threading.Event(), threading.Event()

    def holder():
        with transaction.atomic():
            _store_and_index(a)
            a_indexed.set()
            assert release.wait(30), "never released"

    holder_thread, holder_errors = _in_thread(holder)
    assert a_indexed.wait(30), holder_errors
    b_done = threading.Event()

    def second():
        with transaction.atomic():
            _store_and_index(b)
        b_done.set()

    second_thread, second_errors = _in_thread(second)
    try:
        # b's whole transaction commits while a's still holds its statistics: nobody waited.
        assert b_done.wait(10), f"indexing b waited for a's open transaction {second_errors}"
    finally:
        release.set()
        holder_thread.join(30)
        second_thread.join(30)
    assert not holder_errors and not second_errors, holder_errors + second_errors


def test_two_transactions_index_one_collection_without_waiting_for_each_other():
    a, b = _document("a.md"), _document("b.md")

    _index_concurrently(a, b)

    assert len(_shards(a.collection_id)) == 2  # one statistics shard per concurrent writer
    assert index_stats() == index_recount()
    stats = bm25_stats_get(terms=[LEAVE, APPROVAL, BICYCLE], collection_ids=[a.collection_id])
    assert stats.chunk_count == 5 and stats.df == {LEAVE: 4, APPROVAL: 2, BICYCLE: 1}


def test_the_totals_stay_the_sums_after_a_document_is_deleted_under_another_shard():
    a, b = _document("a.md"), _document("b.md")
    _index_concurrently(a, b)
    held, release = threading.Event(), threading.Event()

    def occupy_both_shards():  # so the deletion below must subtract in a third shard
        with transaction.atomic(), connection.cursor() as cursor:
            for shard in _shards(a.collection_id):
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [SHARD_LOCK_SPACE, shard])
            held.set()
            assert release.wait(30), "never released"

    occupier, errors = _in_thread(occupy_both_shards)
    try:
        assert held.wait(30), errors
        before = set(_shards(a.collection_id))
        with transaction.atomic():
            Document.objects.filter(pk=a.pk).delete()  # chunks, then their index rows, by cascade
    finally:
        release.set()
        occupier.join(30)
    assert not errors, errors

    assert len(set(_shards(a.collection_id)) - before) == 1  # the deletion's own shard, negative
    assert index_stats() == index_recount()
    stats = bm25_stats_get(terms=[LEAVE, APPROVAL, SABBATICAL, BICYCLE], collection_ids=[a.collection_id])
    assert stats.chunk_count == 2 and stats.df == {LEAVE: 1, APPROVAL: 1, BICYCLE: 1}  # sabbatical: 0, absent
    assert stats.avg_length == pytest.approx(index_recount()["chunks"][a.collection_id][1] / 2)
