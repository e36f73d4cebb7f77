"""Escalating a follow-up: only that turn leaves, unless the asker ticks "include the earlier questions".

Real Postgres, Presidio and the recording stand-in: what the provider received is what left.
"""
from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from rag.audit.models import AuditEvent
from rag.fallback import services
from rag.fallback.models import FallbackRequest
from rag.qa.models import Conversation, Question
from tests.fallback.conftest import question_asked

pytestmark = pytest.mark.django_db
Status = FallbackRequest.Status

FIRST = "Who renews the parking permit of Dana Whitfield in Springfield?"
FOLLOW_UP = "And when does it expire?"
STANDALONE = "When does the parking permit P-22 expire?"


@pytest.fixture
def follow_up(user, permits_doc) -> Question:
    """A two-turn conversation: a first question naming a person, then a follow-up that does not."""
    conversation = Conversation.objects.create(owner=user)
    first = question_asked(user=user, text=FIRST, documents=[permits_doc], answer="Marcus Oyelaran renews it.")
    Question.objects.filter(pk=first.pk).update(conversation=conversation)
    second = question_asked(user=user, text=FOLLOW_UP, documents=[permits_doc])
    Question.objects.filter(pk=second.pk).update(conversation=conversation, standalone_question=STANDALONE,
                                                 rewrite_method="key-terms")
    second.refresh_from_db()
    return second


def sent_body(req: FallbackRequest, admin, standin) -> str:
    """Approve ``req`` as ``admin``, send it, and return the body the stand-in received."""
    services.fallback_approve(request_id=req.pk, admin=admin, payload_sha256=req.payload_sha256)
    services.fallback_send(request_id=req.pk)
    [received] = standin.requests
    return received.body.decode()


def user_message(body: str) -> str:
    """The user message of a chat-completions body (the system prompt is message 0)."""
    return json.loads(body)["messages"][1]["content"]


def test_it_sends_only_this_turn_by_default(follow_up, user, admin_user_obj, standin):
    req = services.fallback_request_create(question_id=follow_up.pk, user=user)
    assert req.status == Status.PENDING, req.blocked_reason

    body = sent_body(req, admin_user_obj, standin)
    assert "parking permit P-22 expire" in body  # this turn's standalone rewrite
    for earlier in ("renews", "Springfield", "Whitfield", "Earlier questions"):
        assert earlier not in body
    assert req.prompt_version == "fallback-v1"


def test_it_sends_the_earlier_questions_redacted_when_the_asker_chooses(follow_up, user, admin_user_obj, standin):
    req = services.fallback_request_create(question_id=follow_up.pk, user=user, include_history=True)
    assert req.status == Status.PENDING, req.blocked_reason

    message = user_message(sent_body(req, admin_user_obj, standin))
    earlier = message.split("Earlier questions in this conversation:\n", 1)[1].split("\nQuestion:", 1)[0]
    assert "Who renews the parking permit of" in earlier
    assert re.search(r"<PERSON_\d+>", earlier)
    assert "Dana" not in message and "Whitfield" not in message
    assert message.rstrip().endswith(f"Question: {STANDALONE}")
    assert req.prompt_version == "fallback-v1+history"
    [requested] = AuditEvent.objects.filter(target_type="fallback_request", target_id=str(req.pk),
                                            event_type=AuditEvent.EventType.ESCALATION_REQUESTED)
    assert requested.details["earlier_questions_included"] == 1


def test_one_person_keeps_one_pseudonym_across_turns(user, admin_user_obj, permits_doc, standin):
    conversation = Conversation.objects.create(owner=user)
    first = question_asked(user=user, text="Does Dana Whitfield hold a parking permit?", documents=[permits_doc])
    second = question_asked(user=user, text="When does Dana Whitfield's permit expire?", documents=[permits_doc])
    Question.objects.filter(pk__in=[first.pk, second.pk]).update(conversation=conversation)

    req = services.fallback_request_create(question_id=second.pk, user=user, include_history=True)
    message = user_message(sent_body(req, admin_user_obj, standin))

    earlier = message.split("Earlier questions in this conversation:\n", 1)[1].split("\nQuestion:", 1)[0]
    asked = message.rsplit("Question: ", 1)[1]
    [in_earlier] = set(re.findall(r"<PERSON_\d+>", earlier))
    assert re.findall(r"<PERSON_\d+>", asked) == [in_earlier]
    assert "Whitfield" not in message


def test_it_never_sends_later_turns_or_another_persons(user, django_user_model, permits_doc):
    someone = django_user_model.objects.create_user(username="someone", password="x")
    conversation = Conversation.objects.create(owner=user)
    theirs = question_asked(user=someone, text="Is Marcus Oyelaran on leave?", documents=[permits_doc])
    mine = question_asked(user=user, text=FIRST, documents=[permits_doc])
    escalated = question_asked(user=user, text=FOLLOW_UP, documents=[permits_doc])
    later = question_asked(user=user, text="Who is Priya Raman?", documents=[permits_doc])
    Question.objects.filter(pk__in=[theirs.pk, mine.pk, escalated.pk, later.pk]).update(conversation=conversation)

    req = services.fallback_request_create(question_id=escalated.pk, user=user, include_history=True)
    text = req.payload_text
    assert "Who renews the parking permit of" in text
    assert "on leave" not in text and "Who is" not in text


def test_the_api_takes_include_history_and_the_queue_shows_the_redacted_turns(follow_up, api, admin_user_obj):
    resp = api.post(f"/api/v1/questions/{follow_up.pk}/escalate", {"include_history": True}, format="json")
    assert resp.status_code == 201, resp.content

    staff = Client()
    staff.force_login(admin_user_obj)
    queue = staff.get("/admin-console/approvals/").content.decode()
    assert "Earlier questions in this conversation" in queue and "Who renews the parking permit of" in queue
    assert "Whitfield" not in queue


def test_the_escalation_page_offers_the_box_unticked_and_honours_it(follow_up, user):
    client = Client()
    client.force_login(user)
    page = client.get(f"/questions/{follow_up.pk}/external/").content.decode()
    box = re.search(r'<input type="checkbox" name="include_history"[^>]*>', page).group()
    assert "checked" not in box and "Include the earlier questions of this conversation" in page

    client.post(f"/questions/{follow_up.pk}/external/", {"include_history": "1"})
    req = FallbackRequest.objects.get(question=follow_up)
    assert "Who renews the parking permit of" in req.payload_text


def test_a_first_question_has_no_box(user, permits_doc):
    question = question_asked(user=user, documents=[permits_doc])
    client = Client()
    client.force_login(user)
    assert 'name="include_history"' not in client.get(f"/questions/{question.pk}/external/").content.decode()
