"""JSON logs: a request id from the web request into its Celery task and model calls, and
no personal data anywhere in the logs of a full ask → escalate → approve walkthrough."""
from __future__ import annotations

import io
import json
import logging

import pytest
from rest_framework.test import APIClient

from rag.ops.logs import json_formatter
from tests import plugin_services
from tests.fallback.conftest import (PII_VALUES, QUESTION, permits_doc, salaries_doc, standin,  # noqa: F401
                                     standin_settings, wait_for_request)


@pytest.fixture
def web_log():
    """Everything this (web) process logs during the test, as JSON lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


def _records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_a_log_line_is_one_json_object_with_the_request_id(client, web_log):
    resp = client.get("/healthz", HTTP_X_REQUEST_ID="req-0123456789")
    assert resp["X-Request-ID"] == "req-0123456789"
    [line] = [r for r in _records(web_log.getvalue()) if r["event"] == "request"]
    assert line["request_id"] == "req-0123456789" and line["route"] == "healthz" and line["status"] == 200
    assert {"level", "logger", "timestamp", "duration_ms"} <= set(line)


def test_a_request_id_that_is_not_an_id_is_replaced(client):
    resp = client.get("/healthz", HTTP_X_REQUEST_ID="Dana Whitfield asked")
    assert len(resp["X-Request-ID"]) == 32 and " " not in resp["X-Request-ID"]


@pytest.mark.django_db(transaction=True)
def test_the_walkthrough_logs_carry_request_ids_and_no_personal_data(api, admin_user_obj, permits_doc, salaries_doc,
                                                                       llm_server, celery_worker, standin, web_log):
    staff = APIClient()
    staff.force_authenticate(admin_user_obj)
    asked = api.post("/api/v1/query", {"question": QUESTION, "top_k": 5}, format="json",
                     HTTP_X_REQUEST_ID="walk-ask-000001")
    assert asked.status_code == 200, asked.content
    escalated = api.post(f"/api/v1/questions/{asked.json()['question_id']}/escalate", {}, format="json",
                         HTTP_X_REQUEST_ID="walk-escalate-0001")
    assert escalated.status_code == 201, escalated.content
    item = escalated.json()
    approved = staff.post(f"/api/v1/fallback/{item['id']}/approve", {"payload_sha256": item["payload_sha256"]},
                          format="json", HTTP_X_REQUEST_ID="walk-approve-0001")
    assert approved.status_code == 200, approved.content
    wait_for_request(item["id"], statuses=("answered", "delivered", "failed"))

    web = _records(web_log.getvalue())
    worker_text = (plugin_services.state_dir() / "worker.log").read_text()
    worker = _records(worker_text)
    # The question, and the local model call it made, carry the asking request's id.
    [question] = [r for r in web if r["event"] == "question" and r["request_id"] == "walk-ask-000001"]
    if question["llm_call_id"]:  # an abstention calls no model
        assert any(r["event"] == "llm_call" and r["request_id"] == "walk-ask-000001" for r in web)
    # The send task the approval dispatched logs in the worker with the approval's id.
    sent = [r for r in worker if r.get("request_id") == "walk-approve-0001"]
    assert any(r.get("task") == "rag.fallback.tasks.fallback_send_task" for r in sent), worker_text[-3000:]
    assert any(r["event"] == "llm_call" and r["purpose"] == "fallback" for r in sent)
    # No personal data, question text or document text anywhere in either log.
    everything = (web_log.getvalue() + worker_text).lower()
    assert [v for v in PII_VALUES if v.lower() in everything] == []
    assert "parking permit" not in everything
