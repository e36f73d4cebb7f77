"""Writes to the BM25 index. Statistics follow by trigger (see migration 0002)."""
from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from ingest.chunking import HEADING_SEPARATOR, embedding_prefix
from ingest.models import Chunk, Document
from rag.search.analysis import term_counts
from rag.search.models import IndexedChunk

TF_MAX = 32767  # smallint


def chunk_index_text(*, title: str, heading_path: str, text: str) -> str:
    """What BM25 indexes for a chunk: the same ``"title > heading path\\n\\ntext"``
    that is embedded (:func:`ingest.chunking.embedding_text`), rebuilt from the
    stored ``Chunk.heading_path`` so re-indexing gives identical terms."""
    path = tuple(heading_path.split(HEADING_SEPARATOR)) if heading_path else ()
    prefix = embedding_prefix(title=title, heading_path=path)
    return f"{prefix}\n\n{text}" if prefix else text


def chunks_index(*, chunks: Iterable[Chunk], title: str, collection_id: int) -> int:
    """Add ``chunks`` (saved, of one document) to the BM25 index; returns postings written.

    Call inside the transaction that created the chunks (``document_process``
    does), so readers see chunks and postings together. Chunks must not be
    indexed already (the primary keys refuse it): their old rows go away
    with the old chunks, by cascade. One ``INSERT`` for the chunk rows, one
    for all postings (``unnest`` of arrays), whatever the number of chunks.
    """
    chunk_rows: list[IndexedChunk] = []
    ids: list[int] = []
    terms: list[str] = []
    tfs: list[int] = []
    lengths: list[int] = []
    for chunk in chunks:
        counts = term_counts(chunk_index_text(title=title, heading_path=chunk.heading_path, text=chunk.text))
        length = sum(counts.values())
        chunk_rows.append(IndexedChunk(chunk_id=chunk.pk, collection_id=collection_id, length=length))
        for term, tf in counts.items():
            ids.append(chunk.pk)
            terms.append(term)
            tfs.append(min(tf, TF_MAX))
            lengths.append(length)
    if not chunk_rows:
        return 0
    with transaction.atomic():
        # Chunk rows first: their trigger creates and locks the collection's stats row,
        # the lock every posting trigger takes first (see migration 0002).
        IndexedChunk.objects.bulk_create(chunk_rows)
        if ids:
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO search_posting (chunk_id, term, tf, collection_id, length) "
                    "SELECT c, t, f, %s, l FROM unnest(%s::bigint[], %s::text[], %s::int[], %s::int[]) "
                    "AS u(c, t, f, l)",
                    [collection_id, ids, terms, tfs, lengths],
                )
    return len(ids)


def search_index_backfill(*, rebuild: bool = False, batch_documents: int = 50) -> tuple[int, int]:
    """Index every chunk of a ready document that is not indexed yet; returns
    (documents, chunks) indexed. With ``rebuild``, empty the index first (one
    ``TRUNCATE`` of the four tables, so the statistics restart from zero
    consistently) and index everything.

    Each batch of documents is one transaction; chunks replaced meanwhile are
    simply not found (and their replacements are indexed by ``document_process``).
    Idempotent: running it twice indexes nothing the second time.
    """
    if rebuild:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE search_posting, search_indexed_chunk, search_term_stat, search_collection_stat")
    pending = (
        Document.objects.filter(status=Document.Status.READY, chunks__isnull=False, chunks__bm25__isnull=True)
        .values_list("id", flat=True).distinct().order_by("id")
    )
    doc_ids = list(pending)
    documents = chunks_done = 0
    for start in range(0, len(doc_ids), batch_documents):
        with transaction.atomic():
            batch = Document.objects.filter(pk__in=doc_ids[start:start + batch_documents]).select_for_update()
            for doc in batch:
                todo = list(Chunk.objects.filter(document=doc, bm25__isnull=True)
                            .only("id", "heading_path", "text"))
                if todo:
                    chunks_index(chunks=todo, title=doc.title, collection_id=doc.collection_id)
                    documents += 1
                    chunks_done += len(todo)
    return documents, chunks_done
