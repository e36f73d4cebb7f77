"""Embedding for ingestion without wasted work: one space per collection, a vector cache, batches
across documents, and dispatch of queued documents in batches.

- **Space.** Every chunk records the :func:`ingest.embedding.embedding_space` that embedded it,
  and a collection holds one space: ingesting into a collection embedded with another space
  fails the document with :class:`EmbeddingSpaceMismatch` (``manage.py reembed`` moves it).
- **Vector cache.** A chunk text already embedded in the same space (same SHA-256 of the exact
  embedded string, any document) reuses that vector: re-ingesting a changed document embeds
  only its changed chunks. The cache is the chunk table itself (index ``chunk_vector_cache``),
  so it is never stale and needs no eviction.
- **Batching.** :func:`texts_vectors` embeds the texts of many documents in one call, sorted by
  length (:func:`ingest.embedding.texts_embed`), so batches are full and padding is small.
- **Dispatch.** Inside :func:`ingest_batched`, documents queued by
  :func:`ingest.services.document_register` go to the workers ``INGEST_BATCH_DOCUMENTS`` at a
  time (one ``ingest.documents_ingest`` task each) instead of one task per document.
- **Stage timings.** Every document that becomes ready records the milliseconds of its parse,
  chunk, embed and store stages (:meth:`Prepared.stage_ms`), which the ingestion health page sums.
"""
from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ingest.models import Chunk, Collection, Document
from rag.core.errors import DomainError

_LOOKUP_BATCH = 1000  # digests per cache query
_local = threading.local()


class EmbeddingSpaceMismatch(DomainError):
    """The collection's chunks were embedded in another space (model or backend) than this
    worker's: 409 ``embedding_space_mismatch``. The message says how to resolve it."""

    code = "embedding_space_mismatch"
    http_status = 409


