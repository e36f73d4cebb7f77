"""What people and apps see of the support decision: "Not answered: <reason>" with the closest
passages and the escalation offer, the "weakly supported" mark with its reason, and ``support`` in
the query and chat-completions responses; the answer-citation rule on exact cases and on the
real model's output."""
from __future__ import annotations

import json
import re
import uuid

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from ingest.models import Chunk
from rag.access.services import api_token_create, collection_access_set
from rag.llm.models import LLMCall
from rag.qa.models import Question
from rag.search.abstention import CITES_NOTHING, answer_citation_reason
from tests.factories import STAFF_FACTS as FACTS, collection, document_ingested, signed_in_browser as _client

pytestmark = pytest.mark.django_db

SOURCES = [
    "hr/leave.md > Annual leave\nFull-time staff receive 28 days of annual leave per year, including public holidays.",
    "facilities/parking.md > Parking\nThe staff car park opens at 06:30 and closes at 22:00. Bicycle racks are "
    "behind building C.",
    "security/passwords.md > Password rotation\nEmployees must rotate their passwords every 90 days. The minimum "
    "length is 14 characters.",
]
UNANSWERABLE = "Which Kafka topic receives quantum telemetry?"


@pytest.fixture
def corpus():
    return {source: document_ingested(source=source, text=text) for source, text in FACTS.items()}


# --- The rule, on exact cases -------------------------------------------------------------------

@pytest.mark.parametrize("answer,reason", [
    ("Staff get 28 days of annual leave [1].", ""),
    ("Staff get 28 days of annual leave [1, 3].", ""),
    ("The car park opens at 06:30 [2].", ""),
    ("Rotate them every 90 days [3]", ""),
    ("It is open in the morning [2].", ""),  # nothing specific to check
    ("Staff get 28 days of annual leave.", CITES_NOTHING),
    ("Staff get 28 days of annual leave [7].", CITES_NOTHING),  # [7] names no source it was given
    ("Staff get 30 days of annual leave [1].", "the cited passage does not contain 30"),
    ("Staff get 28 days of annual leave [2].", "the cited passage does not contain 28"),
    ("Set DEPLOY_TIMEOUT_S to 90 [1].", "the cited passage does not contain 90, DEPLOY_TIMEOUT_S"),
    ("Annual leave is 28 days [2][3].", "the cited passages do not contain 28"),  # "days" is in [3]
    ("Annual leave is 28 days [2].", "the cited passage does not contain 28, Annual, leave"),
    ("Staff receive 1,000 days [1].", "the cited passage does not contain 1000"),
])
def test_it_marks_an_answer_that_cites_nothing_or_whose_cited_passage_lacks_its_key_tokens(answer, reason):
    assert answer_citation_reason(answer=answer, sources=SOURCES) == reason


def test_with_one_source_only_numbers_and_names_are_key_tokens():
    assert answer_citation_reason(answer="They receive plenty of holidays [1].", sources=SOURCES[:1]) == ""
    assert answer_citation_reason(answer="Ask Kafka about it [1].", sources=SOURCES[:1]) == \
        "the cited passage does not contain Kafka"


# --- The rule, on the real model's answers ------------------------------------------------------

def _sources_given(citations: list[dict]) -> list[str]:
    """The relevant chunks as the rule reads them (the citations are the relevant hits, in prompt order)."""
    chunks = Chunk.objects.select_related("document").in_bulk([c["chunk_id"] for c in citations])
    return [f"{chunks[c['chunk_id']].document.source} > {chunks[c['chunk_id']].heading_path}\n"
            f"{chunks[c['chunk_id']].text}" for c in citations]


@pytest.mark.parametrize("question", ["How many days of annual leave do staff get?",
                                      "How often must employees rotate their passwords?",
                                      "When does the staff car park open?"])
def test_the_real_models_answer_is_marked_by_the_rule_and_stored(api, corpus, llm_server, question):
    body = api.post("/api/v1/query", {"question": question, "top_k": 3}, format="json").json()
    stored = Question.objects.get(pk=body["question_id"])
    if body["abstained"]:
        assert body["citations"] == [] and stored.status == "abstained"
        return
    expected = answer_citation_reason(answer=body["answer"], sources=_sources_given(body["citations"]))
    if expected:
        assert body["support"]["weak"] is True and body["support"]["reason"].endswith(expected), body
        assert stored.weakly_supported and stored.support_reason.endswith(expected)
    else:
        assert CITES_NOTHING not in body["support"]["reason"] and "cited passage" not in body["support"]["reason"]
    assert stored.weakly_supported == body["support"]["weak"]


def test_a_streamed_answer_stores_the_rule_s_verdict(client, user, corpus, llm_server):
    client.force_login(user)
    resp = client.post("/ask/stream", {"question": "How often must employees rotate their passwords?", "top_k": 3})
    events = [json.loads(line[6:]) for line in b"".join(resp.streaming_content).decode().splitlines()
              if line.startswith("data: ")]
    done = events[-1]["answer"]
    stored = Question.objects.get(pk=done["question_id"])
    assert (stored.weakly_supported, stored.support_reason) == (done["support"]["weak"], done["support"]["reason"])
    if not done["abstained"]:
        expected = answer_citation_reason(answer=done["answer"], sources=_sources_given(done["citations"]))
        assert done["support"]["reason"].endswith(expected) and (done["support"]["weak"] or not expected)


