"""Backpressure (rag.llm.capacity): a cap on concurrent generations in the session's real Redis,
answered through the real API and the real vLLM server."""
from __future__ import annotations

import logging
import time

import pytest

from rag.llm.capacity import HOLDERS_KEY, WAITERS_KEY, ModelBusy, _redis, generation_slot, generation_slots_taken
from rag.qa.models import Question
from rag.qa.services import question_answer_stream
from tests.factories import document_ingested

pytestmark = pytest.mark.django_db

QUESTION = "How many days of annual leave do staff get?"


@pytest.fixture(autouse=True)
def one_slot(settings):
    """Cap 1, a short wait, and no slot left over from another test."""
    settings.LLM_MAX_CONCURRENT_GENERATIONS = 1
    settings.LLM_QUEUE_WAIT_S = 0.5
    settings.LLM_MAX_QUEUED_GENERATIONS = 4
    client = _redis()  # the session's Redis, even when a test points REDIS_URL elsewhere
    client.delete(HOLDERS_KEY, WAITERS_KEY)
    yield
    client.delete(HOLDERS_KEY, WAITERS_KEY)


@pytest.fixture
def leave_policy():
    return document_ingested(source="hr/leave.md", text="# Annual leave\n\nFull-time staff receive 28 days of "
                                                        "annual leave per year, including public holidays.")


def test_it_refuses_a_second_question_with_503_model_busy_and_retry_after_while_one_generates(
        api, user, leave_policy, llm_server):
    holder = question_answer_stream(user=user, question=QUESTION, top_k=3, collection_ids=None)
    assert next(holder)["type"] == "citations"  # the holder's question is saved and its slot taken
    assert generation_slots_taken() == 1

    started = time.monotonic()
    refused = api.post("/api/v1/query", {"question": QUESTION}, format="json")
    waited = time.monotonic() - started
    assert refused.status_code == 503, refused.content
    assert refused.json()["error"]["code"] == "model_busy"
    assert refused["Retry-After"] == "1"
    assert 0.5 <= waited < 5, waited  # it waited LLM_QUEUE_WAIT_S for the slot, then gave up
    assert Question.objects.count() == 1  # only the holder's: the refused question left no row

    events = list(holder)  # the holder finishes its answer and frees the slot
    assert events[-1]["type"] == "done"
    assert generation_slots_taken() == 0
    answered = api.post("/api/v1/query", {"question": QUESTION}, format="json")
    assert answered.status_code == 200, answered.content


def test_it_frees_the_slot_when_the_answer_model_fails(api, user, leave_policy, settings):
    settings.LLM_BASE_URL = "http://127.0.0.1:9/v1"  # nothing listens on the discard port
    for _ in range(2):  # a slot kept by the first failure would make the second a model_busy
        failed = api.post("/api/v1/query", {"question": QUESTION}, format="json")
        assert failed.status_code == 503 and failed.json()["error"]["code"] == "model_unavailable"
        assert generation_slots_taken() == 0
    events = list(question_answer_stream(user=user, question=QUESTION, top_k=3, collection_ids=None))
    assert events[-1]["type"] == "error"
    assert generation_slots_taken() == 0


def test_it_frees_the_slot_when_a_stream_is_closed_early(user, leave_policy, llm_server):
    stream = question_answer_stream(user=user, question=QUESTION, top_k=3, collection_ids=None)
    next(stream)
    stream.close()  # the client went away
    assert generation_slots_taken() == 0
    assert Question.objects.get().status == Question.Status.INTERRUPTED


def test_it_refuses_a_stream_before_storing_its_question(client, user, leave_policy):
    client.force_login(user)
    with generation_slot():
        with pytest.raises(ModelBusy):
            next(question_answer_stream(user=user, question=QUESTION, top_k=3, collection_ids=None))
        page = client.post("/ask/stream", {"question": QUESTION, "top_k": 3})
    assert page.status_code == 503 and page["Retry-After"] == "1"
    assert not Question.objects.exists()


def test_it_refuses_at_once_when_the_wait_queue_is_full(api, leave_policy, settings):
    settings.LLM_QUEUE_WAIT_S = 5
    settings.LLM_MAX_QUEUED_GENERATIONS = 0
    with generation_slot():
        started = time.monotonic()
        refused = api.post("/api/v1/query", {"question": QUESTION}, format="json")
        assert time.monotonic() - started < 2
    assert refused.status_code == 503 and refused.json()["error"]["code"] == "model_busy"
    assert refused["Retry-After"] == "5"


def test_it_answers_uncapped_and_logs_when_redis_is_down(settings, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"
    with caplog.at_level(logging.WARNING, logger="rag.llm.capacity"):
        with generation_slot():
            with generation_slot():  # a second one too: no cap while Redis is unreachable
                pass
    assert "llm.capacity.redis_unavailable" in caplog.text
