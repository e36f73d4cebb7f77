"""Embedding backends side by side on the same chunks: speed, closeness to fp32, dense dev retrieval.

    ./perimeter python benchmarks/ingest_backends.py [CORPUS_DIR] [--files N] [--backends torch,onnx,onnx-int8]
        [--threads 2] [--repeat 2] [--json PATH]

Chunks a corpus subset exactly as ingestion does (parser, chunker, "title > headings"
prefix), then for each backend embeds every chunk (batch EMBEDDING_BATCH_SIZE, sorted by
length) and reports chunks/s (best of ``--repeat`` timed passes, so a burst of load from
other processes on a shared machine counts less), the cosine of each vector to torch
fp32's (mean, min), and dense retrieval on ``dev-eval/qa.jsonl``: hit@5 and MRR@10 at file
level (a hit is a chunk of a gold file) over all chunks in memory. Hybrid retrieval needs
the database: ``benchmarks/ingest_e2e.py`` measures it through the real pipeline.

The subset is every gold file of the dev questions plus ``--files`` others (seeded), so
retrieval has distractors. Default corpus: the Django docs fetched by ``./perimeter run``.
The machine's load average is printed before and after: other processes skew chunks/s.
OpenVINO is not installed in the application environment, so it is listed as not measured.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rag.settings")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
QA = ROOT.parent / "shared" / "dev-eval" / "qa.jsonl"


def corpus_chunks(corpus: Path, *, files: int, seed: int = 13) -> tuple[list[str], list[str]]:
    """(embedded texts, source of each) for the gold files plus ``files`` seeded others."""
    from django.conf import settings

    from ingest.chunking import document_chunk, embedding_prefix, embedding_text_join
    from ingest.embedding import tokenizer_counter
    from ingest.parsers import ParseError, document_parse

    gold = {g for line in QA.read_text().splitlines() if line.strip() for g in json.loads(line)["gold"]}
    every = sorted(f.relative_to(corpus).as_posix() for f in corpus.rglob("*.txt"))
    others = [f for f in every if f not in gold]
    chosen = sorted(gold & set(every)) + random.Random(seed).sample(others, min(files, len(others)))
    counter = tokenizer_counter()
    texts, sources = [], []
    for rel in chosen:
        try:
            parsed = document_parse(data=(corpus / rel).read_bytes(), filename=rel)
        except ParseError:
            continue
        for d in document_chunk(parsed=parsed, max_tokens=settings.CHUNK_MAX_TOKENS,
                                overlap_tokens=settings.CHUNK_OVERLAP_TOKENS, token_counter=counter):
            prefix = embedding_prefix(title=parsed.title or rel, heading_path=d.heading_path)
            texts.append(embedding_text_join(prefix=prefix, text=d.text))
            sources.append(rel)
    return texts, sources


def dense_eval(vectors: np.ndarray, sources: list[str], query_vectors: np.ndarray, items: list[dict]) -> dict:
    """File-level hit@5 and MRR@10 of dense retrieval over ``vectors`` for answerable ``items``."""
    hits = rr = 0.0
    for q, item in zip(query_vectors, items):
        ranked = np.argsort(-(vectors @ q))[:10]
        ranks = [r for r, i in enumerate(ranked, 1) if sources[i] in item["gold"]]
        hits += bool(ranks and ranks[0] <= 5)
        rr += 1 / ranks[0] if ranks else 0
    return {"hit_at_5": round(hits / len(items), 3), "mrr_at_10": round(rr / len(items), 3)}


def main() -> None:
    import django

    django.setup()
    from django.conf import settings

    from ingest.embedding import texts_embed

    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT / ".state" / "corpus" / "django-docs-5.2.19")
    parser.add_argument("--files", type=int, default=120, help="distractor files besides the gold ones")
    parser.add_argument("--backends", default="torch,onnx,onnx-int8")
    parser.add_argument("--repeat", type=int, default=2, help="timed passes per backend; the best counts")
    parser.add_argument("--threads", type=int, default=0, help="EMBEDDING_THREADS for this run (0: per core)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    settings.EMBEDDING_THREADS = args.threads
    print(f"load average before: {os.getloadavg()}, cores {os.cpu_count()}")
    texts, sources = corpus_chunks(args.corpus, files=args.files)
    items = [json.loads(line) for line in QA.read_text().splitlines() if line.strip()]
    items = [i for i in items if i["gold"]]
    print(f"{len(set(sources))} files, {len(texts)} chunks, {len(items)} answerable dev questions, "
          f"batch {settings.EMBEDDING_BATCH_SIZE}, threads {args.threads or 'per core'}")
    results, reference = {}, None
    for backend in ["torch", *[b for b in args.backends.split(",") if b != "torch"]]:
        texts_embed(["warm up"], backend=backend)  # load (and on first use build) the model
        best, vectors = float("inf"), None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            vectors = texts_embed(texts, backend=backend)
            best = min(best, time.perf_counter() - t0)
        if reference is None:
            reference = vectors
        cosine = np.sum(vectors * reference, axis=1)
        row = {"chunks_per_s": round(len(texts) / best, 1), "cosine_mean": round(float(cosine.mean()), 4),
               "cosine_min": round(float(cosine.min()), 4),
               **dense_eval(vectors, sources, texts_embed([i["question"] for i in items], backend=backend), items)}
        results[backend] = row
        print(f"{backend:10} {row}", flush=True)
    results["openvino"] = results["openvino-int8"] = "not measured: openvino is not installed"
    print(f"load average after: {os.getloadavg()}")
    print()
    print(f"| backend | chunks/s | cosine to torch fp32 (mean / min) | dense hit@5 | dense MRR@10 |")
    print("|---|---|---|---|---|")
    for name, row in results.items():
        if isinstance(row, dict):
            print(f"| {name} | {row['chunks_per_s']} | {row['cosine_mean']} / {row['cosine_min']} | "
                  f"{row['hit_at_5']} | {row['mrr_at_10']} |")
        else:
            print(f"| {name} | {row} | | | |")
    if args.json:
        args.json.write_text(json.dumps({"chunks": len(texts), "results": results}, indent=2))


if __name__ == "__main__":
    main()
