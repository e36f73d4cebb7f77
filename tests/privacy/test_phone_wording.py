"""Issue 11: phone wording written as an abbreviation ("tel.", "Tel.-Nr.", "mob.") or in the payload's other
languages still makes a local number a phone, and an abbreviation's dot ends no sentence for it; the same digits
after an order or invoice word, or after a real sentence end, stay. Real Presidio + spaCy; no mocks; made-up values.
"""
from __future__ import annotations

import pytest

from rag.privacy.redaction import payload_redact_checked


def _redacted(text: str) -> str:
    return payload_redact_checked(texts=[text]).texts[0]


PHONES = [
    ("tel. then a colon", "tel.: 318 004 962", "318 004 962"),
    ("tel. after a name", "Deliver to the front desk, tel. 702 811 436", "702 811 436"),
    ("a bracketed area code without a trunk 0", "Courier: tel. (31) 4875-2206", "4875-2206"),
    ("German Tel.-Nr.", "Tel.-Nr. 4471 9023", "4471 9023"),
    ("mob.", "mob. 622 190 458", "622 190 458"),
    ("Indonesian HP", "HP: 8123 4567 890", "8123 4567 890"),
    ("Spanish móvil", "móvil 612 345 987", "612 345 987"),
    ("Russian тел.", "тел. 912 345 67 89", "912 345 67 89"),
]
UNCHANGED = [
    ("an invoice number with an abbreviation", "Invoice no. 601 876 254 is overdue."),
    ("a phone word in the previous sentence", "I called. Order 601 876 254 shipped."),
    ("a dial-in code", "Phone bridge: conference code 8812 4410."),
]


@pytest.mark.parametrize(("why", "text", "number"), PHONES, ids=[p[0] for p in PHONES])
def test_abbreviated_phone_wording_masks_the_number(why, text, number):
    out = _redacted(text)
    assert number not in out and "<PHONE_" in out, (why, out)


@pytest.mark.parametrize(("why", "text"), UNCHANGED, ids=[u[0] for u in UNCHANGED])
def test_look_alike_numbers_stay(why, text):
    assert _redacted(text) == text, why
