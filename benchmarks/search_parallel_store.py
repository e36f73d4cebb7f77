"""Chunk swaps of parallel ingest workers into one collection: BM25 statistics in one row per
collection (rag.search migration 0002) against sharded statistics (migration 0003).

    ./perimeter python benchmarks/search_parallel_store.py [--writers 2] [--documents 12] [--rounds 3]

Starts its own PostgreSQL+pgvector (the code ``./perimeter run`` uses) under a temporary
directory and migrates a fresh database. For each scheme (``search`` migrated back to 0002,
then forward to 0003) it runs the real chunk swap (``ingest.services._chunks_swap``: old chunks
deleted, chunks written with their HNSW entries, BM25-indexed, status and audit row, one
transaction per document) of ``documents`` documents per writer, ``rounds`` times each (every
round after the first replaces the chunks, so deletes cascade too), from ``writers`` threads,
each with its own connection, at once, then from one thread doing all the same work in turn.
Parsing and embedding are left out (random unit vectors; texts of 30 chunks x 120 words drawn
from a Zipf vocabulary, so common terms are shared as in real text): only the store stage runs,
which is where the statistics rows were contended.

Prints, per scheme: swaps/s with W writers and with 1, the speed-up, p50/p95 of one swap (ms)
with W writers, and whether the statistics equal a recount from the postings afterwards. Other
processes on the machine slow both schemes: compare them within one run (the load average is
printed).

Two runs of the defaults (2 writers x 12 documents x 3 rounds) on 2 cores shared with other
test sessions (load average 9 to 26, so the figures are noisy; swaps/s with 2 writers, with 1,
speed-up; statistics equal to the recount in every case)::

    run 1 (load 10.4 -> 9.2)  0002: 4.2 vs 4.4 /s, x0.95 (p50 493 ms)   0003: 5.6 vs 4.3 /s, x1.30 (p50 337 ms)
    run 2 (load 9.3 -> 26.5)  0002: 2.8 vs 1.9 /s, x1.47 (p50 658 ms)   0003: 3.0 vs 1.7 /s, x1.76 (p50 575 ms)

The audit row still serializes the end of every swap (one hash chain, rag.audit), by design.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CHUNKS, WORDS, VOCABULARY = 30, 120, 20_000


def _texts(rng: random.Random) -> list[str]:
    weights = [1 / (rank + 1) for rank in range(VOCABULARY)]
    words = [f"word{rank}" for rank in range(VOCABULARY)]
    return [" ".join(rng.choices(words, weights, k=WORDS)) for _ in range(CHUNKS)]


def _prepared(doc, texts: list[str], rng: random.Random):
    import numpy as np

    from ingest.chunking import ChunkDraft
    from ingest.pipeline import Prepared, text_digest

    vectors = np.asarray([rng.gauss(0, 1) for _ in range(384 * len(texts))], dtype=np.float32).reshape(-1, 384)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    drafts = [ChunkDraft(ordinal=n, text=t, heading_path=(), char_start=0, char_end=len(t), page=None,
                         token_count=WORDS) for n, t in enumerate(texts)]
    return Prepared(document=doc, sha256=doc.sha256, drafts=drafts, prefixes=[""] * len(texts), texts=texts,
                    space="bench", vectors=vectors, digests=[text_digest(t) for t in texts])


def _documents(slug: str, count: int, rng: random.Random) -> list:
    from ingest.models import Document
    from ingest.services import collection_get_or_create

    coll = collection_get_or_create(slug=slug)
    docs = [Document.objects.create(collection=coll, source=f"doc-{n}.txt", origin="path", media_type="text/plain",
                                    sha256=f"{n:064x}", size_bytes=1, privacy_level=coll.privacy_level,
                                    status="embedding") for n in range(count)]
    return [(Document.objects.select_related("collection").get(pk=d.pk), _texts(rng)) for d in docs]


def _swaps(work: list, rounds: int, rng: random.Random, durations: list[float]) -> None:
    from django.db import connection

    from ingest.services import _chunks_swap

    try:
        for _ in range(rounds):
            for doc, texts in work:
                prepared = _prepared(doc, texts, rng)
                started = time.perf_counter()
                _chunks_swap(prepared)
                durations.append((time.perf_counter() - started) * 1000)
    finally:
        connection.close()


def _run(writers: int, work: list, rounds: int) -> tuple[float, list[float]]:
    """Swap every document of ``work`` ``rounds`` times from ``writers`` threads (documents dealt
    round-robin); returns (seconds, swap durations in ms)."""
    durations: list[float] = []
    shares = [work[n::writers] for n in range(writers)]
    threads = [threading.Thread(target=_swaps, args=(share, rounds, random.Random(n), durations))
               for n, share in enumerate(shares)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started, durations


def _statistics_match() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT (SELECT coalesce(array_agg(x ORDER BY x), '{}') FROM (
                        SELECT collection_id || ':' || sum(chunk_count) || ':' || sum(total_length) AS x
                        FROM search_collection_stat GROUP BY collection_id HAVING sum(chunk_count) <> 0) s)
                 = (SELECT coalesce(array_agg(x ORDER BY x), '{}') FROM (
                        SELECT collection_id || ':' || count(*) || ':' || sum(length) AS x
                        FROM search_indexed_chunk GROUP BY collection_id) r),
                   (SELECT coalesce(array_agg(x ORDER BY x), '{}') FROM (
                        SELECT collection_id || ':' || term || ':' || sum(df) AS x
                        FROM search_term_stat GROUP BY collection_id, term HAVING sum(df) <> 0) s)
                 = (SELECT coalesce(array_agg(x ORDER BY x), '{}') FROM (
                        SELECT collection_id || ':' || term || ':' || count(*) AS x
                        FROM search_posting GROUP BY collection_id, term) r)""")
        chunks_ok, terms_ok = cursor.fetchone()
    return bool(chunks_ok and terms_ok)


