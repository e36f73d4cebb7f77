"""Every retrieval mode through rag.search.selectors.chunks_retrieve: ranking, collection filter, abstention."""
from __future__ import annotations

import pytest
from django.test import override_settings

from rag.search.selectors import chunks_retrieve
from tests.factories import document_ingested

pytestmark = pytest.mark.django_db

MODES = ("dense", "bm25", "hybrid")

HR = {
    "hr/leave.md": "# Annual leave\n\nFull-time staff receive 28 days of annual leave per year, "
                   "including public holidays.",
    "hr/expenses.md": "# Expenses\n\nSubmit receipts within 30 days. Set EXPENSE_LIMIT_EUR to change the "
                      "approval threshold.",
}
ENGINEERING = {
    "eng/leave.md": "# On-call leave\n\nEngineers on call receive 2 extra days of annual leave per year.",
    "eng/deploy.md": "# Deployments\n\nDeploy with make release; the pipeline runs the test suite first.",
}


@pytest.fixture
def corpus():
    docs = {s: document_ingested(source=s, text=t, collection_slug="hr") for s, t in HR.items()}
    docs.update({s: document_ingested(source=s, text=t, collection_slug="engineering")
                 for s, t in ENGINEERING.items()})
    return docs


@pytest.mark.parametrize("mode", MODES)
def test_each_mode_ranks_the_document_with_the_fact_first(corpus, mode):
    hits, relevant, ms = chunks_retrieve(question="How many days of annual leave do staff get?", top_k=3,
                                         collection_ids=None, mode=mode)
    assert hits[0].source in {"hr/leave.md", "eng/leave.md"}
    assert relevant and ms >= 0


@pytest.mark.parametrize("mode", MODES)
def test_each_mode_honours_the_collection_filter(corpus, mode):
    hr_id = corpus["hr/leave.md"].collection_id
    hits, _, _ = chunks_retrieve(question="annual leave days for engineers on call", top_k=10,
                                 collection_ids=[hr_id], mode=mode)
    assert hits and {h.source for h in hits} <= set(HR)
    nothing, _, _ = chunks_retrieve(question="annual leave", top_k=10, collection_ids=[], mode=mode)
    assert nothing == []


def test_an_exact_identifier_is_found_by_bm25_and_hybrid(corpus):
    for mode in ("bm25", "hybrid"):
        hits, _, _ = chunks_retrieve(question="EXPENSE_LIMIT_EUR", top_k=2, collection_ids=None, mode=mode)
        assert hits[0].source == "hr/expenses.md" and hits[0].bm25 > 0


def test_scores_stay_cosine_similarities_in_every_mode(corpus):
    by_mode = {}
    for mode in MODES:
        hits, _, _ = chunks_retrieve(question="deploy pipeline", top_k=4, collection_ids=None, mode=mode)
        by_mode[mode] = {h.chunk_id: h.score for h in hits}
    shared = set(by_mode["dense"]) & set(by_mode["bm25"]) & set(by_mode["hybrid"])
    assert shared
    for chunk_id in shared:
        assert by_mode["bm25"][chunk_id] == pytest.approx(by_mode["dense"][chunk_id], abs=1e-5)
        assert by_mode["hybrid"][chunk_id] == pytest.approx(by_mode["dense"][chunk_id], abs=1e-5)


def test_the_mode_defaults_to_the_setting_and_is_validated(corpus):
    with override_settings(RETRIEVAL_MODE="bm25"):
        hits, _, _ = chunks_retrieve(question="EXPENSE_LIMIT_EUR", top_k=2, collection_ids=None)
    assert hits[0].bm25 is not None and hits[0].fused is None
    with pytest.raises(ValueError, match="mode must be one of"):
        chunks_retrieve(question="leave", top_k=2, collection_ids=None, mode="fuzzy")


@pytest.mark.parametrize("mode", MODES)
def test_a_question_naming_something_no_document_mentions_gets_nothing_relevant(corpus, mode):
    hits, relevant, _ = chunks_retrieve(question="How many days of annual leave does the Kubernetes team get?",
                                        top_k=3, collection_ids=None, mode=mode)
    assert hits and relevant == []


def test_names_known_only_in_another_collection_count_as_unknown(corpus):
    question = "What does EXPENSE_LIMIT_EUR change?"
    hr_id, eng_id = corpus["hr/expenses.md"].collection_id, corpus["eng/deploy.md"].collection_id
    assert chunks_retrieve(question=question, top_k=3, collection_ids=[hr_id], mode="hybrid")[1]
    assert chunks_retrieve(question=question, top_k=3, collection_ids=[eng_id], mode="hybrid")[1] == []


def test_the_unknown_name_rule_can_be_switched_off(corpus):
    with override_settings(RETRIEVAL_ABSTAIN_MODEL="rule", RETRIEVAL_ABSTAIN_UNKNOWN_NAMES=False):
        _, relevant, _ = chunks_retrieve(question="How many days of annual leave does the Kubernetes team get?",
                                         top_k=3, collection_ids=None, mode="hybrid")
    assert relevant


@pytest.mark.parametrize("mode", MODES)
def test_below_the_cosine_threshold_nothing_is_relevant(corpus, mode):
    with override_settings(RETRIEVAL_ABSTAIN_MODEL="rule", RETRIEVAL_ABSTAIN_MIN_COSINE=0.99):
        hits, relevant, _ = chunks_retrieve(question="annual leave days", top_k=3, collection_ids=None, mode=mode)
    assert hits and relevant == []

