#!/usr/bin/env python
"""Audit trail throughput: appends/s through ``audit_append`` and events/s through ``audit_chain_verify``.

    PYTHONPATH=. python benchmarks/audit_verify_bench.py --events 20000

Runs against a throw-away database created on the server of DATABASE_URL
(default: the dev PostgreSQL at 127.0.0.1:5433) and dropped afterwards: audit rows
cannot be deleted, so the benchmark never writes to a real database. Events carry
realistic details (ids, counts, a redacted sentence, ~250 bytes of JSON). Appends
are timed in transactions of ``--batch`` events (the lock is taken per event);
one event in five carries floats (similarity scores). Verification is timed over
the whole chain, ``--repeat`` times, best run reported, as wall time and as this
process's CPU time (the latter is what to compare on a shared machine).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rag.settings")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=500, help="appends per transaction (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="verification runs (default: %(default)s)")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction

    from rag.audit.models import AuditEvent
    from rag.audit.selectors import audit_chain_verify
    from rag.audit.services import audit_append

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"perimeter_audit_bench_{os.getpid()}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False, serialize=False)
    try:
        E = AuditEvent.EventType
        kinds = [E.QUERY_ASKED, E.CHUNKS_RETRIEVED, E.MODEL_CALLED, E.REDACTION_COMPLETED, E.FALLBACK_APPROVED]
        started = time.perf_counter()
        for start in range(0, args.events, args.batch):
            with transaction.atomic():
                for i in range(start, min(start + args.batch, args.events)):
                    details = {
                        "question": "What is the notice period in <PERSON_1>'s contract with <ORG_2>?",
                        "chunk_ids": [i, i + 1, i + 2, i + 3, i + 4], "latency_ms": 800 + i % 400,
                        "counts": {"PERSON": 1, "ORG": 1},
                    }
                    if i % len(kinds) == 1:  # retrieval events carry similarity scores (floats)
                        details["scores"] = [round(0.9 - k / 10 - (i % 7) / 1000, 4) for k in range(5)]
                    audit_append(event_type=kinds[i % len(kinds)], actor=f"user{i % 37}", target_type="question",
                                 target_id=i, details=details)
        append_s = time.perf_counter() - started
        runs, cpu = [], []
        for _ in range(args.repeat):
            cpu_started = time.process_time()
            runs.append(audit_chain_verify())
            cpu.append(time.process_time() - cpu_started)
        best = min(runs, key=lambda r: r.duration_s)
        assert best.ok and best.checked == args.events, best
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('audit_event')")
            size = cursor.fetchone()[0]
        print(f"events        {args.events}  ({size / args.events:.0f} bytes/event on disk with indexes)")
        print(f"append        {append_s:.2f} s  ->  {args.events / append_s:,.0f} events/s "
              f"(transactions of {args.batch})")
        print(f"verify        {best.duration_s:.2f} s  ->  {best.events_per_s:,.0f} events/s "
              f"(best of {args.repeat}: {', '.join(f'{r.duration_s:.2f}' for r in runs)} s)")
        print(f"verify CPU    {min(cpu):.2f} s of this process  ->  {args.events / min(cpu):,.0f} events/CPU-s "
              "(Python side; the wall figure also waits for PostgreSQL and other load)")
        print(f"head          {best.head_hash}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
