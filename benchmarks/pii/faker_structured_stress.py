#!/usr/bin/env python
"""Recall on fresh Faker cards, IP addresses and phone numbers, per kind: a tuning probe.

    ./perimeter python benchmarks/pii/faker_structured_stress.py --seed 13            # per kind
    ./perimeter python benchmarks/pii/faker_structured_stress.py --seed 13 --misses   # and every value left

Cards: six of each Faker card type, after "Card number" and in a neutral
sentence. IPs: Faker's ``ipv4()`` (also with ``network=True`` and private),
``ipv6()``. Phones: two ``phone_number()`` values of every Faker locale, after
"Call me on" and in a neutral sentence ("Contact details: ...", "The value ...
appears in the ticket"). A value counts as removed when it no longer occurs
verbatim in the checked redaction (``record_redact``). A probe to tune on, not
a held-out set (see ``faker_names_stress.py``).
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from benchmarks.pii.heldout4_faker import faker_import  # noqa: E402

NEUTRAL = ("Please charge {v} for the renewal.", "The value {v} appears in the ticket.", "Contact details: {v}.",
           "Logged from {v} at 09:14.", "{v} is on file for the customer.")
CARD_TYPES = ("amex", "diners", "discover", "jcb15", "jcb16", "maestro", "mastercard", "visa13", "visa16", "visa19")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--misses", action="store_true", help="print every value that was left")
    args = parser.parse_args(argv)

    faker_class = faker_import()
    from faker.config import AVAILABLE_LOCALES

    from rag.privacy.jsonl import record_redact

    rng = random.Random(args.seed)
    counts: dict[str, list[int]] = {}
    misses = []

    def check(kind: str, value: str, sentence: str) -> None:
        text = sentence.format(v=value)
        hit_n = counts.setdefault(kind, [0, 0])
        hit_n[1] += 1
        if value in record_redact(0, text)["redacted"]:
            misses.append((kind, text))
        else:
            hit_n[0] += 1

    fake = faker_class("en_US")
    fake.seed_instance(rng.randrange(10**6))
    for card_type in CARD_TYPES:
        for _ in range(6):
            check(f"card:{card_type}", fake.credit_card_number(card_type=card_type), "Card number {v} was charged.")
            check("card, neutral sentence", fake.credit_card_number(card_type=card_type), rng.choice(NEUTRAL))
    for _ in range(20):
        check("ipv4", fake.ipv4(), "Login from {v} was blocked.")
        check("ipv4, neutral sentence", fake.ipv4(), rng.choice(NEUTRAL))
        check("ipv4 network (CIDR)", fake.ipv4(network=True), rng.choice(NEUTRAL))
        check("ipv4 private", fake.ipv4_private(), rng.choice(NEUTRAL))
        check("ipv6", fake.ipv6(), "Login from {v} was blocked.")
        check("ipv6, neutral sentence", fake.ipv6(), rng.choice(NEUTRAL))
    for locale in AVAILABLE_LOCALES:
        fake = faker_class(locale)
        fake.seed_instance(rng.randrange(10**6))
        if not hasattr(fake, "phone_number"):  # a few locales have no phone provider
            continue
        for _ in range(2):
            check("phone", fake.phone_number(), "Call me on {v} tomorrow.")
            check("phone, neutral sentence", fake.phone_number(), rng.choice(NEUTRAL))
    for kind, (hit, n) in sorted(counts.items()):
        print(f"{kind:28} {hit / n:.3f} ({hit}/{n})")
    if args.misses:
        for kind, text in misses:
            print("missed:", kind, "|", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
