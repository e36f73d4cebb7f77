"""Reads: the public entry point of retrieval. Callers (qa, the evaluate command) use these two.

- :func:`chunks_retrieve`: embed a question, search, and decide what is relevant.
- :func:`chunks_search`: top-k hits for an already-embedded query in one of :data:`MODES`.

The parts live next to this module: :mod:`~rag.search.hits` (the hit type and its
row mapper), :mod:`~rag.search.dense` with its query :mod:`~rag.search.plan`,
:mod:`~rag.search.bm25`, :mod:`~rag.search.hybrid` (:mod:`~rag.search.fusion`) and
:mod:`~rag.search.abstention`.
"""
from __future__ import annotations

import time

import numpy as np
from django.conf import settings

from ingest.embedding import texts_embed
from rag.search.abstention import retrieval_abstain_reason
from rag.search.bm25 import chunks_retrieve_bm25
from rag.search.dense import chunks_retrieve_dense
from rag.search.hits import RetrievedChunk
from rag.search.hybrid import chunks_retrieve_hybrid

MODES = ("dense", "bm25", "hybrid")


def chunks_search(*, query: str, query_embedding: np.ndarray, mode: str, top_k: int,
                  collection_ids: list[int] | None = None) -> list[RetrievedChunk]:
    """Top-k hits in rank order by ``mode``: "dense" (cosine), "bm25" or "hybrid" (RRF of both).

    Args:
        query: the question as typed (BM25 analyses it).
        query_embedding: ``(384,)`` float32, L2-normalised, the embedding of ``query``.
        collection_ids: restrict to these collections; None means all, ``[]`` nothing.

    Raises ValueError on another mode.
    """
    if mode == "dense":
        return chunks_retrieve_dense(query_embedding=query_embedding, top_k=top_k, collection_ids=collection_ids)
    if mode == "bm25":
        return chunks_retrieve_bm25(query=query, query_embedding=query_embedding, top_k=top_k,
                                    collection_ids=collection_ids)
    if mode == "hybrid":
        return chunks_retrieve_hybrid(query=query, query_embedding=query_embedding, top_k=top_k,
                                      collection_ids=collection_ids)
    raise ValueError(f"unknown retrieval mode {mode!r}; expected one of {', '.join(MODES)}")


def chunks_retrieve(*, question: str, top_k: int, collection_ids: list[int] | None, mode: str | None = None
                    ) -> tuple[list[RetrievedChunk], list[RetrievedChunk], int]:
    """Embed ``question`` and retrieve from ``collection_ids`` (None: all).

    Returns ``(hits, relevant, retrieval_ms)``: all top-k hits in rank order, the
    relevant ones among them (same order), and the wall time in ms including the
    question's embedding.

    ``mode`` is one of :data:`MODES`; None means RETRIEVAL_MODE. Raises ValueError
    on another value (callers that take a mode from users validate it first).

    Nothing is relevant (the caller answers "I don't know" and cites nothing) when
    :func:`rag.search.abstention.retrieval_abstain_reason` gives a reason: the best
    hit's cosine similarity is below RETRIEVAL_ABSTAIN_MIN_COSINE, or the question
    names something the searched collections never mention. Otherwise every hit is
    relevant whose cosine similarity is at least RETRIEVAL_MIN_SCORE or that BM25 found.
    """
    mode = mode or settings.RETRIEVAL_MODE
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    started = time.monotonic()
    query_vec = texts_embed([question])[0]
    hits = chunks_search(query=question, query_embedding=query_vec, mode=mode, top_k=top_k,
                         collection_ids=collection_ids)
    if retrieval_abstain_reason(question=question, hits=hits, collection_ids=collection_ids):
        relevant = []
    else:
        relevant = [h for h in hits if h.score >= settings.RETRIEVAL_MIN_SCORE or h.bm25 is not None]
    return hits, relevant, int((time.monotonic() - started) * 1000)
