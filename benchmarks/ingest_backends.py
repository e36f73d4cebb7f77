"""Embedding backends side by side on the same chunks: speed, closeness to fp32, dense dev retrieval.

    ./perimeter python benchmarks/ingest_backends.py [CORPUS_DIR] [--files N] [--backends torch,onnx,onnx-int8]
        [--openvino] [--threads 0] [--repeat 2] [--json PATH]

Chunks a corpus subset exactly as ingestion does (parser, chunker, "title > headings"
prefix), then for each backend embeds every chunk (batch EMBEDDING_BATCH_SIZE, sorted by
length) and reports, per backend:

- chunks/s: best of ``--repeat`` timed passes, taken in rounds (every backend once per
  round), so a burst of load from other processes on a shared machine counts less and hits
  all backends alike (each pass prints its speed and the 1-minute load average);
- cosine of each vector to torch fp32's (mean, min);
- alone vs batched: the minimum cosine between a text's vector embedded alone and inside the
  timed batches (64 seeded chunks). Below ~0.9999 a vector depends on its batch companions,
  which breaks the vector cache (same text, same vector) and query/document symmetry;
- dense retrieval on ``dev-eval/qa.jsonl``: hit@5 and MRR@10 at file level (a hit is a chunk
  of a gold file) over all chunks in memory, queries embedded by the same backend.

Hybrid retrieval needs the database and its BM25 postings, so it is not measured here:
``benchmarks/ingest_e2e.py`` measures dense and hybrid through the real pipeline.

Backends: the application's (``ingest.embedding.BACKENDS``: torch fp32, ONNX Runtime fp32 and
int8) and, with ``--openvino``, OpenVINO fp32 and int8 (NNCF static quantization), which are
not application backends: ``benchmarks/ingest_backends_openvino.py`` installs openvino and
nncf into ``~/.cache/perimeter/bench-openvino-*`` (not the app venv) on first use and builds
their IR from the same ONNX export; without ``--openvino`` their rows say so. A backend that
cannot be loaded or built gets a "not measured: <why>" row and the others still run.

The subset is every gold file of the dev questions plus ``--files`` others (seeded), so
retrieval has distractors; ``--files 0`` is the gold files alone (for the Django docs
5.2.19: 32 files, 3,542 chunks). Default corpus: ``$PERIMETER_CORPUS``, else the Django
docs that ``./perimeter run`` fetched (``.state/corpus/django-docs-5.2.19``), else
``~/.cache/perimeter/corpus/django-docs``.
The machine's load average is printed before and after: other processes skew chunks/s.
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
CACHE = Path(os.environ.get("PERIMETER_CACHE", Path.home() / ".cache" / "perimeter"))
OPENVINO_BACKENDS = ("openvino", "openvino-int8")
BACKENDS_ORDER = ("torch", "onnx", "onnx-int8", *OPENVINO_BACKENDS)  # the table's rows
ALONE_SAMPLE = 64


def corpus_default() -> Path:
    """The first existing of ``$PERIMETER_CORPUS``, ``./perimeter run``'s copy and the shared cache's copy."""
    candidates = [Path(p) for p in [os.environ.get("PERIMETER_CORPUS")] if p]
    candidates += [ROOT / ".state" / "corpus" / "django-docs-5.2.19", CACHE / "corpus" / "django-docs"]
    return next((p for p in candidates if p.is_dir()), candidates[-1])


def gold_files() -> set[str]:
    """Corpus-relative paths of every dev question's gold files."""
    return {g for line in QA.read_text().splitlines() if line.strip() for g in json.loads(line)["gold"]}


def files_chunk(corpus: Path, rels: list[str], *, per_file: int | None = None,
                seed: int = 0) -> tuple[list[str], list[str]]:
    """(embedded texts, source of each) of ``rels`` chunked as ingestion does; ``per_file``
    keeps at most that many chunks of each file (a seeded sample)."""
    from django.conf import settings

    from ingest.chunking import document_chunk, embedding_prefix, embedding_text_join
    from ingest.embedding import tokenizer_counter
    from ingest.parsers import ParseError, document_parse

    counter, rng = tokenizer_counter(), random.Random(seed)
    texts, sources = [], []
    for rel in rels:
        try:
            parsed = document_parse(data=(corpus / rel).read_bytes(), filename=rel)
        except ParseError:
            continue
        chunks = [embedding_text_join(prefix=embedding_prefix(title=parsed.title or rel, heading_path=d.heading_path),
                                      text=d.text)
                  for d in document_chunk(parsed=parsed, max_tokens=settings.CHUNK_MAX_TOKENS,
                                          overlap_tokens=settings.CHUNK_OVERLAP_TOKENS, token_counter=counter)]
        if per_file is not None and len(chunks) > per_file:
            chunks = rng.sample(chunks, per_file)
        texts += chunks
        sources += [rel] * len(chunks)
    return texts, sources


