"""Answering: retrieval order, and the query API against the real vLLM server."""
from __future__ import annotations

import json

import numpy as np
import pytest

from ingest.embedding import texts_embed
from rag.llm.models import LLMCall
from rag.qa.models import Question
from rag.search.dense import chunks_retrieve_dense
from tests.factories import STAFF_FACTS as FACTS, document_ingested

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    return {source: document_ingested(source=source, text=text) for source, text in FACTS.items()}


def test_retrieval_ranks_the_chunk_holding_the_fact_first(corpus):
    query = texts_embed(["How often do I need to change my password?"])[0]
    hits = chunks_retrieve_dense(query_embedding=query, top_k=3)
    assert [h.source for h in hits][0] == "security/passwords.md"
    assert hits[0].score > hits[1].score >= hits[2].score


def test_retrieval_scores_are_cosine_similarities(corpus):
    query = texts_embed(["bicycle racks"])[0]
    hit = chunks_retrieve_dense(query_embedding=query, top_k=1)[0]
    from ingest.models import Chunk

    stored = np.array(Chunk.objects.get(pk=hit.chunk_id).embedding, dtype=np.float32)
    assert hit.score == pytest.approx(float(stored @ query), abs=1e-4)


def test_retrieval_skips_documents_that_are_not_ready(corpus):
    from ingest.models import Document

    Document.objects.filter(source="hr/leave.md").update(status=Document.Status.EMBEDDING)
    query = texts_embed(["How many days of annual leave do I get?"])[0]
    assert "hr/leave.md" not in {h.source for h in chunks_retrieve_dense(query_embedding=query, top_k=3)}


def test_the_query_api_answers_from_vllm_and_cites_the_document_with_the_fact(api, corpus, llm_server):
    resp = api.post("/api/v1/query", {"question": "How many days of annual leave do staff get?", "top_k": 3},
                    format="json")
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["citations"], body
    first = body["citations"][0]
    assert first["source"] == "hr/leave.md"
    assert first["document_id"] == corpus["hr/leave.md"].id
    assert set(first) == {"document_id", "source", "heading", "page", "chunk_id", "score", "snippet"}
    assert "28 days" in first["snippet"]
    assert body["model"] == {"provider": "vllm", "model_id": "smollm2-135m-instruct", "prompt_version": "answer-v1",
                             "name": "smollm2-135m", "arm": "stable"}
    assert body["answer"].strip()
    assert body["timings_ms"]["generation"] > 0
    call = LLMCall.objects.get()
    assert call.status == "ok" and call.purpose == "answer"
    assert call.prompt_tokens > 0 and call.completion_tokens > 0 and call.latency_ms > 0
    assert Question.objects.get(pk=body["question_id"]).llm_call == call


def test_an_unrelated_question_gets_i_dont_know_and_no_citations(api, corpus):
    resp = api.post("/api/v1/query", {"question": "Which Kafka topic receives quantum telemetry?"}, format="json")
    body = resp.json()
    assert resp.status_code == 200
    assert body["abstained"] is True and body["citations"] == []
    assert "don't know" in body["answer"]
    assert not LLMCall.objects.exists()  # nothing relevant: the model is not even asked


@pytest.mark.parametrize("payload,message", [
    ({"question": ""}, "must not be empty"),
    ({"question": "   "}, "must not be empty"),
    ({"question": "x" * 5000}, "limit is"),
    ({"question": "ok?", "top_k": 0}, "top_k"),
    ({"question": "ok?", "top_k": 500}, "top_k"),
    ({}, "question"),
])
def test_a_bad_question_is_a_clear_400(api, payload, message):
    resp = api.post("/api/v1/query", payload, format="json")
    assert resp.status_code == 400
    assert message in resp.json()["error"]["message"]


def test_it_refuses_an_unknown_retrieval_mode_before_retrieving(db):
    from rag.qa.services import QuestionInvalid, question_answer

    with pytest.raises(QuestionInvalid, match="mode must be one of dense, bm25, hybrid"):
        question_answer(user=None, question="leave", top_k=2, collection_ids=None, mode="fuzzy")


def test_malformed_json_is_a_clear_400(api):
    resp = api.post("/api/v1/query", "{not json", content_type="application/json")
    assert resp.status_code == 400
    assert "JSON parse error" in resp.json()["error"]["message"]


def test_anonymous_query_is_refused(client):
    resp = client.post("/api/v1/query", {"question": "hi"}, content_type="application/json")
    assert resp.status_code in (401, 403)


def test_the_query_api_answers_503_model_unavailable_when_the_answer_model_fails(api, corpus, settings):
    settings.LLM_BASE_URL = "http://127.0.0.1:9/v1"  # nothing listens on the discard port
    resp = api.post("/api/v1/query", {"question": "How many days of annual leave do staff get?"}, format="json")
    assert resp.status_code == 503
    error = resp.json()["error"]
    assert error["code"] == "model_unavailable" and error["message"].startswith("the answer model failed: ")


def test_the_ask_page_streams_the_answer_as_server_sent_events(client, user, corpus, llm_server):
    client.force_login(user)
    resp = client.post("/ask/stream", {"question": "When does the staff car park open?", "top_k": 2})
    assert resp["Content-Type"] == "text/event-stream"
    events = [json.loads(line[6:]) for line in b"".join(resp.streaming_content).decode().splitlines()
              if line.startswith("data: ")]
    kinds = [e["type"] for e in events]
    assert kinds[0] == "citations" and kinds[-1] == "done" and kinds.count("delta") >= 2
    assert events[0]["citations"][0]["source"] == "facilities/parking.md"
    streamed = "".join(e["text"] for e in events if e["type"] == "delta")
    assert streamed.strip() == events[-1]["answer"]["answer"]


def test_the_source_view_highlights_the_cited_chunk(client, user, corpus):
    client.force_login(user)
    chunk = corpus["facilities/parking.md"].chunks.first()
    resp = client.get(f"/sources/{chunk.id}/")
    assert resp.status_code == 200
    assert '<mark id="cited">' in resp.content.decode()
    assert "Bicycle racks" in resp.content.decode()


def test_pages_require_sign_in(client):
    assert client.get("/").status_code == 302
    assert client.get("/documents/").status_code == 302
