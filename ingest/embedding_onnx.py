"""ONNX Runtime embedding backends (fp32 and int8), built once from the sentence-transformers folder.

sentence-transformers' own ``backend="onnx"`` needs ``optimum``, whose install downgrades
sentence-transformers and transformers (see the shared STACK notes), so the export is
done here with the pieces already installed:

1. ``torch.onnx.export`` (TorchScript exporter, opset 17) of the transformer body, with
   dynamic batch and sequence axes; pooling stays in numpy (mean over the attention mask,
   then L2 normalisation: what the model's ``1_Pooling`` and ``Normalize`` modules do).
2. int8: ``onnxruntime.quantization.quantize_dynamic`` (weights int8 per output channel,
   activations quantized at run time) of the MatMuls, except the six feed-forward output
   projections (``layer.N/output/dense``), which stay fp32. Per channel matters: on
   Django-docs chunks it gives cosine to fp32 of mean 0.995 / min 0.991, per tensor only
   0.950 / 0.914. Keeping the feed-forward outputs in fp32 (their inputs, after GELU, have
   the widest activation range, so one per-tensor activation scale loses the most there)
   halves the remaining error: 400 paragraphs, cosine mean 0.9974 / min 0.9929 (all MatMuls
   int8: 0.9943 / 0.9891), at 1.6x fp32's speed instead of 2.3x on one thread
   (int8 recipe 2; benchmarks/ingest_e2e.py measures retrieval with it).

Both files are cached under ``<EMBEDDING_CACHE_DIR>/<model>-<digest>/`` where the digest
covers the weights, the tokenizer, the recipe version and the torch/onnxruntime versions,
so a new model or library version builds a new folder and never reuses a stale one.
Building needs ``torch`` and ``onnx``; running needs only ``onnxruntime`` and ``tokenizers``.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import warnings
from pathlib import Path

import numpy as np
from django.core.exceptions import ImproperlyConfigured

RECIPE_VERSION = "2"  # bump when the export recipe changes: every ONNX vector changes with it
INT8_RECIPE_VERSION = "2"  # bump when the quantization recipe changes: int8 vectors change with it
_INPUTS = ["input_ids", "attention_mask", "token_type_ids"]


def onnx_model_digest(model_path: str) -> str:
    """16 hex digits of SHA-256 over the weights, tokenizer, config, recipe and library versions."""
    import onnxruntime
    import torch

    h = hashlib.sha256(f"recipe={RECIPE_VERSION} torch={torch.__version__} ort={onnxruntime.__version__}".encode())
    folder = Path(model_path)
    for name in ("config.json", "tokenizer.json", "sentence_bert_config.json", "model.safetensors",
                 "pytorch_model.bin"):
        f = folder / name
        if f.exists():
            h.update(name.encode())
            with f.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
    return h.hexdigest()[:16]


def onnx_model_build(*, model_path: str, cache_dir: Path, quantized: bool) -> Path:
    """The ``.onnx`` file for ``model_path`` (fp32, or int8 if ``quantized``), built on first use.

    Returns the file's path inside ``cache_dir/<folder name>-<digest>/``. Export takes about
    3 s and quantization about 2 s on 2 cores; later calls only hash the folder (~0.3 s).
    Concurrent builders (several worker processes) are safe: each writes into a temporary
    file and renames it into place atomically.

    Raises ImproperlyConfigured if the file must be built and ``onnx`` is not installed.
    """
    target = Path(cache_dir) / f"{Path(model_path).resolve().name}-{onnx_model_digest(model_path)}"
    fp32 = target / "model.onnx"
    int8 = target / f"model_int8_q{INT8_RECIPE_VERSION}.onnx"
    wanted = int8 if quantized else fp32
    if wanted.exists():
        return wanted
    try:
        import onnx  # noqa: F401  (torch's exporter and onnxruntime's quantizer both need it)
    except ImportError as exc:
        raise ImproperlyConfigured(f"building the ONNX embedding model needs the 'onnx' package "
                                   f"(or set EMBEDDING_BACKEND=torch): {exc}") from exc
    target.mkdir(parents=True, exist_ok=True)
    if not fp32.exists():
        _export(model_path=model_path, out=fp32)
    if quantized:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        logging.disable(logging.WARNING)  # the quantizer logs every tensor on the root logger
        try:
            with _temporary_sibling(int8) as tmp:
                quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8, per_channel=True,
                                 op_types_to_quantize=["MatMul"], nodes_to_exclude=_fp32_matmuls(fp32))
        finally:
            logging.disable(logging.NOTSET)
    (target / "recipe.json").write_text(json.dumps({"recipe": RECIPE_VERSION, "int8_recipe": INT8_RECIPE_VERSION, "source": str(model_path)}))
    return wanted


def _fp32_matmuls(model_file: Path) -> list[str]:
    """Names of the MatMul nodes kept in fp32 by the int8 recipe: the feed-forward output
    projections (``.../layer.N/output/dense/MatMul``, not ``.../attention/output/dense``)."""
    import onnx

    graph = onnx.load(str(model_file), load_external_data=False).graph
    return [n.name for n in graph.node
            if n.op_type == "MatMul" and "/output/dense/" in n.name and "/attention/" not in n.name]


def _export(*, model_path: str, out: Path) -> None:
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(model_path, attn_implementation="eager", local_files_only=True).eval()

    class Body(torch.nn.Module):  # positional inputs in a fixed order, one output
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    dummy = torch.ones(2, 16, dtype=torch.long)
    # the exporter warns about its own deprecation and traced shape checks; the tests compare outputs
    with _temporary_sibling(out) as tmp, torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(Body(model), (dummy, dummy, torch.zeros_like(dummy)), str(tmp), input_names=_INPUTS,
                          output_names=["last_hidden_state"], opset_version=17, dynamo=False,
                          dynamic_axes={n: {0: "batch", 1: "sequence"} for n in [*_INPUTS, "last_hidden_state"]})


class _temporary_sibling:
    """A temporary path next to ``final``, renamed onto it on success and removed on failure."""

    def __init__(self, final: Path):
        self.final = final

    def __enter__(self) -> Path:
        fd, name = tempfile.mkstemp(dir=self.final.parent, prefix=self.final.name + ".", suffix=".tmp")
        os.close(fd)
        self.tmp = Path(name)
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            os.replace(self.tmp, self.final)
        else:
            self.tmp.unlink(missing_ok=True)


class OnnxEncoder:
    """Sentence embeddings from an exported model with ONNX Runtime (CPU).

    Same contract as ``SentenceTransformer.encode(..., normalize_embeddings=True)``: inputs
    truncated at the model's ``max_seq_length`` (MiniLM: 256 word pieces), mean pooling over
    real tokens, L2-normalised ``(n, dims)`` float32 rows in input order.

    ``threads`` is ONNX Runtime's intra-op thread count (0: one per core). Batches are formed
    after sorting by token length, so a batch pads only to its own longest input.

    ``one_per_run`` (the int8 model): every text runs alone. Dynamic quantization scales
    activations per tensor, i.e. over the whole batch, padding included, so a batched text's
    vector depends on its companions (cosine 0.98-0.99 to itself alone), which would break the
    vector cache and make a query's vector differ from the same text's stored one. Alone, no
    padding is computed at all, and it is measured as fast as batches of 8 or 32 on 2 cores.
    """

    def __init__(self, *, onnx_file: Path, model_path: str, threads: int = 0, one_per_run: bool = False):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        config = Path(model_path) / "sentence_bert_config.json"
        max_len = json.loads(config.read_text()).get("max_seq_length", 256) if config.exists() else 256
        self.tokenizer = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_len)
        self.tokenizer.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        self.dims = int(self.session.get_outputs()[0].shape[-1])
        self.one_per_run = one_per_run

    def encode(self, texts: list[str], *, batch_size: int) -> np.ndarray:
        """``(len(texts), dims)`` float32, L2-normalised, in the order of ``texts``."""
        batch_size = 1 if self.one_per_run else batch_size
        encodings = self.tokenizer.encode_batch(texts)
        order = np.argsort([-len(e.ids) for e in encodings], kind="stable")
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            idx = order[start:start + batch_size]
            width = max(len(encodings[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                             "token_type_ids": np.zeros_like(ids)})[0]
            summed = (hidden * mask[:, :, None]).sum(axis=1)
            pooled = summed / np.clip(mask.sum(axis=1, keepdims=True), 1, None)
            out[idx] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return out
