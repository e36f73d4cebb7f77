"""The history and ingestion-health pages and the re-run service, through Django's test client."""
from __future__ import annotations

import pytest

from ingest.models import Document
from ingest.services import DocumentNotRequeueable, document_requeue
from rag.audit.models import AuditEvent
from rag.qa.models import Question
from tests.factories import collection, signed_in_browser as _client


def _question(user, text: str) -> Question:
    return Question.objects.create(asked_by=user, text=text, top_k=5, answer="An answer.", status="answered")


def _failed_document() -> Document:
    return Document.objects.create(collection=collection("default"), source="broken.pdf", origin="upload",
                                   media_type="application/pdf", sha256="0" * 64, size_bytes=3,
                                   privacy_level="external_redacted", status="failed", error="not a PDF")


def test_history_shows_only_my_questions_and_searches_them(db, user, django_user_model):
    other = django_user_model.objects.create_user(username="other", password="x")
    _question(user, "When is the parking permit valid?")
    _question(user, "Who approves travel?")
    _question(other, "What is the parking permit of someone else?")

    page = _client(user).get("/history/", {"q": "parking"}).content.decode()

    assert "When is the parking permit valid?" in page
    assert "travel" not in page and "someone else" not in page


def test_a_question_of_someone_else_is_not_found(db, user, django_user_model):
    other = django_user_model.objects.create_user(username="other", password="x")
    theirs = _question(other, "Private question")

    assert _client(user).get(f"/history/{theirs.pk}/").status_code == 404


def test_ingestion_health_is_for_staff_only(db, user, admin_user_obj):
    _failed_document()

    assert _client(user).get("/admin-console/ingestion/").status_code == 302  # to the admin login
    page = _client(admin_user_obj).get("/admin-console/ingestion/").content.decode()
    assert "broken.pdf" in page and "not a PDF" in page and 'id="queue-depth">0<' in page


def test_it_requeues_a_failed_document_with_an_audit_row(db, admin_user_obj, django_capture_on_commit_callbacks):
    doc = _failed_document()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document_requeue(document_id=doc.pk, user=admin_user_obj)

    doc.refresh_from_db()
    assert (doc.status, doc.error) == ("queued", "")
    event = AuditEvent.objects.get(event_type="document.requeued")
    assert (event.actor, event.target_id, event.details["previous_error"]) == ("boss", str(doc.pk), "not a PDF")
    assert len(callbacks) == 1  # the ingest task, dispatched after commit


def test_it_refuses_to_requeue_a_document_that_has_not_failed(db, admin_user_obj):
    doc = _failed_document()
    Document.objects.filter(pk=doc.pk).update(status="ready")

    with pytest.raises(DocumentNotRequeueable):
        document_requeue(document_id=doc.pk, user=admin_user_obj)
    assert not AuditEvent.objects.filter(event_type="document.requeued").exists()



def test_a_reopened_answer_links_its_citation_markers_and_escapes_the_rest(db, user):
    from tests.factories import document_ingested

    permits = document_ingested(source="permits.md", text="# Permits\n\nParking permits run until 30 June.")
    chunk_id = permits.chunks.first().pk  # a cited document the user may still read (else the answer is withheld)
    question = _question(user, "Parking?")
    Question.objects.filter(pk=question.pk).update(
        answer="Until 30 June [1]; see also [7]. <b>bold</b>",
        citations=[{"document_id": permits.pk, "chunk_id": chunk_id, "source": "permits.md", "heading": "",
                    "page": None, "snippet": "..."}])

    page = _client(user).get(f"/history/{question.pk}/").content.decode()

    assert f'<sup class="cite"><a href="/sources/{chunk_id}/#cited" title="permits.md">[1]</a></sup>' in page
    assert "see also [7]." in page and "&lt;b&gt;bold&lt;/b&gt;" in page
