#!/usr/bin/env python
"""Chunk size sweep: ingest a corpus once per (max tokens, overlap) into throw-away databases, evaluate each.

    PYTHONPATH=. HF_HUB_OFFLINE=1 nice -n 19 python benchmarks/retrieval_chunk_sweep.py \
        .state/corpus/django-docs-5.2.19 /work/shared/dev-eval/qa.jsonl \
        --sizes 128/32,200/32,254/32 --server postgres://postgres@127.0.0.1:5433 --out /tmp/sweep

For each size it creates the database ``sweep_<max>_<overlap>`` on ``--server``
(dropped first if it exists; ``--keep`` leaves them), migrates it, ingests
every file in-process through the real pipeline (``document_register`` ->
``document_process``, Celery in eager mode, so no broker and no shared
worker is involved; REDIS_URL points at a closed port to make sure), then runs
``manage.py evaluate --retrieval-only --modes dense,bm25,hybrid`` and prints one
table for all sizes. Each size is a separate process with CHUNK_MAX_TOKENS and
CHUNK_OVERLAP_TOKENS set, exactly as a deployment would configure them.

Cost: embedding dominates (all-MiniLM-L6-v2 on CPU); the whole Django docs
take about an hour per size on 2 shared cores, so ``--subset N`` ingests only
the gold files of the QA set plus N other files drawn with ``--seed`` (the
comparison between sizes stays fair: same files for every size; absolute
numbers are higher than on the whole corpus, which has more distractors).
Use ``nice``.

Result (``--subset 80 --seed 5``: 112 files, all 30 gold files; dev-set 40
questions; retrieval only, top_k 10; RRF k 60, depth 20)::

    max/overlap  chunks   dense h@1/h@5/MRR    bm25 h@1/h@5/MRR    hybrid h@1/h@5/MRR
    128/32        7511    .706/.971/.816       .676/.824/.729      .794/.971/.868
    200/32        4899    .765/.971/.854       .647/.794/.700      .735/1.000/.848
    254/32        4058    .735/.941/.834       .647/.794/.693      .676/.971/.796

200/32 (the default) keeps the best dense and hybrid hit@5; 128 buys hybrid
hit@1 (+2 questions) for 53% more chunks to embed and store. Differences of
0.03 are one question.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ingest(corpus: Path, only: Path | None = None) -> None:
    """In the child process: register and process every file of ``corpus`` (or those
    listed in the file ``only``, one relative path a line) in-process."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rag.settings")
    import django

    django.setup()
    from rag.celery import app

    app.conf.task_always_eager = True  # document_register's on_commit runs document_process right here
    from django.db.models import Sum

    from ingest.models import Document
    from ingest.services import collection_get_or_create, document_register

    coll = collection_get_or_create(slug="default")
    files = corpus_files(corpus)
    if only is not None:
        wanted = set(only.read_text().split())
        files = [p for p in files if p.relative_to(corpus).as_posix() in wanted]
    started = time.monotonic()
    for n, path in enumerate(files, 1):
        document_register(collection=coll, source=path.relative_to(corpus).as_posix(), data=path.read_bytes())
        if n % 50 == 0:
            print(f"  {n}/{len(files)} files, {time.monotonic() - started:.0f} s", flush=True)
    ready = Document.objects.filter(status=Document.Status.READY)
    print(json.dumps({"files": len(files), "ready": ready.count(),
                      "chunks": ready.aggregate(n=Sum("chunk_count"))["n"],
                      "ingest_s": round(time.monotonic() - started, 1)}), flush=True)


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.is_file() and not p.name.startswith("."))


def subset_write(corpus: Path, qa: Path, size: int, seed: int, out: Path) -> int:
    """Every gold file of ``qa`` plus ``size`` other files drawn with ``seed``; returns the count."""
    import random

    gold = {g for line in qa.read_text().splitlines() if line.strip() for g in json.loads(line).get("gold", [])}
    others = [p.relative_to(corpus).as_posix() for p in corpus_files(corpus)]
    others = sorted(set(others) - gold)
    chosen = sorted(gold) + random.Random(seed).sample(others, min(size, len(others)))
    out.write_text("\n".join(chosen) + "\n")
    return len(chosen)


def run(args) -> int:
    sizes = [tuple(int(x) for x in s.split("/")) for s in args.sizes.split(",")]
    args.out.mkdir(parents=True, exist_ok=True)
    only: list[str] = []
    if args.subset is not None:
        listing = args.out / "subset.txt"
        n = subset_write(args.corpus, args.qa, args.subset, args.seed, listing)
        print(f"subset: {n} files (all gold files + {args.subset} drawn with seed {args.seed}): {listing}")
        only = [str(listing)]
    rows = {}
    for max_tokens, overlap in sizes:
        name = f"sweep_{max_tokens}_{overlap}"
        env = {
            **os.environ,
            "DATABASE_URL": f"{args.server.rstrip('/')}/{name}",
            "CHUNK_MAX_TOKENS": str(max_tokens),
            "CHUNK_OVERLAP_TOKENS": str(overlap),
            "PERIMETER_STATE_DIR": tempfile.mkdtemp(prefix=f"{name}-"),
            "REDIS_URL": "redis://127.0.0.1:1/0",  # nothing may reach a real broker
            "PYTHONPATH": str(ROOT),
            "HF_HUB_OFFLINE": "1",
        }
        admin = f"{args.server.rstrip('/')}/postgres"
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
        print(f"{name}: ingesting {args.corpus}", flush=True)
        out = subprocess.run([sys.executable, __file__, "ingest", str(args.corpus), *only], env=env, check=True,
                             cwd=ROOT, stdout=subprocess.PIPE, text=True).stdout
        stats = json.loads(out.strip().splitlines()[-1])
        report = args.out / f"{name}.json"
        subprocess.run([*manage, "evaluate", str(args.qa), "--retrieval-only", "--modes", "dense,bm25,hybrid",
                        "--json", str(report)], env=env, check=True, cwd=ROOT)
        rows[(max_tokens, overlap)] = (stats, json.loads(report.read_text())["modes"])
        if not args.keep:
            subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
    print("\nmax/overlap  chunks  ingest s " + "".join(f"  {m + ' h@1':>11}{m + ' h@5':>11}{m + ' MRR':>11}"
                                                    for m in ("dense", "bm25", "hybrid")))
    for (max_tokens, overlap), (stats, modes) in rows.items():
        cells = "".join(f"  {modes[m]['hit_at_1']:>11.3f}{modes[m]['hit_at_5']:>11.3f}{modes[m]['mrr_at_10']:>11.3f}"
                        for m in ("dense", "bm25", "hybrid"))
        print(f"{max_tokens:>4}/{overlap:<7} {stats['chunks']:>6} {stats['ingest_s']:>9.0f} {cells}")
    return 0


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["ingest"]:
        ingest(Path(argv[1]), Path(argv[2]) if len(argv) > 2 else None)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="folder to ingest (paths inside it become Document.source)")
    parser.add_argument("qa", type=Path, help="QA JSONL for manage.py evaluate")
    parser.add_argument("--sizes", default="128/32,200/32,254/32", help="MAX/OVERLAP,... in word pieces")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5433")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "chunk-sweep")
    parser.add_argument("--keep", action="store_true", help="keep the sweep databases")
    parser.add_argument("--subset", type=int, default=None,
                        help="ingest only the QA file's gold files plus this many others (cheaper)")
    parser.add_argument("--seed", type=int, default=5, help="seed for --subset")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
