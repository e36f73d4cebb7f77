"""Abstention: the evidence that retrieval found nothing worth answering from.

The model is not asked when the best hit is too far from the question or the
question names something the searched collections never mention; the answer is
then "I don't know" with no citation (see :func:`rag.search.selectors.chunks_retrieve`).
"""
from __future__ import annotations

from django.conf import settings

from rag.search.analysis import names_extract
from rag.search.bm25 import bm25_stats_get
from rag.search.hits import RetrievedChunk


def names_unknown(*, question: str, collection_ids: list[int] | None = None) -> list[str]:
    """The specific names in ``question`` (see :func:`rag.search.analysis.names_extract`)
    that no indexed chunk of ``collection_ids`` contains, e.g. ``["kafka"]``."""
    names = names_extract(question)
    if not names:
        return []
    known = bm25_stats_get(terms=names, collection_ids=collection_ids).df
    return [n for n in names if not known.get(n)]


def retrieval_abstain_reason(*, question: str, hits: list[RetrievedChunk],
                             collection_ids: list[int] | None = None) -> str:
    """Why the answer should be "I don't know" without calling the model, or "".

    - ``"nothing retrieved"``;
    - ``"best cosine 0.21 < 0.30"``: no retrieved chunk is similar enough
      (RETRIEVAL_ABSTAIN_MIN_COSINE);
    - ``"unknown names: kafka"``: the question names something that appears
      nowhere in the searched collections (RETRIEVAL_ABSTAIN_UNKNOWN_NAMES). A
      misspelt identifier also abstains; that is the intended side: the model
      would otherwise answer about a neighbouring name.
    """
    if not hits:
        return "nothing retrieved"
    best = max(h.score for h in hits)
    if best < settings.RETRIEVAL_ABSTAIN_MIN_COSINE:
        return f"best cosine {best:.2f} < {settings.RETRIEVAL_ABSTAIN_MIN_COSINE:.2f}"
    if settings.RETRIEVAL_ABSTAIN_UNKNOWN_NAMES:
        unknown = names_unknown(question=question, collection_ids=collection_ids)
        if unknown:
            return "unknown names: " + ", ".join(unknown)
    return ""
