"""Feedback on answers: stored with the arm, audited, exported and read back by ``manage.py evaluate``."""
from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from rag.audit.models import AuditEvent
from rag.qa.evaluation import qa_item_from_json
from rag.qa.models import Feedback, Question
from tests.factories import document_ingested

pytestmark = pytest.mark.django_db


def _question(user, doc, **fields) -> Question:
    return Question.objects.create(asked_by=user, text="How many days of annual leave do staff get?", top_k=3,
                                   answer="28 days [1].", status="answered", arm="candidate",
                                   model_name="smollm2-135m-v2", prompt_version="answer-v2",
                                   citations=[{"document_id": doc.pk, "source": doc.source, "chunk_id": 1}], **fields)


@pytest.fixture
def doc(db):
    return document_ingested(source="hr/leave.md", text="# Annual leave\n\n28 days of leave a year.")


def test_a_thumbs_up_is_stored_with_the_arm_and_audited_without_the_comment(api, user, doc):
    q = _question(user, doc)
    resp = api.post(f"/api/v1/questions/{q.pk}/feedback", {"rating": "up", "comment": "spot on, Jane"},
                    format="json")
    assert resp.status_code == 200, resp.content
    assert resp.json() == {"question_id": q.pk, "rating": "up", "comment": "spot on, Jane", "arm": "candidate",
                           "model_name": "smollm2-135m-v2", "prompt_version": "answer-v2"}
    event = AuditEvent.objects.get(event_type="feedback.given")
    assert event.details["rating"] == "up" and event.details["comment_chars"] == 13
    assert "Jane" not in json.dumps(event.details)


def test_a_second_rating_replaces_the_first(api, user, doc):
    q = _question(user, doc)
    api.post(f"/api/v1/questions/{q.pk}/feedback", {"rating": "up"}, format="json")
    api.post(f"/api/v1/questions/{q.pk}/feedback", {"rating": "down", "comment": "wrong"}, format="json")
    assert list(Feedback.objects.values_list("rating", "comment")) == [("down", "wrong")]


def test_it_refuses_feedback_on_someone_elses_question(api, doc, django_user_model):
    other = django_user_model.objects.create_user(username="other", password="x" * 20)
    q = _question(other, doc)
    resp = api.post(f"/api/v1/questions/{q.pk}/feedback", {"rating": "up"}, format="json")
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "not_found"
    assert not Feedback.objects.exists()


def test_the_feedback_export_is_read_back_by_evaluate(api, user, doc, tmp_path, llm_server):
    liked, disliked, marked = _question(user, doc), _question(user, doc), _question(user, doc)
    api.post(f"/api/v1/questions/{liked.pk}/feedback", {"rating": "up"}, format="json")
    api.post(f"/api/v1/questions/{disliked.pk}/feedback", {"rating": "down"}, format="json")
    api.post(f"/api/v1/questions/{marked.pk}/feedback",
             {"rating": "down", "gold_document_ids": [doc.pk]}, format="json")
    out = tmp_path / "feedback.jsonl"
    call_command("feedback_export", str(out))
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == [f"fb{liked.pk}", f"fb{marked.pk}"]
    assert records[0]["gold"] == ["hr/leave.md"] and records[0]["arm"] == "candidate"
    assert [qa_item_from_json(r).gold for r in records] == [("hr/leave.md",), ("hr/leave.md",)]
    report = tmp_path / "report.json"
    call_command("evaluate", str(out), "--retrieval-only", "--json", str(report))
    assert json.loads(report.read_text())
