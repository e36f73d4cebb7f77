"""Issue 10, attack 4 (our part): events that used to be missing from the audit trail.

Before: the streamed answer sent its citations before anything was saved, so a
client that went away left no question and no audit row; a question asked with
an API token was recorded as ``anonymous``.
"""
from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from rag.access.models import APIToken
from rag.access.services import api_token_create
from rag.audit.models import AuditEvent
from rag.qa.models import Question
from tests.factories import document_ingested

pytestmark = pytest.mark.django_db
E = AuditEvent.EventType
PARKING = "# Parking\n\nThe staff car park opens at 06:30 and closes at 22:00. Bicycle racks are behind building C."


def closed_early(response) -> None:
    """Close a streaming response before its end, as the WSGI server does when the client goes away.

    Through the test client's own closing wrapper (``response._iterator``), which closes the
    response the way Django's handler does while keeping the test's database connection."""
    response._iterator.close()


def trail_of(question: Question) -> list[tuple[str, str]]:
    return list(AuditEvent.objects.filter(target_type="question", target_id=str(question.pk)).order_by("id")
                .values_list("event_type", "actor"))


def test_a_stream_the_client_abandons_still_leaves_the_question_and_its_audit_rows(client, user):
    document_ingested(source="parking.md", text=PARKING)
    client.force_login(user)

    response = client.post("/ask/stream", {"question": "When does the staff car park open?"})
    first = next(iter(response.streaming_content))  # the citations event: nothing from the model yet
    closed_early(response)

    assert b"event: citations" in first
    question = Question.objects.get()
    assert question.asked_by == user and question.status == Question.Status.INTERRUPTED
    assert question.retrieved_chunk_ids and question.citations
    assert trail_of(question) == [(E.QUERY_ASKED, user.username), (E.CHUNKS_RETRIEVED, user.username),
                                  (E.QUERY_ANSWERED, user.username)]
    closed = AuditEvent.objects.get(event_type=E.QUERY_ANSWERED)
    assert closed.details["status"] == "interrupted"


def test_the_question_and_its_audit_rows_are_committed_before_the_first_streamed_byte(user):
    from rag.qa.services import question_answer_stream

    document_ingested(source="parking.md", text=PARKING)
    events = question_answer_stream(user=user, question="When does the staff car park open?", top_k=3,
                                    collection_ids=None)
    assert next(events)["type"] == "citations"

    question = Question.objects.get()
    assert question.status == Question.Status.STREAMING
    assert [e for e, _ in trail_of(question)] == [E.QUERY_ASKED, E.CHUNKS_RETRIEVED]
    events.close()


def test_a_question_asked_with_a_token_is_audited_as_the_token(db):
    token, secret = api_token_create(name="helpdesk-bot", scopes=[APIToken.Scope.QUERY], all_collections=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")

    resp = client.post("/api/v1/query", {"question": "Who won the 1998 chess olympiad?"}, format="json")

    assert resp.status_code == 200, resp.content  # nothing to answer from: abstains, no model call
    question = Question.objects.get(pk=resp.json()["question_id"])
    assert (question.asked_by, question.asked_by_token) == (None, token)
    assert trail_of(question) == [(E.QUERY_ASKED, "token:helpdesk-bot"), (E.CHUNKS_RETRIEVED, "token:helpdesk-bot")]
