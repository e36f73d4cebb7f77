"""Issue 11: once a name is found whole, its words alone elsewhere in the payload are the same person ("Zbyslava
Voráček" ... "Zbyslava contacted HR"), across the texts of one request, and come back on de-anonymization.
Real Presidio + spaCy; no mocks; made-up people.
"""
from __future__ import annotations

from rag.privacy.redaction import payload_redact_checked
from rag.privacy.vault import text_deanonymize


def test_given_and_family_name_alone_are_masked_after_the_full_name():
    text = ("Employee: Zbyslava Voráček\nCase owner: Naelle Morice\n\n"
            "Zbyslava contacted HR about a change of hours. Morice agreed to review it.")
    out = payload_redact_checked(texts=[text]).texts[0]
    for word in ("Zbyslava", "Voráček", "Naelle", "Morice"):
        assert word not in out, out


def test_name_parts_reach_the_other_texts_of_the_request():
    result = payload_redact_checked(texts=["Who approved the refund for Hartvig Shahrani?",
                                           "Hartvig noticed the phone number on the invoice was wrong."])
    assert "Hartvig" not in result.texts[1], result.texts


def test_name_parts_come_back_on_de_anonymization():
    text = "Traveller: Antriana Aslanidou. Antriana also wants a late check-out."
    result = payload_redact_checked(texts=[text])
    assert text_deanonymize(text=result.texts[0], vault=result.vault) == text


def test_lower_case_words_and_particles_of_a_name_stay():
    text = "Lucas van der Berg joined; the van is parked and der Spiegel is on the desk. Will you check?"
    out = payload_redact_checked(texts=[text]).texts[0]
    assert "the van is parked" in out and "der Spiegel" in out and "Lucas" not in out


def test_a_short_name_part_found_alone_once_is_masked_everywhere():
    text = ("[09:15] Szakály Zea: it was rebuilt last night\n[09:16] Baldovino: ah, thanks Zea\n"
            "[09:40] Zea: fyi the keys changed")
    assert "Zea" not in payload_redact_checked(texts=[text]).texts[0]