def corpus_chunks(corpus: Path, *, files: int, seed: int = 13) -> tuple[list[str], list[str]]:
    """(embedded texts, source of each) for the gold files plus ``files`` seeded others."""
    gold = gold_files()
    every = sorted(f.relative_to(corpus).as_posix() for f in corpus.rglob("*.txt"))
    others = [f for f in every if f not in gold]
    chosen = sorted(gold & set(every)) + random.Random(seed).sample(others, min(files, len(others)))
    return files_chunk(corpus, chosen)


def calibration_chunks(corpus: Path, *, count: int, seed: int = 7) -> tuple[list[str], set[str]]:
    """``count`` chunks for int8 calibration from seeded non-gold files (at most 8 per file), and their files.

    Independent of ``--files``, so the cached int8 model is reused across runs; a distractor
    file may also be a calibration file (calibration only sets activation ranges)."""
    gold = gold_files()
    candidates = sorted(f.relative_to(corpus).as_posix() for f in corpus.rglob("*.txt"))
    random.Random(seed).shuffle(candidates)
    texts, used = [], set()
    for rel in (c for c in candidates if c not in gold):
        chunks, _ = files_chunk(corpus, [rel], per_file=8, seed=seed)
        texts += chunks
        used.add(rel)
        if len(texts) >= count:
            break
    return texts[:count], used


def dense_eval(vectors: np.ndarray, sources: list[str], query_vectors: np.ndarray, items: list[dict]) -> dict:
    """File-level hit@5 and MRR@10 of dense retrieval over ``vectors`` for answerable ``items``."""
    hits = rr = 0.0
    for q, item in zip(query_vectors, items):
        ranked = np.argsort(-(vectors @ q))[:10]
        ranks = [r for r, i in enumerate(ranked, 1) if sources[i] in item["gold"]]
        hits += bool(ranks and ranks[0] <= 5)
        rr += 1 / ranks[0] if ranks else 0
    return {"hit_at_5": round(hits / len(items), 3), "mrr_at_10": round(rr / len(items), 3)}


def openvino_encoders(names: list[str], *, corpus: Path, threads: int) -> tuple[dict, dict]:
    """({backend: encoder or "not measured: why"}, facts about the install and recipe) for OpenVINO ``names``."""
    from django.conf import settings

    import ingest_backends_openvino as ovb
    from ingest.embedding import embedding_model_path
    from ingest.embedding_onnx import onnx_model_build

    try:
        folder = ovb.openvino_install(cache_root=CACHE)
    except ovb.OpenVinoUnavailable as exc:
        print(f"OpenVINO not available: {exc}", flush=True)
        return {n: f"not measured: {exc}" for n in names}, {}
    model_path = embedding_model_path(settings.EMBEDDING_MODEL)
    onnx_file = onnx_model_build(model_path=model_path, cache_dir=Path(settings.EMBEDDING_CACHE_DIR), quantized=False)
    import nncf
    import openvino

    facts = {"installed_in": str(folder), "openvino": openvino.__version__, "nncf": nncf.__version__,
             "recipe": ovb.RECIPE_VERSION, "onnx_source": str(onnx_file)}
    encoders = {}
    for name in names:
        try:
            t0 = time.perf_counter()
            calibration = None
            if name == "openvino-int8":
                calibration, used = calibration_chunks(corpus, count=ovb.CALIBRATION_SIZE)
                facts["calibration"] = {"chunks": len(calibration), "files": len(used)}
            xml = ovb.openvino_model_build(onnx_file=onnx_file, model_path=model_path,
                                           quantized=name == "openvino-int8", calibration_texts=calibration)
            encoder = ovb.OpenVinoEncoder(xml=xml, model_path=model_path, threads=threads)
            encoders[name] = lambda batch, batch_size, encoder=encoder: encoder.encode(batch, batch_size=batch_size)
            facts[f"{name}_model"] = str(xml)
            print(f"{name}: {xml} ready in {time.perf_counter() - t0:.1f} s", flush=True)
        except Exception as exc:  # a failed build is a row, not the end of the comparison
            encoders[name] = f"not measured: {type(exc).__name__}: {exc}"
    return encoders, facts


