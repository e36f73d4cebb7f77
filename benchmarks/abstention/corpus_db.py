"""A PostgreSQL of its own with the Django docs ingested, for the abstention benchmarks.

    ./perimeter python benchmarks/abstention/corpus_db.py [--state /tmp/abst-state] [--port 5491] [--stop]

Starts (once) a pgvector cluster under ``STATE/pg`` on ``PORT``, migrates, fetches
the Django 5.2.19 docs (as ``./perimeter run`` does) and ingests them in-process
(the ingest service is called directly; no Celery, no Redis). Idempotent: unchanged files are
skipped, so a second run only checks. Prints the ``DATABASE_URL`` and
``PERIMETER_STATE_DIR`` to export before ``benchmarks/abstention/*.py`` or
``./perimeter manage evaluate``. The cluster keeps running; ``--stop`` stops it.
Takes about 15-25 minutes on 2 shared cores the first time.
"""
from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--state", type=Path, default=Path("/tmp/abst-state"))
    parser.add_argument("--port", type=int, default=5491)
    parser.add_argument("--stop", action="store_true")
    parser.add_argument("--shard", default="0/1",
                        help="I/N: process the documents whose id %% N == I (run N of these side by side)")
    args = parser.parse_args()
    state = args.state.resolve()
    state.mkdir(parents=True, exist_ok=True)
    from rag.embedded.__main__ import DJANGO_VERSION, corpus_fetch
    from rag.embedded.postgres import pg_database_ensure, pg_start, pg_stop

    pg = pg_start(state_dir=state, port=args.port)
    if args.stop:
        pg_stop(pg)
        return 0
    pg_database_ensure(pg, name="perimeter")
    key = state / "audit_key"
    if not key.exists():
        key.write_text(secrets.token_urlsafe(32))
        key.chmod(0o600)
    url = f"postgres://postgres@127.0.0.1:{args.port}/perimeter"
    os.environ.update(DATABASE_URL=url, PERIMETER_STATE_DIR=str(state), DJANGO_SETTINGS_MODULE="rag.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count

    call_command("migrate", "--no-input", verbosity=0)
    corpus = corpus_fetch(dest=state / f"corpus/django-docs-{DJANGO_VERSION}")
    # No Celery, no Redis: register every file with the queueing step switched off, then
    # process this shard's unfinished documents in-process (the ingest service itself).
    import ingest.services as ingest_services
    from ingest.models import Document

    ingest_services._enqueue = lambda document_id: None
    coll = ingest_services.collection_get_or_create(slug="default")
    for f in sorted(corpus.rglob("*.txt")):
        ingest_services.document_register(collection=coll, source=f.relative_to(corpus).as_posix(),
                                          data=f.read_bytes())
    index, count = (int(x) for x in args.shard.split("/"))
    todo = [d for d in Document.objects.filter(collection=coll).exclude(status=Document.Status.READY)
            .order_by("id").values_list("id", flat=True) if d % count == index]
    for n, doc_id in enumerate(todo, 1):
        ingest_services.document_process(document_id=doc_id)
        print(f"shard {args.shard}: {n}/{len(todo)}", flush=True)
    states = dict(Document.objects.filter(collection=coll).values_list("status").annotate(n=Count("id")))
    print(f"documents by status: {states}")
    print(f"export DATABASE_URL={url} PERIMETER_STATE_DIR={state}")
    print(f"corpus: {corpus}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
