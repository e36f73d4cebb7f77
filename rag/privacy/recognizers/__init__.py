"""Presidio recognizers for Perimeter's nine personal-data types, one module per family.

Every recognizer in this package is a plain :class:`presidio_analyzer.EntityRecognizer`
that emits our own entity names (``PERSON EMAIL PHONE US_SSN CREDIT_CARD IBAN
IP_ADDRESS ADDRESS DATE_OF_BIRTH``) with a calibrated score:

* ``>= 0.85`` — the value passed a checksum or an unambiguous format
  (Luhn, mod-97, ``ipaddress``, a full postal address with ZIP/postcode);
* ``0.6–0.8`` — the format is plausible and the surrounding words say what it
  is (``tel.``, ``card``, ``born``, ``attention``...);
* ``< 0.4`` — weak evidence, emitted only so that callers can see it; neither
  the redaction pass (threshold 0.5) nor the residual scan (0.4) acts on it.

Class names never repeat one of Presidio's predefined recognizers
(``Perimeter*Recognizer``): Presidio's default registry looks its classes up
by name among all ``EntityRecognizer`` subclasses, so a twin name would make
``AnalyzerEngine()`` pick ours, or fail, once this package is imported.

Nothing here reads Django settings, touches the network or loads a model: the
spaCy ``Doc`` arrives through Presidio's ``NlpArtifacts``.

Look-alikes that the scores are tuned against (the public dev set's no-PII
records, but the rules are general): version and build numbers (``4.10.26``,
``10.0.21244.1137``), purchase-order and ticket ids, Luhn-invalid 16-digit
order numbers, dates that are not birth dates, hex serials written like IPv6,
and first names that are ordinary words (``Will``, ``Mark``, ``Rose``).
"""
from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from rag.privacy.recognizers.address import AddressRecognizer
from rag.privacy.recognizers.dates import DateOfBirthRecognizer
from rag.privacy.recognizers.given import GivenNameRecognizer
from rag.privacy.recognizers.initials import InitialsRecognizer
from rag.privacy.recognizers.network import PerimeterIpRecognizer
from rag.privacy.recognizers.person import PersonRecognizer
from rag.privacy.recognizers.phone import PerimeterPhoneRecognizer
from rag.privacy.recognizers.records import RecordFieldRecognizer
from rag.privacy.recognizers.scripts import NonLatinScriptRecognizer
from rag.privacy.recognizers.structured import (
    PerimeterCreditCardRecognizer,
    PerimeterEmailRecognizer,
    PerimeterIbanRecognizer,
    PerimeterUsSsnRecognizer,
    iban_valid,
    luhn_valid,
)

ENTITY_TYPES = (
    "PERSON",
    "EMAIL",
    "PHONE",
    "US_SSN",
    "CREDIT_CARD",
    "IBAN",
    "IP_ADDRESS",
    "ADDRESS",
    "DATE_OF_BIRTH",
)

# Presidio's predefined recognizers use other names for the same things.
PRESIDIO_TO_PERIMETER = {
    "PERSON": "PERSON",
    "EMAIL_ADDRESS": "EMAIL",
    "PHONE_NUMBER": "PHONE",
    "US_SSN": "US_SSN",
    "CREDIT_CARD": "CREDIT_CARD",
    "IBAN_CODE": "IBAN",
    "IP_ADDRESS": "IP_ADDRESS",
}

__all__ = [
    "ENTITY_TYPES", "PRESIDIO_TO_PERIMETER", "AddressRecognizer", "DateOfBirthRecognizer", "GivenNameRecognizer", "InitialsRecognizer",
    "NonLatinScriptRecognizer",
    "PerimeterCreditCardRecognizer", "PerimeterEmailRecognizer", "PerimeterIbanRecognizer", "PerimeterIpRecognizer",
    "PerimeterPhoneRecognizer", "PerimeterUsSsnRecognizer", "PersonRecognizer", "RecordFieldRecognizer",
    "iban_valid", "luhn_valid", "perimeter_recognizers",
]


def perimeter_recognizers() -> list[EntityRecognizer]:
    """One fresh instance of every recognizer above, for an AnalyzerEngine registry."""
    return [
        PerimeterEmailRecognizer(),
        PerimeterUsSsnRecognizer(),
        PerimeterCreditCardRecognizer(),
        PerimeterIbanRecognizer(),
        PerimeterIpRecognizer(),
        PerimeterPhoneRecognizer(),
        AddressRecognizer(),
        DateOfBirthRecognizer(),
        PersonRecognizer(),
        GivenNameRecognizer(),
        InitialsRecognizer(),
        NonLatinScriptRecognizer(),
        RecordFieldRecognizer(),
    ]
