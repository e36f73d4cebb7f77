"""Worker kills and broker loss during ingestion: nothing lost, duplicated or redelivered forever.

    ./perimeter python benchmarks/ops_worker_kills.py [--documents 300] [--kills 10] [--workers 2]
        [--time-limit 30] [--restart-s 3] [--broker-loss] [--seed 15]

Starts its own PostgreSQL+pgvector and Redis under a throw-away directory, writes a
deterministic corpus of DOCUMENTS Markdown files (seeded vocabulary, 1-8 KB each), and ingests
it into separate collections with WORKERS Celery workers (``--pool=solo``, queues ingest and
maintenance, as embedded mode runs its worker) plus a beat process (the stranded-document sweep):

1. ``clean``: nothing interferes; its duration sets the kill window;
2. ``kills``: ``kill -9`` (the worker's whole process group, parser children included) of a
   random running worker at KILLS random moments spread over the clean run's duration; each
   killed worker is restarted RESTART_S later, as a supervisor would;
3. ``broker-loss`` (``--broker-loss``): half-way through, every worker is killed and Redis is
   emptied (``FLUSHALL``: a broker restarted without persistence), then the workers restart;
   only the sweep (``INGEST_SWEEP_INTERVAL_S``, 15 s here) can bring the documents back.

``INGEST_TASK_TIME_LIMIT_S`` is TIME_LIMIT, so a killed worker's task is delivered again
TIME_LIMIT + 60 s later (the broker visibility timeout). Prints per collection: documents by
status (failed ones with their reasons), seconds until every document settled, documents that
finished while a killed worker was down (the other worker kept serving), and whether chunk
counts per document, chunk ordinals and the BM25 statistics (N, total length, every term's df)
equal the clean run's.
"""
from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rag.settings")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
SWEEP_S = 15


def corpus_write(*, dest: Path, documents: int, seed: int) -> None:
    """DOCUMENTS Markdown files of headings and paragraphs over a Zipf-like 4,000-word vocabulary."""
    rng = random.Random(seed)
    syllables = ["ka", "ro", "mi", "te", "lu", "san", "dor", "vel", "qui", "ba", "nor", "ex", "pha", "ti", "gre"]
    vocab = sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(6000)})[:4000]
    weights = [1 / (rank + 1) for rank in range(len(vocab))]
    for i in range(documents):
        lines = [f"# Topic {i}: {' '.join(rng.choices(vocab, weights, k=3))}", ""]
        for section in range(rng.randint(1, 6)):
            lines += [f"## Section {section} {rng.choice(vocab)}", ""]
            for _ in range(rng.randint(1, 4)):
                words = rng.choices(vocab, weights, k=rng.randint(40, 160))
                lines += [" ".join(words).capitalize() + ".", ""]
        (dest / f"doc-{i:04d}.md").write_text("\n".join(lines))


class Workers:
    """WORKERS solo-pool Celery workers and one beat, each in its own process group."""

    def __init__(self, *, count: int, env: dict, logs: Path):
        self.env, self.logs, self.procs = env, logs, [None] * count
        self.beat = None
        self.down: list[tuple[float, float]] = []  # (killed at, restarted at), monotonic

    def start(self, i: int) -> None:
        log = open(self.logs / f"worker{i}.log", "a")
        self.procs[i] = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "rag", "worker", "--pool=solo", "--concurrency=1",
             "-Q", "ingest,maintenance", "-n", f"bench{i}@%h", "--loglevel=WARNING"],
            env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def start_all(self) -> None:
        for i in range(len(self.procs)):
            self.start(i)
        if self.beat is None:
            self.beat = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "rag", "beat", "--loglevel=WARNING",
                 "--schedule", str(self.logs / "celerybeat-schedule")],
                env=self.env, cwd=ROOT, stdout=open(self.logs / "beat.log", "a"), stderr=subprocess.STDOUT,
                start_new_session=True)

    def kill(self, i: int) -> None:
        proc = self.procs[i]
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        self.procs[i] = None

    def stop_all(self) -> None:
        for i in range(len(self.procs)):
            self.kill(i)
        if self.beat is not None:
            os.killpg(self.beat.pid, signal.SIGKILL)
            self.beat.wait()
            self.beat = None


def ingest(*, corpus: Path, slug: str) -> list[int]:
    from ingest.pipeline import ingest_batched
    from ingest.services import collection_get_or_create, document_register

    coll = collection_get_or_create(slug=slug)
    ids = []
    with ingest_batched():
        for f in sorted(corpus.iterdir()):
            ids.append(document_register(collection=coll, source=f.name, data=f.read_bytes()).document.pk)
    return ids


