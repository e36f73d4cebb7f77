"""The pinned ``mimesis`` for ``heldout5``, installed beside the app, never into it.

mimesis is a test-data generator; like Faker (``heldout4``) it must never feed the detector
(issue 11), so it is not an application dependency. :func:`mimesis_import` installs
``mimesis==MIMESIS_VERSION`` with ``pip install --no-deps --target`` into
``<PERIMETER_CACHE>/bench-mimesis-<version>-cp<py>/`` and appends that folder to ``sys.path``
for this process only (:mod:`benchmarks.pii.pinned`, as for Faker in :mod:`benchmarks.pii.heldout4_faker`). mimesis 22.2.0
has no runtime requirement (its METADATA lists only ``factory-boy`` under the ``factory``
extra, not used here) and needs Python >= 3.10.
"""
from __future__ import annotations

from pathlib import Path

from benchmarks.pii.pinned import CACHE, pinned_folder, pinned_install

MIMESIS_VERSION = "22.2.0"


class MimesisUnavailable(RuntimeError):
    """mimesis could not be installed or imported at the pinned version; the message says why."""


def mimesis_folder(*, cache_root: Path = CACHE) -> Path:
    """Where the pinned mimesis lives (it may not be installed yet)."""
    return pinned_folder(name="mimesis", version=MIMESIS_VERSION, cache_root=cache_root)


def mimesis_import(*, cache_root: Path = CACHE, install: bool = True):
    """Return the ``mimesis`` module at :data:`MIMESIS_VERSION`, installing it on first use.

    Concurrent callers wait on a lock file. Raises MimesisUnavailable when ``install`` is False
    and it is not installed, when pip fails (e.g. no registry), or when another mimesis version
    is already importable (it would shadow the pinned one and change the data).
    """
    target = pinned_install(name="mimesis", version=MIMESIS_VERSION, error=MimesisUnavailable, cache_root=cache_root,
                            install=install)
    try:
        import mimesis
    except ImportError as exc:
        raise MimesisUnavailable(f"mimesis installed in {target} but does not import ({exc}); remove it") from exc
    if mimesis.__version__ != MIMESIS_VERSION:
        raise MimesisUnavailable(f"imported mimesis {mimesis.__version__} from {mimesis.__file__}, "
                                 f"expected {MIMESIS_VERSION}")
    return mimesis

