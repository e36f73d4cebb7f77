"""Pseudonymisation before the external fallback: real Presidio + spaCy, no mocks, no database.

Example values are made up for these tests (cards and IBANs are the public
test numbers of their schemes); none is taken from the dev set.
"""
from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from presidio_analyzer import EntityRecognizer

from rag.privacy.management.commands.redact import Command as RedactCommand
from rag.privacy.redaction import (
    PLACEHOLDER_RE,
    RedactionBlocked,
    Vault,
    VaultDecryptError,
    analyzer_build,
    payload_pseudonymize,
    payload_redact_checked,
    payload_residual_scan,
    text_deanonymize,
    vault_decrypt,
    vault_encrypt,
)

ONE_OF_EACH = [
    ("PERSON", "Please forward the claim from Siobhan O'Neill to legal.", "Siobhan O'Neill"),
    ("EMAIL", "The traveller wrote from k.tanaka+trips@example.co.jp yesterday.", "k.tanaka+trips@example.co.jp"),
    ("PHONE", "The courier can be reached at (415) 555-0132 ext. 12 after noon.", "(415) 555-0132 ext. 12"),
    ("PHONE", "Her mobile is +44 7700 900123 if the flight is late.", "+44 7700 900123"),
    ("US_SSN", "The onboarding form lists SSN 123-45-6780 in plain text.", "123-45-6780"),
    ("CREDIT_CARD", "Charge the Visa 4111-1111-1111-1111 for the hotel deposit.", "4111-1111-1111-1111"),
    ("CREDIT_CARD", "The Amex 3782 822463 10005 was declined twice.", "3782 822463 10005"),
    ("IBAN", "Wire the deposit to BE71 0961 2345 6769 by Friday.", "BE71 0961 2345 6769"),
    ("IBAN", "Pay the supplier on GB33BUKB20201555555555 quoting ref 7781.", "GB33BUKB20201555555555"),
    ("IP_ADDRESS", "The brute-force attempts came from 203.0.113.77 overnight.", "203.0.113.77"),
    ("IP_ADDRESS", "The login came from 2001:db8:85a3::8a2e:370:7334 this morning.", "2001:db8:85a3::8a2e:370:7334"),
    ("ADDRESS", "Ship the badge to 42 Oak Street, Springfield, IL 62704 by courier.",
     "42 Oak Street, Springfield, IL 62704"),
    ("ADDRESS", "The tenant lives at Schönhauser Allee 12, 10119 Berlin now.", "Schönhauser Allee 12, 10119 Berlin"),
    ("DATE_OF_BIRTH", "The applicant (born 3 May 1990) needs a visa letter.", "3 May 1990"),
    ("DATE_OF_BIRTH", "Record the employee's DOB 07/08/1979 in the HR system.", "07/08/1979"),
]


@pytest.mark.parametrize(("entity_type", "text", "value"), ONE_OF_EACH)
def test_it_redacts_each_entity_type(entity_type, text, value):
    result = payload_pseudonymize(texts=[text])

    redacted = result.texts[0]
    assert value not in redacted
    assert f"<{entity_type}_1>" in redacted
    assert result.vault.original(f"<{entity_type}_1>") == value
    assert result.counts[entity_type] == 1


def test_it_gives_the_same_value_the_same_placeholder_across_texts():
    question = "Is Priya Raghunathan's card 5555 5555 5555 4444 still blocked?"
    chunks = [
        "Card 5555-5555-5555-4444 belongs to Priya Raghunathan, see ticket.",
        "Escalations go to Tom Becker; Priya Raghunathan is on leave.",
    ]

    result = payload_pseudonymize(texts=[question, *chunks])

    assert result.texts == [
        "Is <PERSON_1>'s card <CREDIT_CARD_1> still blocked?",
        "Card <CREDIT_CARD_1> belongs to <PERSON_1>, see ticket.",
        "Escalations go to <PERSON_2>; <PERSON_1> is on leave.",
    ]
    assert result.vault.entries == {
        "<PERSON_1>": "Priya Raghunathan",
        "<CREDIT_CARD_1>": "5555 5555 5555 4444",
        "<PERSON_2>": "Tom Becker",
    }
    assert result.counts == {"PERSON": 4, "CREDIT_CARD": 2}


def test_its_spans_point_at_the_placeholders_in_the_redacted_texts():
    result = payload_pseudonymize(texts=["Mail ana.sousa@example.pt or call +351 912 345 678.", "No data here."])

    first, second = result.spans
    assert [(s.entity_type, s.placeholder) for s in first] == [("EMAIL", "<EMAIL_1>"), ("PHONE", "<PHONE_1>")]
    assert all(result.texts[0][s.start:s.end] == s.placeholder for s in first)
    assert second == []