def settle(ids: list[int], *, timeout_s: float) -> float:
    """Seconds until no document of ``ids`` is queued, parsing or embedding; raises on timeout."""
    from ingest.models import Document

    started = time.monotonic()
    while Document.objects.filter(pk__in=ids, status__in=("queued", "parsing", "embedding")).exists():
        if time.monotonic() - started > timeout_s:
            raise TimeoutError(f"documents still in flight after {timeout_s:.0f} s")
        time.sleep(0.5)
    return time.monotonic() - started


def ready_times(ids: list[int]) -> list[float]:
    from ingest.models import Document

    return [d.timestamp() for d in Document.objects.filter(pk__in=ids, status="ready")
            .values_list("finished_at", flat=True)]


def summary(slug: str) -> dict:
    """Statuses, failures, chunks per source, duplicate ordinals and BM25 statistics of a collection."""
    from django.db import connection
    from django.db.models import Count, Sum

    from ingest.models import Chunk, Collection, Document
    from rag.search.models import CollectionStat

    coll = Collection.objects.get(slug=slug)
    docs = Document.objects.filter(collection=coll)
    duplicates = (Chunk.objects.filter(document__collection=coll).values("document_id", "ordinal")
                  .annotate(n=Count("pk")).filter(n__gt=1).count())
    mismatched = sum(1 for d in docs.annotate(n=Count("chunks")) if d.n != d.chunk_count)
    # Statistics are sums over shards (rag.search migration 0003); a clean run may use other shards.
    stat = tuple(CollectionStat.objects.filter(collection_id=coll.pk).aggregate(
        n=Sum("chunk_count"), total=Sum("total_length")).values())
    with connection.cursor() as cursor:
        cursor.execute("SELECT md5(string_agg(term || ':' || df, ',' ORDER BY term)), count(*) FROM "
                       "(SELECT term, sum(df) AS df FROM search_term_stat WHERE collection_id = %s "
                       "GROUP BY term HAVING sum(df) <> 0) AS t", [coll.pk])
        terms = cursor.fetchone()
    return {
        "statuses": Counter(docs.values_list("status", flat=True)),
        "failed": Counter(docs.filter(status="failed").values_list("error", flat=True)),
        "chunks": dict(docs.values_list("source", "chunk_count")),
        "duplicate_ordinals": duplicates, "chunk_rows_not_matching_count": mismatched,
        "bm25": {"N_total_length": stat, "terms_md5_count": terms},
    }


def chunks_forget(slug: str) -> None:
    """Delete a measured collection's chunks: they are the vector cache (ingest.pipeline), and the
    next scenario must embed everything again rather than reuse them."""
    from ingest.models import Chunk

    Chunk.objects.filter(document__collection__slug=slug).delete()


