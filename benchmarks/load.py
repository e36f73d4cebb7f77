"""Load and backpressure of the query API: per endpoint status counts and p50/p95 latency.

    LLM_BASE_URL=http://127.0.0.1:8001/v1 ./perimeter python benchmarks/ops_load.py \
        [--clients 50] [--seconds 300] [--question-share 0.7] [--timeout 180] [--no-busy-worker]
    ./perimeter python benchmarks/ops_load.py --url https://perimeter.internal --token-file TOKENS

Closed loop: CLIENTS threads, each with its own API token (``query`` scope), send without
pause either ``POST /api/v1/query`` (QUESTION_SHARE of requests) or ``GET /api/v1/collections``
for SECONDS. Without ``--url`` it brings up the embedded stack's web part itself, as
``./perimeter run`` does (own PostgreSQL+pgvector and Redis under a throw-away directory,
gunicorn gthread 2 workers x 8 threads, one solo Celery worker) against the model server at
LLM_BASE_URL, ingests 30 generated documents, and (unless ``--no-busy-worker``) keeps the worker
busy ingesting 300 more during the run. ``--token-file``: one token secret per line.

Prints per endpoint: requests, statuses, p50/p95/max in ms, client timeouts, how many
429/503 answers carried ``Retry-After``, and 5xx other than 503; then /readyz and the
``perimeter_*`` lines of /metrics.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rag.settings")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
QUESTIONS = ["What does section 2 of topic 14 say?", "How is kamiro related to dorvel?", "Summarise topic 3.",
             "Which topic mentions saneex?", "What is the capital of France?", "Explain luta in two sentences."]


def stack_start(*, state: Path, clients: int, cleanup: list) -> tuple:
    """The embedded web stack: (base URL, token secrets, start_busy_ingest()). Appends to
    ``cleanup`` how to stop each thing it starts, as it starts it."""
    from rag.embedded.net import http_wait, port_free
    from rag.embedded.postgres import pg_database_ensure, pg_start, pg_stop
    from rag.embedded.redis import redis_start, redis_stop

    pg = pg_start(state_dir=state, port=port_free())
    cleanup.append(lambda: pg_stop(pg))
    pg_database_ensure(pg, name="perimeter")
    redis_port, web_port = port_free(), port_free()
    redis_start(state_dir=state, port=redis_port)
    cleanup.append(lambda: redis_stop(port=redis_port))
    env = {**os.environ, "PERIMETER_STATE_DIR": str(state), "DATABASE_URL": f"{pg.url}/perimeter",
           "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0", "AUDIT_KEY": "bench-audit-key-not-secret-0123456789ab",
           "AUDIT_CHECKPOINT_PATH": str(state / "checkpoints.jsonl"), "EMBEDDING_THREADS": "1",
           "LLM_BASE_URL": os.environ.get("LLM_BASE_URL", "http://127.0.0.1:8001/v1"), "PYTHONPATH": str(ROOT)}
    os.environ.update({k: env[k] for k in ("PERIMETER_STATE_DIR", "DATABASE_URL", "REDIS_URL", "AUDIT_KEY",
                                           "AUDIT_CHECKPOINT_PATH", "LLM_BASE_URL")})
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], env=env, cwd=ROOT, check=True)
    procs = [
        subprocess.Popen([sys.executable, "-m", "celery", "-A", "rag", "worker", "--pool=solo", "--concurrency=1",
                          "-Q", "ingest,interactive,maintenance", "--loglevel=WARNING"],
                         env=env, cwd=ROOT, stdout=open(state / "worker.log", "w"), stderr=subprocess.STDOUT),
        subprocess.Popen([sys.executable, "-m", "gunicorn", "rag.wsgi:application", "--bind", f"127.0.0.1:{web_port}",
                          "--worker-class", "gthread", "--workers", "2", "--threads", "8", "--timeout", "300"],
                         env=env, cwd=ROOT, stdout=open(state / "web.log", "w"), stderr=subprocess.STDOUT),
    ]
    for proc in procs:
        cleanup.append(lambda proc=proc: (proc.terminate(), proc.wait(timeout=60)))
    import django

    django.setup()
    from benchmarks.ops_worker_kills import corpus_write, ingest, settle
    from rag.access.models import APIToken
    from rag.access.services import api_token_create

    corpus = state / "corpus"
    corpus.mkdir()
    corpus_write(dest=corpus, documents=330, seed=15)
    small = state / "corpus-small"
    small.mkdir()
    for f in sorted(corpus.iterdir())[:30]:
        f.rename(small / f.name)
    settle(ingest(corpus=small, slug="default"), timeout_s=1800)
    secrets = [api_token_create(name=f"load-{i}", scopes=[APIToken.Scope.QUERY], all_collections=True)[1]
               for i in range(clients)]
    url = f"http://127.0.0.1:{web_port}"
    http_wait(f"{url}/healthz", timeout_s=120)
    return url, secrets, (lambda: ingest(corpus=corpus, slug="busy"))


def client_loop(*, url: str, secret: str, until: float, share: float, timeout: float, seed: int,
                results: list) -> None:
    import httpx

    rng = random.Random(seed)
    with httpx.Client(base_url=url, timeout=timeout, headers={"Authorization": f"Bearer {secret}"}) as http:
        while time.monotonic() < until:
            ask = rng.random() < share
            endpoint = "POST /api/v1/query" if ask else "GET /api/v1/collections"
            started = time.monotonic()
            try:
                if ask:
                    resp = http.post("/api/v1/query", json={"question": rng.choice(QUESTIONS), "top_k": 5})
                else:
                    resp = http.get("/api/v1/collections")
                outcome, retry_after = resp.status_code, "Retry-After" in resp.headers
            except httpx.TimeoutException:
                outcome, retry_after = "timeout", False
            except httpx.HTTPError as exc:
                outcome, retry_after = type(exc).__name__, False
            results.append((endpoint, outcome, (time.monotonic() - started) * 1000, retry_after))


def report(results: list, seconds: float) -> None:
    by_endpoint = defaultdict(list)
    for row in results:
        by_endpoint[row[0]].append(row)
    for endpoint, rows in sorted(by_endpoint.items()):
        ms = sorted(r[2] for r in rows)
        statuses = Counter(r[1] for r in rows)
        backoff = [r for r in rows if r[1] in (429, 503)]
        other_5xx = sum(n for s, n in statuses.items() if isinstance(s, int) and s >= 500 and s != 503)
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
        print(f"{endpoint}: {len(rows)} requests ({len(rows) / seconds:.2f}/s), statuses {dict(statuses)}; "
              f"p50 {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms, max {ms[-1]:.0f} ms; "
              f"timeouts {statuses.get('timeout', 0)}; 429/503 with Retry-After "
              f"{sum(r[3] for r in backoff)}/{len(backoff)}; 5xx other than 503: {other_5xx}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--question-share", type=float, default=0.7)
    parser.add_argument("--timeout", type=float, default=180, help="client timeout per request, s")
    parser.add_argument("--no-busy-worker", action="store_true")
    parser.add_argument("--url")
    parser.add_argument("--token-file", type=Path)
    args = parser.parse_args(argv)

    import httpx

    cleanup: list = []
    if args.url:
        url, secrets = args.url.rstrip("/"), args.token_file.read_text().split()
    else:
        state = Path(tempfile.mkdtemp(prefix="perimeter-load-"))
        state.chmod(0o755)
        (state / "static").mkdir()
    try:
        if not args.url:
            url, secrets, busy = stack_start(state=state, clients=args.clients, cleanup=cleanup)
            if not args.no_busy_worker:
                threading.Thread(target=busy, daemon=True).start()
        results: list = []
        until = time.monotonic() + args.seconds
        threads = [threading.Thread(target=client_loop, kwargs={
            "url": url, "secret": secrets[i % len(secrets)], "until": until, "share": args.question_share,
            "timeout": args.timeout, "seed": i, "results": results}) for i in range(args.clients)]
        print(f"{args.clients} clients for {args.seconds:.0f} s against {url} "
              f"({args.question_share:.0%} questions), client timeout {args.timeout:.0f} s")
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        report(results, time.monotonic() - started)
        ready = httpx.get(f"{url}/readyz", timeout=15)
        print(f"/readyz {ready.status_code}: {ready.text}")
        if not args.url:
            metrics = httpx.get(f"{url}/metrics", timeout=30).text.splitlines()
            print("/metrics (perimeter_* samples):")
            for line in metrics:
                if line.startswith("perimeter_") and "_bucket" not in line:
                    print("  " + line)
    finally:
        for stop in reversed(cleanup):
            stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
