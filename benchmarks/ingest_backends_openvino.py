"""OpenVINO fp32 and int8 embedding backends for ``benchmarks/ingest_backends.py --openvino`` (benchmark only).

OpenVINO is not an application dependency. :func:`openvino_install` installs the pinned
``openvino`` runtime and ``nncf`` with ``pip install --target`` into
``<PERIMETER_CACHE>/bench-openvino-<openvino>-nncf-<nncf>-cp<py>/`` (never into the app
virtualenv) and appends that folder to ``sys.path`` for this process only. It first asks
pip (``--dry-run --report``, resolved against the running environment) what the two need:
packages the app venv already has are used as they are (``--no-deps``); if a requirement
would need a *different* version of one of them (numpy, networkx, ...), it refuses rather
than shadow the app's copy.

Both models start from the fp32 ONNX file that :mod:`ingest.embedding_onnx` exports (the
same transformer body; pooling stays in numpy, as there), and run on OpenVINO's CPU plugin:

- ``openvino`` (fp32): ``openvino.convert_model`` of that file, saved as IR with fp32 weights
  (``compress_to_fp16=False``), compiled with ``INFERENCE_PRECISION_HINT=f32``. The hint
  matters: on a CPU with AVX512_BF16 (these EPYCs have it) OpenVINO would otherwise run bf16.
- ``openvino-int8``: post-training *static* quantization with ``nncf.quantize``
  (``model_type=TRANSFORMER``, NNCF's defaults otherwise: int8 weights per channel, int8
  activations with ranges calibrated once, SmoothQuant on MatMuls), the recipe behind
  sentence-transformers' ``export_static_quantized_openvino_model`` (which reaches NNCF
  through optimum-intel, 300 calibration samples by default). The calibration set is 300
  chunks of corpus files that are not dev-eval gold files, each run alone (no padding).
  Static ranges make a text's vector independent of its batch companions, unlike
  ONNX Runtime's dynamic quantization (see ``OnnxEncoder.one_per_run``), so it batches.

IR files are cached beside the ONNX files under ``EMBEDDING_CACHE_DIR``:
``<onnx folder>-openvino-<digest>/model.xml`` (digest: the ONNX folder's own digest, the
OpenVINO version and :data:`RECIPE_VERSION`) and ``model_int8-<digest>.xml`` in it (digest
adds the NNCF version and the calibration texts).
"""
from __future__ import annotations

import fcntl
import hashlib
import importlib.metadata
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

OPENVINO_VERSION = "2026.4.1"
NNCF_VERSION = "3.4.0"
RECIPE_VERSION = "1"  # bump when the conversion or quantization recipe changes
CALIBRATION_SIZE = 300
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class OpenVinoUnavailable(RuntimeError):
    """OpenVINO or NNCF could not be installed or imported; the message says why and what to do."""


def openvino_install(*, cache_root: Path) -> Path:
    """Make ``openvino`` and ``nncf`` importable, installing them into ``cache_root`` on first use.

    Returns the folder appended to ``sys.path``. The first call installs openvino, nncf and
    what the app venv lacks of their requirements (190 MB on disk for 2026.4.1 / 3.4.0);
    later calls only check versions and requirements. Concurrent callers wait on a lock file.

    Raises OpenVinoUnavailable if pip fails (e.g. no registry), a requirement conflicts with
    a package the app venv has at another version, or the import fails.
    """
    py = f"cp{sys.version_info.major}{sys.version_info.minor}"
    target = Path(cache_root) / f"bench-openvino-{OPENVINO_VERSION}-nncf-{NNCF_VERSION}-{py}"
    if not (target / ".complete").exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target.parent / ".bench-openvino.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (target / ".complete").exists():
                _install_into(target)
    if str(target) not in sys.path:
        sys.path.append(str(target))  # appended: the app venv's own packages keep precedence
    _requirements_check(target)
    try:
        _telemetry_decline()
        import nncf
        import openvino
    except ImportError as exc:
        raise OpenVinoUnavailable(f"openvino/nncf installed in {target} but do not import ({exc}); "
                                  f"remove that folder to reinstall") from exc
    if openvino.__version__.split("-")[0] != OPENVINO_VERSION or nncf.__version__ != NNCF_VERSION:
        raise OpenVinoUnavailable(f"imported openvino {openvino.__version__} / nncf {nncf.__version__}, "
                                  f"expected {OPENVINO_VERSION} / {NNCF_VERSION}: another copy is on sys.path")
    return target


