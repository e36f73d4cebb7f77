"""``POST /api/v1/search``: ranked passages and the support decision, no model call, under the
permissions, rate limit and audit of ``/api/v1/query``."""
from __future__ import annotations

import hashlib
import json
import uuid

import pytest
from rest_framework.test import APIClient

from rag.access.services import api_token_create
from rag.audit.models import AuditEvent
from rag.llm.models import LLMCall
from tests.factories import document_ingested

pytestmark = pytest.mark.django_db

LEAVE = "# Annual leave\n\nFull-time staff receive 28 days of annual leave per year, including public holidays."
PARKING = "# Parking\n\nThe staff car park opens at 06:30 and closes at 22:00. Bicycle racks are behind building C."
# In "hr", closed to employees: only its readers may ever see it.
SALARIES = "# Salary bands\n\nAnnual leave buy-back is paid at the MARMALADE-7 salary band rate of 412 euros a day."


@pytest.fixture
def corpus():
    return {"leave": document_ingested(source="hr/leave.md", text=LEAVE),
            "parking": document_ingested(source="facilities/parking.md", text=PARKING),
            "salaries": document_ingested(source="hr/salaries.md", text=SALARIES, collection_slug="hr")}


def test_it_returns_ranked_passages_with_citations_and_the_support_decision_without_calling_a_model(api, corpus):
    resp = api.post("/api/v1/search", {"query": "How many days of annual leave do staff get?", "top_k": 2,
                                       "mode": "hybrid"}, format="json")
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert set(body) == {"search_id", "mode", "top_k", "hits", "support", "timings_ms"}
    first = body["hits"][0]
    assert first["source"] == "hr/leave.md" and first["document_id"] == corpus["leave"].pk
    assert set(first) == {"document_id", "source", "heading", "page", "chunk_id", "score", "snippet", "rank", "title",
                          "bm25", "fused", "relevant"}
    assert [h["rank"] for h in body["hits"]] == [1, 2] and "28 days" in first["snippet"]
    assert first["bm25"] > 0 and first["fused"] > 0 and first["relevant"] is True
    assert body["support"]["supported"] is True and body["support"]["method"] == "model"
    assert set(body["support"]) == {"supported", "weak", "reason", "probability", "method", "closest"}
    assert body["support"]["closest"][0]["chunk_id"] == first["chunk_id"]
    assert body["mode"] == "hybrid" and body["timings_ms"]["retrieval"] > 0
    assert not LLMCall.objects.exists()


def test_it_says_why_it_would_not_answer_and_still_shows_the_passages(api, corpus):
    body = api.post("/api/v1/search", {"query": "Which Kafka topic receives quantum telemetry?"},
                    format="json").json()
    assert body["support"]["supported"] is False
    assert body["support"]["reason"]  # e.g. "the closest passage is only 0.02 similar to the question"
    assert body["hits"] and not any(h["relevant"] for h in body["hits"])
    assert body["support"]["closest"]


def test_a_reader_never_sees_a_chunk_of_a_collection_they_cannot_read(api, corpus):
    # The question matches the closed "hr" document best; the employee reads only "default".
    resp = api.post("/api/v1/search", {"query": "MARMALADE-7 salary band leave buy-back rate", "top_k": 10},
                    format="json")
    body = resp.json()
    seen = {h["document_id"] for h in body["hits"] + body["support"]["closest"]}
    assert seen and corpus["salaries"].pk not in seen
    assert "MARMALADE" not in json.dumps(body["hits"] + body["support"]["closest"])


def test_a_token_searches_only_its_collections(corpus):
    hr = corpus["salaries"].collection
    _, secret = api_token_create(name=f"hr-{uuid.uuid4().hex[:6]}", scopes=["query"], collections=[hr])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    body = client.post("/api/v1/search", {"query": "annual leave days", "top_k": 10}, format="json").json()
    assert {h["document_id"] for h in body["hits"]} == {corpus["salaries"].pk}


def test_it_is_audited_like_a_query_with_the_hash_and_length_never_the_text(api, corpus, user):
    query = "How many days of annual leave do staff get?"
    body = api.post("/api/v1/search", {"query": query, "top_k": 3}, format="json").json()
    asked = AuditEvent.objects.get(event_type="query.asked")
    retrieved = AuditEvent.objects.get(event_type="chunks.retrieved")
    assert (asked.actor, asked.target_type, asked.target_id) == (user.username, "search", body["search_id"])
    assert asked.details["question_sha256"] == hashlib.sha256(query.encode()).hexdigest()
    assert asked.details["question_chars"] == len(query) and asked.details["endpoint"] == "search"
    assert retrieved.target_id == body["search_id"]
    assert retrieved.details["chunk_ids"] == [h["chunk_id"] for h in body["hits"]]
    assert not any("annual leave" in json.dumps(e.details) for e in AuditEvent.objects.all())


def test_it_shares_the_query_rate_limit(settings, corpus):
    settings.RATE_LIMIT_QUERY_PER_MIN = 2
    _, secret = api_token_create(name=f"app-{uuid.uuid4().hex[:6]}", scopes=["query"], all_collections=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    first = client.post("/api/v1/search", {"query": "parking"}, format="json").status_code
    second = client.post("/api/v1/query", {"question": "Which Kafka topic receives quantum telemetry?"}, format="json").status_code
    third = client.post("/api/v1/search", {"query": "parking"}, format="json")
    assert (first, second, third.status_code) == (200, 200, 429)
    assert third.json()["error"]["code"] == "throttled"


def test_it_refuses_an_ingest_only_token():
    _, secret = api_token_create(name=f"crawler-{uuid.uuid4().hex[:6]}", scopes=["ingest"], all_collections=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    resp = client.post("/api/v1/search", {"query": "parking"}, format="json")
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "insufficient_scope"


@pytest.mark.parametrize("payload,code,message", [
    ({"query": ""}, "invalid_query", "must not be empty"),
    ({"query": "   "}, "invalid_query", "must not be empty"),
    ({"query": "x" * 5000}, "invalid_query", "limit is"),
    ({"query": "ok?", "top_k": 0}, "invalid", "top_k"),
    ({"query": "ok?", "top_k": 500}, "invalid", "top_k"),
    ({"query": "ok?", "mode": "fuzzy"}, "invalid", "mode"),
    ({"top_k": 3}, "invalid", "query"),
])
def test_it_refuses_bad_input_with_a_400_and_the_one_error_body(api, payload, code, message):
    resp = api.post("/api/v1/search", payload, format="json")
    assert resp.status_code == 400
    body = resp.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code and message in body["error"]["message"]
    assert not AuditEvent.objects.filter(event_type="query.asked").exists()


def test_it_refuses_malformed_json_with_the_one_error_body(api):
    resp = api.post("/api/v1/search", "{not json", content_type="application/json")
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == "parse_error"


def test_the_openapi_schema_describes_the_search_and_the_support_decision(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    assert "post" in schema["paths"]["/api/v1/search"]
    support = schema["components"]["schemas"]["SupportOutput"]["properties"]
    assert {"supported", "weak", "reason", "probability", "closest"} <= set(support)
    query_output = next(v for k, v in schema["components"]["schemas"].items() if k.endswith("Output")
                        and "abstained" in v.get("properties", {}) and "timings_ms" in v["properties"])
    assert "support" in query_output["properties"]
