"""Reads: the public entry point of retrieval. Callers (qa, the evaluate command) use these two.

- :func:`retrieval_run`: embed a question, search, and decide whether and what the passages support
  (:class:`Retrieval` with the :class:`~rag.search.abstention.SupportDecision`);
  :func:`chunks_retrieve` is the same as a ``(hits, relevant, ms)`` tuple.
- :func:`chunks_search`: top-k hits for an already-embedded query in one of :data:`MODES`.

The parts live next to this module: :mod:`~rag.search.hits` (the hit type and its
row mapper), :mod:`~rag.search.dense` with its query :mod:`~rag.search.plan`,
:mod:`~rag.search.bm25`, :mod:`~rag.search.hybrid` (:mod:`~rag.search.fusion`) and
:mod:`~rag.search.abstention`.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from ingest.embedding import texts_embed
from rag.search.abstention import SupportDecision, support_decide
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


@dataclass(frozen=True)
class Retrieval:
    """One retrieval: ``hits`` (top-k, rank order), the ``relevant`` ones an answer may cite
    (empty when ``support`` says abstain), the ``support`` decision and ``retrieval_ms``
    (wall time including the question's embedding and the support features)."""

    hits: list[RetrievedChunk]
    relevant: list[RetrievedChunk]
    support: SupportDecision
    retrieval_ms: int


def retrieval_run(*, question: str, top_k: int, collection_ids: list[int] | None, mode: str | None = None
                  ) -> Retrieval:
    """Embed ``question``, retrieve from ``collection_ids`` (None: all) and decide support.

    ``mode`` is one of :data:`MODES`; None means RETRIEVAL_MODE. Raises ValueError
    on another value (callers that take a mode from users validate it first).

    Nothing is relevant (the caller answers "I don't know" and cites nothing) when
    :func:`rag.search.abstention.support_decide` says the passages do not support an
    answer (the fitted support model, or the old cosine/unknown-name rule with
    RETRIEVAL_ABSTAIN_MODEL=rule). Otherwise every hit is relevant whose cosine
    similarity is at least RETRIEVAL_MIN_SCORE or that BM25 found.
    """
    mode = mode or settings.RETRIEVAL_MODE
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    started = time.monotonic()
    query_vec = texts_embed([question])[0]
    hits = chunks_search(query=question, query_embedding=query_vec, mode=mode, top_k=top_k,
                         collection_ids=collection_ids)
    support = support_decide(question=question, query_embedding=query_vec, hits=hits, collection_ids=collection_ids)
    relevant = [h for h in hits if h.score >= settings.RETRIEVAL_MIN_SCORE or h.bm25 is not None] \
        if support.supported else []
    return Retrieval(hits, relevant, support, int((time.monotonic() - started) * 1000))


def chunks_retrieve(*, question: str, top_k: int, collection_ids: list[int] | None, mode: str | None = None
                    ) -> tuple[list[RetrievedChunk], list[RetrievedChunk], int]:
    """:func:`retrieval_run` as ``(hits, relevant, retrieval_ms)``, for callers that do not show the reason."""
    r = retrieval_run(question=question, top_k=top_k, collection_ids=collection_ids, mode=mode)
    return r.hits, r.relevant, r.retrieval_ms
