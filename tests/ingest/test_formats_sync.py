"""Folder sync (issue 16): adds, edits, renames and deletes between two scans; the index matches the folder."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from ingest.models import Chunk, Document
from ingest.services import collection_get_or_create
from ingest.sync import folder_sync
from rag.audit.models import AuditEvent
from tests.fixtures import make_files

pytestmark = pytest.mark.django_db(transaction=True)


def sync(root, *, collection="share") -> str:
    out = io.StringIO()
    call_command("ingest", str(root), "--sync", "--collection", collection, "--timeout", "600", stdout=out,
                 stderr=io.StringIO())
    return out.getvalue()


def index_of(collection="share") -> dict[str, str]:
    """source -> sha256 of the ready documents (what search can find)."""
    return dict(Document.objects.filter(collection__slug=collection, status="ready", is_replacement=False)
                .values_list("source", "sha256"))


def folder_of(root) -> dict[str, str]:
    import hashlib

    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def share(tmp_path):
    root = tmp_path / "share"
    (root / "hr").mkdir(parents=True)
    (root / "hr" / "leave.md").write_text("# Leave\n\nEveryone gets 25 days of paid leave.\n")
    (root / "hr" / "travel.txt").write_text("Economy class for flights under six hours.\n")
    (root / "review.pptx").write_bytes(make_files.pptx_sample())
    (root / "sales.xlsx").write_bytes(make_files.xlsx_sample(rows=5))
    return root


def test_the_index_matches_the_folder_after_adds_edits_renames_and_deletes(share, celery_worker):
    out = sync(share)
    assert "synced" in out and "4 created" in out
    before = index_of()
    assert before == folder_of(share)
    renamed = Document.objects.get(source="hr/travel.txt")
    renamed_chunks = list(renamed.chunks.values_list("pk", flat=True))

    (share / "hr" / "leave.md").write_text("# Leave\n\nEveryone gets 28 days of paid leave.\n")  # edit
    (share / "hr" / "travel.txt").rename(share / "policies-travel.txt")  # rename
    (share / "sales.xlsx").unlink()  # delete
    (share / "offer.eml").write_bytes(make_files.eml_sample())  # add
    out = sync(share)

    assert "1 deleted" in out and "1 renamed" in out and "1 created" in out
    after = index_of()
    assert after == folder_of(share)
    print(f"\nsync counts: before {len(before)} documents {sorted(before)}; after {len(after)} {sorted(after)}")
    moved = Document.objects.get(source="policies-travel.txt")
    assert moved.pk == renamed.pk  # not re-embedded: same row, same chunks
    assert list(moved.chunks.values_list("pk", flat=True)) == renamed_chunks
    texts = " ".join(Chunk.objects.filter(document__source="hr/leave.md").values_list("text", flat=True))
    assert "28 days" in texts and "25 days" not in texts
    assert not Chunk.objects.filter(document__source="sales.xlsx").exists()
    assert AuditEvent.objects.filter(event_type=AuditEvent.EventType.DOCUMENT_DELETED,
                                     details__source="sales.xlsx").exists()
    assert AuditEvent.objects.filter(event_type=AuditEvent.EventType.DOCUMENT_REGISTERED,
                                     details__action="renamed", details__source="policies-travel.txt").exists()


def test_it_refuses_to_sync_a_folder_that_is_not_there(tmp_path):
    collection = collection_get_or_create(slug="share")
    with pytest.raises(FileNotFoundError, match="is the share mounted"):
        folder_sync(collection=collection, root=tmp_path / "unmounted")


def test_it_leaves_uploaded_documents_alone(share, celery_worker):
    from ingest.services import document_register

    collection = collection_get_or_create(slug="share")
    document_register(collection=collection, source="uploaded.md", data=b"# Up\n\nUploaded by hand.\n",
                      origin=Document.Origin.UPLOAD)
    sync(share)
    assert Document.objects.filter(source="uploaded.md").exists()
