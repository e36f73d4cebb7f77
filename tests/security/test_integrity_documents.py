"""Issue 10, attack 1: documents nobody can silently replace, and deletion as the basis of erasure.

Before: any reader could upload into a collection, a file named like an existing
document replaced it, a replacement that failed to parse had already removed the
old chunks, and the trail said ``document.ingested`` by ``system``. Each test
runs the real parser, chunker, embedder and BM25 indexer in this process.
"""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from ingest.blobs import blob_exists
from ingest.models import Chunk, Collection, Document
from ingest.services import document_process
from rag.access.models import APIToken, CollectionAccess, CollectionRole
from rag.access.services import api_token_create
from rag.audit.models import AuditEvent
from rag.search.models import IndexedChunk, Posting
from rag.search.selectors import chunks_retrieve
from tests.factories import document_ingested, signed_in_api as client_of

pytestmark = pytest.mark.django_db
Role = CollectionRole.Role
E = AuditEvent.EventType
POLICY = "# Travel policy\n\nMeals are reimbursed up to 45 euros per day. Code word: TANGERINE-5."
POLICY_V2 = "# Travel policy\n\nMeals are reimbursed up to 60 euros per day. Code word: OBSIDIAN-9."


@pytest.fixture
def hr(django_user_model):
    """Collection ``hr`` holding policy.md (ready), with one reader, one contributor and one manager."""
    doc = document_ingested(source="policy.md", text=POLICY, collection_slug="hr")
    people = {}
    for role in (Role.READER, Role.CONTRIBUTOR, Role.MANAGER):
        people[role] = django_user_model.objects.create_user(username=f"hr-{role}", password="x" * 20)
        role_give(doc.collection, role, people[role])
    return doc, people


def role_give(collection: Collection, role: str, user) -> None:
    """Factory: ``user`` holds ``role`` on ``collection`` (access set explicitly)."""
    CollectionAccess.objects.get_or_create(collection=collection)
    CollectionRole.objects.create(collection=collection, user=user, role=role)


def upload(client, name: str, data: bytes, collection: str = "hr"):
    return client.post("/api/v1/documents", {"file": SimpleUploadedFile(name, data), "collection": collection},
                       format="multipart")


def served_texts(collection: Collection, question: str, mode: str) -> str:
    hits, _, _ = chunks_retrieve(question=question, top_k=5, collection_ids=[collection.pk], mode=mode)
    return " ".join(h.text for h in hits)


def test_it_refuses_a_reader_who_uploads_over_a_document(hr):
    doc, people = hr
    resp = upload(client_of(people[Role.READER]), "policy.md", POLICY_V2.encode())

    assert resp.status_code == 400 and resp.json()["error"]["code"] == "unknown_collection"
    assert list(Document.objects.filter(source="policy.md").values_list("pk", "sha256", "status")) == [
        (doc.pk, doc.sha256, "ready")]
    assert not AuditEvent.objects.filter(event_type=E.DOCUMENT_REGISTERED, actor=people[Role.READER].username)


def test_a_replacement_serves_the_old_version_until_the_new_one_is_ready(hr):
    doc, people = hr
    resp = upload(client_of(people[Role.CONTRIBUTOR]), "policy.md", POLICY_V2.encode())
    assert resp.status_code == 202 and resp.json()["action"] == "replacement" and resp.json()["is_replacement"]
    new_id = resp.json()["id"]

    # Queued beside the ready version, which still answers (dense and BM25).
    assert Document.objects.get(pk=doc.pk).status == "ready"
    assert "TANGERINE-5" in served_texts(doc.collection, "TANGERINE-5 meals", "bm25")
    assert "TANGERINE-5" in served_texts(doc.collection, "How much are meals reimbursed?", "dense")

    document_process(document_id=new_id)

    assert not Document.objects.filter(pk=doc.pk).exists()
    new = Document.objects.get(pk=new_id)
    assert (new.status, new.is_replacement, new.uploaded_by) == ("ready", False, people[Role.CONTRIBUTOR])
    assert "OBSIDIAN-9" in served_texts(doc.collection, "OBSIDIAN-9 meals", "bm25")
    assert "TANGERINE-5" not in served_texts(doc.collection, "TANGERINE-5 meals", "bm25")
    replaced = AuditEvent.objects.get(event_type=E.DOCUMENT_REPLACED)
    assert replaced.actor == people[Role.CONTRIBUTOR].username
    assert replaced.details["replaced_document_id"] == doc.pk and replaced.target_id == str(new_id)


def test_a_failed_replacement_leaves_the_old_document_serving(hr):
    doc, people = hr
    chunk_ids = sorted(Chunk.objects.filter(document=doc).values_list("pk", flat=True))
    postings = Posting.objects.filter(chunk_id__in=chunk_ids).count()

    resp = upload(client_of(people[Role.CONTRIBUTOR]), "policy.md", b"   \n\n  ")  # no text to index
    document_process(document_id=resp.json()["id"])

    failed = Document.objects.get(pk=resp.json()["id"])
    assert failed.status == "failed" and failed.is_replacement
    old = Document.objects.get(pk=doc.pk)
    assert (old.status, old.sha256, old.chunk_count) == ("ready", doc.sha256, doc.chunk_count)
    assert sorted(Chunk.objects.filter(document=doc).values_list("pk", flat=True)) == chunk_ids
    assert IndexedChunk.objects.filter(chunk_id__in=chunk_ids).count() == len(chunk_ids)
    assert Posting.objects.filter(chunk_id__in=chunk_ids).count() == postings > 0
    assert "TANGERINE-5" in served_texts(doc.collection, "TANGERINE-5 meals", "bm25")