def _requirements_check(target: Path) -> None:
    """Refuse if the app venv changed since the install so that it no longer meets openvino's or nncf's
    requirements (e.g. a numpy above nncf's cap): they would import, then fail in odd places."""
    from packaging.requirements import Requirement

    problems = []
    for dist in ("openvino", "nncf"):
        for line in importlib.metadata.distribution(dist).requires or []:
            req = Requirement(line)
            if req.marker and not req.marker.evaluate({"extra": ""}):
                continue
            try:
                present = importlib.metadata.version(req.name)
            except importlib.metadata.PackageNotFoundError:
                problems.append(f"{req.name} missing (needed by {dist})")
                continue
            if not req.specifier.contains(present, prereleases=True):
                problems.append(f"{req.name} {present} is not {req.specifier} (needed by {dist})")
    if problems:
        raise OpenVinoUnavailable(f"the app venv no longer fits the OpenVINO install in {target}: "
                                  f"{'; '.join(problems)}. Pin compatible versions in OPENVINO_VERSION / "
                                  f"NNCF_VERSION (benchmarks/ingest_backends_openvino.py) or remove {target}")


def _telemetry_decline() -> None:
    """Record "no" to OpenVINO's usage telemetry unless the user already chose (``~/intel/openvino_telemetry``).

    Without that file, nncf and openvino's converter send usage events by default; this writes
    the same "0" that OpenVINO's ``opt_in_out --opt_out`` writes, without sending anything.
    """
    from openvino_telemetry.utils.opt_in_checker import ConsentCheckResult, OptInChecker

    checker = OptInChecker()
    if not Path(checker.consent_file()).exists():
        checker.update_result(ConsentCheckResult.DECLINED)
        print(f"OpenVINO telemetry declined in {checker.consent_file()} (as opt_in_out --opt_out does)")
    elif checker.get_info_from_consent_file()[1] == "1":
        print(f"note: {checker.consent_file()} opts in to OpenVINO telemetry; run opt_in_out --opt_out to stop it")


def _install_into(target: Path) -> None:
    wanted = [f"openvino=={OPENVINO_VERSION}", f"nncf=={NNCF_VERSION}"]
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    hint = f"(the comparison runs without OpenVINO; to retry, fix the cause and run with --openvino again)"
    plan = subprocess.run([*pip, "install", "--dry-run", "--quiet", "--report", "-", *wanted],
                          capture_output=True, text=True)
    if plan.returncode != 0:
        raise OpenVinoUnavailable(f"pip could not resolve {' '.join(wanted)}: {_tail(plan.stderr)} {hint}")
    needed, conflicts = [], []
    for item in json.loads(plan.stdout)["install"]:
        name, version = item["metadata"]["name"], item["metadata"]["version"]
        try:
            present = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            needed.append(f"{name}=={version}")
            continue
        if present != version:
            conflicts.append(f"{name} {present} (app venv) vs {version}")
    if conflicts:
        raise OpenVinoUnavailable(f"{' and '.join(wanted)} need versions the app venv does not have: "
                                  f"{'; '.join(conflicts)}. Not installed, to keep the app's packages. {hint}")
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    print(f"installing {' '.join(needed)} into {target} (not the app venv)...", flush=True)
    done = subprocess.run([*pip, "install", "--quiet", "--no-deps", "--target", str(partial), *needed],
                          capture_output=True, text=True)
    if done.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        raise OpenVinoUnavailable(f"pip install --target failed: {_tail(done.stderr)} {hint}")
    shutil.rmtree(target, ignore_errors=True)
    os.replace(partial, target)
    (target / ".complete").write_text(json.dumps({"installed": needed}))


def _tail(text: str, lines: int = 8) -> str:
    kept = [line for line in text.splitlines() if "is ignored: it is neither" not in line]
    return " | ".join(kept[-lines:])


class _Tokenized:
    """The model's own tokenizer, truncated at ``max_seq_length`` as OnnxEncoder does."""

    def __init__(self, model_path: str):
        from tokenizers import Tokenizer

        config = Path(model_path) / "sentence_bert_config.json"
        max_len = json.loads(config.read_text()).get("max_seq_length", 256) if config.exists() else 256
        self.tokenizer = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_len)
        self.tokenizer.no_padding()

    def feed(self, texts: list[str], encodings: list | None = None) -> dict[str, np.ndarray]:
        """One padded batch: ``{input name: (len(texts), longest) int64}`` (``encodings``: already tokenized)."""
        encodings = encodings or self.tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, e in enumerate(encodings):
            ids[row, :len(e.ids)] = e.ids
            mask[row, :len(e.ids)] = 1
        return {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}


