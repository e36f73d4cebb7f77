#!/usr/bin/env python
"""Sensitivity of hybrid retrieval to the RRF constant k and the fusion depth, from one retrieval pass.

    PYTHONPATH=. HF_HUB_OFFLINE=1 python benchmarks/retrieval_fusion_grid.py /work/shared/dev-eval/qa.jsonl \
        [--ks 10,30,60,100] [--depths 20,50,100] [--top-k 10]

Embeds every answerable question once, takes the dense (pgvector HNSW) and BM25
top-max(depth) lists once from the database in DATABASE_URL, then fuses them
in Python (:func:`rag.search.fusion.rank_fuse_rrf`) for each (k, depth) and
prints hit@1, hit@5 and MRR@10 over distinct documents of the fused top-k, as
``manage.py evaluate`` does (abstention is not applied here). Use it to see how
flat the optimum is before changing RETRIEVAL_RRF_K or RETRIEVAL_FUSION_DEPTH;
with 34 questions, a difference of one question is 0.03.

Result on the whole Django docs (15,139 chunks), default HNSW ef_search::

    variant                    hit@1   hit@5  MRR@10
    dense                      0.559   0.853   0.700
    bm25                       0.529   0.676   0.608
    rrf k=10 depth=20          0.559   0.941   0.689
    rrf k=60 depth=20          0.529   0.941   0.675
    rrf k=60 depth=50          0.529   0.882   0.665
    rrf k=60 depth=100         0.529   0.853   0.652

(with ef_search 500, i.e. near-exact dense: k=60 depth 20 -> 0.912 hit@5,
depth 50 -> 0.853). Depth 20 is the default; k stays at the paper's 60.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rag.settings")

import django

django.setup()

from ingest.embedding import texts_embed
from ingest.models import Chunk
from rag.qa.evaluation import QAResult, qa_item_from_json, report_build
from rag.search.bm25 import chunks_rank_bm25
from rag.search.dense import chunks_retrieve_dense
from rag.search.fusion import rank_fuse_rrf


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("qa", type=Path)
    parser.add_argument("--ks", default="10,30,60,100")
    parser.add_argument("--depths", default="20,50,100")
    parser.add_argument("--top-k", type=int, default=10)
    args = parser.parse_args(argv)
    items = [qa_item_from_json(json.loads(line)) for line in args.qa.read_text().splitlines() if line.strip()]
    items = [i for i in items if i.answerable]
    ks = [int(k) for k in args.ks.split(",")]
    depths = [int(d) for d in args.depths.split(",")]
    deepest = max(depths)

    vectors = texts_embed([i.question for i in items])
    dense, keyword = {}, {}
    for item, vec in zip(items, vectors):
        dense[item.id] = [h.chunk_id for h in chunks_retrieve_dense(query_embedding=vec, top_k=deepest)]
        keyword[item.id] = [i for i, _ in chunks_rank_bm25(query=item.question, limit=deepest)]
    ids = {i for lists in (dense, keyword) for ranked in lists.values() for i in ranked}
    source = dict(Chunk.objects.filter(pk__in=ids).values_list("id", "document__source"))

    def score(ranked: dict[str, list[int]]):
        results = {q: QAResult(q, "", [source[c] for c in chunks[: args.top_k]], False, 0.0)
                   for q, chunks in ranked.items()}
        return report_build(items, results, answers=False)

    print(f"{len(items)} answerable questions, fused top-{args.top_k}")
    print(f"{'variant':24}{'hit@1':>8}{'hit@5':>8}{'MRR@10':>8}")
    for name, ranked in (("dense", dense), ("bm25", keyword)):
        r = score(ranked)
        print(f"{name:24}{r.hit_at_1:8.3f}{r.hit_at_5:8.3f}{r.mrr_at_10:8.3f}")
    for depth in depths:
        for k in ks:
            fused = {q: [c for c, _ in rank_fuse_rrf([dense[q][:depth], keyword[q][:depth]], k=k)]
                     for q in dense}
            r = score(fused)
            print(f"{f'rrf k={k} depth={depth}':24}{r.hit_at_1:8.3f}{r.hit_at_5:8.3f}{r.mrr_at_10:8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
