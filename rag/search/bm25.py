"""BM25 ranking inside PostgreSQL (one SQL statement over a postings table).

BM25 (Robertson & Zaragoza 2009, "The Probabilistic Relevance Framework: BM25
and Beyond"), with Lucene's non-negative IDF::

    score(q, c) = sum over query terms t of
                  qtf(t) * idf(t) * tf(t, c) * (k1 + 1) / (tf(t, c) + k1 * (1 - b + b * dl(c) / avgdl))
    idf(t)      = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5))

over chunks (a chunk is a BM25 "document"; ``dl`` counts its terms, see
:mod:`rag.search.analysis`). N, avgdl and df are those of the searched
collections: sums of the per-collection rows kept by triggers (each split in
shards that concurrent writers fill without waiting on each other: migration 0003
of rag.search), so a query limited to some collections is scored as if only they existed.

Storage: why an inverted file (postings table) and not a ``sparsevec``.
Both were built on the dev corpus (Django docs, 654 files, 15,139 chunks at
200/32 word pieces; ``benchmarks/retrieval_bm25_storage.py``, 40 questions x 3,
top 20, on 2 shared cores):

==========================  ===============  ================
                            postings         sparsevec(2^20)
==========================  ===============  ================
latency p50 / p95           10.8 / 20.6 ms   10.0 / 13.8 ms
top-10 agreement            (reference)      1.000
disk (table + indexes)      84 MiB (+7 MiB   5 MiB (+ the same
                            statistics)      df table)
exact after an ingest       yes              no: avgdl is baked
                                             into every weight
==========================  ===============  ================

A ``sparsevec`` of BM25 document-side weights, searched with ``<#>`` and the
IDF on the query side, is small and as fast *at this size*, but it scans every
chunk on every query (an HNSW index over ``sparsevec`` would make BM25
approximate), so its cost grows with the whole corpus; and it bakes ``avgdl`` into every stored weight, so staying exact
means rewriting every vector whenever a document changes (it needs the same
df table for the query-side IDF anyway). The postings table reads only the
rows of the query's terms through a covering B-tree (index-only scans), is
exact with statistics that change in the ingest transaction, and carries the
collection filter as a column of the same rows. It costs 16x the disk and
about 3 ms per chunk at ingest (analysis 0.8 ms + writes; ``search_reindex``
indexed 7,271 chunks in 21.7 s), small next to embedding the chunk (~130 ms
per chunk measured on the same loaded cores).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

import numpy as np
from django.conf import settings
from django.db import connection

from rag.search.analysis import terms_extract
from rag.search.hits import RetrievedChunk, chunks_hydrate


@dataclass(frozen=True)
class Bm25Stats:
    """Corpus statistics of the searched collections, as BM25's IDF and length normalisation need them."""

    chunk_count: int  # N
    avg_length: float  # avgdl, in terms
    df: dict[str, int]  # for the terms asked about; absent terms have df 0


def _collection_filter(column: str, collection_ids: list[int] | None) -> tuple[str, list]:
    if collection_ids is None:
        return "TRUE", []
    return f"{column} = ANY(%s::bigint[])", [list(collection_ids)]


def bm25_stats_get(*, terms: list[str], collection_ids: list[int] | None = None) -> Bm25Stats:
    """N, avgdl (terms) and df(t) for ``terms`` over ``collection_ids`` (None: all), from
    the trigger-maintained statistics tables, summed over collections and shards (two
    queries, no scan of the postings). A term whose shards cancel out is absent."""
    where, params = _collection_filter("collection_id", collection_ids)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(sum(chunk_count), 0)::bigint, coalesce(sum(total_length), 0)::bigint "
                       f"FROM search_collection_stat WHERE {where}", params)
        n, total = cursor.fetchone()
        cursor.execute(f"SELECT term, sum(df) FROM search_term_stat WHERE term = ANY(%s::text[]) AND {where} "
                       f"GROUP BY term HAVING sum(df) <> 0", [list(set(terms)), *params])
        df = {term: int(count) for term, count in cursor.fetchall()}
    return Bm25Stats(int(n), (float(total) / n) if n else 0.0, df)


