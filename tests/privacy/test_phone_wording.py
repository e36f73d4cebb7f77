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


INTERNATIONAL = [
    ("a plus and a country code, though the numbering plan lacks a digit", "+54 9 3943 0319 is on file.",
     "3943 0319"),
    ("a bracketed country code after the plus", "+(370) 84845270 is on file for the customer.", "84845270"),
]


@pytest.mark.parametrize(("why", "text", "number"), INTERNATIONAL, ids=[i[0] for i in INTERNATIONAL])
def test_international_looking_numbers_are_masked(why, text, number):
    assert number not in _redacted(text), why


def test_a_signed_amount_is_no_phone():
    text = "Revenue grew +12 500 000 EUR this year."
    assert _redacted(text) == text


def test_a_lower_case_word_after_an_international_number_is_no_currency():
    assert "7946 0958" not in _redacted("+44 20 7946 0958 now answers out of hours.")


SLASHED = [
    ("a German area code and slash, no wording", "Please charge 05393/07304832 for the renewal.", "07304832"),
    ("a German area code and slash after Tel.", "Tel. 030/1234 5678", "1234 5678"),
]
SLASHED_LOOK_ALIKES = [
    ("a fiscal year and a ratio", "Invoice 2023/2024 closed; ratio 1920/1080."),
    ("a date", "Due 12/05/2024."),
    ("an order number with a year", "Order 2024/00012345 shipped."),
]


@pytest.mark.parametrize(("why", "text", "number"), SLASHED, ids=[s[0] for s in SLASHED])
def test_area_code_slash_number_is_a_phone(why, text, number):
    out = _redacted(text)
    assert number not in out and "<PHONE_" in out, (why, out)


@pytest.mark.parametrize(("why", "text"), SLASHED_LOOK_ALIKES, ids=[s[0] for s in SLASHED_LOOK_ALIKES])
def test_slashed_look_alikes_stay(why, text):
    assert _redacted(text) == text, why


def test_phone_label_is_no_name():
    assert _redacted("Tel. 030/1234 5678").startswith("Tel. <PHONE_")
