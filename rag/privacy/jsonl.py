"""Batch redaction of JSONL files, shared by ``manage.py redact`` and ``benchmarks/redaction_bench.py``.

Input lines: ``{"id": ..., "text": "..."}``. Output lines: ``{"id", "redacted"}``,
plus ``"blocked": true, "reason": "..."`` for records that
:func:`~rag.privacy.redaction.payload_redact_checked` refused. A blocked record's
``redacted`` is the best redaction available (the first pass with the residual
findings masked too), or ``""`` if the analyzer itself failed: never the
original text.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from rag.privacy.redaction import (
    RedactionBlocked,
    payload_redact_checked,
    redaction_analyzer,
    residual_analyzer,
)


class JsonlInputError(ValueError):
    """A line of the input file is not a JSON object with a string ``text``."""


@dataclass(frozen=True)
class JsonlRedactStats:
    """``records`` processed, ``blocked`` among them, ``load_s`` model loading, ``run_s`` redaction (seconds)."""

    records: int
    blocked: int
    load_s: float
    run_s: float

    @property
    def texts_per_s(self) -> float:
        """Redaction throughput in records per second of ``run_s`` (inf when nothing was timed)."""
        return self.records / self.run_s if self.run_s > 0 else float("inf")


def record_redact(record_id, text: str) -> dict:
    """One output line for one input record (see the module docstring)."""
    try:
        result = payload_redact_checked(texts=[text])
    except RedactionBlocked as exc:
        redacted = exc.result.texts[0] if exc.result is not None else ""
        return {"id": record_id, "redacted": redacted, "blocked": True, "reason": exc.reason}
    return {"id": record_id, "redacted": result.texts[0]}


def jsonl_redact(in_path: str | Path, out_path: str | Path) -> JsonlRedactStats:
    """Redact every record of ``in_path`` into ``out_path`` (UTF-8 JSONL, same order).

    Raises :class:`JsonlInputError` (with the line number) on a malformed line,
    before anything is written for it; ``OSError`` on unreadable/unwritable files.
    """
    t0 = time.perf_counter()
    redaction_analyzer(), residual_analyzer()  # load spaCy outside the timed loop
    load_s = time.perf_counter() - t0
    records = blocked = 0
    run_s = 0.0
    with open(in_path, encoding="utf-8") as src, open(out_path, "w", encoding="utf-8") as dst:
        for lineno, line in enumerate(src, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise JsonlInputError(f"{in_path}:{lineno}: invalid JSON ({exc.msg})") from exc
            if not isinstance(record, dict) or not isinstance(record.get("text"), str) or "id" not in record:
                raise JsonlInputError(f'{in_path}:{lineno}: expected {{"id": ..., "text": "..."}}')
            t = time.perf_counter()
            out = record_redact(record["id"], record["text"])
            run_s += time.perf_counter() - t
            records += 1
            blocked += bool(out.get("blocked"))
            dst.write(json.dumps(out, ensure_ascii=False) + "\n")
    return JsonlRedactStats(records=records, blocked=blocked, load_s=load_s, run_s=run_s)
