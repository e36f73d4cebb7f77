"""Recognizers of structured personal data: EMAIL, US_SSN, CREDIT_CARD, IBAN, and the sentence helpers they share
with :mod:`~rag.privacy.recognizers.network` (IP_ADDRESS) and :mod:`~rag.privacy.recognizers.phone` (PHONE).

Each value is checked with its own standard (Luhn, ISO 13616 mod-97) and
scored by the words around it; see :mod:`rag.privacy.recognizers` for the
score scale.
"""
from __future__ import annotations

import regex

from rag.privacy.recognizers.base import BaseRecognizer, clause_before

# --------------------------------------------------------------------- EMAIL
class PerimeterEmailRecognizer(BaseRecognizer):
    """RFC 5322 "dot-atom" addresses with a 2-24 letter TLD.

    Presidio's own EmailRecognizer validates the TLD with ``tldextract``, which
    tries to download the public-suffix list; this one stays offline.
    """

    ENTITY = "EMAIL"
    _RE = regex.compile(
        r"(?<![\w.+%-])[\w][\w.+%-]{0,63}@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\w-])"
    )

    def spans(self, text, nlp_artifacts):
        """Addresses at 0.95; a local part with ".." or ending in "." is not an address."""
        for m in self._RE.finditer(text):
            local = m.group().split("@", 1)[0]
            if ".." in local or local.endswith("."):
                continue
            yield m.start(), m.end(), 0.95


# --------------------------------------------------------------------- ids of things
# Nouns that name a number as the id of a thing or a record (parts, goods, logistics, commerce,
# documents), never of a person. A number named by one of them is not an SSN, a card or a phone
# number unless words about a person, a card or a phone stand near it as well.
OBJECT_ID_NOUNS = (
    r"part|parts|sku|item|model|spec|specs|specification|drawing|catalog|catalogue|serial|lot|batch|"
    r"order|orders|po|invoice|inv|ticket|case|claim|ref|reference|rma|tracking|shipment|consignment|parcel|"
    r"package|pallet|container|tote|bin|carton|crate|manifest|waybill|bol|awb|list|lists|picklist|pick|"
    r"picking|packing|delivery|dispatch|route|load|job|work\s+order|wo|asset|tag|barcode|ean|upc|gtin|"
    r"isbn|issn|quote|booking|reservation|confirmation|document|doc|drawing|revision|project|contract"
)
_OBJECT_NAMED_BEFORE = regex.compile(
    rf"\b(?:{OBJECT_ID_NOUNS})\.?(?:\s+(?:no\.?|nos\.?|number|num|id|code|ref\.?))?(?:\s+(?:is|was))?"
    r"(?:\s*#\s*|\s+)$",  # no "label:" layout: in a form, "Ref: 812-44-1093" may be anyone's number
    regex.I,
)
OBJECT_NAMED_AFTER = regex.compile(
    rf"^\s+(?:is|was)\s+(?:the|our|your|their|a|an)\s+(?:[\w-]+\s+){{0,2}}(?:{OBJECT_ID_NOUNS})\b",
    regex.I,
)


# words about a person, their contact details or their tax and HR papers: with one in the sentence,
# an id noun does not make an SSN- or phone-shaped number a thing's id
PERSON_WORDS = regex.compile(
    r"\b(?:ssns?|social|security|tax|taxpayer|tin|itin|ein|w-?[249]|i-?9|1099|payroll|applicants?|employees?|"
    r"staff|members?|patients?|candidates?|hires?|contractors?|beneficiar(?:y|ies)|dependents?|persons?|"
    r"people|individuals?|personal|identity|he|she|his|her|hers|him|their|them|mr|mrs|ms|dr|born|contacts?|"
    r"customers?|customer's|callers?|clients?|users?|owners?|drivers?|guests?|visitors?|tenants?|landlords?|"
    r"buyers?|sellers?|senders?|recipients?|requesters?|travell?ers?|passengers?|couriers?|technicians?|"
    r"residents?|someone|somebody|anyone)\b"
    r"|<PERSON_\d+>",  # in the residual scan, a name the first pass replaced
    regex.I,
)


def person_in_sentence(text: str, start: int, end: int, nlp_artifacts=None) -> bool:
    """The sentence holding ``text[start:end]`` has a :data:`PERSON_WORDS` word or a ``<PERSON_n>``
    placeholder, or spaCy (``nlp_artifacts``, when given) sees a PERSON entity in it.
    """
    lo, hi = sentence_bounds(text, start, end)
    if PERSON_WORDS.search(text, lo, hi):
        return True
    doc = getattr(nlp_artifacts, "tokens", None)
    return doc is not None and any(e.label_ == "PERSON" and lo <= e.start_char < hi for e in doc.ents)