def chunks_rank_bm25(*, query: str, limit: int, collection_ids: list[int] | None = None,
                     k1: float | None = None, b: float | None = None) -> list[tuple[int, float]]:
    """BM25 top-``limit`` over chunks of ready documents: ``[(chunk_id, score)]``,
    best first (ties by chunk id). An empty list when the query has no indexed
    term. ``k1``/``b`` default to BM25_K1/BM25_B.

    One SQL statement scores every chunk holding a query term and keeps the
    best ``limit + 32``; only those are checked for a ready document (checking
    all of them costs more than the scoring: two index probes per chunk). Chunks
    of documents that are not ready (being re-ingested) are rare; if they leave
    fewer than ``limit``, the statement runs again with a deeper cut.
    """
    counts = Counter(terms_extract(query))
    if not counts or limit < 1:
        return []
    k1 = settings.BM25_K1 if k1 is None else k1
    b = settings.BM25_B if b is None else b
    stats_where, stats_params = _collection_filter("collection_id", collection_ids)
    post_where, post_params = _collection_filter("p.collection_id", collection_ids)
    # Postings copy the collection at indexing time; the document's current collection
    # is checked again at the end, so a document moved by UPDATE never leaks into a
    # search it may no longer be part of (its statistics catch up at re-ingestion).
    doc_where, doc_params = _collection_filter("d.collection_id", collection_ids)
    terms = list(counts)
    # Per-term and per-query constants are computed once (MATERIALIZED), so each posting
    # row costs one multiply-add: w * tf / (tf + c0 + c1 * dl), with w = qtf * idf * (k1 + 1),
    # c0 = k1 (1 - b) and c1 = k1 b / avgdl.
    sql = f"""
        WITH stats AS MATERIALIZED (
            SELECT sum(chunk_count)::float8 AS n,
                   sum(total_length)::float8 / greatest(sum(chunk_count), 1) AS avgdl
            FROM search_collection_stat WHERE {stats_where}
        ),
        weights AS MATERIALIZED (
            SELECT q.term, q.qtf * ln(1 + (stats.n - d.df + 0.5) / (d.df + 0.5)) * (%s::float8 + 1) AS w,
                   %s::float8 * (1 - %s::float8) AS c0, %s::float8 * %s::float8 / stats.avgdl AS c1
            FROM unnest(%s::text[], %s::int[]) AS q(term, qtf)
            JOIN (SELECT term, sum(df)::float8 AS df FROM search_term_stat
                  WHERE term = ANY(%s::text[]) AND {stats_where} GROUP BY term) d USING (term)
            CROSS JOIN stats
        ),
        top AS (
            SELECT p.chunk_id, sum(w.w * p.tf / (p.tf + w.c0 + w.c1 * p.length)) AS score
            FROM weights w JOIN search_posting p ON p.term = w.term
            WHERE {post_where}
            GROUP BY p.chunk_id
            ORDER BY score DESC, p.chunk_id
            LIMIT %s
        )
        SELECT top.chunk_id, top.score, d.status = 'ready' AND {doc_where}
        FROM top
        JOIN ingest_chunk c ON c.id = top.chunk_id
        JOIN ingest_document d ON d.id = c.document_id
        ORDER BY top.score DESC, top.chunk_id
    """
    fetch = limit + 32
    while True:
        params = [*stats_params, k1, k1, b, k1, b, terms, [counts[t] for t in terms], terms, *stats_params,
                  *post_params, fetch, *doc_params]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        ready = [(int(chunk_id), float(score)) for chunk_id, score, is_ready in rows if is_ready]
        if len(ready) >= limit or len(rows) < fetch:
            return ready[:limit]
        fetch *= 4


def chunks_retrieve_bm25(*, query: str, query_embedding: np.ndarray, top_k: int,
                         collection_ids: list[int] | None = None) -> list[RetrievedChunk]:
    """BM25 top-k as hits in BM25 rank order: ``bm25`` set (>= 0); ``score`` is still the
    cosine similarity to ``query_embedding`` ((384,) float32, L2-normalised), in [-1, 1]."""
    ranked = chunks_rank_bm25(query=query, limit=top_k, collection_ids=collection_ids)
    scores = dict(ranked)
    hits = chunks_hydrate(chunk_ids=[i for i, _ in ranked], query_embedding=query_embedding)
    return [replace(h, bm25=scores[h.chunk_id]) for h in hits]