def test_it_keeps_the_placeholders_of_an_earlier_vault():
    earlier = payload_pseudonymize(texts=["Ask Hiroshi Tanaka about the renewal."])

    later = payload_pseudonymize(texts=["Hiroshi Tanaka asked Grace Liu to sign."], vault=earlier.vault)

    assert later.texts == ["<PERSON_1> asked <PERSON_2> to sign."]
    assert earlier.vault.entries == {"<PERSON_1>": "Hiroshi Tanaka"}  # the caller's vault is not modified


def test_deanonymize_round_trip_restores_the_originals():
    texts = [
        "Refund Jean-Luc Martin's card 4111 1111 1111 1111 and confirm to jl.martin@example.fr.",
        "Jean-Luc Martin, born 12/25/1950, lives at 77 Elm Drive, Austin, TX 78701.",
    ]
    result = payload_pseudonymize(texts=texts)

    restored = [text_deanonymize(text=t, vault=result.vault) for t in result.texts]

    assert restored == texts


def test_deanonymize_accepts_placeholders_echoed_with_small_variations():
    vault = Vault({"<PERSON_1>": "Maria Fernández", "<EMAIL_1>": "maria@example.es", "<US_SSN_1>": "123-45-6780"})
    answer = ("[PERSON_1] should confirm; PERSON_1 wrote from &lt;EMAIL_1&gt;, <person 1> and <<PERSON_1>> agree, "
              "SSN <US SSN_1>. Person 1 in prose, <PERSON_12> and <PERSON_2> are unknown.")

    restored = text_deanonymize(text=answer, vault=vault)

    assert restored == (
        "Maria Fernández should confirm; Maria Fernández wrote from maria@example.es, Maria Fernández and "
        "Maria Fernández agree, SSN 123-45-6780. Person 1 in prose, <PERSON_12> and <PERSON_2> are unknown."
    )


