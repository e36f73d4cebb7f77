"""Seeded generator of ``heldout5``: an independent held-out PII set made with mimesis.

    ./perimeter python benchmarks/pii/make_heldout5.py                 # both files, default seeds
    ./perimeter python benchmarks/pii/make_heldout5.py --set test --limit 20 --out /tmp/h5.jsonl
    ./perimeter python benchmarks/pii/make_heldout5.py --counts        # per locale/script/form/type

How it was made. Written by an engineer who had not seen the detector, for issue 11: nothing
under ``rag/privacy/`` or ``tests/privacy/`` (except ``test_heldout4_set.py``, the model of
``tests/privacy/test_heldout5_set.py``) was read, nor the benchmark's scoring internals, nor the
older sets' templates, names or data (``heldout3_*``, ``heldout4_templates.py``, ``templates.py``,
``names.py``, ``data/*.jsonl``); only ``make_heldout4.py``'s docstring and ``heldout4_faker.py``
were read. The detector and the benchmark were not run on these files before they were handed
over to be scored once. Wordings (:mod:`benchmarks.pii.heldout5_templates`) are new and in
registers of office text: email headers and signatures, chat logs, HR / IT tickets, minutes,
CSV / pipe tables, JSON / YAML, log lines, code comments, calendar invites, expense claims,
post-mortems, shipping notes, support replies, bullet lists and forms.

Two files from two seeds and two disjoint template sets: ``data/heldout5_tune.jsonl``
(:data:`SIZES` ``tune`` = 300 records, 75 look-alikes, :data:`SEEDS` ``tune`` = 52051) and
``data/heldout5.jsonl`` (900 records, 220 look-alikes, seed 52059: scored once, never tuned on).
About 45% of the names come from Latin-script locales and the rest equally from each other
script group (:data:`SCRIPT_GROUPS`); 22% of full-name slots are romanised or ASCII-folded.
People come from ``mimesis==22.2.0`` (:mod:`benchmarks.pii.heldout5_mimesis`, installed beside
the app, never in it) in its own locale codes, and from ``Faker==40.54.0``
(:mod:`benchmarks.pii.heldout4_faker`) in Faker codes (with an underscore) only for scripts
mimesis lacks (Thai, Hebrew, Devanagari, Bengali, Tamil, Sinhala, Georgian, Armenian,
Vietnamese) and for romanised Japanese and Chinese; see :mod:`benchmarks.pii.heldout5_values`.

Records (one JSON object a line)::

    {"id": "heldout5-0000", "text": str, "entities": [...], "split": "heldout5" | "heldout5_tune",
     "kind": "pii" | "lookalike"}
    entity: {"type", "value", "start", "end", "locale", "script", "form"}

``text[start:end] == value``; every occurrence of a value in its text is one of the record's
spans of that value; no entity value of a file occurs in any of its look-alike texts; the test
file repeats no entity value (and no text) of the tune file. Types: ``PERSON``, ``EMAIL``,
``PHONE``, ``US_SSN``, ``CREDIT_CARD`` (Luhn-valid), ``IBAN`` (mod-97-valid), ``IP_ADDRESS``
(v4 and v6). PERSON ``form``: ``native`` (the locale's own order and script: family first for
zh, ja, ko, hu, vi), ``roman`` (romanised Cyrillic, Greek, Hangul, Japanese, Chinese, or an
ASCII-folded Latin name that had diacritics), ``initial`` ("J. Müller", "А. Донцов"), ``middle``
("Ana R. Costa", or a Russian / Ukrainian patronymic), ``given``, ``honorific`` (title outside the
span, before or after: "Dr. Weiss", "Tanaka-san"), ``list`` (two to four people), ``possessive``
(before "'s"), ``family_first`` ("TANAKA Hiroshi", "Müller, Jana"), ``hyphenated`` ("Ana
García-Velasco"). A person's ``script`` is the Unicode script of most of its letters; structured
values have ``locale`` and ``script`` ``"-"`` and ``form`` ``structured``.
``lookalike`` records have no entities and no personal data.

Each record is drawn from its own ``random.Random`` seeded with (set seed, index, attempt); the
library generators are reseeded from it. The look-alike positions are a seeded shuffle, PII
records are made first and look-alikes after (so they can avoid every value), and the tune file
before the test file (so the test file can avoid its values). ``--limit N`` writes the first N
lines of the full file; the output is byte-identical for the same seeds and library versions.
"""
from __future__ import annotations

