"""Embedding backends, the space each chunk records, the vector cache, batches across documents,
re-embedding, and the Celery queues ingestion runs on."""
from __future__ import annotations

import numpy as np
import pytest

from ingest.chunking import embedding_text_join
from ingest.embedding import embedding_space, texts_embed
from ingest.models import Chunk, Collection, Document
from ingest.pipeline import text_digest, texts_vectors
from tests.factories import collection, document_ingested

TEXTS = [
    "Travel policy > Booking\n\nFlights over 6 hours may be booked in premium economy.",
    "Meals are reimbursed up to 45 euros per day with receipts.",
    "The VPN gateway is vpn.example.internal and it requires the Acme client, version 4 or later, on every "
    "laptop that connects from outside the office network, including home offices and hotel rooms.",
    "Parking",
]
POLICY = "# Travel policy\n\n## Booking\n\nFlights over 6 hours may be booked in premium economy.\n\n" \
         "## Expenses\n\nMeals are reimbursed up to 45 euros per day with receipts.\n"


def test_onnx_fp32_gives_the_vectors_of_torch_fp32():
    reference = texts_embed(TEXTS, backend="torch")
    vectors = texts_embed(TEXTS, backend="onnx")
    assert vectors.shape == (len(TEXTS), 384) and vectors.dtype == np.float32
    assert np.sum(vectors * reference, axis=1).min() > 0.9999


def test_onnx_int8_stays_close_to_torch_fp32_and_normalised():
    reference = texts_embed(TEXTS, backend="torch")
    vectors = texts_embed(TEXTS, backend="onnx-int8")
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert np.sum(vectors * reference, axis=1).min() > 0.95


def test_vectors_come_back_in_input_order_whatever_the_batching():
    one_by_one = np.stack([texts_embed([t], backend="onnx")[0] for t in TEXTS])
    batched = texts_embed(TEXTS, backend="onnx", batch_size=2)  # sorted by length, then restored
    assert np.sum(one_by_one * batched, axis=1).min() > 0.9999


def test_an_int8_vector_does_not_depend_on_the_texts_embedded_with_it():
    alone = np.stack([texts_embed([t], backend="onnx-int8")[0] for t in TEXTS])
    together = texts_embed(TEXTS, backend="onnx-int8", batch_size=32)
    assert np.array_equal(alone, together)  # so cached vectors and query vectors match stored ones


def test_the_onnx_model_is_built_once_and_reused(settings, tmp_path):
    from ingest.embedding import embedding_model_path
    from ingest.embedding_onnx import INT8_RECIPE_VERSION, onnx_model_build

    path = embedding_model_path(settings.EMBEDDING_MODEL)
    first = onnx_model_build(model_path=path, cache_dir=tmp_path, quantized=True)
    built_at = first.stat().st_mtime_ns
    again = onnx_model_build(model_path=path, cache_dir=tmp_path, quantized=True)
    assert again == first and again.stat().st_mtime_ns == built_at
    assert first.parent.parent == tmp_path and first.name == f"model_int8_q{INT8_RECIPE_VERSION}.onnx"
    assert not list(tmp_path.rglob("*.tmp"))  # written aside, renamed into place


@pytest.mark.django_db
def test_every_chunk_records_the_space_that_embedded_it_and_the_collection_holds_it():
    doc = document_ingested(source="policy.md", text=POLICY)
    space = embedding_space()
    assert doc.status == Document.Status.READY, doc.error
    assert set(doc.chunks.values_list("embedding_space", flat=True)) == {space}
    assert Collection.objects.get(slug="default").embedding_space == space
    for chunk in doc.chunks.all():  # the cache key: the exact embedded string
        assert chunk.text_sha256 == text_digest(embedding_text_join(prefix=chunk.embedding_prefix, text=chunk.text))


