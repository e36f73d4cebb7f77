"""The blob store: every ingested file's bytes, in PostgreSQL by default (issue 13, scale-out),
on local disk as an option, and ``manage.py blobs_migrate`` from the one to the other."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.db import transaction

from ingest.blobs import blob_delete, blob_exists, blob_get, blob_path, blob_put
from ingest.models import Blob, Document
from ingest.services import document_delete, document_register
from tests.factories import collection

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def blob_root(settings, tmp_path):
    settings.BLOB_ROOT = tmp_path / "blobs"
    return settings.BLOB_ROOT


def test_it_keeps_bytes_in_the_database_by_default_and_nothing_on_disk(blob_root):
    digest = blob_put(b"travel policy")
    assert digest == hashlib.sha256(b"travel policy").hexdigest()
    assert Blob.objects.get(pk=digest).size_bytes == 13
    assert blob_get(digest) == b"travel policy" and blob_exists(digest)
    assert not blob_root.exists()


def test_it_stores_the_same_bytes_once(blob_root):
    assert blob_put(b"same") == blob_put(b"same")
    assert Blob.objects.count() == 1


def test_it_refuses_a_missing_blob_with_file_not_found():
    with pytest.raises(FileNotFoundError):
        blob_get("0" * 64)


def test_it_deletes_a_blob_once():
    digest = blob_put(b"to be erased")
    assert blob_delete(digest)
    assert not blob_exists(digest) and not blob_delete(digest)


def test_a_registration_rolled_back_leaves_no_bytes_behind():
    with pytest.raises(RuntimeError), transaction.atomic():
        reg = document_register(collection=collection("default"), source="memo.txt", data=b"rolled back")
        assert blob_exists(reg.document.sha256)
        raise RuntimeError
    assert not Blob.objects.exists()


def test_deleting_the_last_document_of_a_blob_erases_its_bytes(django_capture_on_commit_callbacks):
    doc = document_register(collection=collection("default"), source="a.txt", data=b"shared").document
    twin = document_register(collection=collection("default"), source="b.txt", data=b"shared").document
    with django_capture_on_commit_callbacks(execute=True):
        document_delete(document=doc)
    assert blob_exists(twin.sha256)
    with django_capture_on_commit_callbacks(execute=True):
        document_delete(document=twin)
    assert not blob_exists(twin.sha256)


def test_the_filesystem_store_stays_selectable(settings, blob_root):
    settings.BLOB_STORE = "filesystem"
    digest = blob_put(b"on disk")
    assert blob_path(digest).read_bytes() == b"on disk" and blob_get(digest) == b"on disk"
    assert not Blob.objects.exists()
    assert blob_delete(digest) and not blob_exists(digest)


def test_blobs_migrate_copies_the_files_documents_use_and_not_erased_ones(settings, blob_root):
    settings.BLOB_STORE = "filesystem"
    kept = document_register(collection=collection("default"), source="kept.txt", data=b"kept").document
    damaged = document_register(collection=collection("default"), source="bad.txt", data=b"damaged").document
    blob_path(damaged.sha256).write_bytes(b"bit rot")
    gone = blob_put(b"bytes of an erased document")  # no document uses it
    settings.BLOB_STORE = "database"

    out, err = io.StringIO(), io.StringIO()
    call_command("blobs_migrate", stdout=out, stderr=err)
    assert "1 copied, 0 already in the database, 0 in neither store" in out.getvalue()
    assert damaged.sha256 in err.getvalue()
    assert blob_get(kept.sha256) == b"kept"
    assert not Blob.objects.filter(pk__in=[damaged.sha256, gone]).exists()

    call_command("blobs_migrate", "--delete", stdout=(again := io.StringIO()), stderr=io.StringIO())
    assert "0 copied, 1 already in the database" in again.getvalue() and "1 files deleted" in again.getvalue()
    assert not blob_path(kept.sha256).exists() and blob_path(damaged.sha256).exists()
    assert Document.objects.count() == 2


def test_compose_ingestion_workers_share_no_volume():
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    assert "volumes" not in services["worker-ingest"]
    assert "BLOB_STORE" not in services["worker-ingest"]["environment"]  # the default: database
