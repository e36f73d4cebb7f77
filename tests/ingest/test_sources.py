"""Folder sources (issue 16): registered once per collection, scanned by beat's task and on demand,
listed in the admin console with their last scan, counts and errors; the parse notes shown on the
document. Real worker, database and files; nothing is mocked."""
from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from ingest.models import Chunk, Document, FolderSource
from ingest.services import collection_get_or_create
from ingest.sources import (
    FolderSourceExists,
    FolderSourceNotManager,
    FolderSourceRefused,
    folder_source_add,
    folder_source_scan,
    folder_sources_due,
)
from ingest.tasks import folder_sources_scan_due_task
from rag.access.models import CollectionRole
from rag.access.services import collection_role_grant
from rag.audit.models import AuditEvent
from tests.conftest import wait_for_status
from tests.fixtures import make_files

pytestmark = pytest.mark.django_db(transaction=True)
FILES = Path(__file__).resolve().parent.parent / "fixtures" / "files"


@pytest.fixture
def share(tmp_path, settings):
    root = tmp_path / "shares" / "hr"
    (root / "policies").mkdir(parents=True)
    (root / "policies" / "leave.md").write_text("# Leave\n\nEveryone gets 25 days of paid leave.\n")
    (root / "travel.txt").write_text("Economy class for flights under six hours.\n")
    (root / "review.pptx").write_bytes(make_files.pptx_sample())
    settings.FOLDER_SOURCE_ROOTS = [str(tmp_path / "shares")]
    return root


@pytest.fixture
def manager(django_user_model, admin_user_obj):
    user = django_user_model.objects.create_user(username="carol", password="correct horse battery")
    collection_role_grant(collection=collection_get_or_create(slug="hr"), role=CollectionRole.Role.MANAGER,
                          user=user, actor=admin_user_obj)
    return user


def index_of(slug="hr") -> dict[str, str]:
    return dict(Document.objects.filter(collection__slug=slug, status="ready", is_replacement=False)
                .values_list("source", "sha256"))


def folder_of(root) -> dict[str, str]:
    import hashlib

    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file()}