def named_as_object_id(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is named as the id of a thing: one of :data:`OBJECT_ID_NOUNS` right before it
    ("Spec sheet ref 812-44-1093", "Part no. 212-555-0147") or "is the part number" right after it.
    Callers still check for words about a person, a card or a phone near the number.
    """
    return bool(_OBJECT_NAMED_BEFORE.search(text[max(0, start - 40):start])
                or OBJECT_NAMED_AFTER.match(text[end:end + 60]))


_SENTENCE_END = regex.compile(r"[.!?\n](?:\s|$)")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets ``(lo, hi)`` of the sentence holding ``text[start:end]``: from the last sentence end
    before it to the next one after it (or the ends of ``text``).
    """
    ends = list(_SENTENCE_END.finditer(text, 0, start))
    nxt = _SENTENCE_END.search(text, end)
    return (ends[-1].end() if ends else 0), (nxt.start() if nxt else len(text))


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding ``text[start:end]`` (see :func:`sentence_bounds`)."""
    lo, hi = sentence_bounds(text, start, end)
    return text[lo:hi]


# --------------------------------------------------------------------- US_SSN
class PerimeterUsSsnRecognizer(BaseRecognizer):
    """US Social Security numbers, ``AAA-GG-SSSS``.

    Rejects numbers the SSA never issues (area 000, 666 or 9xx, group 00,
    serial 0000; SSA, "Social Security Number Randomization", 2011) and the
    two famous specimen numbers. Undelimited 9-digit runs need "SSN"/"social
    security" just before them.
    """

    ENTITY = "US_SSN"
    _RE = regex.compile(r"(?<![\w.-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\w-]|\.\d)")
    _CONTEXT = regex.compile(r"\b(?:ssn|ssns|social\s+security(?:\s+(?:no|number|#))?|ss\s*#|tin)\W{0,3}$", regex.I)
    _SPECIMENS = {"078051120", "219099999", "123456789"}

    @classmethod
    def named_as_object_id(cls, text: str, start: int, end: int, nlp_artifacts=None) -> bool:
        """An SSN-shaped number named as a part, order, ticket, spec... id ("Spec sheet ref 812-44-1093",
        "812-44-1093 is the part number") in a sentence with no word about a person or SSNs and no
        person's name (:func:`person_in_sentence`).
        """
        return named_as_object_id(text, start, end) and not person_in_sentence(text, start, end, nlp_artifacts)

    def spans(self, text, nlp_artifacts):
        """Issuable numbers: ``AAA-GG-SSSS`` 0.95 with SSN wording before it, else 0.85; space-separated
        0.85/0.3; undelimited 0.85 with SSN wording, else not yielded (0). Without SSN wording, a number
        named as the id of a thing (:meth:`named_as_object_id`) scores 0.3.
        """
        for m in self._RE.finditer(text):
            area, sep, group, serial = m.groups()
            if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
                continue
            if area + group + serial in self._SPECIMENS:
                continue
            context = bool(self._CONTEXT.search(clause_before(text, m.start(), 40)))
            if not context and self.named_as_object_id(text, m.start(), m.end(), nlp_artifacts):
                yield m.start(), m.end(), 0.3
                continue
            if sep == "-":
                score = 0.95 if context else 0.85
            elif sep == " ":
                score = 0.85 if context else 0.3
            else:
                score = 0.85 if context else 0.0
            yield m.start(), m.end(), score


# --------------------------------------------------------------------- CREDIT_CARD
def luhn_valid(digits: str) -> bool:
    """Luhn mod-10 check digit (ISO/IEC 7812-1, Annex B) over a string of digits."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


class PerimeterCreditCardRecognizer(BaseRecognizer):
    """Payment card numbers (PAN), 12-19 digits, Luhn-validated (ISO/IEC 7812-1).

    Accepted groupings: 4-4-4-x (Visa, Mastercard, Discover, JCB...), 4-4-4 and
    12 undelimited digits (Maestro, IIN 50, 56-69 or 0604 only), 4-6-4/5 (Amex,
    Diners) and undelimited runs. A card's first digit is its Major
    Industry Identifier; 2-6 are the banking, travel and merchandising issuers.
    Other first digits, or order/invoice/tracking wording just before the number
    without any card wording, drop the score below every threshold, because a
    Luhn-valid id is a 1-in-10 coincidence.
    """

    ENTITY = "CREDIT_CARD"
    _RE = regex.compile(
        r"(?<![\w.-])(?:\d{4}([ -])\d{4}\1\d{4}(?:\1\d{1,7})?|\d{4}([ -])\d{6}\2\d{4,5}|\d{12,19})(?![\w-]|[.,]\d)"
    )
    _CARD = regex.compile(
        r"\b(?:cards?|credit|debit|visa|master\s?card|amex|american\s+express|discover|jcb|diners|maestro|"
        r"pan|cc|cvv|payment|charged?|purchasing)\b",
        regex.I,
    )
    # the kinds of record a long number identifies, other than a card (logistics, commerce, claims)
    _ID_NOUNS = (
        r"order|orders|po|invoice|inv|tracking|shipment|consignment|parcel|pallet|container|batch|lot|ref|"
        r"reference|ticket|case|claim|policy|serial|sku|part|booking|reservation|confirmation|rma|waybill|quote|"
        r"quoting|voucher|coupon|loyalty|membership|account\s+id|customer\s+id|list|lists|picklist|pick|picking|"
        r"packing|manifest|package|tote|bin|carton|crate|bol|awb|delivery|dispatch|route|load|job|work\s+order|wo|"
        r"asset|tag|barcode|ean|upc|gtin|isbn|issn|item|model|catalog|catalogue|drawing|document|contract|project"
    )
    _NOT_CARD = regex.compile(
        rf"\b(?:(?:{_ID_NOUNS})|id|code|no\.?|number|#)(?:\s+(?:is|was))?\W{{0,3}}$",
        regex.I,
    )
    # card words that outweigh an id noun anywhere in the sentence (not "payment": orders await payment)
    _CARD_AFTER = regex.compile(
        r"\b(?:cards?|credit|debit|visa|master\s?card|amex|american\s+express|discover|jcb|diners|maestro|cvv)\b",
        regex.I,
    )
    # "4539... is the transaction id": the sentence names the number after it
    _NAMED_AFTER = regex.compile(
        rf"^\s+(?:is|was)\s+(?:the|our|your|their|a|an)\s+(?:[\w-]+\s+){{0,2}}(?:{_ID_NOUNS}|id|code|number)\b",
        regex.I,
    )

    @classmethod
    def named_as_id(cls, text: str, start: int, end: int | None = None) -> bool:
        """The words just before ``text[start:]`` (or, given ``end``, just after ``text[:end]``: "... is
        the transaction id") call the number an order/ticket/voucher/claim id, and no card word is near
        (before it, or anywhere in its sentence: "Ticket 4539... was paid with her Visa").
        """
        # raw window, not the clause: "Order no. 4539..." ends a "sentence" at "no."
        after = cls._NAMED_AFTER.match(text[end:end + 60]) if end is not None else None
        named = bool(cls._NOT_CARD.search(text[max(0, start - 60):start])) or bool(
            after and not cls._CARD.search(after.group()))  # "... is the card number" is a card
        if end is not None and cls._CARD_AFTER.search(sentence_around(text, start, end)):
            return False  # "Ticket 4539... was paid with her Visa"
        return named and not cls._CARD.search(clause_before(text, start, 60))

    def spans(self, text, nlp_artifacts):
        """Luhn-valid 12-19 digit numbers (not all one digit; 12 only for Maestro): 1.0 with card wording before them,
        0.3 when named as an id or with a first digit outside 2-6, else 0.9.
        """
        for m in self._RE.finditer(text):
            digits = regex.sub(r"\D", "", m.group())
            if not 12 <= len(digits) <= 19 or not luhn_valid(digits) or len(set(digits)) == 1:
                continue
            maestro = digits[:2] == "50" or "56" <= digits[:2] <= "69" or digits[:4] == "0604"
            if len(digits) == 12 and not maestro:
                continue  # 12 digits: Maestro only (IIN 50, 56-69, 0604)
            before = clause_before(text, m.start(), 60)
            card_words = bool(self._CARD.search(before))
            if card_words:
                score = 1.0
            elif self.named_as_id(text, m.start(), m.end()) or (digits[0] not in "23456" and not maestro):
                score = 0.3
            else:
                score = 0.9
            yield m.start(), m.end(), score


# --------------------------------------------------------------------- IBAN
# IBAN length per country, ISO 13616-1 (SWIFT IBAN registry).
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
    "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25,
    "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18,
    "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33,
    "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}


def iban_valid(compact: str) -> bool:
    """ISO 13616 / ISO 7064 mod-97-10 check on an upper-case IBAN without spaces."""
    if not regex.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


class PerimeterIbanRecognizer(BaseRecognizer):
    """International Bank Account Numbers (ISO 13616), printed compact or in groups.

    The candidate is cut at the registry length for its country so that a
    following word in capitals is not swallowed, then checked with mod-97.
    Countries outside the registry table are accepted at a group boundary
    where mod-97 holds.
    """

    ENTITY = "IBAN"
    _RE = regex.compile(r"(?<![\w])([A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]){11,30})", regex.V1)

    def spans(self, text, nlp_artifacts):
        """IBANs that pass mod-97 at their country's registry length (or, outside the table, the
        longest group boundary that passes), at 0.95.
        """
        for m in self._RE.finditer(text):
            start, raw = m.start(), m.group()
            # offsets (in raw) just after each alphanumeric character
            ends = [i + 1 for i, ch in enumerate(raw) if ch.isalnum()]
            compact = "".join(ch for ch in raw if ch.isalnum())
            lengths = [IBAN_LENGTHS[compact[:2]]] if compact[:2] in IBAN_LENGTHS else range(len(compact), 14, -1)
            for n in lengths:
                if n > len(compact):
                    continue
                end = start + ends[n - 1]
                nxt = text[end:end + 1]
                if nxt.isalnum():  # cut in the middle of a group: not this length
                    continue
                if iban_valid(compact[:n]):
                    yield start, end, 0.95
                    break