def scheme_measure(migration: str, *, writers: int, documents: int, rounds: int) -> dict:
    """Migrate ``search`` to ``migration``, then time W writers and one writer on the same work."""
    from django.core.management import call_command

    from ingest.models import Chunk, Document

    call_command("migrate", "search", migration, verbosity=0)
    result = {}
    for label, threads in ((f"{writers} writers", writers), ("1 writer", 1)):
        Chunk.objects.all().delete()
        Document.objects.all().delete()
        work = _documents(f"bench-{migration}-{threads}", writers * documents, random.Random(7))
        seconds, durations = _run(threads, work, rounds)
        ordered = sorted(durations)
        result[label] = {"swaps": len(durations), "seconds": round(seconds, 2),
                         "swaps_per_s": round(len(durations) / seconds, 1),
                         "p50_ms": round(statistics.median(ordered), 1),
                         "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1)}
    result["speedup"] = round(result[f"{writers} writers"]["swaps_per_s"] / result["1 writer"]["swaps_per_s"], 2)
    result["statistics_match_postings"] = _statistics_match()
    return result


def main() -> None:
    from rag.embedded.net import port_free
    from rag.embedded.postgres import OWNER_ROLE, pg_database_ensure, pg_roles_ensure, pg_start, pg_stop

    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--documents", type=int, default=12, help="documents per writer")
    parser.add_argument("--rounds", type=int, default=3, help="times each document is stored")
    args = parser.parse_args()
    state = Path(tempfile.mkdtemp(prefix="perimeter-bench-"))
    state.chmod(0o755)
    pg = None
    try:
        pg = pg_start(state_dir=state, port=port_free())
        pg_roles_ensure(pg)
        pg_database_ensure(pg, name="bench_store", owner=OWNER_ROLE)
        os.environ.update({"DATABASE_URL": f"postgres://{OWNER_ROLE}@127.0.0.1:{pg.port}/bench_store",
                           "DJANGO_SETTINGS_MODULE": "rag.settings", "PERIMETER_STATE_DIR": str(state),
                           "AUDIT_KEY": "benchmark-audit-key-not-secret-0123456789", "HF_HUB_OFFLINE": "1"})
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        print(f"cores {os.cpu_count()}; load average {os.getloadavg()}; {args.writers} writers x {args.documents} "
              f"documents x {args.rounds} rounds, {CHUNKS} chunks each", flush=True)
        for migration, name in (("0002", "one statistics row per collection (0002)"),
                                ("0003", "sharded statistics (0003)")):
            result = scheme_measure(migration, writers=args.writers, documents=args.documents, rounds=args.rounds)
            print(f"{name}: {result}", flush=True)
        print(f"load average {os.getloadavg()}", flush=True)
    finally:
        if pg:
            pg_stop(pg)
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    main()
