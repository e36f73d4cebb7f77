"""A pinned test-data library installed beside the app, never into it (Faker for ``heldout4``, mimesis for
``heldout5``).

Test-data generators must never feed the detector (issue 11), so they are no application dependency.
:func:`pinned_install` runs ``pip install --no-deps --target`` into
``<PERIMETER_CACHE>/bench-<name>-<version>-cp<py>/`` once (concurrent callers wait on a lock file; a
half-done install is never used: it is made in ``<folder>.partial`` and renamed) and appends that folder
to ``sys.path`` for this process only, so the app venv's own packages keep precedence.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

CACHE = Path(os.environ.get("PERIMETER_CACHE", Path.home() / ".cache" / "perimeter"))


def pinned_folder(*, name: str, version: str, cache_root: Path = CACHE) -> Path:
    """Where ``name==version`` lives for this Python (it may not be installed yet)."""
    py = f"cp{sys.version_info.major}{sys.version_info.minor}"
    return Path(cache_root) / f"bench-{name.lower()}-{version}-{py}"


def pinned_install(*, name: str, version: str, error: type[Exception], cache_root: Path = CACHE,
                   install: bool = True) -> Path:
    """Make ``name==version`` importable from its own folder (see the module docstring) and return the folder.

    Raises ``error`` (the caller's exception class) when ``install`` is False and it is not installed, or when
    pip fails (e.g. no registry); the message says why.
    """
    target = pinned_folder(name=name, version=version, cache_root=cache_root)
    if not (target / ".complete").exists():
        if not install:
            raise error(f"{name} {version} is not installed in {target}")
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target.parent / f".bench-{name.lower()}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (target / ".complete").exists():
                _install_into(target, requirement=f"{name}=={version}", error=error)
    if str(target) not in sys.path:
        sys.path.append(str(target))  # appended: the app venv's own packages keep precedence
    return target


def _install_into(target: Path, *, requirement: str, error: type[Exception]) -> None:
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    print(f"installing {requirement} into {target} (not the app venv)...", file=sys.stderr, flush=True)
    done = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "install", "--quiet",
                           "--no-deps", "--target", str(partial), requirement],
                          capture_output=True, text=True)
    if done.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        tail = " | ".join(done.stderr.splitlines()[-6:])
        raise error(f"pip install --target failed: {tail}")
    shutil.rmtree(target, ignore_errors=True)
    os.replace(partial, target)
    (target / ".complete").write_text(f"{requirement}\n")
