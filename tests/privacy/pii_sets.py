"""Checks shared by the data tests of the held-out PII sets (``test_heldout4_set.py`` ... ``test_heldout6_set.py``).

Check digits and scripts are recomputed here from their specs (ISO/IEC 7812 Luhn, ISO 13616 mod-97, the Unicode
character names), never taken from the generators' helpers, so a generator bug cannot vouch for itself.
The ``assert_*`` functions are the checks the three files run alike; where a set differs (heldout6 lets a value
sit inside a longer name, heldout5 and heldout6 parse their IP addresses...) a keyword says so.
"""
from __future__ import annotations

import importlib.util
import ipaddress
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]


def benchmark_module(name: str) -> ModuleType:
    """``benchmarks/pii/<name>.py`` loaded by path (the repository root put on ``sys.path`` for its imports)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "pii" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def luhn_ok(digits: str) -> bool:
    """The digits of ``digits`` (separators ignored) pass the Luhn check (ISO/IEC 7812-1 annex B)."""
    nums = [int(c) for c in digits if c.isdigit()]
    return sum(sum(divmod(n * (1 + i % 2), 10)) for i, n in enumerate(reversed(nums))) % 10 == 0


def mod97_ok(iban: str) -> bool:
    """``iban`` (spaces ignored) has the IBAN shape and passes the ISO 13616 mod-97 check."""
    s = iban.replace(" ", "")
    return re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{8,30}", s) is not None and \
        int("".join(str(int(c, 36)) for c in s[4:] + s[:4])) % 97 == 1


def value_script(value: str) -> str:
    """The Unicode script most letters of ``value`` belong to, by character name ("Latin", "Han", "Hangul"...)."""
    names = Counter()
    for ch in value:
        if unicodedata.category(ch)[0] in "LM":
            word = unicodedata.name(ch).split()[0]
            names[{"CJK": "Han"}.get(word, word.title())] += 1
    return names.most_common(1)[0][0]


def load_sets(files: dict[str, Path]) -> dict[str, list[dict]]:
    """Each half's records (``{"test": [...], "tune": [...]}``), one JSON object a line of its file in ``files``."""
    return {half: [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
            for half, path in files.items()}


def person_entities(records: list[dict]) -> list[dict]:
    """The PERSON entities of all of ``records``, in order."""
    return [e for r in records for e in r["entities"] if e["type"] == "PERSON"]


def assert_values_only_at_spans(records: list[dict], *, inside_longer_person: bool = False) -> None:
    """Every entity's value is the text at its span, occurs nowhere else in its record, and no two spans overlap.

    With ``inside_longer_person`` an occurrence may also lie inside a longer PERSON span of the same record
    (a long document names "Tanaka" alone and within "Yuki Tanaka").
    """
    for r in records:
        text = r["text"]
        spans = {(e["value"], e["start"], e["end"]) for e in r["entities"]}
        people = [(e["start"], e["end"]) for e in r["entities"] if e["type"] == "PERSON"]
        for value, start, end in spans:
            assert text[start:end] == value, (r["id"], value)
            hits = [m.start() for m in re.finditer(f"(?={re.escape(value)})", text)]
            stray = [h for h in hits if (value, h, h + len(value)) not in spans and not (inside_longer_person and any(
                s <= h and h + len(value) <= e and e - s > len(value) for s, e in people))]
            assert not stray, (r["id"], value, stray)
        ordered = sorted((s, e) for _, s, e in spans)
        assert all(b[0] >= a[1] for a, b in zip(ordered, ordered[1:])), r["id"]


def assert_no_value_in_lookalikes(records: list[dict], *, excerpt: int | None = None) -> None:
    """No entity value of ``records`` occurs in any of their look-alike texts.

    A failure shows the first ``excerpt`` characters of each offending text (all of it when ``None``).
    """
    looks = [r["text"] for r in records if r["kind"] == "lookalike"]
    values = {e["value"] for r in records for e in r["entities"]}
    leaks = [(v, t[:excerpt]) for v in values for t in looks if v in t]
    assert not leaks, leaks[:5]


def assert_person_scripts_match(records: list[dict]) -> None:
    """Each PERSON entity's ``script`` label is the script most letters of its value are in (``value_script``)."""
    for r in records:
        for e in r["entities"]:
            if e["type"] == "PERSON":
                assert e["script"] == value_script(e["value"]), (r["id"], e["value"], e["script"])


def assert_structured_values_valid(records: list[dict], *, check_ips: bool = False,
                                   strict_phones: bool = False) -> None:
    """Card numbers pass Luhn, IBANs mod-97, SSNs the SSA's never-issued ranges; e-mails and phones look like ones.

    A phone needs at least 7 digits; with ``strict_phones`` also at most 15 (E.164) and only digits, spaces,
    ``().-`` after an optional leading ``+``. With ``check_ips`` every IP_ADDRESS parses as IPv4 or IPv6.
    """
    for e in (e for r in records for e in r["entities"]):
        if e["type"] == "CREDIT_CARD":
            assert re.fullmatch(r"[\d -]{12,23}", e["value"]) and luhn_ok(e["value"]), e["value"]
        elif e["type"] == "IBAN":
            assert mod97_ok(e["value"]), e["value"]
        elif e["type"] == "US_SSN":
            m = re.fullmatch(r"(\d{3})[- ]?(\d{2})[- ]?(\d{4})", e["value"])
            assert m and m[1] not in ("000", "666") and m[1] < "900" and m[2] != "00" and m[3] != "0000"
        elif e["type"] == "EMAIL":
            assert re.fullmatch(r"[^@\s]+@[^@\s]+\.\w{2,}", e["value"]), e["value"]  # IDN TLDs (.укр) too
        elif e["type"] == "PHONE":
            if strict_phones:
                assert 7 <= sum(c.isdigit() for c in e["value"]) <= 15, e["value"]
                assert re.fullmatch(r"[+\d()][\d ().-]+\d", e["value"]), e["value"]
            else:
                assert sum(c.isdigit() for c in e["value"]) >= 7, e["value"]
        elif e["type"] == "IP_ADDRESS" and check_ips:
            ipaddress.ip_address(e["value"])


def assert_pieces_disjoint(tune: list[str], test: list[str], sets: dict[str, list[dict]], *,
                           slot: re.Pattern, min_chars: int) -> None:
    """The tune and test halves' templates (or pieces) share none, and neither half's data holds the other's wording.

    A piece's wording is its longest run between ``slot`` placeholders; only runs of ``min_chars`` or more count.
    """
    assert not set(tune) & set(test)
    for own, other in ((tune, sets["test"]), (test, sets["tune"])):
        for piece in own:
            fixed = max(slot.split(piece), key=len).strip()
            if len(fixed) >= min_chars:
                assert not any(fixed in r["text"] for r in other), fixed


def assert_tune_and_test_disjoint(sets: dict[str, list[dict]]) -> None:
    """The tune and test halves share no entity value and no text."""
    values = {half: {e["value"] for r in records for e in r["entities"]} for half, records in sets.items()}
    assert not values["tune"] & values["test"]
    assert not {r["text"] for r in sets["tune"]} & {r["text"] for r in sets["test"]}


def assert_first_records_regenerate(files: dict[str, Path], build: Callable[[str, int], list[dict]],
                                    limit: int) -> None:
    """``build(half, limit)`` writes, byte for byte, the first ``limit`` lines of each half's file in ``files``."""
    for half, path in files.items():
        records = build(half, limit)
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)[:limit]
        assert [json.dumps(r, ensure_ascii=False) + "\n" for r in records] == lines, half


def assert_library_not_in_app(*names: str) -> None:
    """No test-data library of ``names`` is declared in ``pyproject.toml`` or imported by a module under ``rag/``."""
    import tomllib

    library = "(" + "|".join(re.escape(name) for name in names) + ")"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = list(project.get("dependencies", [])) + [
        dep for group in project.get("optional-dependencies", {}).values() for dep in group]
    assert not [d for d in declared if re.match(rf"\s*{library}\b", d, re.IGNORECASE)], declared
    importing = [str(path.relative_to(ROOT)) for path in (ROOT / "rag").rglob("*.py")
                 if re.search(rf"^\s*(import|from)\s+{library}\b", path.read_text(encoding="utf-8"), re.MULTILINE)]
    assert not importing, f"the detector must not use a test-data generator: {importing}"