import random
import re
import sys
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.pii.set_cli import entity_counts, set_main  # noqa: E402
from benchmarks.pii import heldout5_templates as templates  # noqa: E402
from benchmarks.pii.heldout5_lookalikes import lookalike_value  # noqa: E402
from benchmarks.pii.heldout5_values import (  # noqa: E402
    ALL_PEOPLE, FAMILY_FIRST_NATIVE, LATIN_LOCALES, IBAN_OF_LOCALE, NO_SPACE_NATIVE, Values, ascii_fold, iban,
    romanise, script_of, ssn,
)

DATA = Path(__file__).resolve().parent / "data"
SEEDS = {"tune": 52_05_1, "test": 52_05_9}
SIZES = {"tune": (300, 75), "test": (900, 220)}   # (records, look-alikes)
FILES = {"tune": DATA / "heldout5_tune.jsonl", "test": DATA / "heldout5.jsonl"}
SPLITS = {"tune": "heldout5_tune", "test": "heldout5"}
SLOT = re.compile(r"\{([A-Z]+)(\d{0,2})\}")
MAX_ATTEMPTS = 400
ROMAN_POOL = ["ja_JP", "zh_CN", "ru", "uk", "kk", "el", "ko", "ja_JP", "zh_CN", "ko", "ru", "el",
              "de", "pl", "cs", "tr", "hu", "is", "vi_VN", "fr", "es", "sv", "hr", "az"]
# Whose names a record holds: just under half from Latin-script locales, the rest shared equally by the
# other script groups (and the romanised ja_JP / zh_CN), so that each script is measured on enough names.
SCRIPT_GROUPS = {"Arabic": ["ar-eg", "ar-sa", "ar-ma", "ar-ae", "fa"], "Cyrillic": ["ru", "uk", "kk"], "Greek": ["el"],
                 "Han": ["zh"], "Japanese": ["ja"], "Hangul": ["ko"], "Thai": ["th_TH"], "Hebrew": ["he_IL"],
                 "Devanagari": ["hi_IN", "ne_NP"], "Bengali": ["bn_BD"], "Tamil": ["ta_IN"], "Sinhala": ["si_LK"],
                 "Georgian": ["ka_GE"], "Armenian": ["hy_AM"], "romanised": ["ja_JP", "zh_CN"]}
_GROUP_OF = {loc: group for group, locs in SCRIPT_GROUPS.items() for loc in locs}
_LATIN_SHARE = 0.45
MAIN_WEIGHTS = [_LATIN_SHARE / len(LATIN_LOCALES) if loc in LATIN_LOCALES else
                (1 - _LATIN_SHARE) / len(SCRIPT_GROUPS) / len(SCRIPT_GROUPS[_GROUP_OF[loc]]) for loc in ALL_PEOPLE]


class Rejected(Exception):
    """This draw breaks an invariant; try the next attempt."""


