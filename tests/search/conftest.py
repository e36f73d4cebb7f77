"""Helpers for the search tests: chunks stored directly (for hand-computed BM25) and index invariants."""
from __future__ import annotations

import hashlib

import pytest
from django.db import connection

from ingest.models import Chunk, Document
from rag.search.services import chunks_index
from tests.factories import collection


def _unit_vector() -> list[float]:
    return [1.0] + [0.0] * 383


@pytest.fixture
def stored_document():
    """``stored_document(source, texts, collection_slug="default")``: a ready document whose
    chunks are exactly ``texts`` (no title, no headings), BM25-indexed as ``document_process`` does."""

    def make(source: str, texts: list[str], collection_slug: str = "default") -> Document:
        coll = collection(collection_slug)
        doc = Document.objects.create(
            collection=coll, source=source, origin=Document.Origin.PATH, title="", media_type="text/plain",
            sha256=hashlib.sha256(source.encode()).hexdigest(), size_bytes=1, privacy_level=coll.privacy_level,
            status=Document.Status.READY, chunk_count=len(texts),
        )
        chunks = Chunk.objects.bulk_create(
            Chunk(document=doc, ordinal=n, text=t, heading_path="", char_start=0, char_end=len(t), token_count=1,
                  embedding=_unit_vector())
            for n, t in enumerate(texts)
        )
        chunks_index(chunks=chunks, texts=texts, collection_id=coll.id)
        return doc

    return make


def index_recount() -> dict:
    """N, total length and df recomputed from the postings themselves, per collection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT collection_id, count(*), sum(length) FROM search_indexed_chunk GROUP BY 1")
        chunks = {c: (int(n), int(total)) for c, n, total in cursor.fetchall()}
        cursor.execute("SELECT collection_id, term, count(*) FROM search_posting GROUP BY 1, 2")
        df = {(c, t): int(n) for c, t, n in cursor.fetchall()}
    return {"chunks": chunks, "df": df}


def index_stats() -> dict:
    """The trigger-maintained statistics summed over their shards (zero sums left out), in the
    shape of :func:`index_recount`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT collection_id, sum(chunk_count), sum(total_length) FROM search_collection_stat "
                       "GROUP BY 1 HAVING sum(chunk_count) <> 0 OR sum(total_length) <> 0")
        chunks = {c: (int(n), int(total)) for c, n, total in cursor.fetchall()}
        cursor.execute("SELECT collection_id, term, sum(df) FROM search_term_stat GROUP BY 1, 2 HAVING sum(df) <> 0")
        df = {(c, t): int(n) for c, t, n in cursor.fetchall()}
    return {"chunks": chunks, "df": df}
