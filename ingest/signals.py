"""Ingestion's extension point: other apps act on stored chunks without ingest importing them.

Ingest is a lower layer than retrieval: ``rag.search`` builds its keyword index
from chunks, so it depends on ingest, never the reverse (an import-linter
contract in ``pyproject.toml`` says so). Search connects its indexer to
:data:`chunks_stored` in its ``AppConfig.ready()``.
"""
from __future__ import annotations

from django.dispatch import Signal

chunks_stored = Signal()
"""Sent by :func:`ingest.services.document_process` *inside* the chunk-swap transaction,
right after a document's new chunks are saved (its old chunks are already deleted).

Keyword arguments:
    sender: :class:`ingest.models.Document` (the class).
    document: the document, locked (``SELECT ... FOR UPDATE``), ``collection_id`` current.
    chunks: ``list[Chunk]``, saved (primary keys set), in ordinal order.
    texts: ``list[str]``, ``texts[i]`` the exact string embedded for ``chunks[i]``
        (:func:`ingest.chunking.embedding_text_join` of its prefix and text).

Receivers run synchronously in that transaction, so their writes commit or roll
back with the chunks; an exception a receiver raises aborts the swap (the
document ends ``failed``, its previous chunks kept). Use ``send``, never
``send_robust``: a swallowed error would leave chunks that search cannot find.
"""
