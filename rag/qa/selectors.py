"""Reads for answering: dense retrieval over chunk embeddings."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pgvector.django import CosineDistance

from ingest.models import Chunk, Document


@dataclass(frozen=True)
class RetrievedChunk:
    chunk_id: int
    document_id: int
    source: str
    title: str
    heading: str
    page: int | None
    text: str
    score: float  # cosine similarity in [-1, 1]; higher is closer
    privacy_level: str


def chunks_retrieve_dense(*, query_embedding: np.ndarray, top_k: int,
                          collection_ids: list[int] | None = None) -> list[RetrievedChunk]:
    """Top-k chunks of ready documents by cosine distance (pgvector ``<=>``).

    Args:
        query_embedding: ``(384,)`` float32, L2-normalised.
        top_k: number of chunks to return (1..50).
        collection_ids: restrict to these collections; None means all.

    Uses the HNSW index (``chunk_embedding_hnsw``); pgvector's approximate
    search (Malkov & Yashunin 2016, arXiv:1603.09320).
    """
    qs = Chunk.objects.filter(document__status=Document.Status.READY)
    if collection_ids is not None:
        qs = qs.filter(document__collection_id__in=collection_ids)
    rows = (
        qs.annotate(distance=CosineDistance("embedding", query_embedding.tolist()))
        .order_by("distance")
        .select_related("document")
        .only("id", "text", "heading_path", "page", "document__id", "document__source", "document__title",
              "document__privacy_level")[:top_k]
    )
    return [
        RetrievedChunk(
            chunk_id=c.id, document_id=c.document.id, source=c.document.source, title=c.document.title,
            heading=c.heading_path, page=c.page, text=c.text, score=1.0 - float(c.distance),
            privacy_level=c.document.privacy_level,
        )
        for c in rows
    ]