def report(name: str, s: dict, clean: dict | None, seconds: float) -> None:
    print(f"\n[{name}] settled in {seconds:.1f} s; documents by status: {dict(s['statuses'])}")
    for reason, n in s["failed"].items():
        print(f"  failed x{n}: {reason}")
    print(f"  duplicate (document, ordinal) chunks: {s['duplicate_ordinals']}; "
          f"documents whose chunk rows differ from chunk_count: {s['chunk_rows_not_matching_count']}")
    print(f"  BM25: (N, total length) = {s['bm25']['N_total_length']}, terms (md5 of term:df, count) = "
          f"{s['bm25']['terms_md5_count']}")
    if clean is not None:
        differ = [src for src, n in s["chunks"].items() if clean["chunks"].get(src) != n]
        print(f"  chunk counts per document equal to clean: {len(s['chunks']) - len(differ)}/{len(s['chunks'])}"
              + (f" (differ: {differ[:5]})" if differ else ""))
        print(f"  BM25 statistics equal to clean: {s['bm25'] == clean['bm25']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--time-limit", type=int, default=30, help="INGEST_TASK_TIME_LIMIT_S [%(default)s]")
    parser.add_argument("--restart-s", type=float, default=3.0, help="a killed worker restarts after this")
    parser.add_argument("--broker-loss", action="store_true", help="also run the broker-loss scenario")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)

    from rag.embedded.net import port_free
    from rag.embedded.postgres import pg_database_ensure, pg_start, pg_stop
    from rag.embedded.redis import redis_start, redis_stop

    state = Path(tempfile.mkdtemp(prefix="perimeter-kills-"))
    state.chmod(0o755)
    (state / "static").mkdir()
    corpus = state / "corpus"
    corpus.mkdir()
    corpus_write(dest=corpus, documents=args.documents, seed=args.seed)
    pg = pg_start(state_dir=state, port=port_free())
    pg_database_ensure(pg, name="perimeter")
    redis_port = port_free()
    redis_start(state_dir=state, port=redis_port)
    env = {**os.environ, "PERIMETER_STATE_DIR": str(state), "DATABASE_URL": f"{pg.url}/perimeter",
           "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0", "AUDIT_KEY": "bench-audit-key-not-secret-0123456789ab",
           "INGEST_TASK_TIME_LIMIT_S": str(args.time_limit), "INGEST_SWEEP_INTERVAL_S": str(SWEEP_S),
           "EMBEDDING_THREADS": "1", "AUDIT_CHECKPOINT_PATH": str(state / "checkpoints.jsonl"),
           "PYTHONPATH": str(ROOT)}
    os.environ.update({k: env[k] for k in ("PERIMETER_STATE_DIR", "DATABASE_URL", "REDIS_URL", "AUDIT_KEY",
                                           "INGEST_TASK_TIME_LIMIT_S", "INGEST_SWEEP_INTERVAL_S",
                                           "AUDIT_CHECKPOINT_PATH")})
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], env=env, cwd=ROOT, check=True)
    import django

    django.setup()
    import redis

    workers = Workers(count=args.workers, env=env, logs=state)
    rng = random.Random(args.seed)
    visibility_s = args.time_limit + 60
    print(f"{args.documents} documents, {args.workers} workers (solo pool), task time limit {args.time_limit} s "
          f"(redelivery after {visibility_s} s), sweep every {SWEEP_S} s; state in {state}")
    try:
        workers.start_all()
        time.sleep(8)  # workers import Django and the embedding model
        ids = ingest(corpus=corpus, slug="clean")
        clean_s = settle(ids, timeout_s=3600)
        clean = summary("clean")
        report("clean", clean, None, clean_s)
        chunks_forget("clean")

        ids = ingest(corpus=corpus, slug="kills")
        started = time.monotonic()
        moments = sorted(rng.uniform(0.05, 0.9) * clean_s for _ in range(args.kills))
        mid_document = 0
        from ingest.models import Document

        for moment in moments:
            time.sleep(max(0.0, started + moment - time.monotonic()))
            alive = [i for i, p in enumerate(workers.procs) if p is not None]
            victim = rng.choice(alive)
            mid_document += Document.objects.filter(pk__in=ids, status__in=("parsing", "embedding")).exists()
            killed_at = time.time()
            workers.kill(victim)
            time.sleep(args.restart_s)
            workers.start(victim)
            workers.down.append((killed_at, time.time()))
        kills_s = settle(ids, timeout_s=visibility_s * (args.kills + 2) + clean_s * 3)
        served = sum(1 for t in ready_times(ids) if any(a <= t <= b for a, b in workers.down))
        report("kills", summary("kills"), clean, time.monotonic() - started)
        chunks_forget("kills")
        print(f"  {args.kills} kills ({mid_document} while a document was being parsed or embedded); "
              f"last document settled {kills_s:.1f} s after the last restart; "
              f"{served} documents finished while a killed worker was down")

        if args.broker_loss:
            ids = ingest(corpus=corpus, slug="broker-loss")
            started = time.monotonic()
            while Document.objects.filter(pk__in=ids, status__in=("ready", "failed")).count() < len(ids) // 2:
                time.sleep(0.2)
            workers.stop_all()
            lost = Document.objects.filter(pk__in=ids, status__in=("queued", "parsing", "embedding")).count()
            redis.Redis.from_url(env["REDIS_URL"]).flushall()
            workers.start_all()
            loss_s = settle(ids, timeout_s=3600)
            report("broker-loss", summary("broker-loss"), clean, time.monotonic() - started)
            from rag.audit.models import AuditEvent

            swept = AuditEvent.objects.filter(event_type="document.requeued", actor="system",
                                              target_id__in=[str(i) for i in ids]).count()
            print(f"  Redis emptied with {lost} documents in flight; all settled {loss_s:.1f} s after "
                  f"(sweep every {SWEEP_S} s, documents unchanged for {SWEEP_S} s); "
                  f"{swept} requeued by the sweep (audited document.requeued by system)")
    finally:
        workers.stop_all()
        redis_stop(port=redis_port)
        pg_stop(pg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