# -- people ------------------------------------------------------------------------------------
def _display(values: Values, locale: str, parts: dict, rng: random.Random, form: str) -> str:
    g, f, m = parts["given"], parts["family"], parts["middle"]
    latin = script_of(g + f) == "Latin"
    if form == "native":
        if locale == "vi_VN" and rng.random() < 0.6:
            return f"{f} {m} {g}" if m != g else f"{f} {g}"
        if locale in FAMILY_FIRST_NATIVE:
            sep = "" if locale in NO_SPACE_NATIVE else rng.choice(["", " "]) if locale == "ja" else " "
            return f"{f}{sep}{g}"
        return f"{g} {f}"
    if form in ("roman", "roman_ff"):
        rg, rf = romanise(g, locale, rng), romanise(f, locale, rng, family=True)
        if not rg or not rf:
            raise Rejected("no romanisation")
        if form == "roman_ff":
            return f"{rf.upper()} {rg}" if rng.random() < 0.6 else f"{rf} {rg}"
        return f"{rg} {rf}"
    if form == "initial":
        if not latin and script_of(g) not in ("Cyrillic", "Greek"):
            raise Rejected("no initials in this script")
        return f"{g[0]}. {f}" if rng.random() < 0.8 else f"{g[0]}.{f}" if rng.random() < 0.5 else f"{f} {g[0]}."
    if form == "middle":
        if locale in ("ru", "uk") and m.endswith(("вич", "вна", "ич")):
            return f"{g} {m} {f}"
        if not latin and script_of(g) not in ("Cyrillic", "Greek"):
            raise Rejected("no middle initials in this script")
        return f"{g} {m[0]}. {f}"
    if form == "family_first":
        if not latin:
            raise Rejected("family-first Latin only")
        return f"{f}, {g}" if rng.random() < 0.5 else f"{f.upper()} {g}"
    if form == "hyphenated":
        if not latin or "_" in locale:
            raise Rejected("hyphenated Latin only")
        other = values.parts(locale, rng)["family"]
        if other == f or " " in f or " " in other:
            raise Rejected("same family")
        return f"{g} {f}-{other}"
    raise ValueError(form)


def _person(values: Values, locale: str, rng: random.Random, *, forms=None) -> tuple[str, str, dict]:
    """(value, form label, parts) for a full-name slot."""
    parts = values.parts(locale, rng)
    g, f = parts["given"], parts["family"]
    script = script_of(g + f)
    latin = script == "Latin"
    rg = romanise(g, locale, rng)
    rf = romanise(f, locale, rng, family=True)
    romanisable = bool(rg and rf) and f"{rg} {rf}" != f"{g} {f}"
    spelled = latin or script in ("Cyrillic", "Greek")      # scripts written with initials
    if locale in ("ja_JP", "zh_CN"):
        pool = forms or {"roman": 5, "roman_ff": 3, "initial": 1, "middle": 0}
    else:
        pool = forms or {"native": 5, "roman": 4, "initial": 1.6, "middle": 1.5, "family_first": 1,
                         "roman_ff": 0 if latin else 0.8, "hyphenated": 1.4}
    pool = dict(pool)
    if not romanisable and locale not in ("ja_JP", "zh_CN"):
        pool["roman"] = pool["roman_ff"] = 0
    if not spelled:
        pool["initial"] = pool["middle"] = 0
    if not latin:
        pool["family_first"] = pool["hyphenated"] = 0
    if "_" in locale or " " in f:
        pool["hyphenated"] = 0
    if not any(w > 0 for w in pool.values()):
        pool = {"native": 1}
    names, weights = zip(*[(k, w) for k, w in pool.items() if w > 0])
    form = rng.choices(names, weights=weights)[0]
    if locale in ("ja_JP", "zh_CN") and form == "roman_ff":
        value = f"{parts['family'].upper()} {parts['given']}" if rng.random() < 0.6 else \
            f"{parts['family']} {parts['given']}"
        return value, "family_first", parts
    if locale in ("ja_JP", "zh_CN") and form == "roman":
        return f"{parts['given']} {parts['family']}", "roman", parts
    value = _display(values, locale, parts, rng, form)
    label = {"roman_ff": "family_first"}.get(form, form)
    return value, label, parts


def _person_locale(main: str, rng: random.Random) -> str:
    return main if rng.random() < 0.6 else rng.choices(ALL_PEOPLE, weights=MAIN_WEIGHTS)[0]


# -- records -----------------------------------------------------------------------------------
def _entity(kind, value, start, locale="-", script="-", form="structured") -> dict:
    return {"type": kind, "value": value, "start": start, "end": start + len(value), "locale": locale,
            "script": script, "form": form}


