"""The pinned ``mimesis`` for ``heldout5``, installed beside the app, never into it.

mimesis is a test-data generator; like Faker (``heldout4``) it must never feed the detector
(issue 11), so it is not an application dependency. :func:`mimesis_import` installs
``mimesis==MIMESIS_VERSION`` with ``pip install --no-deps --target`` into
``<PERIMETER_CACHE>/bench-mimesis-<version>-cp<py>/`` and appends that folder to ``sys.path``
for this process only (the pattern of :mod:`benchmarks.pii.heldout4_faker`). mimesis 22.2.0
has no runtime requirement (its METADATA lists only ``factory-boy`` under the ``factory``
extra, not used here) and needs Python >= 3.10.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

MIMESIS_VERSION = "22.2.0"
CACHE = Path(os.environ.get("PERIMETER_CACHE", Path.home() / ".cache" / "perimeter"))


class MimesisUnavailable(RuntimeError):
    """mimesis could not be installed or imported at the pinned version; the message says why."""


def mimesis_folder(*, cache_root: Path = CACHE) -> Path:
    """Where the pinned mimesis lives (it may not be installed yet)."""
    py = f"cp{sys.version_info.major}{sys.version_info.minor}"
    return Path(cache_root) / f"bench-mimesis-{MIMESIS_VERSION}-{py}"


def mimesis_import(*, cache_root: Path = CACHE, install: bool = True):
    """Return the ``mimesis`` module at :data:`MIMESIS_VERSION`, installing it on first use.

    Concurrent callers wait on a lock file. Raises MimesisUnavailable when ``install`` is False
    and it is not installed, when pip fails (e.g. no registry), or when another mimesis version
    is already importable (it would shadow the pinned one and change the data).
    """
    target = mimesis_folder(cache_root=cache_root)
    if not (target / ".complete").exists():
        if not install:
            raise MimesisUnavailable(f"mimesis {MIMESIS_VERSION} is not installed in {target}")
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target.parent / ".bench-mimesis.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (target / ".complete").exists():
                _install_into(target)
    if str(target) not in sys.path:
        sys.path.append(str(target))  # appended: the app venv's own packages keep precedence
    try:
        import mimesis
    except ImportError as exc:
        raise MimesisUnavailable(f"mimesis installed in {target} but does not import ({exc}); remove it") from exc
    if mimesis.__version__ != MIMESIS_VERSION:
        raise MimesisUnavailable(f"imported mimesis {mimesis.__version__} from {mimesis.__file__}, "
                                 f"expected {MIMESIS_VERSION}")
    return mimesis


def _install_into(target: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    print(f"installing mimesis=={MIMESIS_VERSION} into {target} (not the app venv)...", file=sys.stderr, flush=True)
    done = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "install", "--quiet",
                           "--no-deps", "--target", str(partial), f"mimesis=={MIMESIS_VERSION}"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        tail = " | ".join(done.stderr.splitlines()[-6:])
        raise MimesisUnavailable(f"pip install --target failed: {tail}")
    shutil.rmtree(target, ignore_errors=True)
    os.replace(partial, target)
    (target / ".complete").write_text(f"mimesis=={MIMESIS_VERSION}\n")