def backends_measure(encoders: dict, texts: list[str], sources: list[str], items: list[dict], *,
                     repeat: int, batch_size: int) -> dict:
    """{backend: row (see :func:`backend_row`) or "not measured: why"}, printed as each is known.

    ``encoders``: {name: ``encode(texts, batch_size)`` or a reason string}, torch first (the
    reference of every cosine; its failure ends the run, another's is a row). ``repeat``
    rounds each time one pass of every backend in turn, so a burst of load from other
    processes hits all backends alike rather than whichever ran then. A backend's row is
    computed after its first pass (vectors do not depend on the pass) and later rounds only
    raise its chunks/s, so a run cut short still has every row of its first round."""
    results: dict = {}
    for name, encode in encoders.items():
        if isinstance(encode, str):
            results[name] = encode
            continue
        try:
            encode(["warm up"], batch_size)  # loads (and on first use builds) the model
            results[name] = None
        except Exception as exc:
            if name == "torch":
                raise
            results[name] = f"not measured: {type(exc).__name__}: {exc}"
    reference = None
    for round_ in range(1, repeat + 1):
        for name, encode in encoders.items():
            if isinstance(results[name], str):
                continue
            try:
                t0 = time.perf_counter()
                vectors = encode(texts, batch_size)
                seconds = time.perf_counter() - t0
                print(f"round {round_}: {name:14} {len(texts) / seconds:7.1f} chunks/s "
                      f"(load {os.getloadavg()[0]:.2f})", flush=True)
                if round_ == 1:
                    reference = vectors if reference is None else reference
                    results[name] = backend_row(encode, seconds, vectors, reference=reference, texts=texts,
                                                sources=sources, items=items, batch_size=batch_size)
                else:
                    results[name]["chunks_per_s"] = max(results[name]["chunks_per_s"], round(len(texts) / seconds, 1))
                print(f"{name:14} {results[name]}", flush=True)
            except Exception as exc:
                if name == "torch":
                    raise
                if round_ == 1:  # a later round's failure keeps the row it already has
                    results[name] = f"not measured: {type(exc).__name__}: {exc}"
    return results


def backend_row(encode, seconds: float, vectors: np.ndarray, *, reference: np.ndarray, texts: list[str],
                sources: list[str], items: list[dict], batch_size: int) -> dict:
    """One backend's row (see the module docstring) from its best time and its vectors."""
    cosine = np.sum(vectors * reference, axis=1)
    sample = sorted(random.Random(5).sample(range(len(texts)), min(ALONE_SAMPLE, len(texts))))
    alone = encode([texts[i] for i in sample], 1)
    return {"chunks_per_s": round(len(texts) / seconds, 1), "cosine_mean": round(float(cosine.mean()), 4),
            "cosine_min": round(float(cosine.min()), 4),
            "alone_vs_batched_min": round(float(np.sum(alone * vectors[sample], axis=1).min()), 5),
            **dense_eval(vectors, sources, encode([i["question"] for i in items], batch_size), items)}


def table_print(results: dict) -> None:
    """The comparison as a Markdown table, torch fp32 first."""
    torch_speed = results["torch"]["chunks_per_s"]
    print("| backend | chunks/s | vs torch | cosine to torch fp32 (mean / min) | alone vs batched (min) "
          "| dense hit@5 | dense MRR@10 |")
    print("|---|---|---|---|---|---|---|")
    order = [*BACKENDS_ORDER, *[n for n in results if n not in BACKENDS_ORDER]]
    for name, row in ((n, results[n]) for n in order if n in results):
        if isinstance(row, dict):
            print(f"| {name} | {row['chunks_per_s']} | {row['chunks_per_s'] / torch_speed:.2f}x | "
                  f"{row['cosine_mean']} / {row['cosine_min']} | {row['alone_vs_batched_min']} | "
                  f"{row['hit_at_5']} | {row['mrr_at_10']} |")
        else:
            print(f"| {name} | {row} | | | | | |")