def scanned_after(source_id: int, since, timeout_s: float = 300) -> FolderSource:
    """Wait for the worker to finish a scan of the source that started after ``since``, then for
    the documents it queued."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        source = FolderSource.objects.get(pk=source_id)
        if source.last_scan_at and source.last_scan_at > since and source.scan_started_at is None:
            for doc in Document.objects.filter(collection=source.collection).exclude(status__in=["ready", "failed"]):
                wait_for_status(doc.pk)
            return source
        time.sleep(0.2)
    raise TimeoutError(f"source {source_id} was not scanned")


def test_beat_scans_a_due_source_and_the_index_follows_the_folder(share, manager, celery_worker):
    source = folder_source_add(collection=collection_get_or_create(slug="hr"), path=str(share), interval_s=600,
                               user=manager)
    assert folder_sources_due() == [source.pk]  # never scanned: due now
    started = timezone.now()
    folder_sources_scan_due_task.delay()  # what beat sends every minute
    source = scanned_after(source.pk, started)
    before = index_of()
    assert before == folder_of(share), list(Document.objects.values_list("source", "status", "error"))
    assert source.last_counts == {"created": 3, "unreadable": 0} and source.last_error == ""
    assert folder_sources_due() == []  # not again until its interval has passed

    renamed = Document.objects.get(source="travel.txt")
    (share / "policies" / "leave.md").write_text("# Leave\n\nEveryone gets 28 days of paid leave.\n")
    (share / "travel.txt").rename(share / "policies" / "travel.txt")
    (share / "review.pptx").unlink()
    (share / "offer.eml").write_bytes(make_files.eml_sample())
    FolderSource.objects.filter(pk=source.pk).update(last_scan_at=timezone.now() - timedelta(seconds=601))
    assert folder_sources_due() == [source.pk]
    started = timezone.now()
    folder_sources_scan_due_task.delay()
    source = scanned_after(source.pk, started)
    after = index_of()
    print(f"\nsource sync counts: before {len(before)} {sorted(before)}; after {len(after)} {sorted(after)}; "
          f"last scan {source.last_counts} in {source.last_scan_ms} ms")
    assert after == folder_of(share)
    assert source.last_counts == {"changed": 1, "created": 1, "deleted": 1, "renamed": 1, "unreadable": 0}
    assert Document.objects.get(source="policies/travel.txt").pk == renamed.pk  # not re-embedded
    assert not Chunk.objects.filter(document__source="review.pptx").exists()
    scans = AuditEvent.objects.filter(event_type=AuditEvent.EventType.SOURCE_SCANNED, target_id=str(source.pk))
    assert [e.details["counts"] for e in scans.order_by("id")] == [
        {"created": 3, "unreadable": 0}, {"changed": 1, "created": 1, "deleted": 1, "renamed": 1, "unreadable": 0}]
    assert AuditEvent.objects.filter(event_type=AuditEvent.EventType.SOURCE_ADDED, actor="carol").exists()


def test_it_records_an_unmounted_share_as_the_error_and_deletes_nothing(share, manager, celery_worker):
    source = folder_source_add(collection=collection_get_or_create(slug="hr"), path=str(share), user=manager)
    folder_source_scan(source_id=source.pk)
    documents = set(Document.objects.filter(collection__slug="hr").values_list("pk", flat=True))
    moved = share.rename(share.parent / "hr-unmounted")
    folder_source_scan(source_id=source.pk)
    source.refresh_from_db()
    assert "is not a folder (is the share mounted?)" in source.last_error
    assert set(Document.objects.filter(collection__slug="hr").values_list("pk", flat=True)) == documents
    assert moved.exists()


def test_it_registers_a_folder_once_per_collection(share, manager):
    hr = collection_get_or_create(slug="hr")
    folder_source_add(collection=hr, path=str(share), user=manager)
    with pytest.raises(FolderSourceExists):
        folder_source_add(collection=hr, path=str(share / "policies" / ".."), user=manager)


def test_it_refuses_a_folder_outside_the_allowed_roots(share, manager, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    with pytest.raises(FolderSourceRefused, match="not under a folder allowed for sources"):
        folder_source_add(collection=collection_get_or_create(slug="hr"), path=str(tmp_path / "elsewhere"),
                          user=manager)


def test_it_refuses_a_symlink_that_escapes_the_allowed_roots(share, manager, tmp_path):
    (tmp_path / "secrets").mkdir()
    (share.parent / "sneaky").symlink_to(tmp_path / "secrets")
    with pytest.raises(FolderSourceRefused, match="not under a folder allowed"):
        folder_source_add(collection=collection_get_or_create(slug="hr"), path=str(share.parent / "sneaky"),
                          user=manager)


def test_it_refuses_a_reader_who_does_not_manage_the_collection(share, user):
    with pytest.raises(FolderSourceNotManager):
        folder_source_add(collection=collection_get_or_create(slug="hr"), path=str(share), user=user)


def test_it_does_not_read_a_file_linked_from_outside_the_folder(share, manager, tmp_path, celery_worker):
    secret = tmp_path / "vault_key.txt"
    secret.write_text("TOP-SECRET-KEY-MATERIAL\n")
    (share / "innocent.txt").symlink_to(secret)
    source = folder_source_add(collection=collection_get_or_create(slug="hr"), path=str(share), user=manager)
    report = folder_source_scan(source_id=source.pk)
    assert ("innocent.txt", "symbolic link to outside the folder; not read") in report.errors
    assert not Document.objects.filter(source="innocent.txt").exists()
    assert FolderSource.objects.get(pk=source.pk).last_counts["unreadable"] == 1


def test_the_console_lists_sources_with_last_scan_counts_and_errors(share, manager, client, celery_worker):
    client.force_login(manager)
    response = client.post("/admin-console/sources/add", {"collection": collection_get_or_create(slug="hr").pk,
                                                           "path": str(share), "interval_s": "900"}, follow=True)
    assert "is now a folder source of hr" in response.content.decode()
    source = FolderSource.objects.get()
    started = timezone.now()
    response = client.post(f"/admin-console/sources/{source.pk}/scan", follow=True)
    assert "A scan of" in response.content.decode()
    scanned_after(source.pk, started)
    page = client.get("/admin-console/sources/").content.decode()
    assert str(share) in page and "3 created" in page and "900 s" in page

    FolderSource.objects.filter(pk=source.pk).update(last_error="/mnt/x is not a folder (is the share mounted?)")
    assert "is the share mounted?" in client.get("/admin-console/sources/").content.decode()
    client.post(f"/admin-console/sources/{source.pk}/remove")
    assert not FolderSource.objects.exists()
    assert AuditEvent.objects.filter(event_type=AuditEvent.EventType.SOURCE_REMOVED, actor="carol").exists()
    assert Document.objects.filter(collection__slug="hr").count() == 3  # the documents stay


def test_the_console_is_read_only_for_staff_and_closed_to_others(share, manager, client, django_user_model):
    source = folder_source_add(collection=collection_get_or_create(slug="hr"), path=str(share), user=manager)
    staff = django_user_model.objects.create_user(username="sam", password="x", is_staff=True)
    client.force_login(staff)
    page = client.get("/admin-console/sources/").content.decode()
    assert str(share) in page and "Scan now" not in page
    client.post(f"/admin-console/sources/{source.pk}/remove")
    assert FolderSource.objects.filter(pk=source.pk).exists()
    client.force_login(django_user_model.objects.create_user(username="eve", password="x"))
    assert client.get("/admin-console/sources/").status_code == 404


def test_the_document_says_what_the_parser_recovered(share, manager, client, celery_worker):
    good = (FILES / "sample.pdf").read_bytes()
    (share / "cut.pdf").write_bytes(good[: good.rindex(b"xref")])
    source = folder_source_add(collection=collection_get_or_create(slug="hr"), path=str(share), user=manager)
    folder_source_scan(source_id=source.pk)
    document = wait_for_status(Document.objects.get(source="cut.pdf").pk)
    assert document.status == "ready"
    assert any(note.startswith("the PDF is damaged") for note in document.notes)
    client.force_login(manager)
    body = client.get(f"/api/v1/documents/{document.pk}").json()
    assert body["notes"] == document.notes
    assert "the PDF is damaged" in client.get("/documents/").content.decode()


def test_ingest_sync_on_a_registered_folder_scans_it_as_that_source(share, manager, celery_worker):
    import io

    from django.core.management import call_command

    source = folder_source_add(collection=collection_get_or_create(slug="hr"), path=str(share), user=manager)
    out = io.StringIO()
    call_command("ingest", str(share), "--sync", "--collection", "hr", "--timeout", "600", stdout=out,
                 stderr=io.StringIO())
    assert "3 created" in out.getvalue()
    source.refresh_from_db()
    assert source.last_counts == {"created": 3, "unreadable": 0} and source.last_scan_at is not None
    assert AuditEvent.objects.filter(event_type=AuditEvent.EventType.SOURCE_SCANNED, actor="system").exists()
