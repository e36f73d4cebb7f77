"""Conversations: follow-ups rewritten to stand alone, answered seeing earlier turns, through the
service and the official ``openai`` client; the rewrite's deterministic fallback; arms recorded."""
from __future__ import annotations

import json

import openai
import pytest

from rag.llm.models import LLMCall
from rag.qa.conversation import (Turn, conversation_start, key_words, rewrite_acceptable, rewrite_key_terms,
                                 turns_from_messages)
from rag.qa.models import Question
from rag.qa.services import question_answer
from tests.factories import document_ingested

FACTS = {
    "security/csrf.md": "# CSRF cookie\n\nThe CSRF_COOKIE_AGE setting is the age of the CSRF cookie in seconds. "
                        "Its default is 31449600, about one year.",
    "hr/leave.md": "# Annual leave\n\nFull-time staff receive 28 days of annual leave per year.",
}


@pytest.fixture
def corpus(db):
    return {source: document_ingested(source=source, text=text) for source, text in FACTS.items()}


def test_the_key_terms_rewrite_carries_the_previous_subject_into_the_follow_up():
    history = [Turn("What is CSRF_COOKIE_AGE?", "The age of the CSRF cookie [1].")]
    assert rewrite_key_terms(question="And its default?", history=history) == "And its default? CSRF_COOKIE_AGE"
    assert key_words("What is the default of CSRF_COOKIE_AGE?") == ["CSRF_COOKIE_AGE"]


def test_it_refuses_a_model_rewrite_that_drops_the_earlier_subject():
    history = [Turn("What is CSRF_COOKIE_AGE?", "...")]
    assert not rewrite_acceptable(rewrite="What is the default?", question="And its default?", history=history)
    assert rewrite_acceptable(rewrite="What is the default of CSRF_COOKIE_AGE?", question="And its default?",
                              history=history)
    # an answer is not a rewrite
    assert not rewrite_acceptable(rewrite="The default of CSRF_COOKIE_AGE is 31449600.",
                                  question="And its default?", history=history)
    assert not rewrite_acceptable(rewrite="Is the default of CSRF_COOKIE_AGE 31449600?",
                                  question="And its default?", history=history)


def test_earlier_turns_of_a_messages_list_are_user_assistant_pairs():
    messages = [{"role": "system", "content": "x"}, {"role": "user", "content": "q1"},
                {"role": "assistant", "content": "a1"}, {"role": "user", "content": [{"type": "text", "text": "q2"}]},
                {"role": "assistant", "content": "a2"}, {"role": "user", "content": "q3"}]
    assert turns_from_messages(messages) == [Turn("q1", "a1"), Turn("q2", "a2")]


@pytest.mark.django_db
def test_a_follow_up_is_retrieved_with_its_rewrite_and_answered_seeing_the_first_turn(corpus, user, llm_server):
    conversation = conversation_start(user=user)
    first = question_answer(user=user, question="What is CSRF_COOKIE_AGE?", top_k=3, collection_ids=None,
                            conversation=conversation)
    second = question_answer(user=user, question="And what is its default value?", top_k=3, collection_ids=None,
                             conversation=conversation)
    assert first.turn["rewrite_method"] == "" and second.turn["rewrite_method"] in ("model", "key-terms")
    assert "CSRF_COOKIE_AGE" in second.turn["standalone_question"]
    q2 = Question.objects.get(pk=second.question_id)
    assert q2.conversation == conversation and q2.standalone_question == second.turn["standalone_question"]
    assert [c["source"] for c in second.citations][:1] == ["security/csrf.md"]
    assert list(conversation.turns.order_by("created_at").values_list("pk", flat=True)) == [first.question_id,
                                                                                              second.question_id]
    assert LLMCall.objects.filter(purpose="rewrite", prompt_version="rewrite-v1").count() == 1
    assert q2.arm == "stable" and q2.model_name == "smollm2-135m" and q2.llm_call.arm == "stable"


@pytest.fixture
def sdk(live_server, transactional_db, corpus):
    from rag.access.services import api_token_create

    _, secret = api_token_create(name="chatbot", scopes=["query"], all_collections=True)
    return openai.OpenAI(base_url=f"{live_server.url}/v1", api_key=secret, max_retries=0, timeout=300)


def test_a_two_turn_conversation_through_the_openai_client_uses_the_whole_messages_list(sdk, llm_server):
    first = sdk.chat.completions.create(model="perimeter",
                                        messages=[{"role": "user", "content": "What is CSRF_COOKIE_AGE?"}])
    second = sdk.chat.completions.create(model="perimeter", messages=[
        {"role": "user", "content": "What is CSRF_COOKIE_AGE?"},
        {"role": "assistant", "content": first.choices[0].message.content},
        {"role": "user", "content": "And what is its default value?"}])
    extra = second.model_extra["perimeter"]
    print(json.dumps({"turns": [  # the transcript (shown with -s)
        {"user": "What is CSRF_COOKIE_AGE?", "assistant": first.choices[0].message.content,
         "cited": [c["source"] for c in first.model_extra["perimeter"]["citations"]]},
        {"user": "And what is its default value?", "searched_as": extra["turn"]["standalone_question"],
         "rewrite_method": extra["turn"]["rewrite_method"], "assistant": second.choices[0].message.content,
         "cited": [c["source"] for c in extra["citations"]]}]}, indent=1))
    assert extra["turn"]["rewrite_method"] in ("model", "key-terms")
    assert "CSRF_COOKIE_AGE" in extra["turn"]["standalone_question"]
    assert [c["source"] for c in extra["citations"]][:1] == ["security/csrf.md"]
    assert Question.objects.get(pk=extra["question_id"]).standalone_question == extra["turn"]["standalone_question"]
