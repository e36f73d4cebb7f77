"""Reranking retrieved chunks with a cross-encoder, behind RETRIEVAL_RERANKER (off by default).

Why it is off: no reranker weights can be installed here. Models may only come
from PyPI packages (no hub downloads at run time). The one cross-encoder
package family on PyPI that looked likely, ``flashrank`` (0.2.10), is a 14 kB
wheel that downloads its ONNX models from the Hugging Face hub on first use;
no package that bundles ms-marco-MiniLM (or another cross-encoder) was found.
So the interface is here and the setting accepts only:

- ``""``: no reranking;
- a folder holding a sentence-transformers ``CrossEncoder`` (for example
  ms-marco-MiniLM-L-6-v2 copied in by an administrator), loaded offline.

The reranker reorders the top :data:`RERANK_DEPTH` candidates of the chosen
mode by its relevance score (query, chunk text) and keeps the top-k.
"""
from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from rag.qa.selectors import RetrievedChunk

RERANK_DEPTH = 20
_lock = threading.Lock()


class Reranker(Protocol):
    def scores(self, *, query: str, texts: list[str]) -> list[float]:
        """One relevance score per text, higher is more relevant."""


class CrossEncoderReranker:
    """A sentence-transformers ``CrossEncoder`` from a local folder, on CPU, offline."""

    def __init__(self, path: str) -> None:
        from sentence_transformers import CrossEncoder

        self.model = CrossEncoder(path, device="cpu", local_files_only=True)

    def scores(self, *, query: str, texts: list[str]) -> list[float]:
        return [float(s) for s in self.model.predict([(query, t) for t in texts])]


@functools.lru_cache(maxsize=2)
def _reranker_load(name: str) -> Reranker:
    with _lock:
        return CrossEncoderReranker(name)


def reranker_get() -> Reranker | None:
    """The configured reranker (loaded once per process), or None when RETRIEVAL_RERANKER is empty.

    Raises ImproperlyConfigured when the setting names anything but an existing folder.
    """
    name = settings.RETRIEVAL_RERANKER
    if not name:
        return None
    if not Path(name).is_dir():
        raise ImproperlyConfigured(
            f"RETRIEVAL_RERANKER={name!r} is not a folder with a cross-encoder; no reranker package is "
            "available here, so leave it empty or point it at a local sentence-transformers CrossEncoder"
        )
    return _reranker_load(name)


def chunks_rerank(*, query: str, hits: list[RetrievedChunk], reranker: Reranker, top_k: int
                  ) -> list[RetrievedChunk]:
    """``hits`` reordered by ``reranker`` (stable for equal scores), cut to ``top_k``.
    ``score`` stays the cosine similarity; the order is the reranker's."""
    if not hits:
        return []
    scores = reranker.scores(query=query, texts=[h.text for h in hits])
    order = sorted(range(len(hits)), key=lambda i: -scores[i])
    return [hits[i] for i in order[:top_k]]