@pytest.mark.django_db
def test_it_refuses_to_mix_two_embedding_spaces_in_one_collection(settings):
    document_ingested(source="policy.md", text=POLICY)
    settings.EMBEDDING_BACKEND = "torch" if settings.EMBEDDING_BACKEND != "torch" else "onnx"
    doc = document_ingested(source="second.md", text="# Parking\n\nPermits are issued by facilities.\n")
    assert doc.status == Document.Status.FAILED
    assert "reembed --collection default" in doc.error and embedding_space() in doc.error
    assert not doc.chunks.exists()


@pytest.mark.django_db
def test_reembed_moves_a_collection_to_the_configured_space_keeping_chunk_ids(settings):
    from django.core.management import call_command

    doc = document_ingested(source="policy.md", text=POLICY)
    ids = sorted(doc.chunks.values_list("pk", flat=True))
    settings.EMBEDDING_BACKEND = "torch" if settings.EMBEDDING_BACKEND != "torch" else "onnx"
    call_command("reembed", "--collection", "default")
    space = embedding_space()
    assert Collection.objects.get(slug="default").embedding_space == space
    assert sorted(Chunk.objects.filter(document=doc, embedding_space=space).values_list("pk", flat=True)) == ids
    after = document_ingested(source="second.md", text="# Parking\n\nPermits are issued by facilities.\n")
    assert after.status == Document.Status.READY, after.error


@pytest.mark.django_db
def test_reembed_all_moves_only_collections_with_chunks_in_another_space(settings):
    from django.core.management import call_command

    document_ingested(source="policy.md", text=POLICY)
    collection("empty")
    settings.EMBEDDING_BACKEND = "torch" if settings.EMBEDDING_BACKEND != "torch" else "onnx"
    call_command("reembed", "--all")
    spaces = dict(Collection.objects.values_list("slug", "embedding_space"))
    assert spaces == {"default": embedding_space(), "empty": ""}


@pytest.mark.django_db
def test_texts_already_embedded_in_the_same_space_come_from_the_vector_cache():
    doc = document_ingested(source="policy.md", text=POLICY)
    chunks = list(doc.chunks.order_by("ordinal"))
    texts = [embedding_text_join(prefix=c.embedding_prefix, text=c.text) for c in chunks]
    stored = {c.text_sha256: np.asarray(c.embedding) for c in chunks}
    vectors, digests, hits = texts_vectors(texts + ["a text nobody embedded before"], space=embedding_space())
    known = [i for i, d in enumerate(digests) if d in stored]
    assert hits == len(known) > 0
    for i in known:
        assert np.array_equal(vectors[i], stored[digests[i]].astype(np.float32))


@pytest.mark.django_db
def test_a_batch_of_documents_fails_only_the_bad_one():
    from django.db import transaction

    from ingest.services import document_register, documents_process

    coll = collection("default")
    with transaction.atomic():  # processed before commit: no worker sees them (see tests.factories)
        ids = [document_register(collection=coll, source=name, data=data).document.pk for name, data in [
            ("a.md", POLICY.encode()), ("broken.pdf", b"%PDF-1.7 not a pdf"),
            ("c.txt", b"The VPN gateway is vpn.example.internal.")]]
        documents_process(document_ids=ids)
    docs = {d.source: d for d in Document.objects.filter(pk__in=ids)}
    assert docs["a.md"].status == docs["c.txt"].status == Document.Status.READY
    assert docs["broken.pdf"].status == Document.Status.FAILED and docs["broken.pdf"].error
    assert docs["c.txt"].chunks.get().text == "The VPN gateway is vpn.example.internal."


def test_ingestion_interactive_work_and_maintenance_run_on_separate_queues():
    from rag.celery import app

    def queue(name):
        return app.amqp.router.route({}, name)["queue"].name

    assert queue("ingest.document_ingest") == queue("ingest.documents_ingest") == "ingest"
    assert queue("rag.fallback.tasks.fallback_send_task") == "interactive"
    assert queue("rag.audit.tasks.audit_checkpoint_task") == "maintenance"
    assert queue("rag.fallback.tasks.fallback_expire_due_task") == "maintenance"
