"""Reciprocal rank fusion (Cormack, Clarke & Büttcher 2009, "Reciprocal rank
fusion outperforms Condorcet and individual rank learning methods", SIGIR).

Pure functions, no Django.
"""
from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def rank_fuse_rrf(rankings: Sequence[Sequence[K]], *, k: int = 60) -> list[tuple[K, float]]:
    """Fuse ranked lists: ``score(d) = sum over lists of 1 / (k + rank(d))``, rank from 1.

    Items missing from a list get nothing from it. Returns ``(item, score)``
    best first; ties go to the item with the better best rank, then to the
    earlier list (so with equal evidence the first ranking, e.g. dense, wins).
    Raises ``ValueError`` if ``k < 0``.
    """
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    scores: dict[K, float] = {}
    best: dict[K, tuple[int, int]] = {}
    for list_index, ranking in enumerate(rankings):
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
            best[item] = min(best.get(item, (rank, list_index)), (rank, list_index))
    return sorted(scores.items(), key=lambda kv: (-kv[1], best[kv[0]]))
