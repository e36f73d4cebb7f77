"""Checks shared by the data tests of the held-out PII sets (``test_heldout4_set.py`` ... ``test_heldout6_set.py``).

Check digits and scripts are recomputed here from their specs (ISO/IEC 7812 Luhn, ISO 13616 mod-97, the Unicode
character names), never taken from the generators' helpers, so a generator bug cannot vouch for itself.
"""
from __future__ import annotations

import importlib.util
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from types import ModuleType

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