def test_it_records_who_registered_a_document_user_or_token(hr):
    doc, people = hr
    token, secret = api_token_create(name="hr-sync", scopes=[APIToken.Scope.INGEST], collections=[doc.collection])
    by_token = APIClient()
    by_token.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")

    upload(client_of(people[Role.CONTRIBUTOR]), "leave.md", b"# Leave\n\n28 days of leave.")
    resp = upload(by_token, "expenses.md", b"# Expenses\n\nReceipts within 30 days.")

    assert resp.status_code == 202, resp.content
    registered = {e.details["source"]: e for e in AuditEvent.objects.filter(event_type=E.DOCUMENT_REGISTERED)}
    assert registered["leave.md"].actor == people[Role.CONTRIBUTOR].username
    assert registered["leave.md"].actor_id == people[Role.CONTRIBUTOR].pk
    assert registered["expenses.md"].actor == "token:hr-sync"
    uploaded = Document.objects.get(source="expenses.md")
    assert (uploaded.uploaded_by, uploaded.uploaded_by_token) == (None, token)


@pytest.mark.parametrize("role,status,code", [(Role.READER, 403, "not_collection_manager"),
                                              (Role.CONTRIBUTOR, 403, "not_collection_manager"),
                                              (None, 404, "not_found")])
def test_it_refuses_to_delete_a_document_for_anyone_but_a_manager(hr, django_user_model, role, status, code):
    doc, people = hr
    who = people[role] if role else django_user_model.objects.create_user(username="outsider", password="x" * 20)

    resp = client_of(who).delete(f"/api/v1/documents/{doc.pk}")

    assert resp.status_code == status and resp.json()["error"]["code"] == code
    assert Document.objects.filter(pk=doc.pk).exists()


def test_a_manager_deletes_a_document_with_its_chunks_postings_and_stored_bytes(hr, django_capture_on_commit_callbacks):
    doc, people = hr
    chunk_ids = list(Chunk.objects.filter(document=doc).values_list("pk", flat=True))
    assert blob_exists(doc.sha256)

    with django_capture_on_commit_callbacks(execute=True):
        resp = client_of(people[Role.MANAGER]).delete(f"/api/v1/documents/{doc.pk}")

    assert resp.status_code == 204
    assert not Document.objects.filter(pk=doc.pk).exists()
    assert not Chunk.objects.filter(pk__in=chunk_ids).exists()
    assert not Posting.objects.filter(chunk_id__in=chunk_ids).exists()
    assert not blob_exists(doc.sha256)
    deleted = AuditEvent.objects.get(event_type=E.DOCUMENT_DELETED)
    assert (deleted.actor, deleted.target_id) == (people[Role.MANAGER].username, str(doc.pk))


def test_deleting_a_document_keeps_bytes_another_document_shares(hr, django_capture_on_commit_callbacks):
    doc, people = hr
    twin = document_ingested(source="copy-of-policy.md", text=POLICY, collection_slug="hr")
    assert twin.sha256 == doc.sha256

    with django_capture_on_commit_callbacks(execute=True):
        client_of(people[Role.MANAGER]).delete(f"/api/v1/documents/{doc.pk}")

    assert blob_exists(doc.sha256)


def test_a_manager_deletes_a_collection_and_everything_in_it(hr, django_capture_on_commit_callbacks):
    doc, people = hr
    other = document_ingested(source="other.md", text="# Other\n\nNothing to see.", collection_slug="hr")
    chunk_ids = list(Chunk.objects.filter(document__collection=doc.collection).values_list("pk", flat=True))

    refused = client_of(people[Role.CONTRIBUTOR]).delete("/api/v1/collections/hr")
    assert refused.status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        resp = client_of(people[Role.MANAGER]).delete("/api/v1/collections/hr")

    assert resp.status_code == 200 and resp.json() == {"collection": "hr", "documents": 2,
                                                       "chunks": len(chunk_ids)}
    assert not Collection.objects.filter(slug="hr").exists()
    assert not Posting.objects.filter(chunk_id__in=chunk_ids).exists()
    assert not blob_exists(doc.sha256) and not blob_exists(other.sha256)
    event = AuditEvent.objects.get(event_type=E.COLLECTION_DELETED)
    assert event.actor == people[Role.MANAGER].username
    assert sorted(event.details["document_ids"]) == sorted([doc.pk, other.pk])


def test_the_documents_page_deletes_after_confirmation_and_shows_a_refusal(client, hr):
    doc, people = hr
    client.force_login(people[Role.CONTRIBUTOR])
    page = client.post(f"/documents/{doc.pk}/delete", follow=True)
    assert "Not deleted: only a manager" in page.content.decode()

    client.force_login(people[Role.MANAGER])
    assert f"/documents/{doc.pk}/delete" in client.get("/documents/").content.decode()
    client.post(f"/documents/{doc.pk}/delete")
    assert not Document.objects.filter(pk=doc.pk).exists()
    client.post("/collections/hr/delete", {"confirm_slug": "wrong"})
    assert Collection.objects.filter(slug="hr").exists()
    client.post("/collections/hr/delete", {"confirm_slug": "hr"})
    assert not Collection.objects.filter(slug="hr").exists()
