#!/usr/bin/env python
"""Seeded generator of the multilingual PII dev set and its held-out twin.

    python benchmarks/pii/make_dev_set.py            # writes benchmarks/pii/data/{dev,heldout}.jsonl

Records: ``{"id", "text", "entities": [{"type", "value", "start", "end",
"locale", "script", "form"}], "split", "kind"}`` where ``kind`` is ``"pii"`` or
``"lookalike"`` (no personal data; must come back unchanged). Same shape as
``../shared/dev-eval/pii_dev.jsonl`` plus the extra keys, so ``score.py --pii``
reads it too.

Honesty rules: names come from :mod:`benchmarks.pii.names` (hand-written,
not the detector's gazetteer); the dev and held-out splits use *disjoint*
sentence templates and disjoint halves of every locale's name list, so tuning
on ``dev`` cannot memorise ``heldout``. Structured values are generated with
their check digits (Luhn, mod-97) from the seed.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from benchmarks.pii.names import LOCALES  # noqa: E402

SEED = 20250611
OUT = Path(__file__).resolve().parent / "data"
HONORIFICS = ["Dr.", "Mr.", "Ms.", "Mrs.", "Prof."]

# ------------------------------------------------------------------ templates
# {P}, {Q}: people; {EMAIL} {PHONE} {SSN} {CARD} {IBAN} {IP}: structured values.
DEV_TEMPLATES = [
    "Please forward the signed NDA to {P} before Friday.",
    "{P} approved the purchase order for 40 laptops.",
    "Our supplier contact {P} asked for the revised delivery schedule.",
    "Attendees: {P}, {Q} and the facilities team.",
    "The approver ({P}) rejected the expense claim twice.",
    "Ticket #4471 — reassigned from {P} to {Q}.",
    "Can you check whether {P}'s badge still opens the server room?",
    "The contract was countersigned by {P}.",
    "Escalate to {P}; the customer is waiting since 09:30.",
    "New hire {P} starts on Monday in the Lisbon office.",
    "Reach {P} at {EMAIL} about the visa letter.",
    "{P} (ext. 4411) will cover the help desk this week.",
    "Refund the deposit for {P} to IBAN {IBAN}.",
    "{P} called from {PHONE} about the broken monitor.",
    "The login for {P} came from {IP} at 03:12 UTC.",
    "Payroll flagged SSN {SSN} on the record of {P}.",
    "Charge the conference fee for {P} to card {CARD}.",
    "Hi team, {P} and {Q} will run the onboarding session.",
    "Minutes taken by {P}. Next review: Q3.",
    "Is the travel policy the same for {P} as for contractors?",
    "Laptop asset 7781 belongs to {P}, not {Q}.",
    "3 approvals missing: {P}, {Q}, finance.",
    "Send the relocation packet to {EMAIL}; {P} already has the forms.",
    "The witness statement from {P} mentions the loading dock.",
]
HELDOUT_TEMPLATES = [
    "Could {P} review the vendor risk assessment by Thursday?",
    "The quarterly bonus for {P} was paid late.",
    "Per our call, {P} will send the updated floor plan.",
    "Speakers: {P} / {Q} / the CFO.",
    "A complaint about {P} was filed with HR on 2 May.",
    "{P}, our account manager in Seoul, left the company.",
    "Forward {P}'s resignation letter to legal.",
    "Shipping label printed for {P} (order 8813).",
    "Interview panel — {P}, {Q}.",
    "Why was {P} removed from the distribution list?",
    "Please add {P} to the on-call rota starting week 12.",
    "The expense report of {P} includes a 120 EUR taxi ride.",
    "{P} wrote: \"the VPN drops every hour\".",
    "Mentor assignment: {Q} will mentor {P}.",
    "Mail {P} at {EMAIL} for the access request.",
    "Text {P} on {PHONE} when the courier arrives.",
    "Repeated failed logins from {IP} targeted {P}.",
    "Salary for {P} goes to account {IBAN} from June.",
    "The background check lists SSN {SSN} for {P}.",
    "Card {CARD} was used to book the flight of {P}.",
    "Thanks to {P} for fixing the printer.",
    "Desk 14B is reserved for {P} until 30 June.",
    "Does {P} still need admin rights on the build server?",
    "Badge photo missing for {P}; {Q} will chase it.",
]
# no personal data; look-alikes of it
DEV_LOOKALIKES = [
    "Order no. {LUHN} shipped on 12 March 2024 from the Leeds warehouse.",
    "Upgrade the agent to version {VER} before the patch window.",
    "The {PRODUCT} dashboard shows 3 failed builds since build {VER}.",
    "Invoice {INV} is due on {DATE}; pay by bank transfer.",
    "Tracking number {LUHN} was delayed at customs.",
    "Release {VER} fixes the memory leak in the {PRODUCT} plugin.",
    "Room B-204 is booked for the {PRODUCT} demo on {DATE}.",
    "Firmware {VER} is required for the badge readers on floor 3.",
    "The {PRODUCT} licence renewal costs 4,200 EUR per year.",
    "Reference {LUHN} appears on the customs declaration.",
    "Latency dropped to 40 μs after the kernel update.",
    "Set the α parameter to 0.3 in the anomaly detector.",
]
HELDOUT_LOOKALIKES = [
    "Purchase order {LUHN} was approved by the finance committee.",
    "Build {VER} failed the smoke tests on the staging cluster.",
    "We migrated the {PRODUCT} workspace on {DATE} without downtime.",
    "The fire drill is scheduled for {DATE} at 10:00.",
    "Case number {LUHN} is closed; no refund is due.",
    "Kernel {VER} is the minimum for the new VPN client.",
    "Is the {PRODUCT} integration covered by the support contract?",
    "The SKU {INV} is out of stock until {DATE}.",
    "Ticket ref {LUHN} duplicates the printer outage report.",
    "Roll back the {PRODUCT} connector to release {VER}.",
    "The contract with the Σ-Delta supplier expires in December.",
    "Mean error was 2.1 µm on the calibration rig.",
]
PRODUCTS_DEV = ["Jasper", "Ruby", "Hugo", "Maya", "Alexa", "Ember", "Iris", "Victoria"]
PRODUCTS_HELDOUT = ["Julia", "Ada", "Cortana", "Siri", "Flora", "Phoenix", "Jenkins", "Grace"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


# ------------------------------------------------------------------ values
def luhn_complete(rng: random.Random, prefix: str, length: int) -> str:
    """``prefix`` + random digits + a Luhn check digit, ``length`` digits in all."""
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def iban(rng: random.Random) -> str:
    country, bban_len = rng.choice([("DE", 18), ("FR", 23), ("GB", 18), ("ES", 20), ("NL", 14), ("IT", 23)])
    if country == "GB":
        bban = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4)) + "".join(
            rng.choice("0123456789") for _ in range(14))
    elif country == "NL":
        bban = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4)) + "".join(
            rng.choice("0123456789") for _ in range(10))
    else:
        bban = "".join(rng.choice("0123456789") for _ in range(bban_len))
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    check = 98 - int(numeric) % 97
    compact = f"{country}{check:02d}{bban}"
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4)) if rng.random() < 0.5 else compact


def ssn(rng: random.Random) -> str:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def card(rng: random.Random) -> str:
    kind = rng.choice(["visa", "mc", "amex"])
    if kind == "amex":
        d = luhn_complete(rng, rng.choice(["34", "37"]), 15)
        return f"{d[:4]} {d[4:10]} {d[10:]}"
    d = luhn_complete(rng, "4" if kind == "visa" else rng.choice(["51", "53", "55"]), 16)
    sep = rng.choice([" ", "-", ""])
    return sep.join(d[i:i + 4] for i in range(0, 16, 4))


def phone(rng: random.Random) -> str:
    return rng.choice([
        f"+44 20 7946 {rng.randint(0, 999):04d}",
        f"({rng.choice([212, 415, 617, 303])}) 555-{rng.randint(100, 199):04d}",
        f"+49 30 {rng.randint(1000000, 9999999)}",
        f"+81 3-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        f"+33 1 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        f"+91 98{rng.randint(10, 99)} {rng.randint(100000, 999999)}",
    ])


def ip(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return f"2001:db8:{rng.randint(1, 0xffff):x}::{rng.randint(1, 0xffff):x}"
    return f"{rng.randint(11, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def email(rng: random.Random, person: tuple[str, str] | None) -> str:
    local = rng.choice(["j.ortega", "ops-lead", "m.haddad", "sam.k", "travel.desk", "n.okafor"])
    if person and person[1].isascii() and person[0].isascii():
        local = f"{person[0].split()[0].lower()}.{person[1].lower()}".replace("'", "")
    return f"{local}@{rng.choice(['example.com', 'corp.example.org', 'mail.example.net'])}"


def date(rng: random.Random) -> str:
    return rng.choice([f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2019, 2026)}",
                       f"{rng.randint(2019, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"])


# ------------------------------------------------------------------ people
def person(rng: random.Random, locale: str, half: int) -> tuple[str, str, str, str, tuple[str, str] | None]:
    """(surface text before the name, name value, script, form, roman pair for the e-mail)."""
    spec = LOCALES[locale]
    idx = rng.choice([i for i in range(len(spec["native"])) if i % 2 == half])
    forms = ["native"]
    if "roman" in spec:
        forms += ["native", "roman", "roman"]
    if spec["script"] == "Latin" and spec["order"] == "given":
        forms += ["initial"] + (["middle", "middle"] if spec["middle"] else [])
    if spec["script"] == "Latin" or "roman" in spec:
        forms += ["honorific"]
    form = rng.choice(forms)
    native = spec["native"][idx]
    roman = spec.get("roman", spec["native"])[idx]
    given, family = roman if form in ("roman", "honorific", "initial") and "roman" in spec else native
    script = spec["script"] if form == "native" else "Latin"
    order = spec["order"]
    if locale == "ja" and form == "roman":
        order = "given"  # Japanese names in English text: "Taro Yamada"
    if form == "honorific":
        return rng.choice(HONORIFICS) + " ", family, script, form, roman
    if form == "initial":
        return "", f"{given[0]}. {family}", script, form, roman
    if form == "middle":
        return "", f"{given} {rng.choice(spec['middle'])}. {family}", script, form, roman
    sep = spec["sep"] if form == "native" else " "
    value = f"{family}{sep}{given}" if order == "family" else f"{given}{sep}{family}"
    return "", value, script, form, roman


def fill(rng: random.Random, template: str, half: int, locales: list[str]) -> tuple[str, list[dict]]:
    text, entities = "", []
    roman_for_email = None
    i = 0
    while i < len(template):
        if template[i] != "{":
            text += template[i]
            i += 1
            continue
        j = template.index("}", i)
        slot = template[i + 1:j]
        i = j + 1
        if slot in ("P", "Q"):
            locale = rng.choice(locales)
            prefix, value, script, form, roman = person(rng, locale, half)
            roman_for_email = roman_for_email or roman
            text += prefix
            entities.append({"type": "PERSON", "value": value, "start": len(text), "end": len(text) + len(value),
                             "locale": locale, "script": script, "form": form})
            text += value
            continue
        value = {"EMAIL": lambda: email(rng, roman_for_email), "PHONE": lambda: phone(rng), "SSN": lambda: ssn(rng),
                 "CARD": lambda: card(rng), "IBAN": lambda: iban(rng), "IP": lambda: ip(rng)}[slot]()
        kind = {"EMAIL": "EMAIL", "PHONE": "PHONE", "SSN": "US_SSN", "CARD": "CREDIT_CARD", "IBAN": "IBAN",
                "IP": "IP_ADDRESS"}[slot]
        entities.append({"type": kind, "value": value, "start": len(text), "end": len(text) + len(value),
                         "locale": "-", "script": "-", "form": "structured"})
        text += value
    return text, entities


def lookalike(rng: random.Random, template: str, products: list[str]) -> str:
    subs = {
        "LUHN": lambda: luhn_complete(rng, rng.choice("4579"), 16),
        "VER": lambda: ".".join(str(rng.randint(1, 12)) for _ in range(4)),
        "PRODUCT": lambda: rng.choice(products),
        "INV": lambda: f"INV-{rng.randint(2019, 2026)}-{rng.randint(10000, 99999)}",
        "DATE": lambda: date(rng),
    }
    out = template
    for key, make in subs.items():
        while "{" + key + "}" in out:
            out = out.replace("{" + key + "}", make(), 1)
    return out


def split_make(*, name: str, seed: int, n_pii: int, n_lookalike: int) -> list[dict]:
    """One split: ``n_pii`` records covering every locale evenly, then ``n_lookalike`` no-PII records."""
    rng = random.Random(f"{seed}-{name}")
    half = 0 if name == "dev" else 1
    templates = DEV_TEMPLATES if name == "dev" else HELDOUT_TEMPLATES
    looks = DEV_LOOKALIKES if name == "dev" else HELDOUT_LOOKALIKES
    products = PRODUCTS_DEV if name == "dev" else PRODUCTS_HELDOUT
    locales = sorted(LOCALES)
    records = []
    for k in range(n_pii):
        primary = locales[k % len(locales)]
        text, entities = fill(rng, templates[k % len(templates)], half, [primary])
        records.append({"id": f"{name}-{k:04d}", "text": text, "entities": entities, "split": name, "kind": "pii"})
    for k in range(n_lookalike):
        text = lookalike(rng, looks[k % len(looks)], products)
        records.append({"id": f"{name}-l{k:03d}", "text": text, "entities": [], "split": name, "kind": "lookalike"})
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", default=str(OUT), help="directory for dev.jsonl and heldout.jsonl")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, n_pii, n_look in (("dev", 300, 60), ("heldout", 240, 60)):
        records = split_make(name=name, seed=args.seed, n_pii=n_pii, n_lookalike=n_look)
        with open(out / f"{name}.jsonl", "w", encoding="utf-8") as f:
            for r in records:
                assert all(r["text"][e["start"]:e["end"]] == e["value"] for e in r["entities"])
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"{name}: {len(records)} records -> {out / (name + '.jsonl')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
