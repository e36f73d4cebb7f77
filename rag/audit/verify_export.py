#!/usr/bin/env python3
"""Re-verify a Perimeter audit export outside the system (Python 3.9+, standard library only).

Usage (the key is read from a file or the environment, never from the command line)::

    python3 verify_export.py audit.jsonl --key-file audit_key            # or a .csv export
    AUDIT_KEY=... python3 verify_export.py audit.jsonl --checkpoints checkpoints.jsonl --require-genesis
    python3 verify_export.py filtered.jsonl --key-file audit_key --allow-gaps   # filtered by event type/...
    python3 verify_export.py old-export.jsonl --legacy-sha256            # made before the chain was keyed

Exit status: 0 the file verifies, 1 it does not (the first broken line is printed), 2 unreadable.

This one file is also the definition of the hash Perimeter writes (``rag.audit.services`` imports
:func:`event_hash`): the code an auditor runs is the code that wrote the hashes. Copy it anywhere; it
imports nothing outside the standard library.

Keyed hash of an audit event
============================
Each event's ``hash`` is the lower-case hex HMAC-SHA256 (RFC 2104 with SHA-256; FIPS 198-1) keyed with the
UTF-8 bytes of ``AUDIT_KEY``, over the UTF-8 bytes of the canonical JSON text of this object (9 members,
nothing else)::

    {"actor": str, "actor_id": int|null, "created_at": str, "details": object,
     "event_type": str, "id": int, "prev_hash": str, "target_id": str, "target_type": str}

- ``created_at``: RFC 3339 UTC, exactly six fractional digits and ``Z``, e.g.
  ``"2025-03-01T09:04:05.000120Z"`` (PostgreSQL ``timestamptz`` keeps microseconds).
- ``prev_hash``: the previous event's ``hash`` in id order; 64 zeros (:data:`GENESIS_HASH`) for the first.
- ``details``: the JSON object as PostgreSQL returns it from ``jsonb`` (duplicate keys removed, the last kept).

The canonical JSON text follows RFC 8785 (JSON Canonicalization Scheme, JCS): no whitespace; object members
sorted by the UTF-16 code units of their names; strings as ECMAScript ``JSON.stringify`` writes them (only
``"`` ``\\`` and control characters escaped: ``\\b \\t \\n \\f \\r``, the other ones below U+0020 as
``\\u00xx`` in lower-case hex; everything else literal UTF-8); ``true``, ``false``, ``null``; floats in
ECMAScript ``Number.prototype.toString`` form (shortest round-trip digits: ``1e-7``, ``1e+21``, ``0.5``,
``3`` for ``3.0``). One difference: integers (no fraction or exponent; Python and PostgreSQL keep them
exact) are written as exact decimal integers of any size, where JCS reads every number as an IEEE-754
double; the two agree for ``|n| <= 2**53``, far above the ids, counts, tokens and milliseconds Perimeter
writes. So any JCS implementation gives our exact bytes while integers stay in that range. As in JCS (whose
input is I-JSON, RFC 7493), NaN, infinities and lone surrogates are refused. The RFC's own examples are
checked in tests/audit/test_canonical.py.

An export line is that object plus ``"hash"`` (other members are ignored). A CSV export has the same
columns, ``details`` as canonical JSON text and an empty ``actor_id`` for null.

The key is held outside the database (a file or an environment variable of the web and worker processes), so
someone who can write the table cannot compute a valid hash for an edited or forged row. Before migration
``audit.0005`` the hash was the plain SHA-256 of the same bytes; that migration re-keyed every stored event
(older exports verify with ``--legacy-sha256``, no key needed).

Signed checkpoints of the head
==============================
Perimeter periodically appends a checkpoint line to a file outside the database (``AUDIT_CHECKPOINT_PATH``):
a JSON object with ``type`` (``"perimeter.audit.checkpoint"``), ``event_id`` and ``hash`` of the newest
event, ``count`` (events with an id up to and including it), ``created_at`` (RFC 3339 UTC) and ``mac``: the
hex HMAC-SHA256 with the same key over the canonical JSON of the other five members. A checkpoint pins the
head. What the checks detect: an edited event (its hash does not match its content); an event deleted,
inserted or reordered in the middle (a broken ``prev_hash`` link, or a wrong count before a checkpoint); the
newest events deleted or the table truncated (the trail ends before the newest checkpoint); a rewritten
chain (a checkpointed hash differs); an edited checkpoint file or a wrong key (a ``mac`` does not verify).
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import hmac
import json
import math
import os
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
CHECKPOINT_TYPE = "perimeter.audit.checkpoint"
#: The members covered by a checkpoint's ``mac``; a checkpoint line carries these plus ``mac``.
CHECKPOINT_FIELDS = ("type", "event_id", "hash", "count", "created_at")


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
    if value is None or isinstance(value, bool):
        out.append("null" if value is None else "true" if value else "false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_number_es6(value))
    elif isinstance(value, str):
        out.append(encode_basestring(value))
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, item in enumerate(value):
            out.append("," if i else "")
            _write(item, out)
        out.append("]")
    elif isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("JSON object keys must be strings")
        out.append("{")
        for i, key in enumerate(sorted(value, key=lambda k: k.encode("utf-16-be", "surrogatepass"))):
            out.append(("," if i else "") + encode_basestring(key) + ":")
            _write(value[key], out)
        out.append("}")
    else:
        raise TypeError(f"{type(value).__name__} is not a JSON value")


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# A JSON string (skipped whole, so nothing inside one is touched) or a number with a
# fraction or an exponent: the only tokens where Python's json and ECMAScript differ.
_STRING_OR_FLOAT = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|-?\d+(?:\.\d+)?[eE][-+]?\d+|-?\d+\.\d+')
# Python's repr and ECMAScript write a float alike (0.8312, -12.5) unless it is whole (Python "3.0",
# ECMAScript "3") or Python uses an exponent ("1e-05", "1e+16"). Such a token follows one of ":,[" ; texts
# without one skip the rewrite (a string that merely looks like one only costs the exact pass).
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
        # Python sorts keys by code point, JCS by UTF-16 code unit; they differ only when a key holds a
        # character above U+FFFF. Rare: take the general path.
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


def event_hash(record: dict[str, Any], *, key: bytes | None) -> str:
    """Lower-case hex HMAC-SHA256 (RFC 2104) keyed with ``key`` over the canonical JSON of the
    :data:`HASHED_FIELDS` of ``record``. ``key=None`` gives the legacy unkeyed SHA-256 of the same bytes
    (events written before the chain was keyed; only for re-keying and old exports).

    Raises KeyError if a hashed field is missing, ValueError for an empty key.
    """
    message = canonical_json({name: record[name] for name in HASHED_FIELDS})
    if key is None:
        return hashlib.sha256(message).hexdigest()
    if not key:
        raise ValueError("the audit key is empty")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


# ---- checkpoints ------------------------------------------------------------------

def checkpoint_mac(checkpoint: dict[str, Any], *, key: bytes) -> str:
    """Hex HMAC-SHA256 (RFC 2104) over the canonical JSON of the :data:`CHECKPOINT_FIELDS`."""
    if not key:
        raise ValueError("the audit key is empty")
    return hmac.new(key, canonical_json({name: checkpoint[name] for name in CHECKPOINT_FIELDS}),
                    hashlib.sha256).hexdigest()


def checkpoints_parse(lines: Iterable[str], *, key: bytes) -> list[dict[str, Any]]:
    """The checkpoints of a checkpoint file, sorted by ``event_id``, each MAC checked. Raises ValueError naming
    the first line that is not a checkpoint or whose MAC does not verify (an edited file, or another key)."""
    found = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            checkpoint = json.loads(line)
            expected = checkpoint_mac(checkpoint, key=key)
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"checkpoint line {number} is malformed ({exc!r})") from exc
        if checkpoint.get("type") != CHECKPOINT_TYPE or not hmac.compare_digest(expected, str(checkpoint.get("mac"))):
            raise ValueError(f"checkpoint line {number}: the MAC does not verify: the checkpoint file was edited, "
                             "or this is not the key that wrote it")
        found.append(checkpoint)
    return sorted(found, key=lambda c: (c["event_id"], c["created_at"]))


class CheckpointCursor:
    """Walks a chain in id order alongside its checkpoints (sorted by ``event_id``, those up to ``after_id``
    skipped). Call :meth:`see` for every event read, in id order, then :meth:`finish`; each returns ``""`` or
    the reason the chain contradicts a checkpoint. With ``gaps`` (a filtered export), checkpointed events
    may be absent."""

    def __init__(self, checkpoints: list[dict[str, Any]], *, gaps: bool = False, after_id: int | None = None):
        self.pending = [c for c in checkpoints if after_id is None or c["event_id"] > after_id]
        self.gaps = gaps
        self.matched = 0

    @staticmethod
    def _describe(c: dict[str, Any]) -> str:
        return f"the checkpoint of {c['created_at']} (event {c['event_id']}, {c['count']} events)"

    def see(self, event_id: int, event_hash_hex: str, count: int | None) -> str:
        """Event ``event_id`` (hex ``event_hash_hex``; ``count`` events up to it, or None) was read:
        "" or why it contradicts a checkpoint at or before it (missing, other hash, other count)."""
        while self.pending and self.pending[0]["event_id"] <= event_id:
            c = self.pending.pop(0)
            if c["event_id"] < event_id:
                if self.gaps:
                    continue
                return (f"event {c['event_id']} of {self._describe(c)} is missing: it was deleted "
                        "(or the chain was rebuilt without it)")
            if c["hash"] != event_hash_hex:
                return (f"event {event_id}'s hash differs from {self._describe(c)}: the chain was rewritten and "
                        "does not extend the checkpoint")
            if count is not None and c["count"] != count:
                return (f"{count} events lead up to event {event_id}, but {self._describe(c)} counted "
                        f"{c['count']}: events before it were deleted or inserted")
            self.matched += 1
        return ""

    def finish(self, *, head_id: int | None) -> str:
        """The trail ended at ``head_id`` (None: empty): "" or why checkpoints beyond it contradict that."""
        if not self.pending:
            return ""
        last = self.pending[-1]
        if head_id is None:
            return (f"the trail is empty but {len(self.pending)} checkpoint(s) cover events, the newest is "
                    f"{self._describe(last)}: the trail was truncated")
        return (f"the trail ends at event {head_id} but {self._describe(last)} covers events after it: "
                "the newest events were deleted (or the table truncated and refilled)")


# ---- reading exports ------------------------------------------------------------

def _records_jsonl(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield number, json.loads(line)


def _records_csv(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, row in enumerate(csv.DictReader(lines), start=2):  # line 1 is the header
        yield number, {**row, "id": int(row["id"]), "actor_id": int(row["actor_id"]) if row["actor_id"] else None,
                       "details": json.loads(row["details"])}


def verify_records(records: Iterable[tuple[int, dict[str, Any]]], *, key: bytes | None, allow_gaps: bool = False,
                   require_genesis: bool = False, expect_head: str | None = None,
                   checkpoints: list[dict[str, Any]] | None = None,
                   allow_later_checkpoints: bool = False) -> tuple[bool, str, int]:
    """Check an exported sequence of ``(line number, record)`` events.

    Each record's ``hash`` must be the HMAC of its content with ``key`` (``None``: the legacy unkeyed
    SHA-256), and its ``prev_hash`` the previous record's ``hash`` (with ``allow_gaps`` a mismatch only counts
    a gap, for exports filtered by event type, actor or target). With ``checkpoints`` (from
    :func:`checkpoints_parse`), every checkpointed event inside the export's range must be present with the
    checkpointed hash (and count, when the export starts at the beginning of the chain), and no checkpoint
    may lie beyond the export's last event unless ``allow_later_checkpoints`` (an older export).

    Returns ``(ok, message, checked)``; ``message`` names the first broken line.
    """
    previous: str | None = None
    previous_id: int | None = None
    checked = gaps = 0
    first_prev = None
    cursor: CheckpointCursor | None = None
    for number, record in records:
        checked += 1
        try:
            recomputed = event_hash(record, key=key)
        except (KeyError, TypeError, ValueError) as exc:
            return False, f"line {number}: malformed record ({exc!r})", checked
        ident = f"line {number} (id {record.get('id')}, {record.get('event_type')})"
        if not hmac.compare_digest(recomputed, str(record.get("hash"))):
            return False, (f"{ident}: hash does not match the content: the event was changed "
                           "(or its hash was recomputed without the key)"), checked
        if previous is None:
            first_prev = record["prev_hash"]
            if require_genesis and first_prev != GENESIS_HASH:
                return False, f"{ident}: the export does not start at the beginning of the chain", checked
            cursor = CheckpointCursor(checkpoints or [], gaps=allow_gaps,
                                      after_id=None if first_prev == GENESIS_HASH else record["id"] - 1)
        elif record["prev_hash"] != previous:
            if not allow_gaps:
                return False, (f"{ident}: prev_hash does not match the previous line's hash: an event "
                               "before it was removed, inserted or reordered"), checked
            gaps += 1
        count = checked if first_prev == GENESIS_HASH and not allow_gaps else None
        if reason := cursor.see(record["id"], record["hash"], count):
            return False, f"{ident}: {reason}", checked
        previous, previous_id = record["hash"], record["id"]
    if checked == 0:
        if checkpoints:
            return False, CheckpointCursor(checkpoints).finish(head_id=None), 0
        return False, "no events in the file", 0
    if expect_head is not None and previous != expect_head:
        return False, f"last event's hash {previous} is not the expected head {expect_head}", checked
    if not allow_later_checkpoints and (reason := cursor.finish(head_id=previous_id)):
        return False, reason + " (an export older than the checkpoint file: --allow-later-checkpoints)", checked
    start = "the beginning of the chain" if first_prev == GENESIS_HASH else f"an event with hash {first_prev}"
    note = f", {gaps} gaps (filtered export)" if allow_gaps else ""
    if checkpoints is not None:
        note += f", {cursor.matched} checkpoints matched"
    return True, f"OK: {checked} events verified, starting after {start}, head {previous}{note}", checked


def _key_read(key_file: str | None) -> bytes:
    """The audit key: the file's contents (stripped) or ``$AUDIT_KEY``; never a command-line value."""
    if key_file:
        with open(key_file, encoding="utf-8") as f:
            text = f.read().strip()
    else:
        text = os.environ.get("AUDIT_KEY", "")
    if not text:
        raise ValueError("no audit key: pass --key-file FILE or set AUDIT_KEY (or --legacy-sha256 for an "
                         "export made before the chain was keyed)")
    return text.encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    """The command line (see the module docstring). Returns the exit status: 0 verified, 1 not, 2 unreadable."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("path", help="a JSON Lines (.jsonl) or CSV (.csv) audit export")
    add("--format", choices=("jsonl", "csv"), help="default: from the file name")
    add("--key-file", metavar="FILE", help="file holding AUDIT_KEY (default: $AUDIT_KEY)")
    add("--legacy-sha256", action="store_true", help="the export predates the keyed chain: plain SHA-256, no key")
    add("--checkpoints", metavar="FILE", help="the checkpoint file (AUDIT_CHECKPOINT_PATH): all must be honoured")
    add("--allow-later-checkpoints", action="store_true",
        help="checkpoints beyond the export's last event are expected (the export is older)")
    add("--allow-gaps", action="store_true",
        help="the export is filtered: check each event's hash but accept breaks in the links")
    add("--require-genesis", action="store_true", help="the first event must be the first event of the chain")
    add("--expect-head", metavar="HASH",
        help="the last event's hash must be this (an anchor noted earlier: detects events removed from the end)")
    args = parser.parse_args(argv)
    fmt = args.format or ("csv" if args.path.lower().endswith(".csv") else "jsonl")
    try:
        key = None if args.legacy_sha256 else _key_read(args.key_file)
        checkpoints = None
        if args.checkpoints:
            if key is None:
                raise ValueError("checkpoints are signed with the key: --checkpoints needs it")
            with open(args.checkpoints, encoding="utf-8") as f:
                try:
                    checkpoints = checkpoints_parse(f, key=key)
                except ValueError as exc:  # an edited checkpoint file does not verify: exit 1, not 2
                    print(f"{args.checkpoints}: {exc}", file=sys.stderr)
                    return 1
        with open(args.path, encoding="utf-8", newline="") as f:
            records = _records_csv(f) if fmt == "csv" else _records_jsonl(f)
            ok, message, _ = verify_records(records, key=key, allow_gaps=args.allow_gaps, checkpoints=checkpoints,
                                            require_genesis=args.require_genesis, expect_head=args.expect_head,
                                            allow_later_checkpoints=args.allow_later_checkpoints)
    except (OSError, ValueError, csv.Error) as exc:  # json.JSONDecodeError is a ValueError
        print(f"cannot read {args.path}: {exc}", file=sys.stderr)
        return 2
    print(message, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
