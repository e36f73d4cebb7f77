"""Issue 10, attacks 1 and 2, as insiders would try them: each is refused.

Written against the code before roles existed, with only what that code had
(groups granted with ``collection_access_set``, ``is_staff``, superusers), so
each test failed there and passes now:

1. a reader uploads into a collection (over an existing document's name) -> refused;
2a. a staff member (the single admin) approves their own request -> refused;
2b. staff escalate someone else's question, then approve it -> refused;
2c. staff read every collection -> they read only what they were granted.
"""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from ingest.models import Document
from rag.access.services import collection_access_set
from rag.audit.models import AuditEvent
from rag.fallback.models import FallbackRequest
from tests.factories import document_ingested, signed_in_api as _api
from tests.fallback.conftest import PERMITS, question_asked

pytestmark = pytest.mark.django_db
SALARIES = "# Salary bands\n\nThe band for engineers tops out at 91,000 euros. Code word: TANGERINE-5."


@pytest.fixture(autouse=True)
def fallback_provider(settings):
    """Escalations build an OpenAI payload; nothing is sent (approval only queues the send)."""
    settings.FALLBACK_PROVIDER = "openai"
    settings.FALLBACK_OPENAI_API_KEY = "sk-test-not-used"


@pytest.fixture
def hr_reader(django_user_model):
    doc = document_ingested(source="salaries.md", text=SALARIES, collection_slug="hr")
    readers = Group.objects.create(name="hr-readers")
    collection_access_set(collection=doc.collection, groups=[readers])
    reader = django_user_model.objects.create_user(username="reader", password="x" * 12)
    reader.groups.add(readers)
    return reader, doc


@pytest.fixture
def boss(django_user_model):
    """The one admin of a small deployment, as the embedded mode creates it."""
    return django_user_model.objects.create_superuser(username="boss", password="x" * 12)


def _escalated(asker) -> FallbackRequest:
    doc = document_ingested(source="facilities/permits.md", text=PERMITS)
    question = question_asked(user=asker, documents=[doc])
    resp = _api(asker).post(f"/api/v1/questions/{question.pk}/escalate", {}, format="json")
    assert resp.status_code == 201, resp.content
    return FallbackRequest.objects.get(pk=resp.json()["id"])


def test_it_refuses_an_upload_from_a_reader_even_over_an_existing_document(hr_reader):
    reader, doc = hr_reader
    before = (doc.sha256, doc.chunk_count, list(doc.chunks.values_list("id", flat=True)))

    resp = _api(reader).post("/api/v1/documents", {"collection": "hr", "file": SimpleUploadedFile(
        "salaries.md", b"# Salary bands\n\nEveryone earns 1 euro.")}, format="multipart")

    assert resp.status_code in (400, 403), resp.content
    doc.refresh_from_db()
    assert (doc.sha256, doc.chunk_count, list(doc.chunks.values_list("id", flat=True))) == before
    assert Document.objects.filter(collection=doc.collection).count() == 1


def test_it_refuses_the_single_admin_approving_their_own_request(boss):
    req = _escalated(boss)

    resp = _api(boss).post(f"/api/v1/fallback/{req.pk}/approve", {"payload_sha256": req.payload_sha256},
                           format="json")

    assert resp.status_code == 403 and resp.json()["error"]["code"] == "permission_denied"
    req.refresh_from_db()
    assert req.status == FallbackRequest.Status.PENDING and req.approved_by is None
    assert not AuditEvent.objects.filter(event_type="fallback.approved").exists()


def test_it_refuses_staff_escalating_someone_elses_question_and_approving_it(boss, django_user_model):
    employee = django_user_model.objects.create_user(username="employee", password="x" * 12)
    doc = document_ingested(source="facilities/permits.md", text=PERMITS)
    question = question_asked(user=employee, documents=[doc])

    escalated = _api(boss).post(f"/api/v1/questions/{question.pk}/escalate", {}, format="json")

    assert escalated.status_code == 403 and escalated.json()["error"]["code"] == "permission_denied"
    assert not FallbackRequest.objects.exists()  # nothing to approve: the question stays inside


def test_it_refuses_staff_reading_every_collection(hr_reader, django_user_model, llm_server):
    _, doc = hr_reader
    staff = django_user_model.objects.create_user(username="it-admin", password="x" * 12, is_staff=True)
    client = _api(staff)

    assert client.get("/api/v1/documents").json()["results"] == []
    assert client.get(f"/api/v1/documents/{doc.pk}").status_code == 404
    answer = client.post("/api/v1/query", {"question": "What is the engineers' salary band?", "top_k": 3},
                         format="json")
    assert "TANGERINE-5" not in answer.content.decode() and answer.json()["citations"] == []
