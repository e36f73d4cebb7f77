"""/metrics: Prometheus text, for the internal network or the metrics token only."""
from __future__ import annotations

import pytest

from tests.factories import document_ingested


def test_it_refuses_callers_from_outside_the_internal_network(client, settings):
    settings.METRICS_TOKEN = "metrics-token-0123456789"
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    # through the proxy: the proxy's own address is internal, the caller is not
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404


@pytest.mark.django_db
def test_it_answers_the_metrics_token_from_anywhere(client, settings):
    settings.METRICS_TOKEN = "metrics-token-0123456789"
    resp = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer metrics-token-0123456789")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
def test_it_counts_questions_documents_model_calls_and_the_audit_trail(client, api, llm_server, redis_db):
    document_ingested(source="guide/csrf.md", text="# CSRF\n\nThe CSRF cookie is valid for one year by default.")
    asked = api.post("/api/v1/query", {"question": "How long is the CSRF cookie valid?"}, format="json")
    assert asked.status_code == 200, asked.content
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    status = asked.json().get("status", "answered")
    assert f'perimeter_questions_total{{status="{status}"}} 1.0' in text
    assert 'perimeter_documents{status="ready"} 1.0' in text
    assert 'perimeter_llm_calls_total{model="' in text and 'status="ok"' in text
    assert 'perimeter_llm_tokens_total{' in text and 'kind="completion"' in text
    assert 'perimeter_fallback_budget_remaining_tokens{provider="openai"}' in text
    assert 'perimeter_ingest_queue_depth{queue="ingest"}' in text  # one series per queue (CELERY_TASK_ROUTES)
    assert "perimeter_audit_events_total" in text and "perimeter_retrieval_seconds_bucket" in text
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text
