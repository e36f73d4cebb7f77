"""Keyword search (BM25) inside PostgreSQL and hybrid retrieval.

- :mod:`rag.search.analysis`: the analyzer (identifiers kept whole and split, stopwords, Snowball stems).
- :mod:`rag.search.models` + migrations: postings, per-collection N/avgdl/df kept by triggers.
- :mod:`rag.search.services`: :func:`~rag.search.services.chunks_index` (called by
  ``ingest.services.document_process`` in the chunk-swap transaction) and the backfill
  behind ``manage.py search_reindex``.
- :mod:`rag.search.selectors`: BM25 ranking (why postings and not ``sparsevec``: its
  docstring), dense/BM25/hybrid retrieval (:func:`~rag.search.selectors.chunks_search`) and
  the abstention rule.
- :mod:`rag.search.fusion`: reciprocal rank fusion. :mod:`rag.search.rerank`: the
  (unavailable) cross-encoder. :mod:`rag.search.evaluation`: the metrics of ``manage.py evaluate``.
"""
