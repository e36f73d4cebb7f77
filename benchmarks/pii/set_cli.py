"""The command line shared by the held-out set generators (``make_heldout5.py``, ``make_heldout6.py``).

    --set tune|test|both   which file(s) to write (default both)
    --limit N              only the first N records
    --out PATH             another output file (one set only)
    --counts               print the counts per kind/type/script/form/locale instead of writing

Records are written one JSON object a line, UTF-8, ``ensure_ascii=False``, ``\\n`` line ends, so the files are
byte-identical for the same seed and library versions.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path


def entity_counts(records: list[dict]) -> dict[str, Counter]:
    """Records per kind, entities per type, and PERSON entities per script, form and locale."""
    people = [e for r in records for e in r["entities"] if e["type"] == "PERSON"]
    return {"kind": Counter(r["kind"] for r in records),
            "type": Counter(e["type"] for r in records for e in r["entities"]),
            "script": Counter(e["script"] for e in people), "form": Counter(e["form"] for e in people),
            "locale": Counter(e["locale"] for e in people)}


def set_main(argv: list[str] | None, *, description: str, files: dict[str, Path], load: Callable[[], object],
             build: Callable[[str, object, int | None], list[dict]],
             counts: Callable[[list[dict]], dict[str, Counter]], unit: str = "records", width: int = 7) -> int:
    """Parse ``argv`` (see the module docstring), build each requested half with ``build(half, load(), limit)``
    and write it to ``files[half]`` (or ``--out``), or print ``counts`` of it; return the exit status (0)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--set", choices=["tune", "test", "both"], default="both")
    parser.add_argument("--limit", type=int, default=None, help=f"write only the first N {unit}")
    parser.add_argument("--out", type=Path, default=None, help="output file (one set only)")
    parser.add_argument("--counts", action="store_true", help="print per locale/script/form/type counts, write nothing")
    args = parser.parse_args(argv)
    halves = ["tune", "test"] if args.set == "both" else [args.set]
    if args.out and len(halves) != 1:
        parser.error("--out needs --set tune or --set test")
    source = load()
    for half in halves:
        records = build(half, source, args.limit)
        if args.counts:
            print(f"== {files[half].name}: {len(records)} {unit}")
            for name, counter in counts(records).items():
                print(f"  {name:{width}s} " + ", ".join(f"{k} {v}" for k, v in sorted(counter.items(),
                                                                                    key=lambda kv: -kv[1])))
            continue
        path = args.out or files[half]
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            for record in records:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"wrote {len(records)} {unit} to {path}")
    return 0
