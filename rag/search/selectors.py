"""Reads: BM25 ranking inside PostgreSQL, hybrid fusion, and the evidence for abstaining.

BM25 (Robertson & Zaragoza 2009, "The Probabilistic Relevance Framework: BM25
and Beyond"), with Lucene's non-negative IDF::

    score(q, c) = sum over query terms t of
                  qtf(t) * idf(t) * tf(t, c) * (k1 + 1) / (tf(t, c) + k1 * (1 - b + b * dl(c) / avgdl))
    idf(t)      = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5))

over chunks (a chunk is a BM25 "document"; ``dl`` counts its terms, see
:mod:`rag.search.analysis`). N, avgdl and df are those of the searched
collections: sums of the per-collection rows kept by triggers, so a query
limited to some collections is scored as if only they existed.

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
from pgvector.django import CosineDistance

from ingest.models import Chunk
from rag.qa.selectors import RetrievedChunk, chunks_retrieve_dense
from rag.search.analysis import names_extract, terms_extract
from rag.search.fusion import rank_fuse_rrf
from rag.search.rerank import RERANK_DEPTH, chunks_rerank, reranker_get

MODES = ("dense", "bm25", "hybrid")


@dataclass(frozen=True)
class Bm25Stats:
    chunk_count: int  # N
    avg_length: float  # avgdl, in terms
    df: dict[str, int]  # for the terms asked about; absent terms have df 0


def _collection_filter(column: str, collection_ids: list[int] | None) -> tuple[str, list]:
    if collection_ids is None:
        return "TRUE", []
    return f"{column} = ANY(%s::bigint[])", [list(collection_ids)]


def bm25_stats_get(*, terms: list[str], collection_ids: list[int] | None = None) -> Bm25Stats:
    """N, avgdl and df(t) for ``terms`` over ``collection_ids`` (None: all), from the
    trigger-maintained statistics tables."""
    where, params = _collection_filter("collection_id", collection_ids)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(sum(chunk_count), 0)::bigint, coalesce(sum(total_length), 0)::bigint "
                       f"FROM search_collection_stat WHERE {where}", params)
        n, total = cursor.fetchone()
        cursor.execute(f"SELECT term, sum(df) FROM search_term_stat WHERE term = ANY(%s::text[]) AND {where} "
                       f"GROUP BY term", [list(set(terms)), *params])
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


def chunks_hydrate(*, chunk_ids: list[int], query_embedding: np.ndarray) -> list[RetrievedChunk]:
    """:class:`RetrievedChunk` for ``chunk_ids``, in that order, with ``score`` the
    cosine similarity to ``query_embedding`` ((384,) float32, L2-normalised).
    Ids no longer in the database are skipped."""
    if not chunk_ids:
        return []
    rows = (
        Chunk.objects.filter(pk__in=chunk_ids)
        .annotate(distance=CosineDistance("embedding", query_embedding.tolist()))
        .select_related("document")
        .only("id", "text", "heading_path", "page", "document__id", "document__source", "document__title",
              "document__privacy_level")
    )
    by_id = {c.id: c for c in rows}
    return [
        RetrievedChunk(
            chunk_id=c.id, document_id=c.document.id, source=c.document.source, title=c.document.title,
            heading=c.heading_path, page=c.page, text=c.text, score=1.0 - float(c.distance),
            privacy_level=c.document.privacy_level,
        )
        for c in (by_id.get(i) for i in chunk_ids) if c is not None
    ]


def chunks_retrieve_bm25(*, query: str, query_embedding: np.ndarray, top_k: int,
                         collection_ids: list[int] | None = None) -> list[RetrievedChunk]:
    """BM25 top-k as :class:`RetrievedChunk` (``bm25`` set; ``score`` is still the cosine)."""
    ranked = chunks_rank_bm25(query=query, limit=top_k, collection_ids=collection_ids)
    scores = dict(ranked)
    hits = chunks_hydrate(chunk_ids=[i for i, _ in ranked], query_embedding=query_embedding)
    return [replace(h, bm25=scores[h.chunk_id]) for h in hits]


def chunks_retrieve_hybrid(*, query: str, query_embedding: np.ndarray, top_k: int,
                           collection_ids: list[int] | None = None, depth: int | None = None,
                           rrf_k: int | None = None) -> list[RetrievedChunk]:
    """Reciprocal rank fusion of the dense and BM25 top-``depth`` lists (default
    RETRIEVAL_FUSION_DEPTH, and at least ``top_k``), ``k = RETRIEVAL_RRF_K``;
    returns the fused top-k with ``fused`` and, where BM25 found them, ``bm25`` set."""
    depth = max(depth or settings.RETRIEVAL_FUSION_DEPTH, top_k)
    rrf_k = settings.RETRIEVAL_RRF_K if rrf_k is None else rrf_k
    dense = chunks_retrieve_dense(query_embedding=query_embedding, top_k=depth, collection_ids=collection_ids)
    keyword = chunks_rank_bm25(query=query, limit=depth, collection_ids=collection_ids)
    fused = rank_fuse_rrf([[h.chunk_id for h in dense], [i for i, _ in keyword]], k=rrf_k)[:top_k]
    bm25 = dict(keyword)
    known = {h.chunk_id: h for h in dense}
    missing = [i for i, _ in fused if i not in known]
    known.update({h.chunk_id: h for h in chunks_hydrate(chunk_ids=missing, query_embedding=query_embedding)})
    return [replace(known[i], bm25=bm25.get(i), fused=score) for i, score in fused if i in known]


def chunks_search(*, query: str, query_embedding: np.ndarray, mode: str, top_k: int,
                  collection_ids: list[int] | None = None) -> list[RetrievedChunk]:
    """Top-k chunks in rank order by ``mode`` (one of :data:`MODES`), reranked when
    RETRIEVAL_RERANKER is set (see :mod:`rag.search.rerank`). Raises ValueError on another mode."""
    reranker = reranker_get()
    if reranker is None:
        return _chunks_search_mode(query=query, query_embedding=query_embedding, mode=mode, top_k=top_k,
                                   collection_ids=collection_ids)
    hits = _chunks_search_mode(query=query, query_embedding=query_embedding, mode=mode,
                               top_k=max(top_k, RERANK_DEPTH), collection_ids=collection_ids)
    return chunks_rerank(query=query, hits=hits, reranker=reranker, top_k=top_k)


def _chunks_search_mode(*, query: str, query_embedding: np.ndarray, mode: str, top_k: int,
                        collection_ids: list[int] | None) -> list[RetrievedChunk]:
    if mode == "dense":
        return chunks_retrieve_dense(query_embedding=query_embedding, top_k=top_k, collection_ids=collection_ids)
    if mode == "bm25":
        return chunks_retrieve_bm25(query=query, query_embedding=query_embedding, top_k=top_k,
                                    collection_ids=collection_ids)
    if mode == "hybrid":
        return chunks_retrieve_hybrid(query=query, query_embedding=query_embedding, top_k=top_k,
                                      collection_ids=collection_ids)
    raise ValueError(f"unknown retrieval mode {mode!r}; expected one of {', '.join(MODES)}")


def names_unknown(*, question: str, collection_ids: list[int] | None = None) -> list[str]:
    """The specific names in ``question`` (see :func:`rag.search.analysis.names_extract`)
    that no indexed chunk of ``collection_ids`` contains, e.g. ``["kafka"]``."""
    names = names_extract(question)
    if not names:
        return []
    known = bm25_stats_get(terms=names, collection_ids=collection_ids).df
    return [n for n in names if not known.get(n)]


def retrieval_abstain_reason(*, question: str, hits: list[RetrievedChunk],
                             collection_ids: list[int] | None = None) -> str:
    """Why the answer should be "I don't know" without calling the model, or "".

    - ``"nothing retrieved"``;
    - ``"best cosine 0.21 < 0.30"``: no retrieved chunk is similar enough
      (RETRIEVAL_ABSTAIN_MIN_COSINE);
    - ``"unknown names: kafka"``: the question names something that appears
      nowhere in the searched collections (RETRIEVAL_ABSTAIN_UNKNOWN_NAMES). A
      misspelt identifier also abstains; that is the intended side: the model
      would otherwise answer about a neighbouring name.
    """
    if not hits:
        return "nothing retrieved"
    best = max(h.score for h in hits)
    if best < settings.RETRIEVAL_ABSTAIN_MIN_COSINE:
        return f"best cosine {best:.2f} < {settings.RETRIEVAL_ABSTAIN_MIN_COSINE:.2f}"
    if settings.RETRIEVAL_ABSTAIN_UNKNOWN_NAMES:
        unknown = names_unknown(question=question, collection_ids=collection_ids)
        if unknown:
            return "unknown names: " + ", ".join(unknown)
    return ""