# --- What the APIs carry ------------------------------------------------------------------------

def test_an_abstention_says_why_and_names_the_closest_passages_without_calling_the_model(api, corpus):
    body = api.post("/api/v1/query", {"question": UNANSWERABLE}, format="json").json()
    support = body["support"]
    assert body["abstained"] is True and support["supported"] is False and support["reason"]
    assert len(support["closest"]) == 2 and {c["source"] for c in support["closest"]} <= set(FACTS)
    assert set(support["closest"][0]) == {"document_id", "source", "heading", "page", "chunk_id", "score", "snippet"}
    assert Question.objects.get(pk=body["question_id"]).support_reason == support["reason"]
    assert not LLMCall.objects.exists()


def test_the_chat_completion_carries_the_support_decision(corpus):
    _, secret = api_token_create(name=f"bot-{uuid.uuid4().hex[:6]}", scopes=["query"], all_collections=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    resp = client.post("/v1/chat/completions", {"model": "perimeter", "messages": [
        {"role": "user", "content": UNANSWERABLE}]}, format="json")
    assert resp.status_code == 200, resp.content
    support = resp.json()["perimeter"]["support"]
    assert support["supported"] is False and support["reason"] and len(support["closest"]) == 2


# --- What the pages show ------------------------------------------------------------------------

def _asked(user, **fields) -> Question:
    defaults = {"asked_by": user, "text": "What?", "top_k": 5, "answer": "An answer.", "status": "answered"}
    return Question.objects.create(**{**defaults, **fields})


def test_the_history_page_shows_an_abstention_s_reason_closest_passages_and_the_escalation_offer(user, corpus):
    closest = [c.pk for c in Chunk.objects.filter(document__source__in=["hr/leave.md", "facilities/parking.md"])]
    q = _asked(user, status="abstained", answer="I don't know.", retrieved_chunk_ids=closest,
               support_reason="the documents cover Deploy up to 2.1; the question asks about Deploy 3.0")
    page = _client(user).get(f"/history/{q.pk}/").content.decode()
    note = re.search(r'<p class="support-note abstained" id="support-note">(.*?)</p>', page, re.S).group(1)
    assert " ".join(re.sub(r"<[^>]+>", " ", note).split()) == \
        "Not answered: the documents cover Deploy up to 2.1; the question asks about Deploy 3.0"
    for chunk_id in closest:
        assert f'href="/sources/{chunk_id}/#cited"' in page
    assert "Closest passages found" in page and "found nothing to answer from" in page
    assert f'href="/questions/{q.pk}/external/"' in page


def test_the_history_page_marks_a_weakly_supported_answer_with_its_reason(user, corpus):
    leave = corpus["hr/leave.md"]
    q = _asked(user, answer="Staff get 30 days [1].", weakly_supported=True,
               support_reason="the cited passage does not contain 30",
               citations=[{"document_id": leave.pk, "chunk_id": leave.chunks.first().pk, "source": "hr/leave.md",
                           "heading": "Annual leave", "page": None, "snippet": "..."}])
    page = _client(user).get(f"/history/{q.pk}/").content.decode()
    assert '<strong class="weak-mark">weakly supported</strong>: the cited passage does not contain 30' in page
    assert "is weakly supported" in page and f'href="/questions/{q.pk}/external/"' in page
    assert "Closest passages found" not in page


def test_the_closest_passages_leave_out_what_the_reader_can_no_longer_read(user, corpus):
    secret = document_ingested(source="board/minutes.md", text="# Minutes\n\nThe board met on 3 March.",
                               collection_slug="board")
    collection_access_set(collection=collection("board"), groups=[Group.objects.create(name="board")])
    q = _asked(user, status="abstained", answer="I don't know.", support_reason="why",
               retrieved_chunk_ids=[secret.chunks.first().pk, corpus["hr/leave.md"].chunks.first().pk])
    page = _client(user).get(f"/history/{q.pk}/").content.decode()
    assert "board/minutes.md" not in page and "3 March" not in page
    assert "hr/leave.md" in page


def test_no_escalation_is_offered_where_the_fallback_is_disabled(user, corpus, settings):
    settings.FALLBACK_ENABLED = False
    q = _asked(user, status="abstained", answer="I don't know.", support_reason="why")
    page = _client(user).get(f"/history/{q.pk}/").content.decode()
    assert "/external/" not in page and "disabled on this server" in page
    assert 'id="escalate"' not in _client(user).get("/").content.decode()


def test_the_ask_page_has_the_places_for_the_reason_the_mark_and_the_closest_passages(user):
    page = _client(user).get("/").content.decode()
    assert 'id="support-note"' in page and 'id="closest"' in page and 'id="escalate"' in page
    assert '"Not answered:"' in page and '"weakly supported"' in page
