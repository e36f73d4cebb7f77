"""``manage.py ingest`` on a folder, through the real worker."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from ingest.models import Chunk, Document
from ingest.services import document_process

pytestmark = pytest.mark.django_db(transaction=True)


def run_ingest(*paths, **kwargs) -> str:
    out = io.StringIO()
    call_command("ingest", *map(str, paths), stdout=out, stderr=io.StringIO(), **kwargs)
    return out.getvalue()


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "docs"
    (root / "ref").mkdir(parents=True)
    (root / "ref" / "settings.txt").write_text("Settings\n========\n\nDEBUG turns on detailed error pages.\n")
    (root / "intro.md").write_text("# Intro\n\nPerimeter answers questions from documents.\n")
    return root


def test_it_ingests_a_folder_recursively_with_paths_relative_to_it(corpus, celery_worker):
    out = run_ingest(corpus)
    assert "2 created" in out and "ingested 2 documents" in out
    assert set(Document.objects.values_list("source", flat=True)) == {"ref/settings.txt", "intro.md"}
    assert Document.objects.filter(status="ready").count() == 2


def test_a_second_run_skips_unchanged_files(corpus, celery_worker):
    run_ingest(corpus)
    out = run_ingest(corpus)
    assert "2 unchanged" in out
    assert "ingested" not in out


def test_a_changed_file_is_reingested_and_its_old_chunks_are_gone(corpus, celery_worker):
    run_ingest(corpus)
    (corpus / "intro.md").write_text("# Intro\n\nPerimeter now also summarises documents.\n")
    out = run_ingest(corpus)
    assert "1 changed" in out and "1 unchanged" in out
    texts = " ".join(Chunk.objects.filter(document__source="intro.md").values_list("text", flat=True))
    assert "summarises" in texts and "answers questions" not in texts


def test_rerunning_the_pipeline_after_a_crash_gives_the_same_chunks(corpus, celery_worker):
    run_ingest(corpus)
    doc = Document.objects.get(source="ref/settings.txt")
    before = list(doc.chunks.values_list("ordinal", "text", "char_start", "char_end"))
    # simulate a worker that died mid-pipeline, then the task being delivered again
    Document.objects.filter(pk=doc.pk).update(status=Document.Status.EMBEDDING)
    document_process(document_id=doc.pk)
    doc.refresh_from_db()
    assert doc.status == "ready"
    assert list(doc.chunks.values_list("ordinal", "text", "char_start", "char_end")) == before


def test_a_document_left_mid_pipeline_is_requeued_by_the_next_run(corpus, celery_worker):
    run_ingest(corpus)
    Document.objects.filter(source="intro.md").update(status=Document.Status.PARSING)
    out = run_ingest(corpus)
    assert "1 requeued" in out
    assert Document.objects.get(source="intro.md").status == "ready"


def test_an_unsupported_file_in_the_folder_is_recorded_as_failed(corpus, celery_worker):
    (corpus / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    run_ingest(corpus)
    doc = Document.objects.get(source="logo.png")
    assert doc.status == "failed" and "unsupported file type" in doc.error


def test_a_missing_path_is_a_clear_error(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="does not exist"):
        run_ingest(tmp_path / "nope")


def test_prune_removes_documents_whose_files_are_gone(corpus, celery_worker):
    run_ingest(corpus)
    (corpus / "intro.md").unlink()
    out = run_ingest(corpus, prune=True)
    assert "1 pruned" in out
    assert list(Document.objects.values_list("source", flat=True)) == ["ref/settings.txt"]
    assert not Chunk.objects.filter(document__source="intro.md").exists()
