"""Retrieval is filtered inside the SQL query: the top-k is computed over permitted chunks
only, with either strategy of rag.search.plan."""
from __future__ import annotations

import numpy as np
import pytest

from ingest.embedding import texts_embed
from rag.search.dense import chunks_retrieve_dense
from rag.search.plan import retrieval_plan
from tests.factories import collection, document_ingested

pytestmark = pytest.mark.django_db

QUESTION = "How many days of annual leave do staff get?"


@pytest.fixture
def corpus():
    # Many close matches in "hr", one weaker match in "ops": a post-filter over the
    # global top-k would find nothing permitted for someone who reads only "ops".
    hr = [document_ingested(source=f"leave-{i}.md", collection_slug="hr",
                            text=f"# Annual leave {i}\n\nStaff get {20 + i} days of annual leave per year.")
          for i in range(6)]
    ops = document_ingested(source="rota.md", collection_slug="ops",
                            text="# Rota\n\nHoliday requests for the on-call rota go to the ops lead.")
    return hr, ops


@pytest.mark.parametrize("exact_max_chunks", [10_000, 0], ids=["exact", "iterative-hnsw"])
def test_the_top_k_is_computed_over_permitted_chunks_only(corpus, settings, exact_max_chunks):
    settings.RETRIEVAL_EXACT_MAX_CHUNKS = exact_max_chunks
    hr, ops = corpus
    query = texts_embed([QUESTION])[0]
    hits = chunks_retrieve_dense(query_embedding=query, top_k=3, collection_ids=[ops.collection_id])
    assert [h.document_id for h in hits] == [ops.pk]
    everyone = chunks_retrieve_dense(query_embedding=query, top_k=3, collection_ids=None)
    assert {h.document_id for h in everyone} <= {d.pk for d in hr}


def test_nobody_reads_nothing(corpus):
    query = texts_embed([QUESTION])[0]
    assert chunks_retrieve_dense(query_embedding=query, top_k=3, collection_ids=[]) == []


def test_both_strategies_agree_with_exact_search(corpus, settings):
    hr, _ = corpus
    query = texts_embed([QUESTION])[0]
    ids = [hr[0].collection_id]
    settings.RETRIEVAL_EXACT_MAX_CHUNKS = 10_000
    exact = chunks_retrieve_dense(query_embedding=query, top_k=4, collection_ids=ids)
    settings.RETRIEVAL_EXACT_MAX_CHUNKS = 0
    iterative = chunks_retrieve_dense(query_embedding=query, top_k=4, collection_ids=ids)
    assert [h.chunk_id for h in iterative] == [h.chunk_id for h in exact]
    scores = [h.score for h in exact]
    assert scores == sorted(scores, reverse=True)
    assert np.isclose(exact[0].score, iterative[0].score)


def test_the_plan_is_exact_for_small_permitted_sets_and_iterative_for_large_ones(corpus, settings):
    hr, ops = corpus
    settings.RETRIEVAL_EXACT_MAX_CHUNKS = 3
    small = retrieval_plan(collection_ids=[ops.collection_id], top_k=5)
    large = retrieval_plan(collection_ids=[hr[0].collection_id, ops.collection_id], top_k=5)
    unrestricted = retrieval_plan(collection_ids=None, top_k=5)
    assert small.exact and not large.exact and large.iterative
    assert large.ef_search == settings.RETRIEVAL_FILTERED_EF_SEARCH
    assert not unrestricted.exact and not unrestricted.iterative


def test_a_document_moved_to_another_collection_is_keyword_searched_under_its_new_one(corpus):
    from ingest.models import Document
    from rag.search.bm25 import chunks_rank_bm25

    _, ops = corpus
    old_collection = ops.collection_id
    Document.objects.filter(pk=ops.pk).update(collection=collection("elsewhere"))
    assert chunks_rank_bm25(query="on-call rota", limit=5, collection_ids=[old_collection]) == []
