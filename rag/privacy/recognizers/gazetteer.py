"""A compact gazetteer of given names and family names from ``names-dataset`` (public records, 105 countries).

``names-dataset`` ships two pickles that take ~4 s and ~0.9 GB of memory each
to load. :func:`name_gazetteer` keeps only names ranked within the top
:data:`RANK_CUTOFF` of at least one country, casefolded, and caches them as a
gzipped text file under ``$PERIMETER_CACHE`` (default ``~/.cache/perimeter``)
keyed by the package version and the cutoff; later loads read that file
(~0.5 s, ~60 MB). Given names within the top :data:`POPULAR_RANK` are
also kept apart (:func:`popular_given_names`). The dataset is noisy (``The``, ``Monday`` and ``New`` are
listed as names), so callers use it as one piece of evidence next to
capitalisation, part of speech and context, never alone.
"""
from __future__ import annotations

import gzip
import os
import threading
from importlib import metadata
from pathlib import Path

RANK_CUTOFF = 5000
# Given names this popular somewhere ("Samuel" 8, "Iris" 83, "Grant" 317) are names first, even where WordNet
# also lists them ("samuel", "iris"); "Batch" (3437) or "Complete" (4943) are not.
POPULAR_RANK = 1000
_lock = threading.Lock()
_cache: tuple[frozenset[str], frozenset[str]] | None = None
_popular: frozenset[str] | None = None


def _cache_path() -> Path:
    root = Path(os.environ.get("PERIMETER_CACHE") or Path.home() / ".cache" / "perimeter")
    version = metadata.version("names-dataset")
    return root / f"names-dataset-{version}-top{RANK_CUTOFF}-popular{POPULAR_RANK}.txt.gz"


def _build(path: Path) -> None:
    """Derive the compact file from the package's pickles (one at a time, to bound memory)."""
    import pickle

    import names_dataset

    data_dir = Path(names_dataset.__file__).parent / "v3"
    lines = []
    for flag, name in (("F", "first_names"), ("L", "last_names")):
        with gzip.open(data_dir / f"{name}.pkl.gz", "rb") as f:
            table = pickle.load(f)  # noqa: S301 (the package's own data file)
        lines += [f"{flag}\t{k.casefold()}" for k, v in table.items()
                  if v.get("rank") and min(v["rank"].values()) <= RANK_CUTOFF]
        if flag == "F":
            lines += [f"P\t{k.casefold()}" for k, v in table.items()
                      if v.get("rank") and min(v["rank"].values()) <= POPULAR_RANK]
        del table
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as f:
        f.write("\n".join(sorted(set(lines))))
    tmp.replace(path)  # atomic: concurrent builders write the same content


def name_gazetteer() -> tuple[frozenset[str], frozenset[str]]:
    """``(given_names, family_names)``, casefolded; built on first use, then cached, thread-safe.

    Raises ``ImportError`` when ``names-dataset`` is missing and ``OSError``
    when the cache cannot be written or read (the redaction path turns both
    into a block).
    """
    global _cache
    if _cache is None:
        with _lock:
            if _cache is None:
                path = _cache_path()
                if not path.exists():
                    _build(path)
                tables: dict[str, set[str]] = {"F": set(), "L": set(), "P": set()}
                with gzip.open(path, "rt", encoding="utf-8") as f:
                    for line in f:
                        flag, _, name = line.rstrip("\n").partition("\t")
                        tables[flag].add(name)
                global _popular
                _popular = frozenset(tables["P"])
                _cache = (frozenset(tables["F"]), frozenset(tables["L"]))
    return _cache


def popular_given_names() -> frozenset[str]:
    """Given names ranked within the top :data:`POPULAR_RANK` of at least one country, casefolded (a subset
    of ``name_gazetteer()[0]``); loaded with it. Raises as :func:`name_gazetteer` does."""
    name_gazetteer()
    return _popular