def _pii_record(template: str, values: Values, rng: random.Random) -> tuple[str, list[dict]]:
    main = rng.choices(ALL_PEOPLE, weights=MAIN_WEIGHTS)[0]
    text, entities, memo, people = "", [], {}, {}

    def person_entity(value, form, locale):
        return {"value": value, "form": form, "locale": locale, "script": script_of(value)}

    pos = 0
    for match in SLOT.finditer(template):
        text += template[pos:match.start()]
        pos = match.end()
        slot, key = match[1], match[0]
        if key in memo:
            pieces = memo[key]
        else:
            locale = _person_locale(main, rng)
            if slot == "N":
                if rng.random() < 0.22:   # a romanised name from a non-Latin script, or an ASCII-folded one
                    locale = rng.choice(ROMAN_POOL)
                    value, form, parts = _person(values, locale, rng, forms={"roman": 3, "roman_ff": 1})
                else:
                    value, form, parts = _person(values, locale, rng)
                people[match[2] or "1"] = (locale, parts)
                pieces = [("", person_entity(value, form, locale), "")]
            elif slot == "S":
                value, _, parts = _person(values, locale, rng, forms={"native": 5, "roman": 2, "initial": 1})
                pieces = [("", person_entity(value, "possessive", locale), "")]
            elif slot == "G":
                parts = values.parts(locale, rng)
                if locale in ("ja_JP", "zh_CN") or len(parts["given"]) < 2 and script_of(parts["given"]) == "Latin":
                    raise Rejected("given")
                pieces = [("", person_entity(parts["given"], "given", locale), "")]
            elif slot == "H":
                parts = values.parts(locale, rng)
                surname = parts["family"]
                if locale in ("ja_JP", "zh_CN"):
                    surname = surname.title()
                prefix, suffix = values.title(locale, parts["female"], rng)
                pieces = [(prefix + " " if prefix else "", person_entity(surname, "honorific", locale), suffix)]
            elif slot == "L":
                count = rng.choices([2, 3, 4], weights=[4, 3, 2])[0]
                names = []
                for _ in range(count):
                    who = _person_locale(main, rng)
                    value, _, _ = _person(values, who, rng, forms={"native": 5, "roman": 2, "initial": 1, "middle": 1})
                    names.append((value, who))
                if len({v for v, _ in names}) != count:
                    raise Rejected("duplicate in list")
                joiner = rng.choice(["and", "&", ",", ";", "/"])
                pieces = []
                for i, (value, who) in enumerate(names):
                    if joiner in ("and", "&"):
                        lead = "" if i == 0 else f" {joiner} " if i == count - 1 else ", "
                    else:
                        lead = "" if i == 0 else " / " if joiner == "/" else f"{joiner} "
                    pieces.append((lead, person_entity(value, "list", who), ""))
            elif slot == "E":
                owner = people.get(match[2] or "1")
                pieces = [("", {"type": "EMAIL", "value": values.email(rng, owner[0] if owner else main,
                                                                       owner[1] if owner else None)}, "")]
            elif slot == "T":
                pieces = [("", {"type": "PHONE", "value": values.phone(rng, main)}, "")]
            elif slot == "SSN":
                pieces = [("", {"type": "US_SSN", "value": ssn(rng)}, "")]
            elif slot == "CARD":
                pieces = [("", {"type": "CREDIT_CARD", "value": values.card(rng)}, "")]
            elif slot == "IBAN":
                country = IBAN_OF_LOCALE.get(main) if rng.random() < 0.7 else None
                pieces = [("", {"type": "IBAN", "value": iban(rng, country)}, "")]
            elif slot == "IP":
                pieces = [("", {"type": "IP_ADDRESS", "value": values.ip(rng, int(match[2][:1]))}, "")]
            else:
                raise KeyError(slot)
            memo[key] = pieces
        for lead, ent, trail in pieces:
            text += lead
            if "type" in ent:
                entities.append(_entity(ent["type"], ent["value"], len(text)))
            else:
                entities.append(_entity("PERSON", ent["value"], len(text), ent["locale"], ent["script"], ent["form"]))
            text += ent["value"] + trail
    text += template[pos:]
    return text, entities


