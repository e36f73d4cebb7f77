"""Issue 11: look-alikes of longer documents (release notes, runbooks, product pages) that must come back unchanged,
each beside the person, host or name in the same position that must still be masked. Real Presidio + spaCy; no
mocks; made-up documents, none from the sets.
"""
from __future__ import annotations

import pytest

from rag.privacy.redaction import payload_redact_checked


def _redacted(text: str) -> str:
    return payload_redact_checked(texts=[text]).texts[0]


VERSION_TABLE = "| Host role | Version | Digest |\n|---|---|---|\n| primary | 6.2.11.9 | ac34857387b9 |\n"
HOST_TABLE = "| Host | IP |\n|---|---|\n| db-01 | 52.14.3.9 |\n"

UNCHANGED = [
    ("a version column of a table", VERSION_TABLE),
    ("an upgrade from a version", "Upgrading from 12.13.8.2 needs no migration."),
    ("a version string", "Check the version string 1.16.15.197 in the footer."),
    ("a button named by its text", "The الإعدادات button was moved to the toolbar."),
    ("a screen named by its text", "Customers may see the পরিচিতি screen once more after the update."),
    ("a product by a company with its legal form", "Lorenzo by Lumen Pharma AG: made in Turin."),
    ("an Icelandic legal form", "Tamsin for Teams by Vindur Fisk ehf. ships in May."),
    ("a product's queue", "Runbook: restarting the Matilda Go queue."),
]
MASKED = [
    ("an address column of a table", HOST_TABLE, "52.14.3.9"),
    ("traffic from an address", "Traffic from 52.14.3.9 was blocked.", "52.14.3.9"),
    ("a person from a company", "Signed by Anna Berg from Lumen Pharma AG.", "Anna Berg"),
    ("a name in front of 'page'", "Open the Иван page and add the invoice.", "Иван"),
    ("a Chinese name before 'button'", "Ask 王芳 button questions later.", "王芳"),
]


@pytest.mark.parametrize(("why", "text"), UNCHANGED, ids=[u[0] for u in UNCHANGED])
def test_document_look_alike_is_unchanged(why, text):
    assert _redacted(text) == text, why


@pytest.mark.parametrize(("why", "text", "value"), MASKED, ids=[m[0] for m in MASKED])
def test_the_same_position_with_personal_data_is_masked(why, text, value):
    assert value not in _redacted(text), why
