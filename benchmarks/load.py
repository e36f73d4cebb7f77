"""Load and backpressure of the query API: per endpoint status counts and p50/p95 latency.

    LLM_BASE_URL=http://127.0.0.1:8001/v1 ./perimeter python benchmarks/load.py \
        [--clients 50] [--seconds 300] [--question-share 0.7] [--timeout 180] [--max-retry-wait 5] \
        [--busy-documents 300] [--no-busy-worker]
    ./perimeter python benchmarks/load.py --url https://perimeter.internal --token-file TOKENS

Closed loop: CLIENTS threads, each with its own API token (``query`` scope), send either
``POST /api/v1/query`` (QUESTION_SHARE of requests) or ``GET /api/v1/collections`` for SECONDS,
as real clients do: after a 429/503 with ``Retry-After`` a client waits that long (at most
MAX_RETRY_WAIT s) before its next request, otherwise it sends the next one at once. Clients keep
an idle connection 1 s, under gunicorn's 2 s keep-alive: reusing one the server is closing
just then fails with a ReadError that says nothing about the server's capacity.

Without ``--url`` it brings up the embedded stack itself, the processes ``./perimeter run``
supervises (``rag.embedded.__main__.programs_build``: gunicorn gthread 2 workers x 8 threads,
warmed before serving; a Celery worker for the interactive and maintenance queues in 4 threads
with beat; an ingestion worker at ``nice -n 10``), with its own PostgreSQL+pgvector and Redis
under a throw-away directory,
against the model server at LLM_BASE_URL, ingests 30 short staff policies (most questions ask
about one of them, so the model answers; a few are not answered by any document), and (unless
``--no-busy-worker``) keeps the ingestion worker busy with BUSY_DOCUMENTS generated documents
during the run.
``--token-file``: one token secret per line. The web processes read the usual environment
(e.g. QUESTION_MAX_IN_FLIGHT_PER_PROCESS, LLM_MAX_CONCURRENT_GENERATIONS).

Prints the load average before and after, then per endpoint: requests, statuses, p50/p95/max
in ms, client timeouts, "told to retry" (429/503 with ``Retry-After``) and 429/503 without it,
5xx other than 503, and for questions how many were neither answered (200) nor told to retry;
then how many busy documents were still being ingested, /readyz and the ``perimeter_*`` lines
of /metrics.
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
KEEPALIVE_S = 1.0  # a client's idle connection, under gunicorn's default --keep-alive of 2 s
# The answered collection: 30 short staff policies, each question asked about one of them (the
# model answers those), plus a few the documents do not answer (abstained on retrieval).
POLICIES = [(f"{kind} {item}", team, 2 + n % 9, 3 + n % 7)
            for n, (kind, item, team) in enumerate(
                (kind, item, team) for kind, team in (
                    ("annual", "people"), ("parental", "people"), ("remote-work", "facilities"),
                    ("travel", "finance"), ("equipment", "IT"), ("training", "learning"),
                    ("overtime", "payroll"), ("relocation", "mobility"), ("parking", "facilities"),
                    ("conference", "finance"))
                for item in ("leave requests", "expense claims", "allowances"))]
QUESTIONS = ([f"Who approves {subject}?" for subject, *_ in POLICIES]
             + [f"How many working days does it take to approve {subject}?" for subject, *_ in POLICIES]
             + ["What is the capital of France?", "How is kamiro related to dorvel?", "Summarise topic 3."])


def policies_write(*, dest: Path) -> None:
    """One Markdown file per entry of :data:`POLICIES`."""
    for n, (subject, team, days, per_year) in enumerate(POLICIES):
        (dest / f"policy-{n:02d}.md").write_text(
            f"# {subject.capitalize()}\n\n{subject.capitalize()} are approved by the {team} team within {days} "
            f"working days. Send them through the staff portal with a note from your manager.\n\n## Limits\n\n"
            f"Each employee may file up to {per_year} {subject} per year; more need a director's approval.\n")


def stack_start(*, state: Path, clients: int, busy_documents: int, cleanup: list) -> tuple:
    """The embedded web stack: (base URL, token secrets, start_busy_ingest() -> document ids).
    Appends to ``cleanup`` how to stop each thing it starts, as it starts it."""
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
           "AUDIT_CHECKPOINT_PATH": str(state / "checkpoints.jsonl"),
           "LLM_BASE_URL": os.environ.get("LLM_BASE_URL", "http://127.0.0.1:8001/v1"), "PYTHONPATH": str(ROOT)}
    os.environ.update({k: env[k] for k in ("PERIMETER_STATE_DIR", "DATABASE_URL", "REDIS_URL", "AUDIT_KEY",
                                           "AUDIT_CHECKPOINT_PATH", "LLM_BASE_URL")})
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], env=env, cwd=ROOT, check=True)
    from rag.embedded.__main__ import programs_build

    # exactly the embedded mode's processes (rag.embedded.__main__.programs_build), without vLLM:
    # interactive+maintenance worker with beat, ingestion worker at nice 10, gunicorn 2 x 8 warmed
    procs = [subprocess.Popen(program.command(), env=env, cwd=program.cwd or ROOT,
                              stdout=open(state / f"{program.name}.log", "w"), stderr=subprocess.STDOUT)
             for program in programs_build(state=state, env=env, port=web_port, cores=os.cpu_count() or 1)]
    for proc in procs:
        cleanup.append(lambda proc=proc: _stop(proc))
    import django

    django.setup()
    from benchmarks.ops_worker_kills import corpus_write, ingest, settle
    from rag.access.models import APIToken
    from rag.access.services import api_token_create

    corpus = state / "corpus"
    corpus.mkdir()
    corpus_write(dest=corpus, documents=busy_documents, seed=15)
    policies = state / "policies"
    policies.mkdir()
    policies_write(dest=policies)
    settle(ingest(corpus=policies, slug="default"), timeout_s=1800)
    secrets = [api_token_create(name=f"load-{i}", scopes=[APIToken.Scope.QUERY], all_collections=True)[1]
               for i in range(clients)]
    url = f"http://127.0.0.1:{web_port}"
    http_wait(f"{url}/healthz", timeout_s=120)
    return url, secrets, (lambda: ingest(corpus=corpus, slug="busy"))


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def client_loop(*, url: str, secret: str, until: float, share: float, timeout: float, max_retry_wait: float,
                seed: int, results: list) -> None:
    """One client until ``until`` (monotonic s): appends (endpoint, status or error name, ms,
    Retry-After in s or None, the error body's code or "") per request; after a 429/503 with
    Retry-After it waits that long, at most ``max_retry_wait`` s (and not past ``until``)."""
    import httpx

    rng = random.Random(seed)
    limits = httpx.Limits(keepalive_expiry=KEEPALIVE_S)
    with httpx.Client(base_url=url, timeout=timeout, limits=limits,
                      headers={"Authorization": f"Bearer {secret}"}) as http:
        while time.monotonic() < until:
            ask = rng.random() < share
            endpoint = "POST /api/v1/query" if ask else "GET /api/v1/collections"
            started = time.monotonic()
            retry_after, code = None, ""
            try:
                if ask:
                    resp = http.post("/api/v1/query", json={"question": rng.choice(QUESTIONS), "top_k": 5})
                else:
                    resp = http.get("/api/v1/collections")
                outcome = resp.status_code
                if outcome in (429, 503) and "Retry-After" in resp.headers:
                    retry_after = float(resp.headers["Retry-After"])
                if outcome >= 400 and resp.headers.get("Content-Type", "").startswith("application/json"):
                    code = resp.json().get("error", {}).get("code", "")
            except httpx.TimeoutException:
                outcome = "timeout"
            except httpx.HTTPError as exc:
                outcome = type(exc).__name__
            results.append((endpoint, outcome, (time.monotonic() - started) * 1000, retry_after, code))
            if retry_after is not None:
                time.sleep(max(0.0, min(retry_after, max_retry_wait, until - time.monotonic())))


def report(results: list, seconds: float) -> None:
    """Per endpoint: requests, statuses, p50/p95/max (ms), timeouts, told to retry, other 5xx."""
    by_endpoint = defaultdict(list)
    for row in results:
        by_endpoint[row[0]].append(row)
    for endpoint, rows in sorted(by_endpoint.items()):
        ms = sorted(r[2] for r in rows)
        statuses = Counter(r[1] for r in rows)
        told = [r for r in rows if r[3] is not None]
        untold = sum(1 for r in rows if r[1] in (429, 503) and r[3] is None)
        other_5xx = sum(n for s, n in statuses.items() if isinstance(s, int) and s >= 500 and s != 503)
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
        waits = Counter(int(r[3]) for r in told)
        codes = Counter(f"{r[1]} {r[4]}" for r in rows if r[4])
        print(f"{endpoint}: {len(rows)} requests ({len(rows) / seconds:.2f}/s), statuses {dict(statuses)}; "
              f"p50 {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms, max {ms[-1]:.0f} ms; "
              f"timeouts {statuses.get('timeout', 0)}; told to retry (429/503 with Retry-After) {len(told)}"
              f"{f' (Retry-After s: {dict(sorted(waits.items()))})' if told else ''}; "
              f"429/503 without Retry-After {untold}; 5xx other than 503: {other_5xx}"
              f"{f'; error codes {dict(codes)}' if codes else ''}")
        if endpoint.startswith("POST"):
            left = sum(1 for r in rows if r[1] != 200 and r[3] is None)
            print(f"  questions answered (200) {statuses.get(200, 0)}, told to retry {len(told)}, "
                  f"neither {left}")


def stored_timings() -> None:
    """Where the stored questions' time went: p50/p95 of retrieval_ms and generation_ms (server side)."""
    from rag.qa.models import Question

    rows = list(Question.objects.values_list("retrieval_ms", "generation_ms"))
    if not rows:
        print("stored questions: none")
        return
    generated = Question.objects.filter(llm_call__isnull=False).count()
    print(f"stored questions: {len(rows)}, {generated} answered by the model, {len(rows) - generated} "
          f"without a model call (abstained on retrieval)")
    for name, values in (("retrieval", sorted(r[0] for r in rows)),
                         ("generation (with the wait for a slot)", sorted(r[1] for r in rows))):
        print(f"stored questions ({len(rows)}): {name} p50 {statistics.median(values):.0f} ms, "
              f"p95 {values[min(len(values) - 1, int(0.95 * len(values)))]:.0f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--question-share", type=float, default=0.7)
    parser.add_argument("--timeout", type=float, default=180, help="client timeout per request, s")
    parser.add_argument("--max-retry-wait", type=float, default=5,
                        help="longest a client waits on a Retry-After before its next request, s")
    parser.add_argument("--busy-documents", type=int, default=300,
                        help="documents the ingestion worker is kept busy with during the run")
    parser.add_argument("--no-busy-worker", action="store_true")
    parser.add_argument("--url")
    parser.add_argument("--token-file", type=Path)
    args = parser.parse_args(argv)

    import logging

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    cleanup: list = []
    busy_ids: list[int] = []
    if args.url:
        url, secrets = args.url.rstrip("/"), args.token_file.read_text().split()
    else:
        state = Path(tempfile.mkdtemp(prefix="perimeter-load-"))
        state.chmod(0o755)
        (state / "static").mkdir()
    try:
        if not args.url:
            url, secrets, busy = stack_start(state=state, clients=args.clients, busy_documents=args.busy_documents,
                                             cleanup=cleanup)
            if not args.no_busy_worker:
                threading.Thread(target=lambda: busy_ids.extend(busy()), daemon=True).start()
        results: list = []
        until = time.monotonic() + args.seconds
        threads = [threading.Thread(target=client_loop, kwargs={
            "url": url, "secret": secrets[i % len(secrets)], "until": until, "share": args.question_share,
            "timeout": args.timeout, "max_retry_wait": args.max_retry_wait, "seed": i, "results": results})
            for i in range(args.clients)]
        print(f"{args.clients} clients for {args.seconds:.0f} s against {url} "
              f"({args.question_share:.0%} questions), client timeout {args.timeout:.0f} s, "
              f"Retry-After honoured up to {args.max_retry_wait:.0f} s; "
              f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(f"load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        report(results, time.monotonic() - started)
        if not args.url:
            stored_timings()
        if busy_ids:
            from ingest.models import Document

            left = Document.objects.filter(pk__in=busy_ids, status__in=("queued", "parsing", "embedding")).count()
            print(f"busy ingestion: {left} of {len(busy_ids)} documents still queued or in progress at the end")
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
            try:
                stop()
            except Exception as exc:  # stop the rest all the same (PostgreSQL last)
                print(f"cleanup: {exc!r}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
