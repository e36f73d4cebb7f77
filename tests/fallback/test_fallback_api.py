"""The fallback flow end to end through the REST API, with the real vLLM, Celery worker and Presidio."""
from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from rag.fallback.models import FallbackRequest
from tests.fallback.conftest import PII_VALUES, QUESTION, wait_for_request

Status = FallbackRequest.Status


@pytest.fixture
def staff_api(admin_user_obj):
    client = APIClient()
    client.force_authenticate(admin_user_obj)
    return client


def _escalated(api, permits_doc, salaries_doc) -> dict:
    asked = api.post("/api/v1/query", {"question": QUESTION, "top_k": 5}, format="json")
    assert asked.status_code == 200, asked.content
    resp = api.post(f"/api/v1/questions/{asked.json()['question_id']}/escalate", {}, format="json")
    assert resp.status_code == 201, resp.content
    return resp.json()


@pytest.mark.django_db(transaction=True)
def test_the_whole_flow_through_the_api(api, staff_api, permits_doc, salaries_doc, llm_server, celery_worker,
                                        standin):
    created = _escalated(api, permits_doc, salaries_doc)
    assert created["status"] == "pending" and created["receipt"] is None and created["answer"] is None
    assert created["excluded_documents"][0]["source"] == "hr/salaries.md"

    # Nothing leaves while the request waits.
    assert api.get(f"/api/v1/fallback/{created['id']}").json()["status"] == "pending"
    assert standin.requests == []

    queue = staff_api.get("/api/v1/fallback", {"status": "pending"})
    assert queue.status_code == 200
    [item] = queue.json()["results"]
    assert item["id"] == created["id"] and item["requested_by"] == "employee"
    assert "<PERSON_1>" in item["payload"] and item["budget"]["remaining_tokens"] > 0
    assert [d["source"] for d in item["contributing_documents"]] == ["facilities/permits.md"]

    approved = staff_api.post(f"/api/v1/fallback/{item['id']}/approve", {"payload_sha256": item["payload_sha256"]},
                              format="json")
    assert approved.status_code == 200, approved.content
    wait_for_request(item["id"], statuses=(Status.ANSWERED, Status.FAILED))

    delivered = api.get(f"/api/v1/fallback/{item['id']}").json()
    assert delivered["status"] == "delivered"
    assert "Dana Whitfield" in delivered["answer"]
    receipt = delivered["receipt"]
    assert receipt["approved_by"] == "boss" and receipt["sent"]["provider"] == "openai"
    assert receipt["masked"]["PERSON"] >= 1
    assert [d["source"] for d in receipt["excluded_documents"]] == ["hr/salaries.md"]
    [received] = standin.requests
    assert received.body.decode() == item["payload"] == receipt["sent"]["payload"]
    assert [v for v in PII_VALUES if v.lower() in received.body.decode().lower()] == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_retries_transient_errors_and_resends_the_same_bytes(api, staff_api, permits_doc, salaries_doc,
                                                                       llm_server, celery_worker, standin):
    created = _escalated(api, permits_doc, salaries_doc)
    standin.fail_next(2, status=429)

    staff_api.post(f"/api/v1/fallback/{created['id']}/approve", {"payload_sha256": created["payload_sha256"]},
                   format="json")
    req = wait_for_request(created["id"], statuses=(Status.ANSWERED, Status.FAILED))

    assert req.status == Status.ANSWERED and req.send_attempts == 3
    assert len({r.body for r in standin.requests}) == 1 and len(standin.requests) == 3
    assert standin.requests[0].body == bytes(req.payload_bytes)


def test_approving_with_a_stale_hash_is_a_conflict(db, api, staff_api, user, permits_doc, standin):
    from tests.fallback.conftest import question_asked

    question = question_asked(user=user, documents=[permits_doc])
    created = api.post(f"/api/v1/questions/{question.pk}/escalate", {}, format="json").json()

    resp = staff_api.post(f"/api/v1/fallback/{created['id']}/approve", {"payload_sha256": "ab" * 32}, format="json")

    assert resp.status_code == 409
    assert resp.json()["error"]["code"] == "payload_changed"
    assert set(resp.json()["error"]) == {"code", "message", "details"}
    assert FallbackRequest.objects.get(pk=created["id"]).status == Status.PENDING


def test_only_approvers_can_list_approve_or_reject(db, api, user, permits_doc):
    from tests.fallback.conftest import question_asked

    question = question_asked(user=user, documents=[permits_doc])
    created = api.post(f"/api/v1/questions/{question.pk}/escalate", {}, format="json").json()

    for resp in (api.get("/api/v1/fallback"),
                 api.post(f"/api/v1/fallback/{created['id']}/approve", {"payload_sha256": created["payload_sha256"]},
                          format="json"),
                 api.post(f"/api/v1/fallback/{created['id']}/reject", {"reason": "no"}, format="json")):
        assert resp.status_code == 403
        assert resp.json()["error"]["code"] == "permission_denied"


def test_rejecting_through_the_api(db, api, staff_api, user, permits_doc, standin):
    from tests.fallback.conftest import question_asked

    question = question_asked(user=user, documents=[permits_doc])
    created = api.post(f"/api/v1/questions/{question.pk}/escalate", {}, format="json").json()

    resp = staff_api.post(f"/api/v1/fallback/{created['id']}/reject", {"reason": "Not needed."}, format="json")

    assert resp.status_code == 200 and resp.json()["status"] == "rejected"
    seen = api.get(f"/api/v1/fallback/{created['id']}").json()
    assert seen["rejection_reason"] == "Not needed." and seen["receipt"] is None
    assert standin.requests == []


def test_someone_elses_request_is_not_found(db, api, admin_user_obj, permits_doc, django_user_model):
    from tests.fallback.conftest import question_asked

    other = django_user_model.objects.create_user(username="other", password="x" * 12)
    question = question_asked(user=other, documents=[permits_doc])
    client = APIClient()
    client.force_authenticate(other)
    created = client.post(f"/api/v1/questions/{question.pk}/escalate", {}, format="json").json()

    assert api.get(f"/api/v1/fallback/{created['id']}").status_code == 404
    assert api.post(f"/api/v1/questions/{question.pk}/escalate", {}, format="json").status_code == 403
    assert api.post("/api/v1/questions/999999/escalate", {}, format="json").status_code == 404


def test_the_queue_filters_by_status(db, api, staff_api, user, permits_doc):
    from tests.fallback.conftest import question_asked

    question = question_asked(user=user, documents=[permits_doc])
    api.post(f"/api/v1/questions/{question.pk}/escalate", {}, format="json")

    assert staff_api.get("/api/v1/fallback", {"status": "pending"}).json()["count"] == 1
    assert staff_api.get("/api/v1/fallback", {"status": "approved"}).json()["count"] == 0
    bad = staff_api.get("/api/v1/fallback", {"status": "nonsense"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_status"
