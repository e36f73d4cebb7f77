"""Seeded generator of ``heldout6``: an independent held-out set of LONG documents with PII (issue 11).

    ./perimeter python benchmarks/pii/make_heldout6.py                  # both files, default seeds
    ./perimeter python benchmarks/pii/make_heldout6.py --set test --limit 10 --out /tmp/h6.jsonl
    ./perimeter python benchmarks/pii/make_heldout6.py --counts         # per type/script/form/locale, writes nothing
    ./perimeter test tests/privacy/test_heldout6_set.py -q

Why. The payloads we redact are a question plus retrieved chunks: multi-sentence, multi-paragraph
text. Every earlier set (dev, heldout3-5) holds one or two sentences a record. ``heldout6`` holds
documents of 3-15 sentences and 300-2,500 characters in office registers: e-mail threads (headers,
quoted replies, signatures), meeting minutes with attendee lists and "AP: <name> to ..." actions,
incident post-mortems with timelines, HR case notes, support tickets with history, chat exports,
contract excerpts, onboarding checklists, travel bookings, expense reports, CSV and Markdown
tables inside prose, wiki pages. One person is usually named several ways in a document (full
name, then given name, then "Ms. X", then initials, a possessive, sometimes the other-script form
in parentheses); every occurrence is an entity span. About 60% of documents carry a second, forwarded
or attached part from another register. "Sentences" (:func:`sentences`) are runs of words ending in
. ! ? (not after a title, legal form or initial); header fields, table / CSV rows, list items and chat
lines without final punctuation lengthen a document but are not counted.

Honesty rules. Written by an engineer who had NOT seen the detector: nothing under
``rag/privacy/`` or ``tests/privacy/`` was read (except ``tests/privacy/test_heldout5_set.py``, the
model for ``tests/privacy/test_heldout6_set.py``), nor the older sets' templates, name lists or data
(``heldout*_templates.py``, ``templates.py``, ``names.py``, ``data/*.jsonl``). Only
``make_heldout5.py``, ``heldout5_mimesis.py`` and ``heldout4_faker.py`` were read, for how the
pinned test-data libraries are installed beside the app; their import helpers are reused. All
wordings (:mod:`benchmarks.pii.heldout6_docs`, :mod:`benchmarks.pii.heldout6_docs_lookalike`),
romanisation tables, person drawing and structured-value makers (:mod:`benchmarks.pii.heldout6_people`),
look-alike values (:mod:`benchmarks.pii.heldout6_lookalikes`) and document assembly
(:mod:`benchmarks.pii.heldout6_assembly`) were written from scratch; this module fills the slots,
checks the invariants and writes the files. The detector and
``benchmarks/redaction_bench.py`` were NOT run on these files: they are scored once, by someone else.
Faker / mimesis data is used only inside the generated set.

Two files from two seeds and two disjoint piece sets (:data:`SEEDS`, :data:`SIZES`):
``data/heldout6_tune.jsonl`` (80 documents, 20 look-alikes, seed 6061, pieces ``PII["tune"]`` /
``LOOKALIKE["tune"]``) and ``data/heldout6.jsonl`` (250 documents, 60 look-alikes, seed 6069,
pieces ``["test"]``): scored once, never tuned on. People come from ``mimesis==22.2.0`` (its own
locale codes, e.g. ``de``, ``ar-eg``, ``ko``) and ``Faker==40.54.0`` (Faker codes with an underscore:
``th_TH``, ``he_IL``, ``hi_IN``, ``ne_NP``, ``bn_BD``, ``ta_IN``, ``si_LK``, ``ka_GE``, ``hy_AM``,
``vi_VN``, and romanised ``ja_JP`` / ``zh_CN``), about 42% from Latin-script locales.

Record (one JSON object a line, keys in this order)::

    {"id": "heldout6-000", "text": str, "entities": [...], "split": "heldout6" | "heldout6_tune",
     "kind": "pii" | "lookalike"}
    entity: {"type", "value", "start", "end", "locale", "script", "form"}

Types PERSON EMAIL PHONE US_SSN CREDIT_CARD (Luhn-valid) IBAN (mod-97-valid) IP_ADDRESS (v4 / v6).
PERSON form: ``native`` (the locale's script and order, family first for zh/ja/ko/hu/vi), ``roman``
(romanised Cyrillic / Greek / Hangul, Faker's romanised Japanese / Chinese, or an ASCII-folded Latin
name that had diacritics), ``initial`` ("A.B.", "A. B.", "AB"), ``middle`` ("Ana R. Costa"),
``given``, ``honorific`` (the title is outside the span: "Ms. <Berg>", "<田中>さん"), ``list``
(people listed in an attendee / cc line), ``possessive`` (before "'s"), ``family_first`` ("BERG,
Anna", "TANAKA Hiroshi"), ``hyphenated``. ``script`` is the Unicode script of most letters of the
value; structured values have locale / script ``-`` and form ``structured``.

Invariants (enforced here, re-checked by the test): ``text[start:end] == value``; spans do not
overlap; every occurrence of an entity value in its text is either one of the record's spans of
that value or lies inside a longer PERSON span of the same record (a given name inside the full
name it came from: removing the full name removes it too); no entity value of a file occurs in any
look-alike text of that file; the test file repeats no entity value (and no text) of the tune file;
look-alikes carry no personal data (their slots are products named like people, companies with
legal forms, cities, countries, IP-shaped versions, Luhn-valid order numbers, dates, ISBNs, hashes,
ticket ids, non-Latin UI labels, amounts).

Determinism. Each document is drawn from its own ``random.Random`` seeded with (seed, index,
attempt); library generators are reseeded from it. Look-alikes are made first (PII values must
avoid their texts), then PII documents; the tune file is built before the test file (whose values
must avoid it). ``--limit N`` writes the first N lines of the full file; output is byte-identical
for the same seeds and library versions.
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
from benchmarks.pii import heldout6_docs as docs  # noqa: E402
from benchmarks.pii.heldout6_assembly import SLOT, assemble, check_shape, sentences  # noqa: E402
from benchmarks.pii.heldout6_lookalikes import COMPANIES, date, lookalike_value, ticket  # noqa: E402
from benchmarks.pii.heldout6_people import (  # noqa: E402
    IBAN_OF_LOCALE, ROMAN_ONLY, People, Person, Rejected, card, draw_person, email, iban, ip, locale_weights,
    native_full, phone, script_of, ssn,
)

DATA = Path(__file__).resolve().parent / "data"
SEEDS = {"tune": 6061, "test": 6069}
SIZES = {"tune": (80, 20), "test": (250, 60)}   # (documents, look-alikes)
FILES = {"tune": DATA / "heldout6_tune.jsonl", "test": DATA / "heldout6.jsonl"}
SPLITS = {"tune": "heldout6_tune", "test": "heldout6"}
MAX_ATTEMPTS = 300
LOCALES, WEIGHTS = locale_weights()
LONG_SHARE = 0.6   # documents with a second, forwarded / attached part


# -- documents ------------------------------------------------------------------------------------
def _entity(kind, value, start, locale="-", script="-", form="structured") -> dict:
    return {"type": kind, "value": value, "start": start, "end": start + len(value), "locale": locale,
            "script": script, "form": form}


def _honorific(person: Person, rng: random.Random) -> tuple[str, str]:
    if person.locale == "ja" and person.mode == "native":
        return "", rng.choice(["さん", "様"])
    if person.locale in ("ja", "ja_JP") and rng.random() < 0.5:
        return "", "-san"
    title = rng.choice(["Dr.", "Prof."]) if rng.random() < 0.2 else ("Ms." if person.parts["female"] else "Mr.")
    return title + " ", ""


def _initials(person: Person, rng: random.Random) -> str | None:
    g, f = person.given, person.family.split("-")[0]
    if script_of(g + f) not in ("Latin", "Cyrillic", "Greek") or not (g[:1].isalpha() and f[:1].isalpha()):
        return None
    a, b = g[0].upper(), f[0].upper()
    return rng.choice([f"{a}.{b}.", f"{a}. {b}.", f"{a}{b}", f"{a}.{b}."])


def _alt(person: Person) -> tuple[str, str] | None:
    """The same person in the other script (romanised <-> native), or None."""
    p = person.parts
    if person.locale in ROMAN_ONLY or script_of(p["given"] + p["family"]) == "Latin":
        return None
    if person.mode == "native" and p["rgiven"] and p["rfamily"]:
        return f"{p['rgiven']} {p['rfamily']}", "roman"
    if person.mode == "roman":
        return native_full(person.locale, p["given"], p["family"], random.Random(p["given"])), "native"
    return None


def pii_document(register: dict, people: People, rng: random.Random, bad_value,
                 extra: dict | None = None) -> tuple[str, list[dict]]:
    template = assemble(register, rng, extra)
    main = rng.choices(LOCALES, weights=WEIGHTS)[0]
    persons: dict[str, Person] = {}
    used_parts: set[str] = set()
    memo: dict[str, list] = {}
    text, entities, pos = "", [], 0

    def locale_for():
        return main if rng.random() < 0.55 else rng.choices(LOCALES, weights=WEIGHTS)[0]

    def new_person(listed=False) -> Person:
        for _ in range(40):
            try:
                person = draw_person(people, locale_for(), rng, listed=listed)
            except Rejected:
                continue
            names = {person.full, person.given, person.family, person.parts["given"], person.parts["family"]}
            short = [v for v in names if len(v) < 2 and script_of(v) not in ("Han", "Hangul", "Hiragana", "Katakana")]
            if names & used_parts or any(bad_value(v) for v in names) or short:
                continue
            used_parts.update(names)
            return person
        raise Rejected("no person")

    def person(k: str) -> Person:
        if k not in persons:
            persons[k] = new_person()
        return persons[k]

    def pent(value, who: Person, form):
        return {"type": "PERSON", "value": value, "locale": who.locale, "script": script_of(value), "form": form}

    for match in SLOT.finditer(template):
        text += template[pos:match.start()]
        pos = match.end()
        slot, k = match[1], match[2] or "1"
        key = match[0]
        if key in memo and slot not in ("P",):
            pieces = memo[key]
        elif slot == "P":
            who = person(k)
            pieces = [("", pent(who.full, who, who.form), "")]
        elif slot == "G":
            who = person(k)
            pieces = [("", pent(who.given, who, "given"), "")]
        elif slot == "H":
            who = person(k)
            before, after = _honorific(who, rng)
            pieces = [(before, pent(who.family, who, "honorific"), after)]
        elif slot == "I":
            who = person(k)
            ini = _initials(who, rng)
            pieces = [("", pent(ini, who, "initial") if ini else pent(who.given, who, "given"), "")]
        elif slot == "S":
            who = person(k)
            value = who.given if rng.random() < 0.6 else who.full
            pieces = [("", pent(value, who, "possessive"), "'s")]
        elif slot == "X":
            who = person(k)
            alt = _alt(who)
            if alt and bad_value(alt[0]):
                raise Rejected("alt value")
            pieces = [(" (", pent(alt[0], who, alt[1]), ")")] if alt else []
        elif slot == "E":
            who = person(k)
            pieces = [("", {"type": "EMAIL", "value": email(rng, who.parts)}, "")]
        elif slot == "L":
            count = rng.choice([2, 2, 3, 4])
            listed = [new_person(listed=True) for _ in range(count)]
            pieces = []
            for i, who in enumerate(listed):
                lead = "" if i == 0 else " and " if i == count - 1 and rng.random() < 0.5 else ", "
                pieces.append((lead, pent(who.full, who, "list"), ""))
        elif slot == "T":
            pieces = [("", {"type": "PHONE", "value": phone(rng, main if rng.random() < 0.7 else locale_for())}, "")]
        elif slot == "SSN":
            pieces = [("", {"type": "US_SSN", "value": ssn(rng)}, "")]
        elif slot == "CARD":
            pieces = [("", {"type": "CREDIT_CARD", "value": card(rng)}, "")]
        elif slot == "IBAN":
            country = IBAN_OF_LOCALE.get(main) if rng.random() < 0.7 else None
            pieces = [("", {"type": "IBAN", "value": iban(rng, country)}, "")]
        elif slot in ("IP", "IPB"):
            pieces = [("", {"type": "IP_ADDRESS", "value": ip(rng, int(k) if k in "46" else 4)}, "")]
        elif slot == "D":
            pieces = [("", date(rng), "")]
        elif slot == "N":
            pieces = [("", str(rng.randint(2, 60)), "")]
        elif slot == "TK":
            pieces = [("", ticket(rng), "")]
        elif slot == "CO":
            pieces = [("", rng.choice(COMPANIES), "")]
        else:
            raise KeyError(slot)
        if slot not in ("P", "D", "N", "TK", "CO", "T", "I", "S"):
            memo[key] = pieces
        for lead, ent, trail in pieces:
            text += lead
            if isinstance(ent, str):
                text += ent
            else:
                if ent["type"] == "PERSON":
                    entities.append(_entity("PERSON", ent["value"], len(text), ent["locale"], ent["script"], ent["form"]))
                else:
                    entities.append(_entity(ent["type"], ent["value"], len(text)))
                text += ent["value"]
            text += trail
    text += template[pos:]
    return text, entities


def check_spans(text: str, entities: list[dict]) -> None:
    """Every occurrence of a value is a span of it or lies inside a longer PERSON span; no overlaps."""
    spans = {(e["value"], e["start"], e["end"]) for e in entities}
    people = [(e["start"], e["end"]) for e in entities if e["type"] == "PERSON"]
    for value, start, end in spans:
        if text[start:end] != value or not value or value != value.strip():
            raise Rejected("span")
        for hit in re.finditer(f"(?={re.escape(value)})", text):
            h = hit.start()
            if (value, h, h + len(value)) in spans:
                continue
            if not any(s <= h and h + len(value) <= e and e - s > len(value) for s, e in people):
                raise Rejected(f"stray occurrence of {value!r}")
    ordered = sorted((s, e) for _, s, e in spans)
    if any(b[0] < a[1] for a, b in zip(ordered, ordered[1:])):
        raise Rejected("overlap")


def lookalike_document(register: dict, rng: random.Random, extra: dict | None = None) -> str:
    template = assemble(register, rng, extra)
    memo = {}

    def sub(match):
        if match[0] not in memo:
            memo[match[0]] = lookalike_value(match[1], rng)
        return memo[match[0]]
    return SLOT.sub(sub, template)


def heldout6_build(*, half: str, people: People, limit: int | None = None,
                   avoid: frozenset[str] = frozenset()) -> list[dict]:
    seed, (size, n_look) = SEEDS[half], SIZES[half]
    kinds = ["lookalike"] * n_look + ["pii"] * (size - n_look)
    random.Random(f"heldout6-kinds-{seed}").shuffle(kinds)
    pii_regs = [docs.PII[half][name] for name in sorted(docs.PII[half])]
    look_regs = [docs.LOOKALIKE[half][name] for name in sorted(docs.LOOKALIKE[half])]
    records: list[dict | None] = [None] * size
    seen: set[str] = set()
    blob = ""
    file_values: set[str] = set()

    def bad_value(value: str) -> bool:
        return value in avoid or value in blob

    for wanted in ("lookalike", "pii"):
        for index, kind in enumerate(kinds):
            if kind != wanted:
                continue
            for attempt in range(MAX_ATTEMPTS):
                rng = random.Random(f"heldout6-{seed}-{index}-{attempt}")
                try:
                    long_doc = rng.random() < LONG_SHARE
                    if kind == "lookalike":
                        register = look_regs[(index + attempt) % len(look_regs)]
                        extra = rng.choice([r for r in look_regs if r is not register]) if long_doc else None
                        text = lookalike_document(register, rng, extra)
                        entities = []
                    else:
                        register = pii_regs[(index + rng.randrange(len(pii_regs))) % len(pii_regs)]
                        extra = rng.choice([r for r in pii_regs if r is not register]) if long_doc else None
                        text, entities = pii_document(register, people, rng, bad_value, extra)
                        check_spans(text, entities)
                        if any(bad_value(e["value"]) for e in entities):
                            raise Rejected("value of the tune file or of a look-alike")
                    check_shape(text)
                    if text in seen:
                        raise Rejected("duplicate")
                except Rejected:
                    continue
                break
            else:
                raise RuntimeError(f"{half} document {index}: no valid draw in {MAX_ATTEMPTS} attempts")
            seen.add(text)
            if kind == "lookalike":
                blob += text + "\n\x00\n"
            file_values.update(e["value"] for e in entities)
            records[index] = {"id": f"{SPLITS[half]}-{index:03d}", "text": text, "entities": entities,
                              "split": SPLITS[half], "kind": kind}
    return records[:limit] if limit is not None else records


def build(half: str, people: People, limit: int | None = None) -> list[dict]:
    avoid = frozenset()
    if half == "test":
        avoid = frozenset(e["value"] for r in heldout6_build(half="tune", people=people) for e in r["entities"])
    return heldout6_build(half=half, people=people, limit=limit, avoid=avoid)


def load_people(install: bool = True) -> People:
    from benchmarks.pii.heldout4_faker import faker_import
    from benchmarks.pii.heldout5_mimesis import mimesis_import

    return People(mimesis_import(install=install), faker_import(install=install))


def counts(records: list[dict]) -> dict[str, Counter]:
    return {**entity_counts(records),
            "chars": Counter({"min": min(len(r["text"]) for r in records), "max": max(len(r["text"]) for r in records),
                              "mean": sum(len(r["text"]) for r in records) // len(records)}),
            "sentences": Counter({"min": min(sentences(r["text"]) for r in records),
                                  "max": max(sentences(r["text"]) for r in records)})}


def main(argv: list[str] | None = None) -> int:
    return set_main(argv, description=__doc__.splitlines()[0], files=FILES, load=load_people, build=build,
                    counts=counts, unit="documents", width=9)


if __name__ == "__main__":
    sys.exit(main())
