#!/usr/bin/env python
"""Seeded generator of ``heldout3``: a held-out PII set written apart from the detector.

    ./perimeter python benchmarks/pii/make_heldout3.py               # data/heldout3.jsonl (seed 20261206)
    ./perimeter python benchmarks/pii/make_heldout3.py --seed 7 --out /tmp/h3.jsonl

Records (one JSON object a line, same shape as ``dev.jsonl``)::

    {"id": "heldout3-0000", "text": str, "split": "heldout3", "kind": "pii" | "lookalike",
     "entities": [{"type", "value", "start", "end", "locale", "script", "form"}]}

``text[start:end] == value`` for every entity, and every occurrence of a value
in its text is one of the record's entity spans, so "the value no longer occurs
in the output" (how ``redaction_bench.py`` scores) is fair. Types: ``PERSON``,
``EMAIL``, ``PHONE``, ``US_SSN``, ``CREDIT_CARD``, ``IBAN``, ``IP_ADDRESS``.
A person's ``locale`` is one of :data:`heldout3_names.LOCALES` (22 of them), its
``script`` the Unicode script of the value (``Latin``, ``Han``, ``Hiragana``,
``Katakana``, ``Hangul``, ``Arabic``, ``Hebrew``, ``Devanagari``, ``Cyrillic``,
``Greek``, ``Thai``) and its ``form`` one of ``native`` (full name, own spelling),
``roman`` (romanised or ASCII-folded), ``middle`` (with a middle initial),
``initial`` (initials for the given name), ``honorific`` (the honorific stays
outside the span) or ``given`` (given name alone). Structured values have
``locale``, ``script`` = ``"-"`` and ``form`` = ``"structured"``; cards pass the
Luhn check, IBANs ISO 13616 mod-97, SSNs use issued area numbers (001-899
without 666). ``lookalike`` records have no entities and no personal data.

Honesty: names (:mod:`benchmarks.pii.heldout3_names`) and sentences
(:mod:`benchmarks.pii.heldout3_templates`) were written for this set by someone
who did not read the detector, its gazetteers or the other sets' names and
templates. Score it once; do not tune on it.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from benchmarks.pii import heldout3_templates as T  # noqa: E402
from benchmarks.pii.heldout3_names import ENGLISH_HONORIFICS, LOCALES, Locale  # noqa: E402
from benchmarks.pii.heldout3_values import (  # noqa: E402
    card_make, digits_fill, email_make, iban_make, ip_make, latin_fold, luhn_complete, phone_make, script_of, ssn_make,
)

SEED = 20261206
OUT = Path(__file__).resolve().parent / "data" / "heldout3.jsonl"
STRUCTURED_RECORDS_PER_TYPE = 16
MIXED_RECORDS = 12
# The forms of a locale's person records, one record each (non-Latin locales get more, mostly native script).
FORMS = ("native", "roman", "honorific", "initial", "native", "middle", "given", "honorific", "roman", "native",
         "middle", "initial")
FORMS_NON_LATIN = ("native", "roman", "honorific", "native", "initial", "middle", "native", "given", "honorific",
                   "roman", "native", "native", "given", "native", "honorific", "native")
MIDDLE_LETTERS = "ABCDEFGHJKLMNPRSTVW"


# ------------------------------------------------------------------ people
def _initials(given: str, locale: str) -> str:
    """ "Jean-Baptiste" -> "J.-B." (French), "Min-jun" -> "M.J.", "Ana Clara" -> "A.C.", "Rohan" -> "R."."""
    parts = re.split(r"([- ])", given)
    letters = [p[0].upper() + "." for p in parts if p not in ("-", " ", "")]
    return ".-".join(x[:-1] for x in letters) + "." if locale == "fr" and "-" in given else "".join(letters)


def person_make(rng: random.Random, loc: Locale, form: str, *, extra: int | None = None) -> tuple[str, str, str, str]:
    """One person of ``loc`` written in ``form``: ``(before, value, after, form_label)``.

    The entity span is ``value``; ``before``/``after`` hold an honorific that is not
    part of the name ("Dr. ", "さん"). ``form_label`` is ``form``, except that a
    "roman" name of a Latin locale with nothing to fold is labelled "native".
    ``extra``: take entry ``extra`` (modulo the length) of the locale's ``extra_full``
    (forms native, roman) or ``extra_given`` (form given) list; else those lists are drawn
    from now and then.
    """
    gender = rng.choice("mf")
    g_native, g_roman = rng.choice(loc.given_m if gender == "m" else loc.given_f)
    fam = rng.choice(loc.family)
    f_native, f_roman = (fam[0], fam[1]) if gender == "m" else (fam[2], fam[3])
    if loc.latin:
        if loc.code in ("es", "pt-BR") and form in ("native", "roman") and rng.random() < 0.4:
            other = rng.choice([f for f in loc.family if f[0] != f_native])
            f_native = f"{f_native} {other[0]}"
        g_roman, f_roman = latin_fold(g_native, loc.code), latin_fold(f_native, loc.code)
    call_native = g_native.split()[-1] if loc.call_last else g_native
    call_roman = g_roman.split()[-1] if loc.call_last else g_roman

    def full(native: bool) -> str:
        g, f = (g_native, f_native) if native else (g_roman, f_roman)
        if native:
            return f"{f}{loc.joiner}{g}" if loc.family_first else f"{g} {f}"
        if loc.code == "ko" and rng.random() < 0.4:
            g = g.replace("-", "").capitalize()
        if loc.family_first and not loc.latin:
            order = rng.random()
            return f"{g} {f}" if order < 0.5 else f"{f} {g}" if order < 0.8 else f"{f.upper()} {g}"
        if loc.code == "vi" and rng.random() < 0.6:
            return f"{f} {g}"
        return f"{call_roman} {f}"

    if form == "native":
        if loc.extra_full and (extra is not None or rng.random() < 0.2):
            return "", _extra_pick(rng, loc.extra_full, extra)[0], "", form
        return "", full(native=True), "", form
    if form == "roman":
        if loc.extra_full and (extra is not None or rng.random() < 0.2):
            return "", _extra_pick(rng, loc.extra_full, extra)[1], "", form
        value = full(native=False)
        nothing_folded = loc.latin and g_roman == g_native and f_roman == f_native
        return "", value, "", "native" if nothing_folded else form
    if form == "given":
        if loc.extra_given and (extra is not None or rng.random() < 0.7):
            native_given, roman_given, _ = _extra_pick(rng, loc.extra_given, extra)
            return "", native_given if rng.random() < 0.8 else roman_given, "", form
        if loc.latin:
            return "", call_native if rng.random() < 0.7 else latin_fold(call_native, loc.code), "", form
        return "", call_native if rng.random() < 0.5 else call_roman, "", form
    if form == "initial":
        if loc.code in ("ru", "uk", "el") and rng.random() < 0.5:
            if loc.code != "el" and rng.random() < 0.5:  # "Смирнова Е. А.": family, given and patronymic initials
                return "", f"{f_native} {g_native[0]}. {rng.choice('АБВГДИКМНОПСФЮ')}.", "", form
            return "", f"{g_native[0]}. {f_native}", "", form
        first = _initials(call_native if loc.latin else g_roman, loc.code)
        if loc.code == "en" and rng.random() < 0.4:
            first += rng.choice(MIDDLE_LETTERS) + "."
        return "", f"{first} {f_native if loc.latin else f_roman}", "", form
    if form == "middle":
        g = call_native if loc.latin else call_roman
        f = f_native if loc.latin else f_roman
        if loc.latin and rng.random() < 0.3:
            g, f = latin_fold(g, loc.code), latin_fold(f, loc.code)
        return "", f"{g} {rng.choice(MIDDLE_LETTERS)}. {f}", "", form
    if form == "honorific":
        own = [h for h in loc.honorifics if h[4] in ("u", gender)]
        english = [h for h in ENGLISH_HONORIFICS if h[4] in ("u", gender)]
        before, after, part, spelling, _ = rng.choice(own if own and rng.random() < 0.6 else english)
        native = spelling == "native" or (loc.latin and rng.random() < 0.75)
        if part == "family":
            name = f_native if native else f_roman
        elif part == "given":
            name = call_native if native else call_roman
        else:
            name = full(native)
        return before, name, after, form
    raise ValueError(f"unknown form {form!r}")


def _extra_pick(rng: random.Random, names: tuple, index: int | None) -> tuple[str, str, str]:
    return rng.choice(names) if index is None else names[index % len(names)]


# ------------------------------------------------------------------ records
SLOT_RE = re.compile(r"\{(\w+)\}")
STRUCTURED = {"EMAIL": email_make, "PHONE": phone_make, "SSN": ssn_make, "CARD": card_make, "IBAN": iban_make,
              "IP": ip_make}
SLOT_TYPES = {"EMAIL": "EMAIL", "PHONE": "PHONE", "SSN": "US_SSN", "CARD": "CREDIT_CARD", "IBAN": "IBAN",
              "IP": "IP_ADDRESS"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def _filler(rng: random.Random, slot: str) -> str:
    if slot[0] == "N" and slot[1:].isdigit():
        return digits_fill(rng, "N" + "D" * (int(slot[1:]) - 1))
    if slot == "LUHN16G":
        number = luhn_complete(rng, rng.choice("123456789"), 16)
        return " ".join(number[i:i + 4] for i in range(0, 16, 4))
    if slot.startswith("LUHN"):
        return luhn_complete(rng, rng.choice("123456789"), int(slot[4:]))
    if slot == "VER4":
        return f"{rng.randint(1, 12)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}.{rng.randint(0, 300)}"
    if slot == "DATE":
        y, m, d = rng.randint(2026, 2028), rng.randint(1, 12), rng.randint(1, 28)
        return rng.choice([f"{d} {MONTHS[m - 1]} {y}", f"{y}-{m:02d}-{d:02d}", f"{MONTHS[m - 1]} {d}, {y}",
                           f"{d:02d}.{m:02d}.{y}"])
    raise KeyError(f"unknown template slot {{{slot}}}")


def template_render(rng: random.Random, template: str, *, locale: str = "", form: str = "",
                    extra: int | None = None) -> tuple[str, list[dict]]:
    """Fill ``template``: ``(text, entities)``; ``{P}`` is a person of ``locale`` in ``form`` (``extra``: see
    :func:`person_make`).

    ``{P2}``..``{P4}`` take a random locale and form. Every slot is drawn afresh.
    """
    text, entities = "", []
    for i, piece in enumerate(SLOT_RE.split(template)):
        if i % 2 == 0:
            # "... changed to Дорошенко О. Д.." reads as a typo: a name ending in "." ends the sentence too
            text += piece[1:] if piece.startswith(".") and text.endswith(".") else piece
            continue
        base = piece.rstrip("0123456789")
        if base == "P":
            loc = LOCALES[locale] if piece == "P" else LOCALES[rng.choice(sorted(LOCALES))]
            if piece == "P":
                before, value, after, person_form = person_make(rng, loc, form, extra=extra)
            else:
                before, value, after, person_form = person_make(rng, loc, rng.choice(FORMS))
            text += before
            entities.append(_entity("PERSON", value, len(text), loc.code, script_of(value), person_form))
            text += value + after
        elif base in STRUCTURED:
            value = STRUCTURED[base](rng)
            entities.append(_entity(SLOT_TYPES[base], value, len(text), "-", "-", "structured"))
            text += value
        else:
            text += _filler(rng, piece)
    return text, entities


def _entity(kind: str, value: str, start: int, locale: str, script: str, form: str) -> dict:
    return {"type": kind, "value": value, "start": start, "end": start + len(value), "locale": locale,
            "script": script, "form": form}


def record_problems(text: str, entities: list[dict]) -> list[str]:
    """Why a rendered record is unfit for scoring by "value no longer in the output" (``[]`` when fit).

    Checks: spans match their values, spans do not overlap, and every occurrence of a
    value in the text is one of the entity spans (a name inside another word would
    count as a miss even after a perfect redaction).
    """
    problems = []
    spans = sorted((e["start"], e["end"]) for e in entities)
    problems += [f"overlap at {a}" for (a, b), (c, _) in zip(spans, spans[1:]) if c < b]
    starts = {(e["start"], e["value"]) for e in entities}
    for e in entities:
        if text[e["start"]:e["end"]] != e["value"]:
            problems.append(f"span {e['start']}:{e['end']} is not {e['value']!r}")
        at = text.find(e["value"])
        while at != -1:
            if (at, e["value"]) not in starts:
                problems.append(f"{e['value']!r} also occurs at {at}")
            at = text.find(e["value"], at + 1)
    return problems


def _render_fit(rng: random.Random, template: str, **kw) -> tuple[str, list[dict]]:
    for _ in range(200):
        text, entities = template_render(rng, template, **kw)
        if not record_problems(text, entities):
            return text, entities
    raise RuntimeError(f"no fit rendering of {template!r} for {kw}")


def dataset_build(seed: int = SEED) -> list[dict]:
    """All records of the set for ``seed``, shuffled and numbered ``heldout3-0000``..; deterministic."""
    rng = random.Random(seed)
    drafts = []  # (kind, text, entities)
    person_templates = list(T.PERSON_TEMPLATES)
    for code in sorted(LOCALES):
        rng.shuffle(person_templates)
        forms = FORMS if LOCALES[code].latin else FORMS_NON_LATIN
        for i, form in enumerate(forms):
            text, ents = _render_fit(rng, person_templates[i], locale=code, form=form)
            drafts.append(("pii", text, ents))
    for code in sorted(LOCALES):  # names that do not split: kana, katakana renderings, Cantonese romanisation
        loc = LOCALES[code]
        picks = [("given", i) for i in range(len(loc.extra_given))] + \
            [(form, i) for i, form in zip(range(len(loc.extra_full)), ("native", "roman", "native", "native"))]
        for form, index in picks:
            template = rng.choice(T.PERSON_TEMPLATES)
            drafts.append(("pii", *_render_fit(rng, template, locale=code, form=form, extra=index)))
    for kind in sorted(T.STRUCTURED_TEMPLATES):
        templates = T.STRUCTURED_TEMPLATES[kind]
        for i in range(STRUCTURED_RECORDS_PER_TYPE):
            drafts.append(("pii", *_render_fit(rng, templates[i % len(templates)])))
    codes = sorted(LOCALES)
    for i in range(MIXED_RECORDS):
        template = T.MIXED_TEMPLATES[i % len(T.MIXED_TEMPLATES)]
        drafts.append(("pii", *_render_fit(rng, template, locale=rng.choice(codes), form=rng.choice(FORMS))))
    for template in T.LOOKALIKE_TEMPLATES:
        text, ents = template_render(rng, template)
        if ents:
            raise ValueError(f"look-alike template has an entity slot: {template!r}")
        drafts.append(("lookalike", text, []))
    rng.shuffle(drafts)
    return [{"id": f"heldout3-{i:04d}", "text": text, "entities": sorted(ents, key=lambda e: e["start"]),
             "split": "heldout3", "kind": kind} for i, (kind, text, ents) in enumerate(drafts)]


def dataset_dumps(records: list[dict]) -> str:
    """The JSONL text of ``records``: one object a line, UTF-8 kept as is, trailing newline."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def main(argv: list[str] | None = None) -> int:
    """Write the set; print its counts per kind, type, locale, script and form."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    records = dataset_build(args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(dataset_dumps(records), encoding="utf-8")
    counts: dict[str, int] = {}
    for r in records:
        counts[f"kind:{r['kind']}"] = counts.get(f"kind:{r['kind']}", 0) + 1
        for e in r["entities"]:
            keys = [f"type:{e['type']}"] + ([f"locale:{e['locale']}", f"script:{e['script']}", f"form:{e['form']}"]
                                            if e["type"] == "PERSON" else [])
            for k in keys:
                counts[k] = counts.get(k, 0) + 1
    print(f"{len(records)} records -> {args.out}")
    for k in sorted(counts):
        print(f"  {k:<24} {counts[k]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
