#!/usr/bin/env python
"""Name recall on fresh Faker names from every Faker locale, in ten fixed sentences: a tuning probe.

    ./perimeter python benchmarks/pii/faker_names_stress.py --seed 23            # recall, Latin vs other
    ./perimeter python benchmarks/pii/faker_names_stress.py --seed 23 --misses   # and every name left
    ./perimeter python benchmarks/pii/faker_names_stress.py --seed 23 --given    # given names alone, 30 sentences

Each of Faker's locales gives ``--per-locale`` sentences (default 6): a full
name, Faker's ``name()`` (with its prefixes and suffixes) or a given name
alone, in one of ten business-English sentences. A name counts as removed when
it no longer occurs verbatim in the checked redaction (``record_redact``:
both passes; a blocked record counts with its best redaction). Names are
grouped as Latin script or other.

This is a probe to tune on, not a held-out set: its sentences are few and
fixed, and any seed looked at is spent (report held-out figures from
``heldout4.jsonl`` with ``redaction_bench.py``). Faker comes from
:mod:`benchmarks.pii.heldout4_faker` (pinned, installed beside the app,
never in it).
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

import regex  # noqa: E402

from benchmarks.pii.heldout4_faker import faker_import  # noqa: E402

SENTENCES = (
    "Please send the signed contract to {full} before Friday.", "{full} approved the travel request yesterday.",
    "Meeting with {full} moved to 3 pm.", "Can you check the expense report from {full}?",
    "The laptop was assigned to {full} (IT ticket 4471).", "Thanks, {full}", "Hi {given}, the invoice is attached.",
    "{given} will cover the on-call shift.", "Escalated to {given} after two failed resets.", "cc: {full}; {faker}",
)
# --given: a given name alone, in thirty ways business English names a colleague
GIVEN_SENTENCES = (
    "{given} asked whether the invoice was paid.", "Quick update from {given}: the vendor confirmed.",
    "Can {given} join the 3 pm call?", "I'll sync with {given} after lunch.", "{given} and I reviewed the draft.",
    "Shout-out to {given} for closing the ticket!", "Not sure, maybe {given} knows?",
    "Moving {given} to the payroll project next week.", "{given}, can you approve the PO?",
    "According to {given}, the server is fine.", "We're waiting on {given} for sign-off.",
    "FYI {given} is on sick leave today.", "Please welcome {given} to the data team!",
    "{given} from procurement called twice.", "Lunch order: {given} wants the salad.",
    "Interview feedback for {given} is due Friday.", "Handover notes were written by {given}.",
    "The key was returned by {given}.", "{given}'s laptop needs a new battery.", "Desk 14 is now {given}'s.",
    "Budget owner: {given}", "Reminder for {given}: timesheet overdue.", "Happy birthday, {given}!",
    "{given} (HR) will send the contract.", "Let's ask {given}.", "Good catch, {given}.",
    "{given} is driving the migration.", "Could you forward this to {given}?", "{given} left the company in May.",
    "Spoke with {given} this morning about the audit.",
)
_LATIN = regex.compile(r"^[\p{Script=Latin}\p{M}\s.'’\-,]+$")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--per-locale", type=int, default=6)
    parser.add_argument("--misses", action="store_true", help="print every name that was left")
    parser.add_argument("--given", action="store_true", help="use GIVEN_SENTENCES (a given name alone)")
    args = parser.parse_args(argv)

    faker_class = faker_import()
    from faker.config import AVAILABLE_LOCALES

    from rag.privacy.jsonl import record_redact

    rng = random.Random(args.seed)
    found = {"Latin": [0, 0], "other": [0, 0]}
    misses = []
    for locale in AVAILABLE_LOCALES:
        fake = faker_class(locale)
        fake.seed_instance(rng.randrange(10**6))
        for _ in range(args.per_locale):
            names = {"full": f"{fake.first_name()} {fake.last_name()}", "faker": fake.name(),
                     "given": fake.first_name()}
            sentence = rng.choice(GIVEN_SENTENCES if args.given else SENTENCES)
            text = sentence.format(**names)
            out = record_redact(0, text)["redacted"]
            for key, value in names.items():
                if "{" + key + "}" not in sentence:
                    continue
                group = found["Latin" if _LATIN.match(value) else "other"]
                group[1] += 1
                if value in out:
                    misses.append((locale, value, text))
                else:
                    group[0] += 1
    for group, (hit, n) in found.items():
        print(f"{group:6} {hit / n:.3f} ({hit}/{n})" if n else f"{group:6} -")
    if args.misses:
        for locale, value, text in misses:
            print("missed:", locale, value, "|", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
