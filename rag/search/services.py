"""Writes of retrieval: the BM25 index, and the audited retrieval-only search.

- :func:`chunks_index` and friends write the BM25 index; statistics follow by trigger (see
  migrations 0002 and 0003: sharded, so parallel writers never wait on each other). Ingest
  does not call them: it sends :data:`ingest.signals.chunks_stored` in its chunk-swap
  transaction, and :meth:`rag.search.apps.SearchConfig.ready` connects
  :func:`chunks_stored_index` to it.
- :func:`search_run` is ``POST /api/v1/search``: retrieval and the support decision without
  the model, audited as a query (it writes audit rows, hence here and not in selectors).
"""
from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.db import connection, transaction

from ingest.chunking import embedding_text_join
from ingest.models import Chunk, Document
from rag.audit.models import AuditEvent
from rag.audit.services import ACTOR_ANONYMOUS, actor_token, audit_append
from rag.core.errors import DomainError
from rag.llm.capacity import question_slot
from rag.search.abstention import support_dict
from rag.search.analysis import term_counts
from rag.search.hits import citation_dict
from rag.search.models import IndexedChunk
from rag.search.selectors import MODES, retrieval_run

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
    postings (``unnest`` of arrays), whatever the number of chunks. Statistics go to this
    transaction's own shard, so concurrent calls for one collection do not block each other.
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
        # Each trigger adds to this transaction's own statistics shard (migration 0003):
        # concurrent indexing into the same collection does not wait here.
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


class SearchQueryInvalid(DomainError):
    """Empty or overlong query, or top_k or mode out of range: 400 ``invalid_query``; the message is
    user-facing."""

    code = "invalid_query"
    http_status = 400


def _search_actor(user, token):
    if token is not None:
        return actor_token(token.name)
    return user if getattr(user, "is_authenticated", False) else ACTOR_ANONYMOUS


def search_run(*, user, query: str, top_k: int, collection_ids: list[int] | None, mode: str | None = None,
               token=None) -> dict:
    """Retrieve for ``query`` from ``collection_ids`` (None: all; the caller passes
    :func:`rag.access.selectors.collection_ids_readable`) without calling a model, and audit it.

    Returns ``{"search_id", "mode", "top_k", "hits", "support", "timings_ms": {"retrieval"}}``:
    ``hits`` are the top-k in rank order, each a citation dict (:func:`rag.search.hits.citation_dict`)
    plus ``rank`` (1-based), ``title``, ``bm25`` and ``fused`` (None when that ranking did not score
    it) and ``relevant`` (an answer would cite it; none when the decision is to abstain);
    ``support`` is :func:`rag.search.abstention.support_dict`.

    Audited like ``POST /api/v1/query``, in one transaction: ``query.asked`` (the query's SHA-256
    and length, never its text; ``endpoint: "search"``) and ``chunks.retrieved`` (ids and scores),
    both with target ``search``/``search_id``. ``user`` searches, or API ``token`` (audited as
    ``token:<name>``). Raises SearchQueryInvalid, or :class:`rag.llm.capacity.ServerBusy` (503 ``busy``:
    this process already works on QUESTION_MAX_IN_FLIGHT_PER_PROCESS questions; nothing audited).
    """
    query = (query or "").strip()
    mode = mode or settings.RETRIEVAL_MODE
    if not query:
        raise SearchQueryInvalid("query must not be empty")
    if len(query) > settings.QUERY_MAX_CHARS:
        raise SearchQueryInvalid(f"query is {len(query)} characters; the limit is {settings.QUERY_MAX_CHARS}")
    if not 1 <= top_k <= settings.RETRIEVAL_MAX_TOP_K:
        raise SearchQueryInvalid(f"top_k must be between 1 and {settings.RETRIEVAL_MAX_TOP_K}")
    if mode not in MODES:
        raise SearchQueryInvalid(f"mode must be one of {', '.join(MODES)}")
    with question_slot(purpose="search"):  # retrieval is a question's costly half: the same admission
        found = retrieval_run(question=query, top_k=top_k, collection_ids=collection_ids, mode=mode)
    relevant = {h.chunk_id for h in found.relevant}
    search_id = uuid.uuid4().hex
    actor = _search_actor(user, token)
    with transaction.atomic():
        audit_append(event_type=AuditEvent.EventType.QUERY_ASKED, actor=actor, target_type="search",
                     target_id=search_id, details={"endpoint": "search",
                                                   "question_sha256": hashlib.sha256(query.encode()).hexdigest(),
                                                   "question_chars": len(query), "top_k": top_k, "mode": mode,
                                                   "supported": found.support.supported})
        audit_append(event_type=AuditEvent.EventType.CHUNKS_RETRIEVED, actor=actor, target_type="search",
                     target_id=search_id, details={"chunk_ids": [h.chunk_id for h in found.hits],
                                                   "scores": [round(h.score, 4) for h in found.hits],
                                                   "cited_chunk_ids": sorted(relevant)})
    hits = [{**citation_dict(h), "rank": n, "title": h.title, "bm25": h.bm25, "fused": h.fused,
             "relevant": h.chunk_id in relevant} for n, h in enumerate(found.hits, 1)]
    return {"search_id": search_id, "mode": mode, "top_k": top_k, "hits": hits,
            "support": support_dict(found.support, found.hits), "timings_ms": {"retrieval": found.retrieval_ms}}
