"""Abstention that says why: the support features, the fitted model, its fallback and the stored reason."""
from __future__ import annotations

import json

import numpy as np
import pytest
from django.test import override_settings

from ingest.embedding import texts_embed
from rag.qa.evaluation import QAItem, abstention_report, calibration_bins, reliability_curve
from rag.qa.models import Question
from rag.qa.services import question_answer
from rag.search.abstention import MODEL_PATH, SupportModel, support_decide, support_model_load
from rag.search.selectors import chunks_search, retrieval_run
from rag.search.support import FEATURES, support_features
from tests.factories import document_ingested

pytestmark = pytest.mark.django_db

MANUAL = {
    "tool/release-2.1.md": "# Acme Deploy 2.1 release notes\n\nAcme Deploy 2.1 adds the --dry-run option to the "
                           "push command and raises the default upload timeout to 90 seconds.",
    "tool/release-2.0.md": "# Acme Deploy 2.0 release notes\n\nAcme Deploy 2.0 adds the rollback command, "
                           "which restores the previous release in under a minute.",
    "tool/config.md": "# Configuration\n\nSet DEPLOY_TIMEOUT_S to change the upload timeout. The default is 90.",
}


@pytest.fixture
def manual():
    return {s: document_ingested(source=s, text=t) for s, t in MANUAL.items()}


def _features(question: str):
    vec = texts_embed([question])[0]
    hits = chunks_search(query=question, query_embedding=vec, mode="hybrid", top_k=3)
    return support_features(question=question, query_embedding=vec, hits=hits, collection_ids=None)


def test_it_flags_a_release_the_documents_do_not_cover(manual):
    f = _features("Which option does Acme Deploy 3.0 add to the push command?")
    assert f.values["version_undocumented"] == 1.0 and f.undocumented == ("Deploy", "3.0", "2.1")
    assert f.missing_versions == ["3.0"]


def test_a_covered_release_is_not_flagged(manual):
    f = _features("Which option does Acme Deploy 2.1 add to the push command?")
    assert f.values["version_undocumented"] == 0.0 and f.values["versions_missing"] == 0.0
    assert f.values["term_coverage"] > 0.8


def test_it_abstains_on_the_uncovered_release_and_states_the_versions(manual):
    decision = retrieval_run(question="Which option does Acme Deploy 3.0 add to the push command?", top_k=3,
                             collection_ids=None).support
    assert decision.method == "model" and decision.supported is False
    assert decision.reason == "the documents cover Deploy up to 2.1; the question asks about Deploy 3.0"


def test_the_covered_release_still_answers(manual):
    r = retrieval_run(question="Which option does Acme Deploy 2.1 add to the push command?", top_k=3,
                      collection_ids=None)
    assert r.support.supported and r.relevant and r.relevant[0].source == "tool/release-2.1.md"


def test_it_stores_the_reason_on_the_question_and_shows_the_closest_passages(manual):
    answer = question_answer(user=None, question="Which option does Acme Deploy 3.0 add to the push command?",
                             top_k=3, collection_ids=None)
    assert answer.abstained and answer.citations == []
    assert "asks about Deploy 3.0" in answer.support["reason"] and answer.support["closest"]
    stored = Question.objects.get(pk=answer.question_id)
    assert stored.support_reason == answer.support["reason"] and stored.support_probability < 0.5


def test_it_falls_back_to_the_old_rule_when_the_model_cannot_be_read(manual, tmp_path):
    broken = tmp_path / "model.json"
    broken.write_text("{not json")
    support_model_load.cache_clear()
    with override_settings(RETRIEVAL_ABSTAIN_MODEL=str(broken)):
        decision = retrieval_run(question="Which Kafka topic gets the rollback events?", top_k=3,
                                 collection_ids=None).support
    assert decision.method == "rule" and decision.reason == "unknown names: kafka"


def test_the_rule_can_be_chosen_on_purpose(manual):
    with override_settings(RETRIEVAL_ABSTAIN_MODEL="rule"):
        decision = retrieval_run(question="What does the rollback command restore?", top_k=3,
                                 collection_ids=None).support
    assert decision.method == "rule" and decision.supported and decision.probability is None


def test_nothing_retrieved_abstains_without_features():
    decision = support_decide(question="anything", query_embedding=np.zeros(384, dtype=np.float32), hits=[])
    assert not decision.supported and decision.reason == "nothing retrieved"


def test_the_packaged_model_is_plain_json_over_the_current_features():
    data = json.loads(MODEL_PATH.read_text())
    model = SupportModel.from_json(data)
    assert tuple(data["features"]) == FEATURES and 0 < model.threshold <= model.weak_threshold < 1


def test_it_refuses_a_model_fitted_on_other_features():
    data = json.loads(MODEL_PATH.read_text())
    data["features"] = data["features"][::-1]
    with pytest.raises(ValueError, match="differ"):
        SupportModel.from_json(data)


def test_abstention_metrics_count_precision_recall_and_false_abstentions():
    items = [QAItem("a", "q", ("x.txt",), (), "lookup"), QAItem("b", "q", ("x.txt",), (), "lookup"),
             QAItem("c", "q", (), (), "policy"), QAItem("d", "q", (), (), "policy")]
    r = abstention_report(items, {"a": True, "c": True, "d": False})
    assert (r.precision, r.recall, r.false_abstention_rate) == (0.5, 0.5, 0.5)
    assert r.per_kind == {"lookup": 0.5, "policy": 0.5}


def test_the_reliability_curve_trades_answered_share_for_accuracy():
    curve = reliability_curve([0.9, 0.8, 0.3, 0.1], [True, True, False, False], points=3)
    assert curve[0] == {"threshold": 0.0, "answered_share": 1.0, "accuracy": 0.5}
    assert curve[1] == {"threshold": 0.5, "answered_share": 0.5, "accuracy": 1.0}
    bins = calibration_bins([0.95, 0.05], [True, False], bins=2)
    assert [b["answerable_share"] for b in bins] == [0.0, 1.0]
