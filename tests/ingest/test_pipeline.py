"""Ingestion end to end: API upload -> Redis broker -> real Celery worker -> pgvector."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ingest.models import Chunk, Document
from tests.conftest import wait_for_status
from tests.factories import collection, docx_bytes, pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def default_collection(user):
    """The collection every signed-in employee may read (ACCESS_OPEN_COLLECTIONS); ``user`` also
    contributes to it (reading alone never lets anyone add documents)."""
    from rag.access.models import CollectionRole

    default = collection("default")
    CollectionRole.objects.create(collection=default, user=user, role=CollectionRole.Role.CONTRIBUTOR)
    return default

MARKDOWN = b"""# Travel policy

## Booking

Flights over 6 hours may be booked in premium economy. Book through the travel desk.

## Expenses

Meals are reimbursed up to 45 euros per day with receipts.
"""


def upload(api, name: str, data: bytes, **extra):
    return api.post("/api/v1/documents", {"file": SimpleUploadedFile(name, data), **extra}, format="multipart")


@pytest.mark.parametrize("name,data,expect", [
    ("policy.md", MARKDOWN, "premium economy"),
    ("notes.txt", b"The VPN gateway is vpn.example.internal.\n\nIt requires the Acme client.", "vpn.example.internal"),
    ("page.html", b"<html><head><title>Wiki</title><script>var x=1;</script></head><body><h1>Parking</h1>"
                  b"<p>Parking permits are issued by facilities.</p></body></html>", "Parking permits"),
    ("guide.rst", b"Onboarding\n==========\n\nNew hires get a laptop on day one.\n", "laptop on day one"),
    ("report.pdf", pdf_bytes(["Quarterly report", "Revenue grew 12 percent."]), "Revenue grew 12 percent"),
    ("memo.docx", docx_bytes(heading="Memo", paragraphs=["The office closes at 18:00 on Fridays."]), "18:00"),
])
def test_an_uploaded_file_of_each_type_becomes_ready_with_chunks(api, celery_worker, name, data, expect):
    resp = upload(api, name, data)
    assert resp.status_code == 202, resp.content
    assert resp.json()["status_url"] == f"/api/v1/documents/{resp.json()['id']}"
    doc = wait_for_status(resp.json()["id"])
    assert doc.status == "ready", doc.error
    assert doc.chunk_count == Chunk.objects.filter(document=doc).count() > 0
    assert any(expect in c.text for c in doc.chunks.all())
    status = api.get(resp.json()["status_url"]).json()
    assert status["status"] == "ready" and status["chunk_count"] == doc.chunk_count


@pytest.mark.parametrize("name,data,reason", [
    ("broken.pdf", b"%PDF-1.7\n this is not really a pdf", "pdf"),
    ("fake.pdf", b"just some text pretending", "pdf"),
    ("broken.docx", b"PK\x03\x04 not a zip at all", "docx"),
    ("empty.txt", b"", "empty"),
    ("binary.txt", bytes(range(256)) * 10, "text"),
])
def test_a_bad_file_fails_with_its_reason_and_leaves_no_chunks(api, celery_worker, name, data, reason):
    resp = upload(api, name, data)
    assert resp.status_code == 202
    doc = wait_for_status(resp.json()["id"])
    assert doc.status == "failed"
    assert reason in doc.error.lower()
    assert not Chunk.objects.filter(document=doc).exists()


def test_the_worker_survives_a_bad_file_and_ingests_the_next_one(api, celery_worker):
    bad = upload(api, "bad.pdf", b"%PDF-garbage").json()["id"]
    good = upload(api, "good.md", MARKDOWN).json()["id"]
    assert wait_for_status(bad).status == "failed"
    assert wait_for_status(good).status == "ready"
    assert celery_worker.poll() is None


def test_an_unsupported_type_is_refused_and_recorded(api):
    resp = upload(api, "tool.exe", b"MZ\x90\x00binary")
    assert resp.status_code == 415
    assert "unsupported file type" in resp.json()["error"]["message"]
    doc = Document.objects.get(source="tool.exe")
    assert doc.status == "failed" and "unsupported" in doc.error


def test_an_oversized_upload_is_refused_with_413(api, settings):
    settings.INGEST_MAX_UPLOAD_BYTES = 100
    resp = upload(api, "big.txt", b"x" * 101)
    assert resp.status_code == 413
    assert "limit is 100" in resp.json()["error"]["message"]


def test_an_unchanged_upload_is_not_ingested_twice(api, celery_worker):
    first = upload(api, "policy.md", MARKDOWN).json()
    wait_for_status(first["id"])
    again = upload(api, "policy.md", MARKDOWN).json()
    assert again["id"] == first["id"] and again["action"] == "unchanged"


def test_a_changed_file_replaces_its_chunks_without_leaving_stale_ones(api, celery_worker):
    first = upload(api, "policy.md", MARKDOWN).json()
    wait_for_status(first["id"])
    changed = MARKDOWN.replace(b"45 euros", b"60 euros")
    again = upload(api, "policy.md", changed).json()
    assert again["action"] == "replacement" and again["is_replacement"]  # beside the ready one until ready
    doc = wait_for_status(again["id"])
    assert not Document.objects.filter(pk=first["id"]).exists() and not doc.is_replacement
    texts = " ".join(doc.chunks.values_list("text", flat=True))
    assert "60 euros" in texts and "45 euros" not in texts
    assert Chunk.objects.filter(document=doc).count() == doc.chunk_count
    assert not Chunk.objects.filter(document_id=first["id"]).exists()


def test_status_of_a_missing_document_is_404(api):
    resp = api.get("/api/v1/documents/999999")
    assert resp.status_code == 404
    assert resp.json()["error"]["code"] == "not_found"


def test_upload_without_a_file_is_a_clear_400(api):
    resp = api.post("/api/v1/documents", {}, format="multipart")
    assert resp.status_code == 400
    assert "file" in resp.json()["error"]["message"]


def test_anonymous_upload_is_refused(client):
    resp = client.post("/api/v1/documents", {"file": SimpleUploadedFile("a.txt", b"hello")})
    assert resp.status_code in (401, 403)
    assert not Document.objects.exists()
