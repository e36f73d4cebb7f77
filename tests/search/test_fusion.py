"""Reciprocal rank fusion (pure)."""
from __future__ import annotations

import pytest

from rag.search.fusion import rank_fuse_rrf


def test_scores_are_sums_of_reciprocal_ranks():
    fused = dict(rank_fuse_rrf([["a", "b", "c"], ["c", "a"]], k=60))
    assert fused["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert fused["b"] == pytest.approx(1 / 62)
    assert fused["c"] == pytest.approx(1 / 63 + 1 / 61)


def test_items_found_by_both_lists_rise_above_items_found_by_one():
    assert [i for i, _ in rank_fuse_rrf([["a", "b", "c"], ["c", "d", "b"]], k=60)][:2] == ["c", "b"]


def test_ties_go_to_the_better_best_rank_then_to_the_first_list():
    assert [i for i, _ in rank_fuse_rrf([["a", "x"], ["b", "y"]], k=60)] == ["a", "b", "x", "y"]


def test_a_smaller_k_favours_top_ranks_more():
    deep_in_both = rank_fuse_rrf([["t", "z1", "z2", "d"], ["u", "v", "w", "d"]], k=1)
    assert deep_in_both[0][0] == "t"


def test_negative_k_is_refused():
    with pytest.raises(ValueError):
        rank_fuse_rrf([["a"]], k=-1)
