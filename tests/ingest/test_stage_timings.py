"""Per-stage timings of each document (parse, chunk, embed, store) and the ingestion health
page's last hour, computed from them."""
from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from ingest.models import Document
from ingest.services import document_register, documents_process
from tests.factories import collection

pytestmark = pytest.mark.django_db

STAGES = ("parse_ms", "chunk_ms", "embed_ms", "store_ms")
SHORT = "# Parking\n\nThe car park opens at 06:30. Bicycle racks are behind building C.\n"
LONG = "# Handbook\n\n" + "\n\n".join(
    f"## Section {n}\n\nRule {n}: requests of type {n} go to desk {n} before noon, with form F-{n} signed "
    f"by a manager and a copy kept for {n} days." for n in range(1, 41))


def test_it_records_each_stage_of_a_real_ingestion_within_its_wall_time():
    with transaction.atomic():  # the task queued on commit never runs: processed here, in-process
        short = document_register(collection=collection("default"), source="parking.md", data=SHORT.encode())
        long = document_register(collection=collection("default"), source="handbook.md", data=LONG.encode())
        started = time.perf_counter()
        documents_process(document_ids=[short.document.pk, long.document.pk])  # one batch, embedded together
        wall_ms = (time.perf_counter() - started) * 1000

    docs = [Document.objects.get(pk=r.document.pk) for r in (short, long)]
    assert [d.status for d in docs] == ["ready", "ready"]
    for doc in docs:
        assert all(getattr(doc, stage) is not None and getattr(doc, stage) > 0 for stage in STAGES), doc.__dict__
    assert sum(getattr(d, stage) for d in docs for stage in STAGES) <= wall_ms
    # The batch's one embedding pass is shared by chunk count; parse, chunk and store are each document's own.
    short_doc, long_doc = docs
    assert long_doc.chunk_count > 3 * short_doc.chunk_count
    assert long_doc.embed_ms / short_doc.embed_ms == pytest.approx(long_doc.chunk_count / short_doc.chunk_count)


def test_it_clears_the_timings_of_a_document_being_processed_again():
    with transaction.atomic():
        reg = document_register(collection=collection("default"), source="parking.md", data=SHORT.encode())
        documents_process(document_ids=[reg.document.pk])
        Document.objects.filter(pk=reg.document.pk).update(status=Document.Status.QUEUED, error="")
        Document.objects.filter(pk=reg.document.pk).update(sha256="f" * 64)  # its bytes are gone: parse fails
        documents_process(document_ids=[reg.document.pk])

    doc = Document.objects.get(pk=reg.document.pk)
    assert doc.status == "failed" and [getattr(doc, stage) for stage in STAGES] == [None] * 4


def _processed(source: str, *, started_min_ago: float, finished_min_ago: float, chunks: int,
               ms: tuple[float, float, float, float]) -> Document:
    now = timezone.now()
    return Document.objects.create(
        collection=collection("default"), source=source, origin="path", media_type="text/markdown",
        sha256="0" * 64, size_bytes=1, privacy_level="external_redacted", status="ready", chunk_count=chunks,
        started_at=now - timedelta(minutes=started_min_ago), finished_at=now - timedelta(minutes=finished_min_ago),
        **dict(zip(STAGES, ms)))


def _figure(page: str, element_id: str) -> str:
    return " ".join(re.search(rf'id="{element_id}"[^>]*>(.*?)</', page, re.S).group(1).split())


def test_the_health_page_shows_the_last_hours_throughput_and_stage_shares(admin_user_obj):
    _processed("a.md", started_min_ago=10, finished_min_ago=9, chunks=30, ms=(100, 50, 800, 50))
    _processed("b.md", started_min_ago=8, finished_min_ago=5, chunks=30, ms=(100, 50, 800, 50))
    # Processed two hours ago, with figures that would swamp the hour's if they were counted.
    _processed("old.md", started_min_ago=130, finished_min_ago=120, chunks=9000, ms=(9e6, 1, 1, 1))
    client = Client()
    client.force_login(admin_user_obj)

    page = client.get("/admin-console/ingestion/").content.decode()

    assert _figure(page, "docs-processed") == "2"
    assert _figure(page, "docs-per-min") == "0.4"     # 2 documents over 5 minutes (first start to last finish)
    assert _figure(page, "chunks-per-s") == "0.2"     # 60 chunks over 300 s
    shares = {stage: re.search(r'class="share">([^<]*)<', row).group(1)
              for stage, row in re.findall(r'<tr id="stage-(\w+)">(.*?)</tr>', page, re.S)}
    assert shares == {"parse": "10.0 %", "chunk": "5.0 %", "embed": "80.0 %", "store": "5.0 %"}
    assert _figure(page, "pipeline-rate") == "60.0 docs/min, 30.0 chunks/s"  # 2 documents, 60 chunks: 2 s of stages


def test_the_health_page_says_so_when_nothing_was_processed_in_the_last_hour(admin_user_obj):
    _processed("old.md", started_min_ago=130, finished_min_ago=120, chunks=9, ms=(1, 1, 1, 1))
    client = Client()
    client.force_login(admin_user_obj)

    page = client.get("/admin-console/ingestion/").content.decode()

    assert _figure(page, "docs-processed") == "0"
    assert _figure(page, "docs-per-min") == _figure(page, "chunks-per-s") == _figure(page, "pipeline-rate") == "–"
