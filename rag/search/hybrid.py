"""Hybrid retrieval: the dense and BM25 rankings fused by reciprocal rank (Cormack, Clarke &
Büttcher 2009, "Reciprocal rank fusion outperforms Condorcet and individual rank learning
methods", SIGIR; the fusion itself is :func:`rag.search.fusion.rank_fuse_rrf`)."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
from django.conf import settings

from rag.search.bm25 import chunks_rank_bm25
from rag.search.dense import chunks_retrieve_dense
from rag.search.fusion import rank_fuse_rrf
from rag.search.hits import RetrievedChunk, chunks_hydrate


def chunks_retrieve_hybrid(*, query: str, query_embedding: np.ndarray, top_k: int,
                           collection_ids: list[int] | None = None, depth: int | None = None,
                           rrf_k: int | None = None) -> list[RetrievedChunk]:
    """Reciprocal rank fusion of the dense and BM25 top-``depth`` lists.

    Args:
        query: the question as typed (BM25 analyses it).
        query_embedding: ``(384,)`` float32, L2-normalised (dense half and every hit's ``score``).
        top_k: hits returned.
        collection_ids: restrict to these collections; None means all.
        depth: candidates taken from each list; default RETRIEVAL_FUSION_DEPTH, at least ``top_k``.
        rrf_k: the RRF constant ``k``; default RETRIEVAL_RRF_K.

    Returns the fused top-k in fused order, with ``fused`` set and, where BM25 found
    them, ``bm25``; ``score`` stays the cosine similarity in [-1, 1].
    """
    depth = max(depth or settings.RETRIEVAL_FUSION_DEPTH, top_k)
    rrf_k = settings.RETRIEVAL_RRF_K if rrf_k is None else rrf_k
    dense = chunks_retrieve_dense(query_embedding=query_embedding, top_k=depth, collection_ids=collection_ids)
    keyword = chunks_rank_bm25(query=query, limit=depth, collection_ids=collection_ids)
    fused = rank_fuse_rrf([[h.chunk_id for h in dense], [i for i, _ in keyword]], k=rrf_k)[:top_k]
    bm25 = dict(keyword)
    known = {h.chunk_id: h for h in dense}
    missing = [i for i, _ in fused if i not in known]
    known.update({h.chunk_id: h for h in chunks_hydrate(chunk_ids=missing, query_embedding=query_embedding)})
    return [replace(known[i], bm25=bm25.get(i), fused=score) for i, score in fused if i in known]
