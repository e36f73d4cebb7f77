"""The fallback flow end to end through the web pages (Django test client), on the real services."""
from __future__ import annotations

import json
import re

import pytest

from rag.fallback.models import FallbackRequest
from tests.fallback.conftest import QUESTION, question_asked, wait_for_request
from tests.factories import signed_in_browser as _client

Status = FallbackRequest.Status


def _asked_on_the_ask_page(client) -> int:
    """Ask through the streaming endpoint the ask page uses; return the question's id."""
    resp = client.post("/ask/stream", {"question": QUESTION, "top_k": "5"})
    assert resp.status_code == 200
    body = b"".join(resp.streaming_content).decode()
    done = [json.loads(line[6:]) for line in body.splitlines() if line.startswith("data: ") and '"done"' in line]
    return done[-1]["answer"]["question_id"]


@pytest.mark.django_db(transaction=True)
def test_the_whole_flow_through_the_web_ui(user, admin_user_obj, permits_doc, salaries_doc, llm_server,
                                           celery_worker, standin):
    asker, admin = _client(user), _client(admin_user_obj)
    question_id = _asked_on_the_ask_page(asker)

    page = asker.get(f"/questions/{question_id}/external/")
    assert page.status_code == 200
    assert b"administrator reviews the exact text" in page.content and b"escalate-confirm" in page.content
    confirmed = asker.post(f"/questions/{question_id}/external/")
    assert confirmed.status_code == 302
    request_url = confirmed["Location"]
    assert b"Waiting for an administrator" in asker.get(request_url).content

    queue = admin.get("/admin-console/approvals/")
    html = queue.content.decode()
    assert queue.status_code == 200
    assert '<mark class="redacted" title="PERSON">&lt;PERSON_1&gt;</mark>' in html
    assert "facilities/permits.md" in html and "hr/salaries.md" in html  # contributing, and excluded
    assert "tokens left this month" in html and "Dana Whitfield" not in html
    req = FallbackRequest.objects.get()
    # The hash the admin approves is the one the page showed next to the payload.
    shown_hash = re.search(r'name="payload_sha256" value="([0-9a-f]{64})"', html).group(1)
    assert shown_hash == req.payload_sha256
    assert standin.requests == []

    approved = admin.post(f"/admin-console/approvals/{req.pk}/approve", {"payload_sha256": shown_hash})
    assert approved.status_code == 302
    wait_for_request(req.pk, statuses=(Status.ANSWERED, Status.FAILED))

    result = asker.get(request_url).content.decode()
    assert 'id="request-status">delivered' in result
    answer = re.search(r'id="external-answer">(.*?)</p>', result, re.S).group(1)
    assert "Dana Whitfield" in answer
    receipt = re.search(r'id="receipt">(.*?)</section>', result, re.S).group(1)
    assert "boss" in receipt and "hr/salaries.md (local_only)" in receipt and "PERSON" in receipt
    assert "Dana Whitfield" not in receipt  # the receipt shows what left: placeholders only
    assert standin.requests[0].body == bytes(FallbackRequest.objects.get(pk=req.pk).payload_bytes)


def test_the_ask_page_proposes_escalation_for_a_weak_answer(db, user):
    question = question_asked(user=user, documents=[], status="abstained", answer="I don't know.")

    page = _client(user).get(f"/questions/{question.pk}/external/")

    assert b'id="proposal"' in page.content
    assert not FallbackRequest.objects.exists()


def test_an_admin_rejects_from_the_queue_with_a_reason(db, user, admin_user_obj, permits_doc, standin):
    question = question_asked(user=user, documents=[permits_doc])
    _client(user).post(f"/questions/{question.pk}/external/")
    req = FallbackRequest.objects.get()

    _client(admin_user_obj).post(f"/admin-console/approvals/{req.pk}/reject", {"reason": "Ask HR directly."})

    page = _client(user).get(f"/fallback/{req.pk}/").content.decode()
    assert "Rejected by boss: Ask HR directly." in page
    assert standin.requests == []


def test_a_stale_approval_form_is_refused(db, user, admin_user_obj, permits_doc, standin):
    question = question_asked(user=user, documents=[permits_doc])
    _client(user).post(f"/questions/{question.pk}/external/")
    req = FallbackRequest.objects.get()

    resp = _client(admin_user_obj).post(f"/admin-console/approvals/{req.pk}/approve", {"payload_sha256": "0" * 64},
                                        follow=True)

    assert b"was not approved" in resp.content
    assert FallbackRequest.objects.get().status == Status.PENDING


def test_the_queue_is_for_approvers_only(db, user, client):
    assert _client(user).get("/admin-console/approvals/").status_code == 403  # signed in, not an approver
    resp = client.get("/admin-console/approvals/")
    assert resp.status_code == 302 and "login" in resp["Location"]


def test_a_blocked_request_shows_its_reason_to_the_asker(db, user, settings, tmp_path):
    settings.FALLBACK_SPACY_MODEL = str(tmp_path)  # a directory that holds no spaCy pipeline
    question = question_asked(user=user, documents=[])
    client = _client(user)

    location = client.post(f"/questions/{question.pk}/external/")["Location"]

    page = client.get(location).content.decode()
    assert 'id="blocked-reason"' in page and "analyzer failed" in page


@pytest.mark.django_db
def test_a_secret_in_the_payload_blocks_and_the_queue_shows_why_but_never_the_value(user, admin_user_obj, standin):
    from rag.fallback import services
    from tests.factories import document_ingested

    key = "AKIAIOSFODNN7EXAMPLE"
    doc = document_ingested(source="it/backup.md",
                            text=f"# Backups\n\nThe nightly backup job uploads with access key {key} to the archive.")
    question = question_asked(user=user, text="How does the nightly backup upload?", documents=[doc])

    req = services.fallback_request_create(question_id=question.pk, user=user)

    assert req.status == Status.BLOCKED
    html = _client(admin_user_obj).get("/admin-console/approvals/?status=blocked").content.decode()
    blocked = re.search(r'<p class="error">Blocked: (.*?)</p>', html, re.S).group(1)
    assert "secret detected: AWS access key" in blocked
    assert key not in html and key not in req.blocked_reason
    assert 'name="payload_sha256"' not in html  # nothing to approve
    assert standin.requests == []
