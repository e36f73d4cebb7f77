"""Dense retrieval: nearest chunk embeddings by cosine distance, inside PostgreSQL (pgvector)."""
from __future__ import annotations

import numpy as np
from pgvector.django import CosineDistance

from ingest.models import Chunk, Document
from rag.search.hits import RetrievedChunk, chunks_as_hits, hit_from_chunk
from rag.search.plan import distance_ordering, retrieval_plan, retrieval_plan_applied


def chunks_retrieve_dense(*, query_embedding: np.ndarray, top_k: int,
                          collection_ids: list[int] | None = None) -> list[RetrievedChunk]:
    """Top-k chunks of ready documents by cosine distance (pgvector ``<=>``), closest first
    (ties by chunk id).

    Args:
        query_embedding: ``(384,)`` float32, L2-normalised.
        top_k: number of chunks to return (1..50).
        collection_ids: restrict to these collections; None means all, ``[]`` nothing.

    Uses the HNSW index (``chunk_embedding_hnsw``): pgvector's approximate search
    (Malkov & Yashunin 2016, "Efficient and robust approximate nearest neighbor
    search using Hierarchical Navigable Small World graphs", arXiv:1603.09320). With
    ``collection_ids`` the filter is part of the same SQL query, so the top-k is
    computed over permitted chunks only: exact search for small permitted sets,
    iterative index scans for large ones (see :mod:`rag.search.plan`).
    """
    qs = Chunk.objects.filter(document__status=Document.Status.READY)
    if collection_ids is not None:
        qs = qs.filter(document__collection_id__in=collection_ids)
    plan = retrieval_plan(collection_ids=collection_ids, top_k=top_k)
    distance = CosineDistance("embedding", query_embedding.tolist())
    with retrieval_plan_applied(plan):
        rows = list(chunks_as_hits(qs, query_embedding=query_embedding)
                    .order_by(distance_ordering(plan, distance))[:top_k])
    rows.sort(key=lambda c: (c.distance, c.id))  # relaxed-order index scans may return neighbours out of order
    return [hit_from_chunk(c) for c in rows]
