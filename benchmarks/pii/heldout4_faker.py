"""The pinned ``Faker`` for ``heldout4``, installed beside the app, never into it.

Faker is a test-data generator; the detector must never use its name lists (issue 11), so
it is not an application dependency. :func:`faker_import` installs ``Faker==FAKER_VERSION``
with ``pip install --no-deps --target`` into ``<PERIMETER_CACHE>/bench-faker-<version>-cp<py>/``
(Faker 40.54.0 needs nothing else on Linux: its only requirement, ``tzdata``, is for Windows)
and appends that folder to ``sys.path`` for this process only, as
``benchmarks/ingest_backends_openvino.py`` does for OpenVINO.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

FAKER_VERSION = "40.54.0"
CACHE = Path(os.environ.get("PERIMETER_CACHE", Path.home() / ".cache" / "perimeter"))


class FakerUnavailable(RuntimeError):
    """Faker could not be installed or imported at the pinned version; the message says why."""


def faker_folder(*, cache_root: Path = CACHE) -> Path:
    """Where the pinned Faker lives (it may not be installed yet)."""
    py = f"cp{sys.version_info.major}{sys.version_info.minor}"
    return Path(cache_root) / f"bench-faker-{FAKER_VERSION}-{py}"


def faker_import(*, cache_root: Path = CACHE, install: bool = True):
    """Return the ``faker.Faker`` class at :data:`FAKER_VERSION`, installing it on first use.

    Concurrent callers wait on a lock file. Raises FakerUnavailable when ``install`` is False and
    it is not installed, when pip fails (e.g. no registry), or when another Faker version is
    already importable (it would shadow the pinned one and change the data).
    """
    target = faker_folder(cache_root=cache_root)
    if not (target / ".complete").exists():
        if not install:
            raise FakerUnavailable(f"Faker {FAKER_VERSION} is not installed in {target}")
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target.parent / ".bench-faker.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (target / ".complete").exists():
                _install_into(target)
    if str(target) not in sys.path:
        sys.path.append(str(target))  # appended: the app venv's own packages keep precedence
    try:
        import faker
    except ImportError as exc:
        raise FakerUnavailable(f"Faker installed in {target} but does not import ({exc}); remove it") from exc
    if faker.VERSION != FAKER_VERSION:
        raise FakerUnavailable(f"imported Faker {faker.VERSION} from {faker.__file__}, expected {FAKER_VERSION}")
    return faker.Faker


def _install_into(target: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    print(f"installing Faker=={FAKER_VERSION} into {target} (not the app venv)...", file=sys.stderr, flush=True)
    done = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "install", "--quiet",
                           "--no-deps", "--target", str(partial), f"Faker=={FAKER_VERSION}"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        tail = " | ".join(done.stderr.splitlines()[-6:])
        raise FakerUnavailable(f"pip install --target failed: {tail}")
    shutil.rmtree(target, ignore_errors=True)
    os.replace(partial, target)
    (target / ".complete").write_text(f"Faker=={FAKER_VERSION}\n")
