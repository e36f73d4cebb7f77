"""Admission (rag.llm.capacity.question_slot): with QUESTION_MAX_IN_FLIGHT_PER_PROCESS = 1, one
question in flight makes every other question entry point of the process answer 503 ``busy``
with ``Retry-After`` at once, storing and auditing nothing, while cheap endpoints still answer.

The question in flight is a real stream (real retrieval, PostgreSQL, Redis) left unread after
its first event, as a slow client leaves it; answers come from the session's real vLLM server.
"""
from __future__ import annotations

import gc
import time
import uuid

import pytest
from rest_framework.test import APIClient

from rag.access.services import api_token_create
from rag.audit.models import AuditEvent
from rag.llm.capacity import HOLDERS_KEY, WAITERS_KEY, _redis, questions_in_flight
from rag.qa.models import Conversation, Question
from rag.qa.services import AnswerModelUnavailable, question_answer, question_answer_stream
from tests.factories import document_ingested

pytestmark = pytest.mark.django_db

QUESTION = "How many days of annual leave do staff get?"


@pytest.fixture(autouse=True)
def one_place(settings):
    """One question in flight per process; a generation wait long enough to tell a refusal at
    once from one after waiting; no generation slot or question left over from another test."""
    settings.QUESTION_MAX_IN_FLIGHT_PER_PROCESS = 1
    settings.LLM_MAX_CONCURRENT_GENERATIONS = 2
    settings.LLM_QUEUE_WAIT_S = 30
    _redis().delete(HOLDERS_KEY, WAITERS_KEY)
    gc.collect()  # an unread stream of an earlier test frees its place when it is collected
    assert questions_in_flight() == 0, "an earlier test left a question in flight"
    yield
    _redis().delete(HOLDERS_KEY, WAITERS_KEY)


@pytest.fixture
def leave_policy():
    return document_ingested(source="hr/leave.md", text="# Annual leave\n\nFull-time staff receive 28 days of "
                                                        "annual leave per year, including public holidays.")


@pytest.fixture
def in_flight(user, leave_policy):
    """A streamed question read up to its first event: it holds the process's one place."""
    holder = question_answer_stream(user=user, question=QUESTION, top_k=3, collection_ids=None)
    assert next(holder)["type"] == "citations"
    assert questions_in_flight() == 1
    yield holder
    holder.close()


def _token_client() -> APIClient:
    _, secret = api_token_create(name=f"app-{uuid.uuid4().hex[:6]}", scopes=["query"], all_collections=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def _assert_busy(resp) -> None:
    assert resp.status_code == 503, resp.content
    assert resp.json()["error"]["code"] == "busy"
    assert 1 <= int(resp["Retry-After"]) <= 30


def test_it_refuses_a_second_question_at_once_with_503_busy_and_stores_nothing(api, in_flight):
    asked, audited = Question.objects.count(), AuditEvent.objects.count()
    started = time.monotonic()
    refused = api.post("/api/v1/query", {"question": QUESTION}, format="json")
    assert time.monotonic() - started < 10  # at once, not after LLM_QUEUE_WAIT_S (30 s)
    _assert_busy(refused)
    assert "retry in" in refused.json()["error"]["message"]
    assert (Question.objects.count(), AuditEvent.objects.count()) == (asked, audited)
    assert questions_in_flight() == 1  # the refusal took no place


def test_it_still_lists_collections_while_the_process_is_full(api, in_flight):
    _assert_busy(api.post("/api/v1/query", {"question": QUESTION}, format="json"))
    listed = api.get("/api/v1/collections")
    assert listed.status_code == 200, listed.content
    assert [c["slug"] for c in listed.json()["results"]] == ["default"]


def test_it_answers_again_once_the_question_in_flight_has_finished(api, in_flight, llm_server):
    _assert_busy(api.post("/api/v1/query", {"question": QUESTION}, format="json"))
    assert list(in_flight)[-1]["type"] == "done"  # the holder reads its answer to the end
    assert questions_in_flight() == 0
    answered = api.post("/api/v1/query", {"question": QUESTION}, format="json")
    assert answered.status_code == 200, answered.content
    assert Question.objects.filter(status=Question.Status.ANSWERED).count() == 2


def test_it_refuses_the_ask_page_stream_before_its_first_event(client, user, in_flight):
    client.force_login(user)
    asked, conversations = Question.objects.count(), Conversation.objects.count()
    page = client.post("/ask/stream", {"question": QUESTION, "top_k": 3})
    assert page.status_code == 503
    assert page["Content-Type"].startswith("text/plain")  # a refusal, not an event stream
    assert 1 <= int(page["Retry-After"]) <= 30
    assert "retry in" in page.content.decode()
    # neither the question nor the new conversation it would have started is stored
    assert (Question.objects.count(), Conversation.objects.count()) == (asked, conversations)


def test_a_new_conversation_is_stored_with_its_first_answered_question(client, user, leave_policy, llm_server):
    client.force_login(user)
    page = client.post("/ask/stream", {"question": QUESTION, "top_k": 3})
    assert page.status_code == 200
    body = b"".join(page.streaming_content).decode()
    assert "event: done" in body
    q = Question.objects.get()
    assert q.conversation is not None and Conversation.objects.get() == q.conversation
    assert f'"conversation_id": {q.conversation_id}' in body  # the page continues this conversation


def test_it_refuses_chat_completions_streamed_or_not_before_any_byte(in_flight):
    sdk = _token_client()
    asked = Question.objects.count()
    for stream in (False, True):
        refused = sdk.post("/v1/chat/completions", {"model": "perimeter", "stream": stream,
                                                    "messages": [{"role": "user", "content": QUESTION}]},
                           format="json")
        assert refused["Content-Type"] == "application/json"
        _assert_busy(refused)
    assert Question.objects.count() == asked


def test_it_refuses_a_search_without_auditing_it(in_flight):
    app = _token_client()
    # the token's use is audited (rag.access.services.api_token_authenticate); the search is not
    searches = AuditEvent.objects.exclude(event_type=AuditEvent.EventType.API_TOKEN_USED)
    audited = searches.count()
    _assert_busy(app.post("/api/v1/search", {"query": "annual leave"}, format="json"))
    assert searches.count() == audited


def test_it_frees_the_place_when_a_stream_is_closed_early(in_flight):
    in_flight.close()  # the client went away after the first event
    assert questions_in_flight() == 0
    assert Question.objects.get().status == Question.Status.INTERRUPTED


def test_it_frees_the_place_when_the_answer_model_fails(user, leave_policy, settings):
    settings.LLM_BASE_URL = "http://127.0.0.1:9/v1"  # nothing listens on the discard port
    for _ in range(2):  # a place kept by the first failure would make the second a ServerBusy
        with pytest.raises(AnswerModelUnavailable):
            question_answer(user=user, question=QUESTION, top_k=3, collection_ids=None)
        assert questions_in_flight() == 0