def text_digest(text: str) -> str:
    """SHA-256 (hex) of the exact embedded string: the vector cache key, with the space."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def collection_space_claim(*, collection_id: int, space: str) -> None:
    """Fix the collection's embedding space to ``space`` if it has none yet; otherwise check it.

    A single conditional UPDATE outside any long transaction, so parallel workers never wait on
    the collection row. Raises EmbeddingSpaceMismatch if the collection holds another space.
    """
    Collection.objects.filter(pk=collection_id, embedding_space="").update(embedding_space=space)
    slug, held = Collection.objects.filter(pk=collection_id).values_list("slug", "embedding_space").first()
    if held != space:
        raise EmbeddingSpaceMismatch(
            f"collection {slug!r} is embedded with {held}, this worker embeds with {space}; vectors of two "
            f"spaces are not comparable. Run `manage.py reembed --collection {slug}` to move the collection "
            f"to {space}, or set EMBEDDING_BACKEND to match {held}")


def texts_vectors(texts: list[str], *, space: str) -> tuple[np.ndarray, list[str], int]:
    """Vectors of ``texts`` in ``space``: cached where the same text was embedded in that space,
    the rest (each distinct text once) embedded in one sorted, batched call.

    Returns ``(vectors (n, 384) float32, digests (n,) hex SHA-256, cache_hits)``; ``space`` must be
    the space of the configured backend (:func:`ingest.embedding.embedding_space`).
    """
    from ingest.embedding import texts_embed

    digests = [text_digest(t) for t in texts]
    known = _cache_lookup(set(digests), space=space)
    missing = list(dict.fromkeys(d for d in digests if d not in known))
    if missing:
        first_text = {d: t for d, t in zip(reversed(digests), reversed(texts))}
        fresh = texts_embed([first_text[d] for d in missing])
        known.update(zip(missing, fresh))
    vectors = np.stack([known[d] for d in digests]) if texts else np.zeros((0, settings.EMBEDDING_DIMENSIONS),
                                                                          dtype=np.float32)
    fresh_set = set(missing)
    hits = sum(1 for d in digests if d not in fresh_set)
    return vectors.astype(np.float32, copy=False), digests, hits


def _cache_lookup(digests: set[str], *, space: str) -> dict[str, np.ndarray]:
    found: dict[str, np.ndarray] = {}
    ordered = sorted(digests)
    for start in range(0, len(ordered), _LOOKUP_BATCH):
        rows = (Chunk.objects.filter(text_sha256__in=ordered[start:start + _LOOKUP_BATCH], embedding_space=space)
                .values_list("text_sha256", "embedding"))
        for digest, vector in rows:
            found.setdefault(digest, np.asarray(vector, dtype=np.float32))
    return found


@contextlib.contextmanager
def ingest_batched(*, size: int | None = None) -> Iterator[None]:
    """Within this block, documents queued by this thread (after their transaction commits) are sent
    to the workers in batches of ``size`` (default ``INGEST_BATCH_DOCUMENTS``), as soon as a batch
    is full and the rest on exit, so workers start while registration goes on."""
    pending: list[int] = []
    _local.pending, _local.size = pending, size or settings.INGEST_BATCH_DOCUMENTS
    try:
        yield
    finally:
        _local.pending = None
        _send(pending)


def document_enqueue(document_id: int) -> None:
    """Queue one document for ingestion when the current transaction commits (in a batch inside
    :func:`ingest_batched`, else alone)."""
    pending = getattr(_local, "pending", None)
    if pending is None:
        from ingest.tasks import document_ingest_task

        transaction.on_commit(lambda: document_ingest_task.delay(document_id))
        return

    size = _local.size

    def collect() -> None:
        pending.append(document_id)
        if len(pending) >= size:
            _send(pending)

    transaction.on_commit(collect)


def _send(pending: list[int]) -> None:
    from ingest.tasks import document_ingest_task, documents_ingest_task

    ids = list(pending)
    pending.clear()
    if len(ids) == 1:
        document_ingest_task.delay(ids[0])
    elif ids:
        documents_ingest_task.delay(ids)


@dataclass
class Prepared:
    """One document parsed, chunked and embedded, ready for the chunk swap
    (:func:`ingest.services.documents_process`). ``vectors[i]`` embeds ``texts[i]``, the exact
    string of ``drafts[i]`` (prefix and text); ``digests[i]`` is its SHA-256."""

    document: Document
    sha256: str
    drafts: list
    prefixes: list[str]
    texts: list[str]
    space: str = ""
    vectors: np.ndarray | None = None
    digests: list[str] = field(default_factory=list)
    parse_ms: float = 0.0
    chunk_ms: float = 0.0
    embed_ms: float = 0.0

    def stage_ms(self, *, store_started: float) -> dict[str, float]:
        """The document's stage timings in milliseconds, as stored on it (``Document.parse_ms`` ...):

        - ``parse_ms``: its own parse (status write, stored bytes read, parser), measured alone;
        - ``chunk_ms``: its own chunking, status write and embedded strings, measured alone;
        - ``embed_ms``: its share of the batch's embedding pass (vector cache lookup and model),
          which embeds every document's chunks together: the pass's time apportioned by chunk
          counts, so a document of 30 chunks in a pass of 300 gets a tenth of it;
        - ``store_ms``: its own chunk swap from ``store_started`` (a :func:`time.perf_counter`
          reading taken as the swap began) until now: old chunks deleted, chunks written and
          BM25-indexed; the audit row and the commit that follow are not counted.

        The first document a worker process handles also pays for loading its parser and the
        tokenizer (seconds, in parse and chunk); the next ones do not.
        """
        return {"parse_ms": self.parse_ms, "chunk_ms": self.chunk_ms, "embed_ms": self.embed_ms,
                "store_ms": (time.perf_counter() - store_started) * 1000}


@dataclass
class PreparedBatch:
    """What :func:`documents_prepare` returns: the documents ready to store, and where the time went
    (milliseconds of parsing and chunking, of embedding; chunk texts served by the vector cache)."""

    documents: list[Prepared]
    parse_ms: float = 0.0
    embed_ms: float = 0.0
    chunks: int = 0
    cache_hits: int = 0


def documents_prepare(*, document_ids: list[int]) -> PreparedBatch:
    """Parse and chunk each document, then embed all their chunks together (in its collection's
    space, cached vectors reused). Status goes ``parsing`` → ``embedding`` per document.

    Documents gone or already ready are skipped (in id order); one that fails (parser error, space mismatch,
    unexpected error) is failed with its reason (:func:`ingest.services.document_fail`) and left
    out. Transient database errors propagate, for the task to retry. Returns the rest, in order.
    """
    from ingest.embedding import embedding_space
    from ingest.services import document_failure_record

    started = time.perf_counter()
    prepared = []
    for doc in Document.objects.filter(pk__in=document_ids).select_related("collection").order_by("pk"):
        if doc.status == Document.Status.READY:
            # Already processed at these bytes: a redelivered task or a second dispatch must
            # not take a serving document offline and swap its chunks (their ids are cited).
            # New bytes, requeue and re-embedding set the status back to queued first.
            continue
        try:
            prepared.append(_document_parse(doc))
        except Exception as exc:
            document_failure_record(document_id=doc.pk, sha256=doc.sha256, exc=exc)
    space = embedding_space()
    claimed: dict[int, Exception | None] = {}
    ready = []
    for item in prepared:
        cid = item.document.collection_id
        if cid not in claimed:
            try:
                collection_space_claim(collection_id=cid, space=space)
                claimed[cid] = None
            except EmbeddingSpaceMismatch as exc:
                claimed[cid] = exc
        if claimed[cid] is not None:
            document_failure_record(document_id=item.document.pk, sha256=item.sha256, exc=claimed[cid])
        else:
            item.space = space
            ready.append(item)
    texts = [t for item in ready for t in item.texts]
    parsed_at = time.perf_counter()
    batch = PreparedBatch(documents=ready, parse_ms=(parsed_at - started) * 1000, chunks=len(texts))
    try:
        vectors, digests, batch.cache_hits = texts_vectors(texts, space=space)
    except Exception as exc:
        for item in ready:
            document_failure_record(document_id=item.document.pk, sha256=item.sha256, exc=exc)
        batch.documents = []
        return batch
    batch.embed_ms = (time.perf_counter() - parsed_at) * 1000
    start = 0
    for item in ready:
        end = start + len(item.texts)
        item.vectors, item.digests = vectors[start:end], digests[start:end]
        item.embed_ms = batch.embed_ms * len(item.texts) / len(texts)  # texts holds every item's, none empty
        start = end
    return batch


def _document_parse(doc: Document) -> Prepared:
    from ingest.blobs import blob_get
    from ingest.chunking import document_chunk, embedding_prefix, embedding_text_join
    from ingest.embedding import tokenizer_counter
    from ingest.parsers import ParseError, document_parse
    from ingest.services import _status_set

    sha, document_id = doc.sha256, doc.pk
    started = time.perf_counter()
    _status_set(document_id, sha, status=Document.Status.PARSING, started_at=timezone.now(), error="", notes=[],
                parse_ms=None, chunk_ms=None, embed_ms=None, store_ms=None)
    try:
        data = blob_get(sha)
    except FileNotFoundError:
        raise ParseError("stored copy of the file is missing; upload it again")
    parsed = document_parse(data=data, filename=doc.source)
    parsed_at = time.perf_counter()
    drafts = document_chunk(parsed=parsed, max_tokens=settings.CHUNK_MAX_TOKENS,
                            overlap_tokens=settings.CHUNK_OVERLAP_TOKENS, token_counter=tokenizer_counter())
    if not drafts:
        raise ParseError("no text to index")
    _status_set(document_id, sha, status=Document.Status.EMBEDDING, media_type=parsed.media_type,
                        title=(parsed.title or doc.title)[:500], notes=list(parsed.notes))
    title = parsed.title or doc.title
    prefixes = [embedding_prefix(title=title, heading_path=d.heading_path) for d in drafts]
    texts = [embedding_text_join(prefix=p, text=d.text) for p, d in zip(prefixes, drafts)]
    return Prepared(document=doc, sha256=sha, drafts=drafts, prefixes=prefixes, texts=texts,
                    parse_ms=(parsed_at - started) * 1000, chunk_ms=(time.perf_counter() - parsed_at) * 1000)


@dataclass(frozen=True)
class Reembedding:
    """What :func:`collection_reembed` moved: the space the collection left ("" if none), chunks
    re-embedded, and how many of them the vector cache served."""

    previous_space: str
    chunks: int
    cache_hits: int


def collection_reembed(*, slug: str, batch: int = 2000) -> Reembedding:
    """Re-embed every chunk of collection ``slug`` in the configured space and make it the
    collection's space, in one transaction (readers see all old or all new vectors; ingestion
    into the collection waits on its row lock meanwhile). Texts, ids, citations and the
    keyword index are unchanged: the embedded string is rebuilt from each chunk's stored
    ``embedding_prefix`` and ``text`` (:func:`ingest.chunking.embedding_text_join`).

    ``batch`` chunks are embedded per pass (sorted by length, the vector cache used).
    Returns what moved. Raises Collection.DoesNotExist for an unknown slug.
    """
    from ingest.chunking import embedding_text_join
    from ingest.embedding import embedding_space

    space = embedding_space()
    with transaction.atomic():
        collection = Collection.objects.select_for_update().get(slug=slug)
        previous = collection.embedding_space
        ids = list(Chunk.objects.filter(document__collection=collection).exclude(embedding_space=space)
                   .order_by("pk").values_list("pk", flat=True))
        total = hits = 0
        for start in range(0, len(ids), batch):
            chunks = list(Chunk.objects.filter(pk__in=ids[start:start + batch]).only("pk", "text", "embedding_prefix"))
            texts = [embedding_text_join(prefix=c.embedding_prefix, text=c.text) for c in chunks]
            vectors, digests, cached = texts_vectors(texts, space=space)
            for chunk, vector, digest in zip(chunks, vectors, digests):
                chunk.embedding, chunk.embedding_space, chunk.text_sha256 = vector, space, digest
            Chunk.objects.bulk_update(chunks, ["embedding", "embedding_space", "text_sha256"], batch_size=500)
            total, hits = total + len(chunks), hits + cached
        collection.embedding_space = space if Chunk.objects.filter(document__collection=collection).exists() else ""
        collection.save(update_fields=["embedding_space"])
    return Reembedding(previous_space=previous, chunks=total, cache_hits=hits)
