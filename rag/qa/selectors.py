"""Reads for answering: dense retrieval over chunk embeddings."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pgvector.django import CosineDistance

from ingest.models import Chunk, Document
from rag.access.retrieval import distance_ordering, retrieval_plan, retrieval_plan_applied


@dataclass(frozen=True)
class RetrievedChunk:
    chunk_id: int
    document_id: int
    source: str
    title: str
    heading: str
    page: int | None
    text: str
    score: float  # cosine similarity in [-1, 1]; higher is closer (in every retrieval mode)
    privacy_level: str
    # Set by rag.search: lists are in rank order, which in "bm25" and "hybrid" mode is not
    # the order of ``score``. ``bm25`` is the chunk's BM25 score (None if BM25 did not
    # find it); ``fused`` its reciprocal-rank-fusion score (hybrid only).
    bm25: float | None = None
    fused: float | None = None


def chunks_retrieve_dense(*, query_embedding: np.ndarray, top_k: int,
                          collection_ids: list[int] | None = None) -> list[RetrievedChunk]:
    """Top-k chunks of ready documents by cosine distance (pgvector ``<=>``).

    Args:
        query_embedding: ``(384,)`` float32, L2-normalised.
        top_k: number of chunks to return (1..50).
        collection_ids: restrict to these collections; None means all.

    Uses the HNSW index (``chunk_embedding_hnsw``); pgvector's approximate
    search (Malkov & Yashunin 2016, arXiv:1603.09320). With ``collection_ids`` the
    filter is part of the same SQL query, so the top-k is computed over permitted
    chunks only: exact search for small permitted sets, iterative index scans for
    large ones (see :mod:`rag.access.retrieval`).
    """
    qs = Chunk.objects.filter(document__status=Document.Status.READY)
    if collection_ids is not None:
        qs = qs.filter(document__collection_id__in=collection_ids)
    plan = retrieval_plan(collection_ids=collection_ids, top_k=top_k)
    distance = CosineDistance("embedding", query_embedding.tolist())
    with retrieval_plan_applied(plan):
        rows = list(
            qs.annotate(distance=distance)
            .order_by(distance_ordering(plan, distance))
            .select_related("document")
            .only("id", "text", "heading_path", "page", "document__id", "document__source", "document__title",
                  "document__privacy_level")[:top_k]
        )
    rows.sort(key=lambda c: (c.distance, c.id))  # relaxed-order index scans may return neighbours out of order
    return [
        RetrievedChunk(
            chunk_id=c.id, document_id=c.document.id, source=c.document.source, title=c.document.title,
            heading=c.heading_path, page=c.page, text=c.text, score=1.0 - float(c.distance),
            privacy_level=c.document.privacy_level,
        )
        for c in rows
    ]