def openvino_verdict(results: dict) -> str | None:
    """Whether OpenVINO int8 beats ONNX int8 on speed while staying within 0.02 of torch fp32 on retrieval."""
    ov, ort, fp32 = (results.get(k) for k in ("openvino-int8", "onnx-int8", "torch"))
    if not all(isinstance(r, dict) for r in (ov, ort, fp32)):
        return None
    faster = ov["chunks_per_s"] > ort["chunks_per_s"]
    deltas = {k: round(ov[k] - fp32[k], 3) for k in ("hit_at_5", "mrr_at_10")}
    within = all(abs(d) <= 0.02 for d in deltas.values())
    return (f"openvino-int8 {ov['chunks_per_s']} vs onnx-int8 {ort['chunks_per_s']} chunks/s "
            f"({'faster' if faster else 'not faster'}); dense vs torch fp32: hit@5 {deltas['hit_at_5']:+}, "
            f"MRR@10 {deltas['mrr_at_10']:+} ({'within' if within else 'NOT within'} 0.02): "
            f"{'both hold' if faster and within else 'does not hold both'}")


def main() -> None:
    import django

    django.setup()
    from django.conf import settings

    from ingest.embedding import BACKENDS, texts_embed

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=corpus_default())
    parser.add_argument("--files", type=int, default=120, help="distractor files besides the gold ones")
    parser.add_argument("--backends", default=",".join(BACKENDS), help="application backends to compare")
    parser.add_argument("--openvino", action="store_true",
                        help="also OpenVINO fp32 and int8 (installs openvino+nncf outside the app venv)")
    parser.add_argument("--repeat", type=int, default=2, help="timed passes per backend; the best counts")
    parser.add_argument("--threads", type=int, default=0, help="EMBEDDING_THREADS for this run (0: per core)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        parser.error(f"no corpus at {args.corpus}: give CORPUS_DIR (./perimeter run fetches the Django docs)")
    unknown = [b for b in args.backends.split(",") if b not in BACKENDS]
    if unknown:
        parser.error(f"unknown backends {unknown}: choose from {', '.join(BACKENDS)}; OpenVINO is --openvino")
    settings.EMBEDDING_THREADS = args.threads
    load_before = os.getloadavg()
    print(f"load average before: {load_before}, cores {os.cpu_count()}")
    texts, sources = corpus_chunks(args.corpus, files=args.files)
    items = [json.loads(line) for line in QA.read_text().splitlines() if line.strip()]
    items = [i for i in items if i["gold"]]
    print(f"{args.corpus}: {len(set(sources))} files, {len(texts)} chunks, {len(items)} answerable dev questions, "
          f"batch {settings.EMBEDDING_BATCH_SIZE}, threads {args.threads or 'per core'}", flush=True)

    def app_encoder(backend: str):
        return lambda batch, batch_size: texts_embed(batch, batch_size=batch_size, backend=backend)

    chosen = ["torch", *[b for b in args.backends.split(",") if b != "torch"]]
    encoders = {b: app_encoder(b) if b in chosen else "not measured: left out of --backends" for b in BACKENDS}
    facts = {}
    if args.openvino:  # int8 first: if the run is cut short, the row that decides more is there
        ov_encoders, facts = openvino_encoders(list(reversed(OPENVINO_BACKENDS)), corpus=args.corpus,
                                               threads=args.threads)
        encoders.update(ov_encoders)
    else:
        encoders.update({n: "not measured: run with --openvino" for n in OPENVINO_BACKENDS})
    results = backends_measure(encoders, texts, sources, items, repeat=args.repeat,
                               batch_size=settings.EMBEDDING_BATCH_SIZE)
    load_after = os.getloadavg()
    print(f"load average after: {load_after}")
    print()
    table_print(results)
    verdict = openvino_verdict(results)
    if verdict:
        print(f"\n{verdict}")
    if args.json:
        args.json.write_text(json.dumps({
            "corpus": str(args.corpus), "files": len(set(sources)), "chunks": len(texts), "questions": len(items),
            "batch_size": settings.EMBEDDING_BATCH_SIZE, "threads": args.threads, "repeat": args.repeat,
            "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in load_after]},
            "openvino": facts, "results": results, "openvino_verdict": verdict}, indent=2))


if __name__ == "__main__":
    main()
