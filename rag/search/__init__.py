"""Retrieval: everything between a question and the chunks an answer may cite.

- :mod:`rag.search.selectors`: the public read entry point, :func:`~rag.search.selectors.chunks_retrieve`
  (embed, search, abstain) and :func:`~rag.search.selectors.chunks_search` (one mode).
- :mod:`rag.search.hits`: :class:`~rag.search.hits.RetrievedChunk` and the one mapping from chunk rows to hits.
- :mod:`rag.search.dense` and :mod:`rag.search.plan`: pgvector HNSW search and the
  permission-filtered query plan (exact scan or iterative index scan).
- :mod:`rag.search.bm25`: BM25 ranking in SQL (why postings and not ``sparsevec``: its docstring).
- :mod:`rag.search.hybrid` and :mod:`rag.search.fusion`: reciprocal rank fusion of the two.
- :mod:`rag.search.abstention`: when retrieval found nothing worth answering from, and the
  answer-citation rule applied after the model answers.
- :mod:`rag.search.analysis`: the analyzer (identifiers kept whole and split, stopwords, Snowball stems).
- :mod:`rag.search.models` + migrations: postings, per-collection N/avgdl/df kept by triggers.
- :mod:`rag.search.services`: :func:`~rag.search.services.chunks_index`, connected in
  :meth:`~rag.search.apps.SearchConfig.ready` to ingest's ``chunks_stored`` signal (sent in the
  chunk-swap transaction), and the backfill behind ``manage.py search_reindex``; and
  :func:`~rag.search.services.search_run`, the audited retrieval-only search behind
  ``POST /api/v1/search`` (:mod:`rag.search.api`, whose citation and support serializers the
  query and chat-completions APIs share).

Dependencies point down: search reads ``ingest`` (models, the embedder) and never
imports ``rag.qa``; ingest never imports search (checked by import-linter, ``pyproject.toml``).
"""
