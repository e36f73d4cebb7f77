"""Issue 11: initials standing for a person in minutes, tickets and sign-offs, and the abbreviations and acronyms
in the same positions that must stay. Real Presidio + spaCy; no mocks; made-up sentences, none from the sets.
"""
from __future__ import annotations

import pytest

from rag.privacy.redaction import payload_redact_checked


def _redacted(text: str) -> str:
    return payload_redact_checked(texts=[text]).texts[0]


CAUGHT = [
    ("dotted, after 'Closed by'", "Status: resolved. Closed by Á.S.; survey sent.", "Á.S."),
    ("dotted with spaces, after an action point", "AP: D. B. to read the runbook before Friday.", "D. B."),
    ("dotted, before a verb of a person", "Kasia is new, so A.O. will shadow the first night.", "A.O."),
    ("dotted, a chat speaker", "[09:41] L. P.: on it", "L. P."),
    ("dotted, after Owner: and a sentence end", "Next review in two weeks. Owner: N. M..", "N. M."),
    ("Greek initials, as a sign-off", "Call the desk if anything changes. Travel desk, Α.Ζ.", "Α.Ζ."),
    ("capitals, as a sign-off", "Approved with a note, CB.", "CB"),
    ("capitals, after 'Approved by'", "Approved by HS on 2026-08-22.", "HS"),
    ("dotted, in a list after a header", "Present: A.K., B.L. and C.M.", "B.L."),
    ("dotted, before a possessive", "J.P.'s laptop needs a new battery.", "J.P."),
    ("two pairs joined by 'and'", "A.K. and M.S. met the supplier on Tuesday.", "A.K."),
    ("capitals, in a list after a header", "Attendees: JD, MK, SL", "MK"),
]
UNCHANGED = [
    ("a country abbreviation", "The U.S. office and the EU team approved it."),
    ("times", "Meet at 9 a.m. or 5 P.M. on Friday."),
    ("a department after 'Approved by'", "Approved by QA on Dec 7."),
    ("a department after 'Owner:'", "Owner: IT."),
    ("an acronym in a sign-off line", "Thanks for the quick turnaround, FYI."),
    ("capitals without a cue", "The DB migration finished at 04:10."),
    ("departments in a list after a header", "Team: QA, IT and HR"),
    ("two country abbreviations joined by 'and'", "See the U.S. and U.K. offices."),
]


@pytest.mark.parametrize(("why", "text", "initials"), CAUGHT, ids=[c[0] for c in CAUGHT])
def test_initials_are_masked(why, text, initials):
    out = _redacted(text)
    assert initials not in out and "<PERSON_" in out, (why, out)


@pytest.mark.parametrize(("why", "text"), UNCHANGED, ids=[u[0] for u in UNCHANGED])
def test_abbreviations_stay(why, text):
    assert _redacted(text) == text, why


def test_initials_before_a_family_name_are_the_name_recognizers():
    out = _redacted("Please ask J. R. Haraldsson for the keys.")
    assert "Haraldsson" not in out and "J. R." not in out
