"""Keyword indexing reuses the exact text that was embedded: ingest hands it over in the
chunk-swap transaction (the ``chunks_stored`` signal), and ``search_reindex`` joins the
same stored parts with the same function. Nothing is rebuilt from the cut heading path."""
from __future__ import annotations

import numpy as np
import pytest

from ingest.chunking import embedding_text_join
from ingest.embedding import BACKENDS, embedding_space, texts_embed
from ingest.models import Chunk, Document
from ingest.signals import chunks_stored
from rag.search.analysis import term_counts
from rag.search.bm25 import chunks_rank_bm25
from rag.search.models import Posting
from rag.search.services import search_index_backfill
from tests.factories import document_ingested

pytestmark = pytest.mark.django_db

# Headings are at most 200 characters (the parsers clip them), and a word over 100
# characters is one [UNK] word piece, so six levels of such headings cost a few tokens
# (the path survives the chunker's prefix budget) but over 1,000 characters: the stored
# heading_path (CharField(1000)) loses the last heading's last word, "quokkaheading".
LEVELS = ["q" * 199] * 4 + ["q" * 185 + " quokkaheading"]
GUIDE = "# Guide\n\nIntroduction.\n\n" + "".join(
    f"{'#' * (level + 2)} {heading}\n\nSection {level}.\n\n" for level, heading in enumerate(LEVELS)
) + "The zebracorn setting turns the feature on for every tenant.\n"


def _postings(chunk: Chunk) -> dict[str, int]:
    return dict(Posting.objects.filter(chunk=chunk).values_list("term", "tf"))


def test_it_indexes_the_exact_embedded_text_of_a_chunk_whose_heading_path_was_cut():
    doc = document_ingested(source="guide.md", text=GUIDE)
    chunk = Chunk.objects.get(document=doc, text__contains="zebracorn")
    embedded = embedding_text_join(prefix=chunk.embedding_prefix, text=chunk.text)
    assert len(chunk.heading_path) == 1000 and "quokkaheading" not in chunk.heading_path
    assert "quokkaheading" in embedded
    # It is the string that was embedded: embedding it again, in the space the chunk records
    # (model and backend: int8 and fp32 vectors of one text differ), gives the stored vector.
    backend = next(b for b in BACKENDS if embedding_space(backend=b) == chunk.embedding_space)
    again = texts_embed([embedded], backend=backend)[0]
    assert float(np.dot(again, np.asarray(chunk.embedding))) > 0.9999
    assert _postings(chunk) == dict(term_counts(embedded))
    assert chunk.pk in {i for i, _ in chunks_rank_bm25(query="quokkaheading", limit=5)}


def test_a_rebuilt_index_holds_the_same_terms_as_the_one_written_at_ingestion():
    doc = document_ingested(source="guide.md", text=GUIDE)
    chunk = Chunk.objects.get(document=doc, text__contains="zebracorn")
    at_ingestion = _postings(chunk)
    assert search_index_backfill(rebuild=True) == (1, doc.chunk_count)
    assert _postings(chunk) == at_ingestion


def test_an_indexing_failure_rolls_the_chunk_swap_back():
    def index_down(sender, **kwargs):
        raise RuntimeError("index down")

    chunks_stored.connect(index_down, sender=Document, dispatch_uid="test-index-down")
    try:
        doc = document_ingested(source="guide.md", text=GUIDE)
    finally:
        chunks_stored.disconnect(sender=Document, dispatch_uid="test-index-down")
    assert doc.status == Document.Status.FAILED and "index down" in doc.error
    assert not Chunk.objects.filter(document=doc).exists()
