#!/usr/bin/env python3
"""Re-verify a Perimeter audit export outside the system (Python 3.9+, standard library only).

Usage::

    python3 verify_export.py audit.jsonl                  # or a .csv export
    python3 verify_export.py audit.jsonl --require-genesis --expect-head <64 hex>
    python3 verify_export.py filtered.jsonl --allow-gaps  # export filtered by event type/actor/...

Exit status: 0 the file verifies, 1 it does not (the first broken line is printed), 2 unreadable.

This file is also the single definition of the hash used *inside* Perimeter
(``rag.audit.services`` imports :func:`event_hash`), so the code an auditor runs
is the code that wrote the hashes. Copy this one file anywhere; it has no imports
outside the standard library.

Canonical form of an audit event
================================
Each event's ``hash`` is the lower-case hex SHA-256 of the UTF-8 bytes of the
canonical JSON text of this object (9 members, nothing else)::

    {"actor": str, "actor_id": int|null, "created_at": str, "details": object,
     "event_type": str, "id": int, "prev_hash": str, "target_id": str, "target_type": str}

- ``created_at``: RFC 3339 UTC with exactly six fractional digits and ``Z``,
  e.g. ``"2025-03-01T09:04:05.000120Z"`` (PostgreSQL ``timestamptz`` keeps microseconds).
- ``prev_hash``: the previous event's ``hash`` in id order; the first event of the
  chain has 64 zeros (:data:`GENESIS_HASH`).
- ``details``: the JSON object exactly as PostgreSQL returns it from ``jsonb``
  (duplicate keys removed, the last one kept).

The canonical JSON text follows RFC 8785 (JSON Canonicalization Scheme, JCS):
no whitespace; object members sorted by the UTF-16 code units of their names;
strings written as ECMAScript ``JSON.stringify`` does (only ``"`` ``\\`` and
control characters escaped: ``\\b \\t \\n \\f \\r`` and ``\\u00xx`` in lower-case hex
for the other ones below U+0020; everything else literal UTF-8); ``true``,
``false``, ``null``; floating-point numbers in ECMAScript ``Number.prototype.toString``
form (shortest round-trip digits: ``1e-7``, ``1e+21``, ``0.5``, ``3`` for ``3.0``).

Where ours differs from RFC 8785: integers (JSON numbers without fraction or
exponent, which Python and PostgreSQL keep exact) are written as exact decimal
integers of any size. JCS reads every number as an IEEE-754 double, so the two
agree for ``|n| <= 2**53`` only; Perimeter writes ids, counts, token counts and
milliseconds, all far below that. As in JCS (whose input must be I-JSON, RFC 7493),
NaN, infinities and lone surrogates are refused. So any JCS implementation gives
our exact bytes whenever integers stay within that range; the RFC's own examples
are checked in tests/audit/test_canonical.py.

An export line is that object plus ``"hash"``; any other member is ignored.
A CSV export has the same columns, ``details`` as canonical JSON text and an empty
``actor_id`` for null.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import re
import sys
from decimal import Decimal
from json.encoder import encode_basestring  # C-accelerated; what ensure_ascii=False uses
from typing import Any, Iterable, Iterator

GENESIS_HASH = "0" * 64
#: The members covered by ``hash``; an export line carries these plus ``hash``.
HASHED_FIELDS = ("id", "created_at", "event_type", "actor", "actor_id", "target_type", "target_id",
                 "details", "prev_hash")
EXPORT_FIELDS = (*HASHED_FIELDS, "hash")


def _number_es6(value: float) -> str:
    """ECMAScript Number::toString for a finite double (ECMA-262 §6.1.6.1.20)."""
    if not math.isfinite(value):
        raise ValueError("NaN and infinities are not allowed in audit details")
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    # repr() gives the shortest digit string that round-trips, as ECMAScript requires.
    _, digits_t, exponent = Decimal(repr(abs(value))).as_tuple()
    digits = "".join(map(str, digits_t)).rstrip("0") or "0"
    exponent += len("".join(map(str, digits_t))) - len(digits)
    k = len(digits)          # number of significant digits
    n = exponent + k         # value = 0.digits * 10**n
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
        text = f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"
    return sign + text


def _write(value: Any, out: list[str]) -> None:
    """The general serializer: every JSON value, ECMAScript numbers, UTF-16 key order."""
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_number_es6(value))
    elif isinstance(value, str):
        out.append(encode_basestring(value))
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write(item, out)
        out.append("]")
    elif isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("JSON object keys must be strings")
        out.append("{")
        for i, key in enumerate(sorted(value, key=lambda k: k.encode("utf-16-be", "surrogatepass"))):
            if i:
                out.append(",")
            out.append(encode_basestring(key))
            out.append(":")
            _write(value[key], out)
        out.append("}")
    else:
        raise TypeError(f"{type(value).__name__} is not a JSON value")


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# A JSON string (skipped whole, so nothing inside one is touched) or a number with a
# fraction or an exponent: the only tokens where Python's json and ECMAScript differ.
_STRING_OR_FLOAT = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|-?\d+(?:\.\d+)?[eE][-+]?\d+|-?\d+\.\d+')
# Python's repr and ECMAScript write a float alike (0.8312, -12.5) unless it is whole
# (Python "3.0", ECMAScript "3") or Python uses an exponent ("1e-05", "1e+16"). Such a
# token follows one of ":,[" ; texts without one skip the rewrite (a string that merely
# looks like one only costs the exact pass).
_FLOAT_TO_REWRITE = re.compile(r'[:,\[]-?\d+(?:\.0(?=[,\]}])|(?:\.\d+)?e)')


def _float_es6(match: re.Match) -> str:
    token = match.group()
    return token if token[0] == '"' else _number_es6(float(token))


def canonical_json(value: Any) -> bytes:
    """The canonical UTF-8 JSON bytes of ``value`` (see the module docstring).

    Raises ValueError (NaN, infinity, lone surrogate) or TypeError (not JSON).
    """
    try:
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except ValueError as exc:
        raise ValueError("NaN and infinities are not allowed in audit details") from exc
    if not text.isascii() and _ASTRAL.search(text):
        # Python sorts keys by code point, JCS by UTF-16 code unit; they differ only
        # when a key holds a character above U+FFFF. Rare: take the general path.
        out: list[str] = []
        _write(value, out)
        text = "".join(out)
    elif type(value) is float or _FLOAT_TO_REWRITE.search(text):
        # Only floats need rewriting into ECMAScript form; strings are skipped whole.
        text = _STRING_OR_FLOAT.sub(_float_es6, text)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("lone surrogate in a string") from exc


def event_hash(record: dict[str, Any]) -> str:
    """Lower-case hex SHA-256 over the canonical JSON of the :data:`HASHED_FIELDS` of ``record``.

    Raises KeyError if a hashed field is missing.
    """
    return hashlib.sha256(canonical_json({name: record[name] for name in HASHED_FIELDS})).hexdigest()


# ---- reading exports ------------------------------------------------------------

def _records_jsonl(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield number, json.loads(line)


def _records_csv(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, row in enumerate(csv.DictReader(lines), start=2):  # line 1 is the header
        yield number, {
            **row,
            "id": int(row["id"]),
            "actor_id": int(row["actor_id"]) if row["actor_id"] else None,
            "details": json.loads(row["details"]),
        }


def verify_records(records: Iterable[tuple[int, dict[str, Any]]], *, allow_gaps: bool = False,
                   require_genesis: bool = False, expect_head: str | None = None) -> tuple[bool, str, int]:
    """Check an exported sequence of events.

    Each record's ``hash`` must match its content, and each record's ``prev_hash``
    must equal the previous record's ``hash`` (with ``allow_gaps`` a mismatch only
    counts a gap, for exports filtered by event type, actor or target).

    Returns ``(ok, message, checked)``; ``message`` names the first broken line.
    """
    previous: str | None = None
    checked = gaps = 0
    first_prev = None
    for number, record in records:
        checked += 1
        try:
            recomputed = event_hash(record)
        except (KeyError, TypeError, ValueError) as exc:
            return False, f"line {number}: malformed record ({exc!r})", checked
        ident = f"line {number} (id {record.get('id')}, {record.get('event_type')})"
        if recomputed != record.get("hash"):
            return False, f"{ident}: hash does not match the content: the event was changed", checked
        if previous is None:
            first_prev = record["prev_hash"]
            if require_genesis and first_prev != GENESIS_HASH:
                return False, f"{ident}: the export does not start at the beginning of the chain", checked
        elif record["prev_hash"] != previous:
            if not allow_gaps:
                return False, (f"{ident}: prev_hash does not match the previous line's hash: an event "
                               "before it was removed, inserted or reordered"), checked
            gaps += 1
        previous = record["hash"]
    if checked == 0:
        return False, "no events in the file", 0
    if expect_head is not None and previous != expect_head:
        return False, f"last event's hash {previous} is not the expected head {expect_head}", checked
    start = "the beginning of the chain" if first_prev == GENESIS_HASH else f"an event with hash {first_prev}"
    note = f", {gaps} gaps (filtered export)" if allow_gaps else ""
    return True, f"OK: {checked} events verified, starting after {start}, head {previous}{note}", checked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", help="a JSON Lines (.jsonl) or CSV (.csv) audit export")
    parser.add_argument("--format", choices=("jsonl", "csv"), help="default: from the file name")
    parser.add_argument("--allow-gaps", action="store_true",
                        help="the export is filtered: check each event's hash but accept breaks in the links")
    parser.add_argument("--require-genesis", action="store_true",
                        help="the first event must be the first event of the chain")
    parser.add_argument("--expect-head", metavar="HASH",
                        help="the last event's hash must be this (an anchor noted earlier: detects "
                             "events removed from the end)")
    args = parser.parse_args(argv)
    fmt = args.format or ("csv" if args.path.lower().endswith(".csv") else "jsonl")
    try:
        with open(args.path, encoding="utf-8", newline="") as f:
            records = _records_csv(f) if fmt == "csv" else _records_jsonl(f)
            ok, message, _ = verify_records(records, allow_gaps=args.allow_gaps,
                                            require_genesis=args.require_genesis, expect_head=args.expect_head)
    except (OSError, ValueError, csv.Error) as exc:  # json.JSONDecodeError is a ValueError
        print(f"cannot read {args.path}: {exc}", file=sys.stderr)
        return 2
    print(message, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
