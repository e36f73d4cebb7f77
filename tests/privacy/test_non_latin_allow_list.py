"""Issue 11: which non-Latin runs may leave unmasked — CLDR's names of countries, languages and months, places a
locative puts after it, and interface text — and the names next to them that must stay masked.

The allow-list is the issue's "unless an allow-list says otherwise"; every entry of it leaves the network, so each
rule comes with the attacker's sentence in the same position. Real Presidio + spaCy + names-dataset + babel; no
mocks; the sentences are made up for these tests, none taken from the dev or held-out sets.
"""
from __future__ import annotations

import pytest

from rag.privacy.recognizers.cldr import cldr_name
from rag.privacy.redaction import payload_redact_checked


def _redacted(text: str) -> str:
    return payload_redact_checked(texts=[text]).texts[0]


UNCHANGED = [
    ("a country in Russian (CLDR)", "Go-live in Камерун on 3 May."),
    ("a country in Japanese (CLDR)", "The ドイツ subsidiary reports monthly."),
    ("a month in Chinese (CLDR)", "Payroll closes in 九月 this year."),
    ("a language in Ukrainian (CLDR)", "Translate the FAQ into Українська."),
    ("a place no list knows, after 'in'", "Meeting in Шымкентка next September."),
    ("a place after a flight", "Flights to 釜山 are booked."),
    ("button text", "Button text: Ακύρωση"),
    ("a sign with a lower-case gloss", "The shop sign says 営業中 (open)."),
    ("a label's phrase with a lower-case word", "Goods labelled “Сделано в России” (made in Russia)."),
    ("a control to click", "Click 保存 to keep your changes."),
    ("a control to tap", "Tap Сохранить, then close the dialog."),
]

MASKED = [
    ("a Chinese name after 'in' (a common family name first)", "I was in 王芳 meeting all day.", "王芳"),
    ("a Korean name after 'in'", "Put it in 김민준 folder.", "김민준"),
    ("a Cyrillic name the gazetteer knows, after 'in'", "Meeting in Иван office next June.", "Иван"),
    ("an addressee after 'ship to'", "Ship to ویدا سپهری, tel. 0903 527 7375", "ویدا"),
    ("a person shown in a photo", "The photo in the newsletter shows ගයාෂා රණසිංහ with the team.", "ගයාෂා"),
    ("a possessive after the place-like run", "The ticket is in 张伟's queue.", "张伟"),
    ("a romanised name in parentheses after it", "The badge says 李娜 (Li Na).", "李娜"),
    ("three words after 'in'", "Meeting in Олена Петрівна Коваль office.", "Коваль"),
    ("a name on a label with a name gazetteer hit", "Label: Иван", "Иван"),
    ("a capitalised name on a label", "The label reads Ольга Святославовна Ткаченко", "Ткаченко"),
    ("a Chinese name after 'click'", "Click 王芳 to open her profile.", "王芳"),
    ("a gazetteer name after 'press'", "Press Иван to call him.", "Иван"),
]


@pytest.mark.parametrize(("why", "text"), UNCHANGED, ids=[u[0] for u in UNCHANGED])
def test_allowed_non_latin_run_is_unchanged(why, text):
    assert _redacted(text) == text, why


@pytest.mark.parametrize(("why", "text", "name"), MASKED, ids=[m[0] for m in MASKED])
def test_name_beside_an_allow_rule_stays_masked(why, text, name):
    out = _redacted(text)
    assert name not in out, (why, out)


def test_cldr_names_hold_no_gazetteer_name_and_no_latin_only_entry():
    assert cldr_name("Камерун") and cldr_name("камерун")
    assert not cldr_name("Germany")  # Latin script: the name recognizers judge it
    assert not cldr_name("Иван")
