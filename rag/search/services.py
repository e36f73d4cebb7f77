"""Writes to the BM25 index. Statistics follow by trigger (see migration 0002).

Ingest does not call this module: it sends :data:`ingest.signals.chunks_stored` in its
chunk-swap transaction, and :meth:`rag.search.apps.SearchConfig.ready` connects
:func:`chunks_stored_index` to it.
"""
from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, transaction

from ingest.chunking import embedding_text_join
from ingest.models import Chunk, Document
from rag.search.analysis import term_counts
from rag.search.models import IndexedChunk

TF_MAX = 32767  # smallint


def chunks_index(*, chunks: Sequence[Chunk], texts: Sequence[str], collection_id: int) -> int:
    """Add ``chunks`` (saved, of one document) to the BM25 index; returns postings written.

    ``texts[i]`` is the string indexed for ``chunks[i]``: the exact string that was
    embedded for it (:func:`ingest.chunking.embedding_text_join` of its stored prefix
    and text), never rebuilt here. Raises ValueError if the lengths differ.

    Call inside the transaction that created the chunks (``document_process`` does,
    through :func:`chunks_stored_index`), so readers see chunks and postings together.
    Chunks must not be indexed already (the primary keys refuse it): their old rows go
    away with the old chunks, by cascade. One ``INSERT`` for the chunk rows, one for all
    postings (``unnest`` of arrays), whatever the number of chunks.
    """
    if len(chunks) != len(texts):
        raise ValueError(f"{len(chunks)} chunks but {len(texts)} texts")
    chunk_rows: list[IndexedChunk] = []
    ids: list[int] = []
    terms: list[str] = []
    tfs: list[int] = []
    lengths: list[int] = []
    for chunk, text in zip(chunks, texts):
        counts = term_counts(text)
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


def chunks_stored_index(sender, *, document: Document, chunks: list[Chunk], texts: list[str], **kwargs) -> None:
    """Receiver of :data:`ingest.signals.chunks_stored` (connected in
    :meth:`rag.search.apps.SearchConfig.ready`): index a document's new chunks with the
    texts ingest embedded, in ingest's chunk-swap transaction. Old postings went with
    the old chunks (ON DELETE CASCADE); BM25 statistics follow by trigger. Errors
    propagate and abort the swap."""
    chunks_index(chunks=chunks, texts=texts, collection_id=document.collection_id)


def search_index_backfill(*, rebuild: bool = False, batch_documents: int = 50) -> tuple[int, int]:
    """Index every chunk of a ready document that is not indexed yet; returns
    (documents, chunks) indexed. With ``rebuild``, empty the index first (one
    ``TRUNCATE`` of the four tables, so the statistics restart from zero
    consistently) and index everything.

    Each chunk is indexed with the exact string that was embedded for it (its stored
    ``embedding_prefix`` and text, joined by :func:`ingest.chunking.embedding_text_join`).
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
                            .only("id", "embedding_prefix", "text"))
                if todo:
                    texts = [embedding_text_join(prefix=c.embedding_prefix, text=c.text) for c in todo]
                    chunks_index(chunks=todo, texts=texts, collection_id=doc.collection_id)
                    documents += 1
                    chunks_done += len(todo)
    return documents, chunks_done