def openvino_model_build(*, onnx_file: Path, model_path: str, quantized: bool,
                         calibration_texts: list[str] | None = None) -> Path:
    """The IR ``.xml`` converted from ``onnx_file`` (fp32, or NNCF int8 if ``quantized``), built on first use.

    ``calibration_texts`` (needed if ``quantized``): the int8 model's calibration inputs, the
    first :data:`CALIBRATION_SIZE` of them used. Conversion takes a few seconds; quantization
    runs the model over the calibration set (about a minute on 2 cores). Needs
    :func:`openvino_install` first. Raises ValueError if ``quantized`` without texts.
    """
    import openvino as ov

    folder_key = hashlib.sha256(f"{onnx_file.parent.name} ov={ov.__version__} recipe={RECIPE_VERSION}".encode())
    folder = onnx_file.parent.with_name(f"{onnx_file.parent.name}-openvino-{folder_key.hexdigest()[:16]}")
    folder.mkdir(parents=True, exist_ok=True)
    fp32 = folder / "model.xml"
    if not fp32.exists():
        _save_atomically(ov.convert_model(str(onnx_file)), fp32)
    if not quantized:
        return fp32
    if not calibration_texts:
        raise ValueError("the int8 model needs calibration texts")
    import nncf

    texts = calibration_texts[:CALIBRATION_SIZE]
    digest = hashlib.sha256(f"nncf={nncf.__version__} n={len(texts)}\n".encode() + "\n\0".join(texts).encode())
    int8 = folder / f"model_int8-{digest.hexdigest()[:12]}.xml"
    if int8.exists():
        return int8
    tokenized = _Tokenized(model_path)
    nncf.set_log_level(logging.ERROR)  # a progress bar and a line per algorithm otherwise
    quantized_model = nncf.quantize(ov.Core().read_model(str(fp32)),
                                    nncf.Dataset([tokenized.feed([t]) for t in texts]),
                                    model_type=nncf.ModelType.TRANSFORMER, subset_size=len(texts))
    _save_atomically(quantized_model, int8)
    (folder / f"{int8.stem}.json").write_text(json.dumps({"recipe": RECIPE_VERSION, "calibration_texts": len(texts),
                                                          "nncf": nncf.__version__, "onnx": str(onnx_file)}))
    return int8


def _save_atomically(model, xml: Path) -> None:
    """``openvino.save_model`` (fp32 weights kept) into a temporary folder, then renamed into place."""
    import openvino as ov

    with tempfile.TemporaryDirectory(dir=xml.parent) as tmp:
        ov.save_model(model, str(Path(tmp) / xml.name), compress_to_fp16=False)
        os.replace(Path(tmp) / xml.with_suffix(".bin").name, xml.with_suffix(".bin"))
        os.replace(Path(tmp) / xml.name, xml)  # last: the .xml existing means the pair is complete


class OpenVinoEncoder:
    """Sentence embeddings from an IR model on OpenVINO's CPU plugin; ``OnnxEncoder``'s contract.

    ``encode`` returns ``(len(texts), 384)`` float32 rows, L2-normalised, in input order: texts
    tokenized and truncated like OnnxEncoder, sorted by length, batched (each batch padded to
    its own longest text), mean-pooled over real tokens in numpy. ``threads``: OpenVINO's
    ``INFERENCE_NUM_THREADS`` (0: its default, one per core); one synchronous request at a
    time with the LATENCY hint, as ONNX Runtime runs one session call at a time.
    """

    def __init__(self, *, xml: Path, model_path: str, threads: int = 0):
        import openvino as ov

        self.tokenized = _Tokenized(model_path)
        config = {"INFERENCE_PRECISION_HINT": "f32", "PERFORMANCE_HINT": "LATENCY"}
        if threads:
            config["INFERENCE_NUM_THREADS"] = threads
        self.compiled = ov.Core().compile_model(str(xml), "CPU", config)
        self.request = self.compiled.create_infer_request()
        self.output = self.compiled.output(0)
        self.dims = self.output.get_partial_shape()[2].get_length()

    def encode(self, texts: list[str], *, batch_size: int) -> np.ndarray:
        """``(len(texts), dims)`` float32, L2-normalised, in the order of ``texts``."""
        encodings = self.tokenized.tokenizer.encode_batch(texts)
        order = np.argsort([-len(e.ids) for e in encodings], kind="stable")
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            idx = order[start:start + batch_size]
            feed = self.tokenized.feed([texts[i] for i in idx], [encodings[i] for i in idx])
            hidden = self.request.infer(feed)[self.output]
            mask = feed["attention_mask"]
            pooled = (hidden * mask[:, :, None]).sum(axis=1) / np.clip(mask.sum(axis=1, keepdims=True), 1, None)
            out[idx] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return out
