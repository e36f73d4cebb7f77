#!/usr/bin/env python
"""BM25 storage: postings table (what rag.search uses) against a pgvector ``sparsevec`` per chunk.

    PYTHONPATH=. HF_HUB_OFFLINE=1 python benchmarks/retrieval_bm25_storage.py \
        /work/shared/dev-eval/qa.jsonl [--repeat 3] [--limit 50]

Reads the BM25 index of the database in DATABASE_URL (run ``manage.py
search_reindex`` first) and changes nothing in it: the sparse vectors go to a
TEMP table that disappears with the connection. For every question of the QA
file it times

- **postings**: :func:`rag.search.bm25.chunks_rank_bm25`, one SQL statement
  over the covering B-tree of the query's terms (exact, current statistics);
- **sparsevec**: ``ORDER BY weights <#> query LIMIT n`` over a ``sparsevec(2^20)``
  per chunk holding the document side of BM25 (``tf (k1+1) / (tf + k1 (1 - b + b dl/avgdl))``
  with today's avgdl), terms hashed to dimensions (BLAKE2b), the IDF on the query
  side. No index: pgvector's HNSW over sparse inner products is approximate.

and prints p50/p95 latency, agreement of the two top-10 lists, and table sizes.

Result on the Django docs corpus (654 files, 15,139 chunks at 200/32; 2 cores
shared with other work, load average ~6; top 20; see the module docstring of
rag.search.bm25 for the decision this supports)::

    postings   latency ms   p50    10.8   p95    20.6
    sparsevec  latency ms   p50    10.0   p95    13.8
    top-10 agreement        1.000
    postings table + index  83.8 MiB (+ statistics 6.7 MiB)
    sparsevec table         5.2 MiB (built in 4.2 s; must be rebuilt whenever avgdl moves)
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rag.settings")

import django

django.setup()

from collections import Counter

from django.conf import settings
from django.db import connection

from rag.search.analysis import terms_extract
from rag.search.bm25 import bm25_stats_get, chunks_rank_bm25

DIMS = 2 ** 20


def dim(term: str) -> int:
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "big") % DIMS + 1


def sparsevec_table_build(k1: float, b: float) -> tuple[float, int]:
    """TEMP table bm25_sparse(chunk_id, weights sparsevec); returns (seconds, rows)."""
    started = time.monotonic()
    stats = bm25_stats_get(terms=[])
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bm25_sparse")
        cursor.execute(f"CREATE TEMP TABLE bm25_sparse (chunk_id bigint PRIMARY KEY, weights sparsevec({DIMS}))")
        cursor.execute("SELECT chunk_id, array_agg(term), array_agg(tf), max(length) FROM search_posting GROUP BY 1")
        rows = []
        for chunk_id, terms, tfs, length in cursor.fetchall():
            weights: dict[int, float] = {}
            for term, tf in zip(terms, tfs):
                w = tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / stats.avg_length))
                weights[dim(term)] = weights.get(dim(term), 0.0) + w
            body = ",".join(f"{d}:{w:.6g}" for d, w in sorted(weights.items()))
            rows.append((chunk_id, "{" + body + "}/" + str(DIMS)))
        cursor.executemany("INSERT INTO bm25_sparse VALUES (%s, %s::sparsevec)", rows)
        cursor.execute("ANALYZE bm25_sparse")
    return time.monotonic() - started, len(rows)


def sparsevec_rank(question: str, limit: int) -> list[int]:
    counts = Counter(terms_extract(question))
    stats = bm25_stats_get(terms=list(counts))
    import math

    q: dict[int, float] = {}
    for term, qtf in counts.items():
        df = stats.df.get(term)
        if df:
            q[dim(term)] = q.get(dim(term), 0.0) + qtf * math.log(1 + (stats.chunk_count - df + 0.5) / (df + 0.5))
    if not q:
        return []
    vec = "{" + ",".join(f"{d}:{w:.6g}" for d, w in sorted(q.items())) + "}/" + str(DIMS)
    with connection.cursor() as cursor:
        # Same shape as the postings query: rank first, then check the top rows' documents.
        cursor.execute("SELECT t.chunk_id FROM (SELECT chunk_id, weights <#> %s::sparsevec AS neg FROM bm25_sparse "
                       "ORDER BY neg, chunk_id LIMIT %s) t JOIN ingest_chunk c ON c.id = t.chunk_id "
                       "JOIN ingest_document d ON d.id = c.document_id WHERE d.status = 'ready' "
                       "ORDER BY t.neg, t.chunk_id", [vec, limit + 32])
        return [r[0] for r in cursor.fetchall()][:limit]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(q / 100 * len(ordered) + 0.5) - 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("qa", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=int, default=50, help="candidates per query (hybrid uses 50)")
    args = parser.parse_args(argv)
    questions = [json.loads(line)["question"] for line in args.qa.read_text().splitlines() if line.strip()]

    build_s, rows = sparsevec_table_build(settings.BM25_K1, settings.BM25_B)
    timings: dict[str, list[float]] = {"postings": [], "sparsevec": []}
    agree = []
    for _ in range(args.repeat):
        for question in questions:
            started = time.perf_counter()
            exact = [i for i, _ in chunks_rank_bm25(query=question, limit=args.limit)]
            timings["postings"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            sparse = sparsevec_rank(question, args.limit)
            timings["sparsevec"].append((time.perf_counter() - started) * 1000)
            agree.append(len(set(exact[:10]) & set(sparse[:10])) / max(1, min(10, len(exact))))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size('search_posting'), pg_total_relation_size('search_term_stat')"
                       " + pg_total_relation_size('search_indexed_chunk') + pg_total_relation_size("
                       "'search_collection_stat'), pg_total_relation_size('bm25_sparse')")
        postings_bytes, stats_bytes, sparse_bytes = cursor.fetchone()
    print(f"chunks indexed          {rows}")
    print(f"queries                 {len(questions)} x {args.repeat}, top {args.limit}")
    for name, values in timings.items():
        print(f"{name:10} latency ms   p50 {statistics.median(values):7.1f}   p95 {pct(values, 95):7.1f}")
    print(f"top-10 agreement        {statistics.mean(agree):.3f} (hash collisions and float rounding)")
    print(f"postings table + index  {postings_bytes / 2**20:.1f} MiB (+ statistics {stats_bytes / 2**20:.1f} MiB)")
    print(f"sparsevec table         {sparse_bytes / 2**20:.1f} MiB (built in {build_s:.1f} s; "
          "must be rebuilt whenever avgdl moves)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
