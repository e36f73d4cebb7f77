"""manage.py evaluate on a tiny real corpus with known answers (retrieval only)."""
from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from tests.factories import STAFF_FACTS as FACTS, document_ingested

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {"id": "q1", "question": "How often must employees change their password?", "gold": ["security/passwords.md"],
     "answer_must_contain": ["90 days"], "kind": "paraphrase"},
    {"id": "q2", "question": "When does the car park open?", "gold": ["facilities/parking.md"],
     "answer_must_contain": ["06:30"], "kind": "lookup"},
    {"id": "q3", "question": "How many days of annual leave do full-time staff receive?", "gold": ["hr/leave.md"],
     "answer_must_contain": ["28"], "kind": "numeric"},
    {"id": "q4", "question": "Which Kafka topic receives quantum telemetry?", "gold": [],
     "answer_must_contain": [], "kind": "unanswerable"},
]


@pytest.fixture
def qa_file(tmp_path):
    for source, text in FACTS.items():
        document_ingested(source=source, text=text)
    path = tmp_path / "qa.jsonl"
    path.write_text("".join(json.dumps(q) + "\n" for q in QUESTIONS))
    return path


def test_it_reports_perfect_retrieval_and_abstention_in_every_mode(qa_file, tmp_path, capsys):
    report = tmp_path / "report.json"
    call_command("evaluate", str(qa_file), "--retrieval-only", "--modes", "dense,bm25,hybrid",
                 "--top-k", "3", "--json", str(report))
    modes = json.loads(report.read_text())["modes"]
    assert set(modes) == {"dense", "bm25", "hybrid"}
    for mode in ("dense", "hybrid"):
        m = modes[mode]
        assert (m["hit_at_1"], m["hit_at_5"], m["mrr_at_10"]) == (1.0, 1.0, 1.0), mode
        assert m["abstention_accuracy"] == 1.0 and m["false_abstentions"] == 0, mode
        assert m["answer_accuracy"] is None and m["retrieval_ms_p95"] >= m["retrieval_ms_p50"] >= 0
    assert modes["bm25"]["hit_at_5"] == 1.0 and modes["bm25"]["abstention_accuracy"] == 1.0
    out = capsys.readouterr().out
    assert "hit@5" in out and "MRR@10" in out and "dense" in out and "hybrid" in out


def test_it_writes_results_that_the_dev_set_scorer_reads(qa_file, tmp_path):
    results = tmp_path / "results.jsonl"
    call_command("evaluate", str(qa_file), "--retrieval-only", "--modes", "hybrid", "--top-k", "3",
                 "--results", str(results))
    rows = {r["id"]: r for r in map(json.loads, results.read_text().splitlines())}
    assert set(rows) == {"q1", "q2", "q3", "q4"}
    assert rows["q2"]["citations"][0] == "facilities/parking.md" and rows["q2"]["abstained"] is False
    assert rows["q4"] == {"id": "q4", "answer": rows["q4"]["answer"], "citations": [], "abstained": True}


def test_the_collection_option_limits_the_search(qa_file, tmp_path):
    document_ingested(source="other/leave.md", text=FACTS["hr/leave.md"], collection_slug="other")
    results = tmp_path / "results.jsonl"
    call_command("evaluate", str(qa_file), "--retrieval-only", "--modes", "dense", "--collection", "other",
                 "--results", str(results))
    cited = {c for r in map(json.loads, results.read_text().splitlines()) for c in r["citations"]}
    assert cited <= {"other/leave.md"}


def test_it_refuses_unknown_modes_and_collections(qa_file):
    with pytest.raises(CommandError, match="unknown mode"):
        call_command("evaluate", str(qa_file), "--retrieval-only", "--modes", "dense,magic")
    with pytest.raises(CommandError, match="no collection"):
        call_command("evaluate", str(qa_file), "--retrieval-only", "--collection", "nope")
