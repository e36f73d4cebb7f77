#!/usr/bin/env python
"""Seeded generator of ``heldout4``: a held-out PII set made with Faker, as outside evaluators make theirs.

    ./perimeter python benchmarks/pii/make_heldout4.py                 # both files, default seeds
    ./perimeter python benchmarks/pii/make_heldout4.py --set test --limit 20 --out /tmp/h4.jsonl
    ./perimeter python benchmarks/pii/make_heldout4.py --counts        # per locale/script/form/type

Two files from two seeds and two disjoint template sets (:mod:`benchmarks.pii.heldout4_templates`):
``data/heldout4_tune.jsonl`` (:data:`SIZES` ``tune``, seed :data:`SEEDS` ``tune``: may be tuned on
and its misses read) and ``data/heldout4.jsonl`` (``test``: scored once, never tuned on).
Names and structured values come from ``Faker==40.54.0`` (installed beside the app, never in it:
:mod:`benchmarks.pii.heldout4_faker`) in 71 locales, non-Latin names also romanised
(:mod:`benchmarks.pii.heldout4_romanize`). Records (one JSON object a line, as ``heldout3``)::

    {"id": "heldout4-0000", "text": str, "entities": [...], "split": "heldout4" | "heldout4_tune",
     "kind": "pii" | "lookalike"}
    entity: {"type", "value", "start", "end", "locale", "script", "form"}

``text[start:end] == value``; every occurrence of a value in its text is one of the record's
spans of that value, no entity value of a file occurs in any of its look-alike texts, and the
test file repeats no entity value of the tune file, so
"the value no longer occurs in the output" (how ``redaction_bench.py`` scores) is fair both ways.
Types: ``PERSON``, ``EMAIL``, ``PHONE``, ``US_SSN``, ``CREDIT_CARD`` (Luhn-valid), ``IBAN``
(mod-97-valid), ``IP_ADDRESS`` (v4 and v6). A person's ``locale`` is its Faker locale, ``script``
the Unicode script of most of its letters (``Latin``, ``Han``, ``Hangul``, ``Cyrillic``, ...),
``form`` one of ``native`` (Faker's ``name()``; its prefix or suffix, e.g. "Dr." or "MBA", is kept
in the text outside the span), ``roman`` (romanised, or ASCII-folded Latin), ``initial``
("J. Müller"), ``middle`` ("Ana R. Costa"), ``given`` (given name alone), ``honorific`` ("Ms." +
surname, the honorific outside the span), ``list`` (in a list of two or three) or ``possessive``
(before "'s"); structured values have ``locale`` and ``script`` ``"-"`` and ``form`` ``structured``.
``lookalike`` records have no entities and no personal data: product names that are first names,
company names with a legal form, Luhn-valid order numbers, IPv4-like versions, dates, ISBNs,
SKUs, hashes, UUIDs, cities, countries, months, weekdays, formulas, job titles, non-Latin labels.

Each record is drawn from its own seed (set seed, index, attempt), so ``--limit N`` writes
exactly the first N lines of the full file; output is byte-identical for the same seed and
Faker version. Honesty: written without reading the detector or the other sets' names and
templates; Faker's data must never feed the detector (issue 11).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.pii.heldout4_faker import faker_import  # noqa: E402
from benchmarks.pii.heldout4_templates import LOOKALIKE, PII  # noqa: E402
from benchmarks.pii.heldout4_values import Values, iban_ok, luhn_ok  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
SEEDS = {"tune": 4_2026_1, "test": 4_2026_2}
SIZES = {"tune": (300, 75), "test": (900, 220)}  # (records, of which look-alikes)
FILES = {"tune": "heldout4_tune.jsonl", "test": "heldout4.jsonl"}
SPLITS = {"tune": "heldout4_tune", "test": "heldout4"}
SLOT = re.compile(r"\{([A-Z]+?)(\d?)\}")
PERSON_SLOTS = {"N", "G", "H", "P", "L"}
STRUCTURED_SLOTS = {"EMAIL", "PHONE", "SSN", "CARD", "IBAN", "IP", "IP6"}
FULL_NAME_FORMS = (("native", 50), ("roman", 25), ("initial", 13), ("middle", 12))
SSN_PATTERN = re.compile(r"^(\d{3})[- ]?(\d{2})[- ]?(\d{4})$")


def heldout4_build(*, half: str, values: Values, seed: int | None = None, limit: int | None = None) -> list[dict]:
    """The records of one file (``half`` = "tune" | "test"), in file order; the first ``limit`` if given.

    The test file never repeats an entity value of the tune file (built first, at its default seed),
    so tuning on one cannot teach the other's names. Raises RuntimeError if a record cannot be drawn
    without breaking a check in 200 attempts.
    """
    avoid = set()
    if half == "test":
        avoid = {e["value"] for r in heldout4_build(half="tune", values=values) for e in r["entities"]}
    seed = SEEDS[half] if seed is None else seed
    total, n_look = SIZES[half]
    plan = _plan(half=half, seed=seed, total=total, n_look=n_look)
    look_texts: list[str] = []
    records: list[dict | None] = [None] * total
    for index, (kind, template) in enumerate(plan):  # look-alikes first: PII checks read all their texts
        if kind == "lookalike":
            records[index] = _draw(index, kind, template, half=half, seed=seed, values=values,
                                   look_texts=look_texts, seen=set(look_texts), avoid=avoid)
            look_texts.append(records[index]["text"])
    seen = set(look_texts)
    wanted = total if limit is None else min(limit, total)
    for index in range(wanted):
        kind, template = plan[index]
        if kind == "pii":
            records[index] = _draw(index, kind, template, half=half, seed=seed, values=values,
                                   look_texts=look_texts, seen=seen, avoid=avoid)
            seen.add(records[index]["text"])
    return records[:wanted]


def record_problems(record: dict, *, look_texts: list[str] = ()) -> list[str]:
    """What is wrong with one record (empty list if nothing): spans, stray occurrences, check digits."""
    text, problems, spans = record["text"], [], set()
    for e in record["entities"]:
        if text[e["start"]:e["end"]] != e["value"]:
            problems.append(f"span {e['start']}:{e['end']} is not {e['value']!r}")
        spans.add((e["value"], e["start"], e["end"]))
        if e["type"] == "CREDIT_CARD" and not luhn_ok(e["value"]):
            problems.append(f"card fails Luhn: {e['value']}")
        if e["type"] == "IBAN" and not iban_ok(e["value"]):
            problems.append(f"IBAN fails mod 97: {e['value']}")
        if e["type"] == "US_SSN" and not _ssn_ok(e["value"]):
            problems.append(f"SSN not issuable: {e['value']}")
        if e["type"] == "PHONE" and sum(c.isdigit() for c in e["value"]) < 7:
            problems.append(f"phone too short: {e['value']}")
        problems += [f"{e['value']!r} occurs in a look-alike text" for t in look_texts if e["value"] in t]
    for value in {e["value"] for e in record["entities"]}:
        at = text.find(value)
        while at != -1:
            if (value, at, at + len(value)) not in spans:
                problems.append(f"{value!r} also occurs at {at}, outside its spans")
            at = text.find(value, at + 1)
    ordered = sorted((e["start"], e["end"]) for e in record["entities"])
    problems += [f"spans overlap at {b[0]}" for a, b in zip(ordered, ordered[1:]) if b[0] < a[1]]
    return problems


def _plan(*, half: str, seed: int, total: int, n_look: int) -> list[tuple[str, str]]:
    """(kind, template) per record: templates cycled so each is used about equally, then shuffled."""
    rng = random.Random(f"heldout4/{half}/{seed}/plan")

    def cycle(templates: tuple[str, ...], n: int) -> list[str]:
        out: list[str] = []
        while len(out) < n:
            batch = list(templates)
            rng.shuffle(batch)
            out += batch
        return out[:n]

    plan = [("pii", t) for t in cycle(PII[half], total - n_look)]
    plan += [("lookalike", t) for t in cycle(LOOKALIKE[half], n_look)]
    rng.shuffle(plan)
    return plan


def _draw(index: int, kind: str, template: str, *, half: str, seed: int, values: Values,
          look_texts: list[str], seen: set[str], avoid: set[str]) -> dict:
    for attempt in range(200):
        rng = random.Random(f"heldout4/{half}/{seed}/{index}/{attempt}")
        text, entities = _fill(template, rng, values=values, half=half)
        record = {"id": f"{SPLITS[half]}-{index:04d}", "text": text, "entities": entities,
                  "split": SPLITS[half], "kind": kind}
        if text not in seen and not any(e["value"] in avoid for e in entities) \
                and not record_problems(record, look_texts=look_texts if kind == "pii" else ()):
            return record
    raise RuntimeError(f"record {index} ({template!r}) failed its checks 200 times")


def _fill(template: str, rng: random.Random, *, values: Values, half: str) -> tuple[str, list[dict]]:
    text, entities, last = "", [], 0
    for m in SLOT.finditer(template):
        text += template[last:m.start()]
        last = m.end()
        slot, following = m.group(1), template[last:last + 1]
        if slot in PERSON_SLOTS:
            people = ([values.person(rng, form="list") for _ in range(rng.choice((2, 3)))] if slot == "L" else
                      [values.person(rng, form=_person_form(slot, rng))])
            joiners = _list_joiners(len(people), rng)
            for person, joiner in zip(people, joiners, strict=True):
                text += f"{person['before']} " if person["before"] else ""
                start = len(text)
                text += person["value"]
                entities.append({"type": "PERSON", "value": person["value"], "start": start, "end": len(text),
                                 "locale": person["locale"], "script": person["script"], "form": person["form"]})
                after = person["after"]
                text += after[:-1] if after.endswith(".") and following in ".,;:" else after
                text += joiner
        elif slot in STRUCTURED_SLOTS:
            etype, value = values.structured(slot, rng)
            entities.append({"type": etype, "value": value, "start": len(text), "end": len(text) + len(value),
                             "locale": "-", "script": "-", "form": "structured"})
            text += value
        else:
            filler = values.filler(slot, rng, half=half)
            text += filler[:-1] if filler.endswith(".") and following == "." else filler  # "S.A.S.." -> "S.A.S."
    return text + template[last:], entities


def _person_form(slot: str, rng: random.Random) -> str:
    if slot == "N":
        forms, weights = zip(*FULL_NAME_FORMS)
        return rng.choices(forms, weights=weights)[0]
    return {"G": "given", "H": "honorific", "P": "possessive"}[slot]


def _list_joiners(n: int, rng: random.Random) -> list[str]:
    if n == 1:
        return [""]
    if n == 2:
        return [rng.choice((" and ", " & ", "/", ", ")), ""]
    return rng.choice(([", ", " and ", ""], [", ", ", and ", ""], ["; ", "; ", ""], [" / ", " / ", ""]))


def _ssn_ok(value: str) -> bool:
    m = SSN_PATTERN.match(value)
    return bool(m) and m.group(1) not in ("000", "666") and m.group(1) < "900" and m.group(2) != "00" \
        and m.group(3) != "0000"


def counts_print(records: list[dict], *, title: str) -> None:
    """Print record, look-alike and entity counts per type, locale, script and form."""
    ents = [e for r in records for e in r["entities"]]
    people = [e for e in ents if e["type"] == "PERSON"]
    print(f"{title}: {len(records)} records, {sum(r['kind'] == 'lookalike' for r in records)} look-alikes, "
          f"{len(ents)} entities ({len(people)} PERSON)")
    for key, items in (("type", ents), ("script", people), ("form", people), ("locale", people)):
        tally = Counter(e[key] for e in items)
        print(f"  {key} ({len(tally)}): " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=("tune", "test", "both"), default="both")
    parser.add_argument("--seed", type=int, help="override the set's seed (one --set only)")
    parser.add_argument("--limit", type=int, help="write only the first N records of each file")
    parser.add_argument("--out", help="output path (one --set only); default benchmarks/pii/data/<file>")
    parser.add_argument("--counts", action="store_true", help="print counts per type, script, form and locale")
    args = parser.parse_args(argv)
    halves = ("tune", "test") if args.set == "both" else (args.set,)
    if (args.out or args.seed is not None) and len(halves) != 1:
        parser.error("--out and --seed take one --set")
    values = Values(faker_import())
    for half in halves:
        records = heldout4_build(half=half, values=values, seed=args.seed, limit=args.limit)
        out = Path(args.out) if args.out else DATA / FILES[half]
        out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        print(f"wrote {len(records)} records to {out}")
        if args.counts:
            counts_print(records, title=FILES[half])
    return 0


if __name__ == "__main__":
    sys.exit(main())