LOOK_ALIKES = [
    "We are upgrading the ERP from version 4.10.26 to 11.1.6 next week.",
    "Windows build 10.0.22621.1702 fixes the VPN issue.",
    "Did PO-2025-88172 and invoice INV-30417 get approved?",
    "Order 1234 5678 9012 3456 has been pending since Monday.",  # 16 digits, Luhn-invalid
    "The contract renews on 2026-03-01 and the audit was on March 3, 2023.",
    "Mark Complete once the Summer budget is reviewed.",
    "Penny, our expense bot, flagged the taxi receipt.",
    "The TLS certificate serial 4F:0A:93:1C:77:B2:10:EE expires soon.",
    "Firewall allows 443 from the 10.0.0.0/8 range and version 1.2.3.4 of the agent.",
    "Meeting moved to 14:30 in room B-204; dial-in code 8812 4410.",
    "Expense limit is $1,250.00 per trip and cost center 4410 pays.",
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_it_leaves_look_alikes_unredacted(text):
    result = payload_redact_checked(texts=[text])

    assert result.texts == [text]
    assert result.vault.entries == {}


def test_it_blocks_when_residual_pii_remains():
    leaky = "Please call Jane Roe at 555-201-3344 about her card 4111 1111 1111 1111."

    findings = payload_residual_scan(texts=[leaky])

    assert {f.entity_type for f in findings} == {"PERSON", "PHONE", "CREDIT_CARD"}
    assert all(f.source == "analyzer" for f in findings)


def test_the_residual_scan_ignores_our_placeholders():
    redacted = "Please call <PERSON_1> at <PHONE_1> about her card <CREDIT_CARD_1>; <DATE_OF_BIRTH_1> is her DOB."

    assert payload_residual_scan(texts=[redacted]) == []


def test_the_residual_scan_reports_vault_values_left_verbatim():
    vault = Vault({"<PERSON_1>": "Dana Whitfield"})

    findings = payload_residual_scan(texts=["<PERSON_1> signed; dana whitfield too."], vault=vault)

    assert [(f.entity_type, f.source) for f in findings] == [("PERSON", "vault_echo")]


def test_it_blocks_when_the_second_opinion_disagrees():
    # Our pass knows card numbers grouped 4-4-4-x or 4-6-5 only; Presidio's
    # predefined card recognizer in the residual scan also reads this 4-3-4-4
    # grouping and finds a Luhn-valid Mastercard number. (A number the text
    # names as an order id is an id for both: see the look-alike tests.)
    text = "Charge 5105 105 1051 0515 for the new laptops shipped yesterday."

    with pytest.raises(RedactionBlocked) as blocked:
        payload_redact_checked(texts=[text])

    assert "CREDIT_CARD" in blocked.value.reason
    assert "5105" not in blocked.value.reason
    assert blocked.value.result.texts == ["Charge <CREDIT_CARD_1> for the new laptops shipped yesterday."]


def test_it_blocks_when_the_analyzer_fails_on_its_input():
    with pytest.raises(RedactionBlocked, match="analyzer failed") as blocked:
        payload_redact_checked(texts=["Jane Roe's SSN is 123-45-6780.", None])

    assert blocked.value.result is None


class _CrashingRecognizer(EntityRecognizer):
    """A recognizer with a bug, as a third-party or misconfigured one might have."""

    def __init__(self):
        super().__init__(supported_entities=["PERSON"], supported_language="en")

    def load(self):
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        raise KeyError("model output missing 'entities'")


def test_it_blocks_when_a_recognizer_crashes():
    analyzer = analyzer_build([_CrashingRecognizer()])

    with pytest.raises(RedactionBlocked, match="analyzer failed: KeyError"):
        payload_redact_checked(texts=["Jane Roe's SSN is 123-45-6780."], analyzer=analyzer)


def test_vault_encrypt_decrypt_round_trip():
    vault = Vault({"<PERSON_1>": "Jérôme Ndiaye", "<IBAN_1>": "BE71 0961 2345 6769"})

    blob = vault_encrypt(vault, "a-settings-secret-of-enough-entropy")

    assert b"Ndiaye" not in blob and b"BE71" not in blob
    assert vault_decrypt(blob, "a-settings-secret-of-enough-entropy").entries == vault.entries


def test_it_rejects_a_vault_decrypted_with_the_wrong_key():
    blob = vault_encrypt(Vault({"<PERSON_1>": "Jérôme Ndiaye"}), "key-one")

    with pytest.raises(VaultDecryptError):
        vault_decrypt(blob, "key-two")


def test_it_rejects_a_tampered_vault():
    blob = bytearray(vault_encrypt(Vault({"<PERSON_1>": "Jérôme Ndiaye"}), "key-one"))
    blob[40] = ord("A") if blob[40] != ord("A") else ord("B")

    with pytest.raises(VaultDecryptError):
        vault_decrypt(bytes(blob), "key-one")


def test_the_vault_serializes_to_plain_json():
    vault = payload_pseudonymize(texts=["Ask Hiroshi Tanaka (h.tanaka@example.jp)."]).vault

    again = Vault.from_dict(json.loads(json.dumps(vault.to_dict())))

    assert again.entries == vault.entries
    assert again.placeholder_for("PERSON", "hiroshi tanaka") == "<PERSON_1>"
    assert again.placeholder_for("PERSON", "Grace Liu") == "<PERSON_2>"


def test_the_redact_command_writes_redacted_jsonl_without_a_database(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join(json.dumps(r) for r in [
            {"id": "a", "text": "Send the visa letter for Kwame Mensah to kwame@example.gh."},
            {"id": "b", "text": "Upgrade to version 4.2.1 before 2026-01-15."},
            {"id": "c", "text": "Rotate AKIAIOSFODNN7EXAMPLE today."},
        ]) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    stdout = io.StringIO()

    # The command object itself: it needs no INSTALLED_APPS entry and no database
    # (pytest-django would fail any query made without the django_db mark).
    call_command(RedactCommand(), str(source), out=str(out), stdout=stdout)

    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == {"id": "a", "redacted": "Send the visa letter for <PERSON_1> to <EMAIL_1>."}
    assert rows[1] == {"id": "b", "redacted": "Upgrade to version 4.2.1 before 2026-01-15."}
    assert rows[2]["blocked"] is True and rows[2]["reason"] == "secret detected: AWS access key"
    assert "AKIAIOSFODNN7EXAMPLE" not in rows[2]["redacted"]
    assert "3 records, 1 blocked" in stdout.getvalue()
    assert "texts/s" in stdout.getvalue()


def test_placeholders_are_recognisable_by_their_pattern():
    result = payload_pseudonymize(texts=["Jane Roe's SSN is 123-45-6780."])

    assert [m.group() for m in PLACEHOLDER_RE.finditer(result.texts[0])] == ["<PERSON_1>", "<US_SSN_1>"]
