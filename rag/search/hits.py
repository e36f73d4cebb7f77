"""What a retrieval returns: the one hit type and the one mapping from chunk rows to hits.

Every mode (dense, BM25, hybrid) reads chunks through :func:`chunks_as_hits`,
so a hit carries the same fields and the same ``score`` (cosine similarity to
the question) whichever ranking found it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db.models import QuerySet
from pgvector.django import CosineDistance

from ingest.models import Chunk

SNIPPET_CHARS = 300
_HIT_FIELDS = ("id", "text", "heading_path", "page", "document__id", "document__source", "document__title",
               "document__privacy_level")


@dataclass(frozen=True)
class RetrievedChunk:
    """One retrieved chunk with what a citation and a prompt need.

    Lists of hits are in rank order, which in "bm25" and "hybrid" mode is not
    the order of ``score``.

    Attributes:
        score: cosine similarity to the question in [-1, 1], higher is closer (in every mode).
        bm25: the chunk's BM25 score (>= 0), or None if BM25 did not find it.
        fused: its reciprocal-rank-fusion score (hybrid only; see :mod:`rag.search.fusion`), else None.
    """

    chunk_id: int
    document_id: int
    source: str
    title: str
    heading: str
    page: int | None
    text: str
    score: float
    privacy_level: str
    bm25: float | None = None
    fused: float | None = None


def chunks_as_hits(queryset: QuerySet[Chunk], *, query_embedding: np.ndarray) -> QuerySet[Chunk]:
    """``queryset`` annotated with ``distance`` (cosine distance to ``query_embedding``,
    a ``(384,)`` float32 L2-normalised vector; in [0, 2]) and limited to the columns a hit
    needs. Order it, slice it, then map each row with :func:`hit_from_chunk`."""
    return (
        queryset.annotate(distance=CosineDistance("embedding", query_embedding.tolist()))
        .select_related("document")
        .only(*_HIT_FIELDS)
    )


def hit_from_chunk(chunk: Chunk) -> RetrievedChunk:
    """The hit for a row of :func:`chunks_as_hits`; ``score = 1 - distance``."""
    return RetrievedChunk(
        chunk_id=chunk.id, document_id=chunk.document.id, source=chunk.document.source, title=chunk.document.title,
        heading=chunk.heading_path, page=chunk.page, text=chunk.text, score=1.0 - float(chunk.distance),
        privacy_level=chunk.document.privacy_level,
    )


def chunks_hydrate(*, chunk_ids: list[int], query_embedding: np.ndarray) -> list[RetrievedChunk]:
    """Hits for ``chunk_ids``, in that order, with ``score`` the cosine similarity to
    ``query_embedding`` ((384,) float32, L2-normalised). Ids no longer in the database
    are skipped. One query."""
    if not chunk_ids:
        return []
    rows = chunks_as_hits(Chunk.objects.filter(pk__in=chunk_ids), query_embedding=query_embedding)
    by_id = {c.id: c for c in rows}
    return [hit_from_chunk(c) for c in (by_id.get(i) for i in chunk_ids) if c is not None]


def citation_dict(chunk: RetrievedChunk) -> dict:
    """What an answer or a search result cites for ``chunk``: ``{document_id, source, heading,
    page, chunk_id, score, snippet}``; ``score`` is the cosine similarity in [-1, 1] rounded to
    4 places, ``snippet`` the whitespace-collapsed text cut at 300 characters (``…`` when cut).
    ``/sources/<chunk_id>/`` shows the chunk in its document."""
    snippet = " ".join(chunk.text.split())
    return {
        "document_id": chunk.document_id,
        "source": chunk.source,
        "heading": chunk.heading,
        "page": chunk.page,
        "chunk_id": chunk.chunk_id,
        "score": round(chunk.score, 4),
        "snippet": snippet[:SNIPPET_CHARS] + ("…" if len(snippet) > SNIPPET_CHARS else ""),
    }
