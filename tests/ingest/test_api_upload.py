"""Uploading: ``document_upload`` decides the collection and refuses with domain errors; the API renders them."""
from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from ingest.models import Collection, Document
from ingest.services import (
    UploadCollectionUnknown,
    UploadNameInvalid,
    UploadTooLarge,
    UploadUnsupported,
    document_upload,
)
from tests.factories import collection

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def default_collection(user):
    """The collection every signed-in employee may read (ACCESS_OPEN_COLLECTIONS); ``user`` also
    contributes to it (reading alone never lets anyone add documents)."""
    from rag.access.models import CollectionRole

    default = collection("default")
    CollectionRole.objects.create(collection=default, user=user, role=CollectionRole.Role.CONTRIBUTOR)
    return default


def test_it_registers_an_upload_in_a_collection_the_uploader_may_write(user):
    registration = document_upload(collection_slug="default", name="notes.txt", data=ContentFile(b"hello"),
                                   user=user, token=None)
    assert registration.action == "created"
    document = registration.document
    assert (document.collection.slug, document.origin, document.uploaded_by) == ("default", "upload", user)


def test_it_refuses_a_file_name_with_a_nul_character(user):
    with pytest.raises(UploadNameInvalid) as refused:
        document_upload(collection_slug="default", name="a\x00.txt", data=b"hello", user=user, token=None)
    assert (refused.value.code, refused.value.http_status) == ("invalid_file_name", 400)
    assert not Document.objects.exists()


def test_it_refuses_an_oversized_file_before_reading_it(user, settings):
    settings.INGEST_MAX_UPLOAD_BYTES = 100

    class Unreadable(ContentFile):
        def read(self, *args):
            raise AssertionError("an oversized upload must not be read")

    with pytest.raises(UploadTooLarge) as refused:
        document_upload(collection_slug="default", name="big.txt", data=Unreadable(b"x" * 101), user=user,
                        token=None)
    assert (refused.value.code, refused.value.http_status) == ("file_too_large", 413)
    assert str(refused.value) == "file is 101 bytes; the limit is 100"
    assert not Document.objects.exists()


def test_it_refuses_a_collection_an_employee_may_not_write_and_does_not_create_it(user):
    with pytest.raises(UploadCollectionUnknown) as refused:
        document_upload(collection_slug="secret-plans", name="a.txt", data=b"hello", user=user, token=None)
    assert (refused.value.code, refused.value.http_status) == ("unknown_collection", 400)
    assert not Collection.objects.filter(slug="secret-plans").exists()


def test_staff_create_a_collection_by_uploading_into_it(admin_user_obj):
    registration = document_upload(collection_slug="handbook", name="a.txt", data=b"hello", user=admin_user_obj,
                                   token=None)
    assert registration.document.collection.slug == "handbook"


def test_it_records_an_unsupported_file_as_failed_and_refuses_it(user):
    with pytest.raises(UploadUnsupported) as refused:
        document_upload(collection_slug="default", name="tool.exe", data=b"MZ\x90\x00", user=user, token=None)
    assert (refused.value.code, refused.value.http_status) == ("unsupported_file", 415)
    assert refused.value.document.status == "failed" and "unsupported file type" in str(refused.value)


def test_the_api_answers_an_unsupported_file_with_415_and_the_recorded_document(api):
    response = api.post("/api/v1/documents", {"file": SimpleUploadedFile("tool.exe", b"MZ\x90\x00")},
                        format="multipart")
    assert response.status_code == 415
    error = response.json()["error"]
    document = Document.objects.get(source="tool.exe")
    assert error["code"] == "unsupported_file" and error["message"] == document.error
    assert error["details"]["document"]["id"] == document.pk
    assert error["details"]["document"]["status"] == "failed" and error["details"]["document"]["action"] == "rejected"


def test_the_api_answers_an_oversized_file_with_413_file_too_large(api, settings):
    settings.INGEST_MAX_UPLOAD_BYTES = 100
    response = api.post("/api/v1/documents", {"file": SimpleUploadedFile("big.txt", b"x" * 101)}, format="multipart")
    assert response.status_code == 413
    assert response.json() == {"error": {"code": "file_too_large", "message": "file is 101 bytes; the limit is 100",
                                         "details": {}}}
