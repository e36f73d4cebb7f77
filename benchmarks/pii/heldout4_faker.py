"""The pinned ``Faker`` for ``heldout4``, installed beside the app, never into it.

Faker is a test-data generator; the detector must never use its name lists (issue 11), so
it is not an application dependency. :func:`faker_import` installs ``Faker==FAKER_VERSION``
with ``pip install --no-deps --target`` into ``<PERIMETER_CACHE>/bench-faker-<version>-cp<py>/``
(Faker 40.54.0 needs nothing else on Linux: its only requirement, ``tzdata``, is for Windows)
and appends that folder to ``sys.path`` for this process only (:mod:`benchmarks.pii.pinned`).
"""
from __future__ import annotations

from pathlib import Path

from benchmarks.pii.pinned import CACHE, pinned_folder, pinned_install

FAKER_VERSION = "40.54.0"


class FakerUnavailable(RuntimeError):
    """Faker could not be installed or imported at the pinned version; the message says why."""


def faker_folder(*, cache_root: Path = CACHE) -> Path:
    """Where the pinned Faker lives (it may not be installed yet)."""
    return pinned_folder(name="Faker", version=FAKER_VERSION, cache_root=cache_root)


def faker_import(*, cache_root: Path = CACHE, install: bool = True):
    """Return the ``faker.Faker`` class at :data:`FAKER_VERSION`, installing it on first use.

    Concurrent callers wait on a lock file. Raises FakerUnavailable when ``install`` is False and
    it is not installed, when pip fails (e.g. no registry), or when another Faker version is
    already importable (it would shadow the pinned one and change the data).
    """
    target = pinned_install(name="Faker", version=FAKER_VERSION, error=FakerUnavailable, cache_root=cache_root,
                            install=install)
    try:
        import faker
    except ImportError as exc:
        raise FakerUnavailable(f"Faker installed in {target} but does not import ({exc}); remove it") from exc
    if faker.VERSION != FAKER_VERSION:
        raise FakerUnavailable(f"imported Faker {faker.VERSION} from {faker.__file__}, expected {FAKER_VERSION}")
    return faker.Faker

