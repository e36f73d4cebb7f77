"""Ingestion end to end through the real broker and workers: today's pipeline against the new defaults.

    ./perimeter python benchmarks/ingest_e2e.py [CORPUS_DIR] [--files N] [--json PATH]

Starts its own PostgreSQL+pgvector and Redis (the code ``./perimeter run`` uses) under a
temporary directory. For each configuration, on a fresh database and a fresh broker database:
migrate, start the Celery worker(s) of that configuration, time ``manage.py ingest`` of the
corpus (registration, queueing and waiting until every document is ready or failed), read the
workers' per-batch stage timings from their logs and their peak RSS (VmHWM of every worker
process), stop them, then run ``manage.py evaluate dev-eval/qa.jsonl --modes dense,hybrid
--retrieval-only`` against what was ingested. Configurations:

- ``baseline``: today's pipeline settings: torch fp32, one document per task, one solo worker
  using every core (``EMBEDDING_BACKEND=torch INGEST_BATCH_DOCUMENTS=1``);
- ``new``: the defaults (``EMBEDDING_BACKEND`` as set, else onnx-int8), documents batched per
  task, the worker layout of ``./perimeter run`` (rag.embedded.__main__.ingest_worker_layout).

Prints docs/min, chunks/s, stage shares, peak worker RSS and dev hit@5 / MRR@10 side by side;
``--json PATH`` writes ``{"baseline": {...}, "new": {...}}``. ``--files N`` ingests the dev
set's gold files plus N seeded others (default: the whole corpus; the Django docs are 654
files, ~15 min for the baseline on a quiet 2-core machine). The load average is printed:
other processes on the machine slow both runs, so compare them within one run.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
QA = ROOT.parent / "shared" / "dev-eval" / "qa.jsonl"
BATCH_LINE = re.compile(r"ingest batch: documents=(\d+) stored=(\d+) chunks=(\d+) cache_hits=(\d+) "
                        r"parse_ms=(\d+) embed_ms=(\d+) store_ms=(\d+)")


def configurations(*, layout: tuple[int, int] | None = None) -> dict[str, dict]:
    """The two configurations; ``layout`` (processes, embedding threads per process) overrides
    the ``new`` worker layout of ``./perimeter run`` (to compare layouts)."""
    from rag.embedded.__main__ import ingest_worker_layout

    processes, threads = layout or ingest_worker_layout(cores=os.cpu_count() or 1)
    return {
        "baseline": {"env": {"EMBEDDING_BACKEND": "torch", "INGEST_BATCH_DOCUMENTS": "1", "EMBEDDING_THREADS": "0"},
                     "worker": ["--pool=solo", "--concurrency=1"]},
        "new": {"env": {"EMBEDDING_THREADS": str(threads)},
                "worker": ["--pool=prefork", f"--concurrency={processes}"]},
    }


def corpus_subset(corpus: Path, dest: Path, *, files: int | None) -> Path:
    every = sorted(f.relative_to(corpus).as_posix() for f in corpus.rglob("*.txt"))
    if files is None:
        chosen = every
    else:
        gold = {g for line in QA.read_text().splitlines() if line.strip() for g in json.loads(line)["gold"]}
        others = [f for f in every if f not in gold]
        chosen = sorted(gold & set(every)) + random.Random(13).sample(others, min(files, len(others)))
    for rel in chosen:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus / rel, dest / rel)
    return dest


def _tree_peak_rss_mb(pid: int) -> tuple[float, float]:
    """(largest VmHWM of one process, sum of VmHWM) over ``pid`` and its descendants, MiB."""
    import psutil

    peaks = []
    for proc in [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]:
        try:
            status = Path(f"/proc/{proc.pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        if match:
            peaks.append(int(match.group(1)) / 1024)
    return (max(peaks, default=0.0), sum(peaks))


def run_one(name: str, cfg: dict, *, corpus: Path, base_env: dict, pg, state: Path, redis_db: int) -> dict:
    from celery import Celery

    from rag.embedded.postgres import APP_ROLE, OWNER_ROLE, pg_database_ensure

    database = f"bench_{name}"
    pg_database_ensure(pg, name=database, owner=OWNER_ROLE)
    url = f"127.0.0.1:{pg.port}/{database}"
    env = {**base_env, **cfg["env"], "DATABASE_URL": f"postgres://{APP_ROLE}@{url}",
           "REDIS_URL": f"{base_env['REDIS_URL']}/{redis_db}", "PERIMETER_STATE_DIR": str(state / name)}
    (state / name).mkdir()
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], check=True, cwd=ROOT,
                   env={**env, "DATABASE_URL": f"postgres://{OWNER_ROLE}@{url}", "DATABASE_APP_ROLE": APP_ROLE})
    log_path = state / f"worker-{name}.log"
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "rag", "worker", "-Q",
                               "ingest,interactive,maintenance", "--loglevel=INFO", *cfg["worker"],
                               "--without-gossip", "--without-mingle"],
                              cwd=ROOT, env=env, stdout=open(log_path, "w"), stderr=subprocess.STDOUT)
    try:
        app = Celery(broker=env["REDIS_URL"])
        while not app.control.ping(timeout=1.0):
            if worker.poll() is not None:
                raise SystemExit(f"worker {name} did not start; see {log_path}")
        load_before = os.getloadavg()
        started = time.monotonic()
        ingest = subprocess.run([*manage, "ingest", str(corpus), "--timeout", "14400"], cwd=ROOT, env=env,
                                capture_output=True, text=True)
        elapsed = time.monotonic() - started
        if ingest.returncode:
            raise SystemExit(f"ingest failed for {name}:\n{ingest.stdout[-2000:]}\n{ingest.stderr[-2000:]}")
        peak_one, peak_sum = _tree_peak_rss_mb(worker.pid)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
    done = re.search(r"ingested (\d+) documents \((\d+) chunks\) in ([\d.]+) s; (\d+) failed", ingest.stdout)
    docs, chunks, failed = int(done.group(1)), int(done.group(2)), int(done.group(4))
    stages = {"parse": 0, "embed": 0, "store": 0}
    for m in BATCH_LINE.finditer(log_path.read_text()):
        stages["parse"] += int(m.group(5))
        stages["embed"] += int(m.group(6))
        stages["store"] += int(m.group(7))
    total_ms = sum(stages.values()) or 1
    errors = subprocess.run(
        [*manage, "shell", "-c", "import collections, json; from ingest.models import Document; "
                                 "print(json.dumps(collections.Counter(Document.objects.filter(status='failed')"
                                 ".values_list('error', flat=True))))"],
        check=True, cwd=ROOT, env=env, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    report_path = state / f"eval-{name}.json"
    subprocess.run([*manage, "evaluate", str(QA), "--modes", "dense,hybrid", "--retrieval-only",
                    "--json", str(report_path), "--results", str(state / f"answers-{name}.jsonl")],
                   check=True, cwd=ROOT, env=env, capture_output=True)
    modes = json.loads(report_path.read_text())["modes"]
    cited = {mode: {row["id"]: row["citations"][:5]
                    for row in map(json.loads, (state / f"answers-{name}.{mode}.jsonl").read_text().splitlines())}
             for mode in ("dense", "hybrid")}
    return {
        "documents": docs, "failed": failed, "chunks": chunks, "seconds": round(elapsed, 1),
        "docs_per_min": round(docs / elapsed * 60, 1), "chunks_per_s": round(chunks / elapsed, 1),
        "stage_share": {k: round(v / total_ms, 3) for k, v in stages.items()},
        "peak_worker_rss_mb": {"largest_process": round(peak_one), "all_processes": round(peak_sum)},
        "hit_at_5": {m: round(modes[m]["hit_at_5"], 3) for m in ("dense", "hybrid")},
        "mrr_at_10": {m: round(modes[m]["mrr_at_10"], 3) for m in ("dense", "hybrid")},
        "failure_reasons": json.loads(errors),
        "top5_sources_per_question": cited,
        "settings": {**cfg["env"], "worker": " ".join(cfg["worker"])},
        "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]},
    }


def main() -> None:
    from rag.embedded.net import port_free
    from rag.embedded.postgres import pg_roles_ensure, pg_start, pg_stop
    from rag.embedded.redis import redis_start, redis_stop

    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT / ".state" / "corpus" / "django-docs-5.2.19")
    parser.add_argument("--files", type=int, default=None, help="gold files plus N others (default: all)")
    parser.add_argument("--only", choices=("baseline", "new"), help="run one configuration")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--layout", metavar="P:T", help="new: P worker processes x T embedding threads each "
                                                         "(default: the layout of ./perimeter run)")
    args = parser.parse_args()
    layout = tuple(int(x) for x in args.layout.split(":")) if args.layout else None
    state = Path(tempfile.mkdtemp(prefix="perimeter-bench-"))
    state.chmod(0o755)
    pg = redis_port = None
    try:
        corpus = corpus_subset(args.corpus, state / "corpus", files=args.files)
        pg = pg_start(state_dir=state, port=port_free())
        pg_roles_ensure(pg)
        redis_port = port_free()
        redis_start(state_dir=state, port=redis_port)
        base_env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONPATH": str(ROOT),
                    "REDIS_URL": f"redis://127.0.0.1:{redis_port}", "LOG_LEVEL": "INFO",
                    "AUDIT_KEY": "benchmark-audit-key-not-secret-0123456789"}
        print(f"corpus {sum(1 for _ in corpus.rglob('*.txt'))} files; cores {os.cpu_count()}; "
              f"load average {os.getloadavg()}", flush=True)
        results = {}
        for db, (name, cfg) in enumerate(configurations(layout=layout).items(), start=1):
            if args.only and name != args.only:
                continue
            results[name] = run_one(name, cfg, corpus=corpus, base_env=base_env, pg=pg, state=state, redis_db=db)
            print(name, json.dumps(results[name]), flush=True)
        _print_table(results)
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
    finally:
        if redis_port:
            redis_stop(port=redis_port)
        if pg:
            pg_stop(pg)
        shutil.rmtree(state, ignore_errors=True)


def _print_table(results: dict) -> None:
    names = list(results)
    rows = [("documents (failed)", lambda r: f"{r['documents']} ({r['failed']})"),
            ("chunks", lambda r: r["chunks"]), ("wall time, s", lambda r: r["seconds"]),
            ("docs/min", lambda r: r["docs_per_min"]), ("chunks/s", lambda r: r["chunks_per_s"]),
            ("stage share parse / embed / store", lambda r: " / ".join(f"{r['stage_share'][k]:.0%}"
                                                                       for k in ("parse", "embed", "store"))),
            ("peak worker RSS, MiB (largest / all)", lambda r: "{largest_process} / {all_processes}".format(
                **r["peak_worker_rss_mb"])),
            ("hit@5 dense / hybrid", lambda r: f"{r['hit_at_5']['dense']} / {r['hit_at_5']['hybrid']}"),
            ("MRR@10 dense / hybrid", lambda r: f"{r['mrr_at_10']['dense']} / {r['mrr_at_10']['hybrid']}"),
            ("load average before / after (1 min)", lambda r: f"{r['load_average']['before'][0]} / "
                                                             f"{r['load_average']['after'][0]}")]
    print()
    print("| | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for label, cell in rows:
        print(f"| {label} | " + " | ".join(str(cell(results[n])) for n in names) + " |")
    if {"baseline", "new"} <= set(results):
        print(f"\nspeed-up in docs/min: {results['new']['docs_per_min'] / results['baseline']['docs_per_min']:.2f}x")


if __name__ == "__main__":
    main()