def _check_spans(text: str, entities: list[dict]) -> None:
    spans = {(e["value"], e["start"], e["end"]) for e in entities}
    for value, start, end in spans:
        if text[start:end] != value or not value.strip() or value != value.strip():
            raise Rejected("span")
        for hit in re.finditer(f"(?={re.escape(value)})", text):
            if (value, hit.start(), hit.start() + len(value)) not in spans:
                raise Rejected(f"stray occurrence of {value!r}")
    ordered = sorted((s, e) for _, s, e in spans)
    if any(b[0] < a[1] for a, b in zip(ordered, ordered[1:])):
        raise Rejected("overlap")


def _fill_lookalike(template: str, values: Values, rng: random.Random) -> str:
    memo = {}

    def sub(match):
        if match[0] not in memo:
            memo[match[0]] = lookalike_value(match[1], values, rng)
        return memo[match[0]]
    return SLOT.sub(sub, template)


def heldout5_build(*, half: str, values: Values, limit: int | None = None,
                   avoid: set[str] = frozenset()) -> list[dict]:
    """The records of one file (all of them, then cut to ``limit``: look-alikes avoid every value)."""
    seed, (size, n_look) = SEEDS[half], SIZES[half]
    kinds = ["lookalike"] * n_look + ["pii"] * (size - n_look)
    random.Random(f"heldout5-kinds-{seed}").shuffle(kinds)
    pii_templates, look_templates = templates.PII[half], templates.LOOKALIKE[half]
    records: list[dict | None] = [None] * size
    seen_texts: set[str] = set()
    file_values: set[str] = set()
    for kind_wanted in ("pii", "lookalike"):
        for index, kind in enumerate(kinds):
            if kind != kind_wanted:
                continue
            for attempt in range(MAX_ATTEMPTS):
                rng = random.Random(f"heldout5-{seed}-{index}-{attempt}")
                try:
                    if kind == "pii":
                        template = pii_templates[(index + rng.randrange(len(pii_templates))) % len(pii_templates)]
                        text, entities = _pii_record(template, values, rng)
                        _check_spans(text, entities)
                        if any(e["value"] in avoid for e in entities):
                            raise Rejected("value of the tune file")
                    else:
                        template = rng.choice(look_templates)
                        text, entities = _fill_lookalike(template, values, rng), []
                        if any(v in text for v in file_values | avoid):
                            raise Rejected("a value of the file in a look-alike")
                    if text in seen_texts:
                        raise Rejected("duplicate text")
                except Rejected:
                    continue
                break
            else:
                raise RuntimeError(f"{half} record {index}: no valid draw in {MAX_ATTEMPTS} attempts")
            seen_texts.add(text)
            file_values.update(e["value"] for e in entities)
            records[index] = {"id": f"{SPLITS[half]}-{index:04d}", "text": text, "entities": entities,
                              "split": SPLITS[half], "kind": kind}
    return records[:limit] if limit is not None else records


def tune_values(values: Values) -> set[str]:
    return {e["value"] for r in heldout5_build(half="tune", values=values) for e in r["entities"]}


def build(half: str, values: Values, limit: int | None = None) -> list[dict]:
    avoid = tune_values(values) if half == "test" else frozenset()
    return heldout5_build(half=half, values=values, limit=limit, avoid=avoid)


def load_values(install: bool = True) -> Values:
    from benchmarks.pii.heldout4_faker import faker_import
    from benchmarks.pii.heldout5_mimesis import mimesis_import

    return Values(mimesis_import(install=install), faker_import(install=install))


def counts(records: list[dict]) -> dict[str, Counter]:
    return entity_counts(records)


def main(argv: list[str] | None = None) -> int:
    return set_main(argv, description=__doc__.splitlines()[0], files=FILES, load=load_values, build=build,
                    counts=counts)


if __name__ == "__main__":
    sys.exit(main())
