"""Presidio recognizers for Perimeter's nine personal-data types.

Every recognizer here is a plain :class:`presidio_analyzer.EntityRecognizer`
that emits our own entity names (``PERSON EMAIL PHONE US_SSN CREDIT_CARD IBAN
IP_ADDRESS ADDRESS DATE_OF_BIRTH``) with a calibrated score:

* ``>= 0.85`` — the value passed a checksum or an unambiguous format
  (Luhn, mod-97, ``ipaddress``, a full postal address with ZIP/postcode);
* ``0.6–0.8`` — the format is plausible and the surrounding words say what it
  is (``tel.``, ``card``, ``born``, ``attention``...);
* ``< 0.4`` — weak evidence, emitted only so that callers can see it; neither
  the redaction pass (threshold 0.5) nor the residual scan (0.4) acts on it.

Nothing here reads Django settings, touches the network or loads a model: the
spaCy ``Doc`` arrives through Presidio's ``NlpArtifacts``.

Look-alikes that the scores are tuned against (the public dev set's no-PII
records, but the rules are general): version and build numbers (``4.10.26``,
``10.0.21244.1137``), purchase-order and ticket ids, Luhn-invalid 16-digit
order numbers, dates that are not birth dates, hex serials written like IPv6,
and first names that are ordinary words (``Will``, ``Mark``, ``Rose``).
"""
from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Iterable, Iterator

import phonenumbers
import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

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

_SENTENCE_END = regex.compile(r"[.!?;\n](?:\s|$)")


def _clause_before(text: str, start: int, width: int) -> str:
    """Up to ``width`` characters before ``start``, cut at the last sentence end."""
    left = text[max(0, start - width):start]
    ends = list(_SENTENCE_END.finditer(left))
    return left[ends[-1].end():] if ends else left


def _result(entity: str, start: int, end: int, score: float, recognizer: str) -> RecognizerResult:
    return RecognizerResult(
        entity_type=entity,
        start=start,
        end=end,
        score=round(score, 3),
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: recognizer,
            # Scores are final: keep Presidio's lemma context enhancer off them.
            RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
        },
    )


class _Recognizer(EntityRecognizer):
    """Base: one entity type, English, no model to load."""

    ENTITY = ""

    def __init__(self) -> None:
        super().__init__(supported_entities=[self.ENTITY], supported_language="en", name=type(self).__name__)

    def load(self) -> None:  # nothing to load
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if entities and self.ENTITY not in entities:
            return []
        return [
            _result(self.ENTITY, s, e, score, self.name)
            for s, e, score in self.spans(text, nlp_artifacts)
            if score > 0
        ]

    def spans(self, text: str, nlp_artifacts: NlpArtifacts | None) -> Iterable[tuple[int, int, float]]:
        raise NotImplementedError


# --------------------------------------------------------------------- EMAIL
class EmailRecognizer(_Recognizer):
    """RFC 5322 "dot-atom" addresses with a 2-24 letter TLD.

    Presidio's own EmailRecognizer validates the TLD with ``tldextract``, which
    tries to download the public-suffix list; this one stays offline.
    """

    ENTITY = "EMAIL"
    _RE = regex.compile(
        r"(?<![\w.+%-])[\w][\w.+%-]{0,63}@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\w-])"
    )

    def spans(self, text, nlp_artifacts):
        for m in self._RE.finditer(text):
            local = m.group().split("@", 1)[0]
            if ".." in local or local.endswith("."):
                continue
            yield m.start(), m.end(), 0.95


# --------------------------------------------------------------------- US_SSN
class UsSsnRecognizer(_Recognizer):
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

    def spans(self, text, nlp_artifacts):
        for m in self._RE.finditer(text):
            area, sep, group, serial = m.groups()
            if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
                continue
            if area + group + serial in self._SPECIMENS:
                continue
            context = bool(self._CONTEXT.search(_clause_before(text, m.start(), 40)))
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


class CreditCardRecognizer(_Recognizer):
    """Payment card numbers (PAN), 13-19 digits, Luhn-validated (ISO/IEC 7812-1).

    Accepted groupings: 4-4-4-x (Visa, Mastercard, Discover, JCB...), 4-6-4/5
    (Amex, Diners) and undelimited runs. A card's first digit is its Major
    Industry Identifier; 2-6 are the banking, travel and merchandising issuers.
    Other first digits, or order/invoice/tracking wording just before the number
    without any card wording, drop the score below every threshold, because a
    Luhn-valid id is a 1-in-10 coincidence.
    """

    ENTITY = "CREDIT_CARD"
    _RE = regex.compile(
        r"(?<![\w.-])(?:\d{4}([ -])\d{4}\1\d{4}\1\d{1,7}|\d{4}([ -])\d{6}\2\d{4,5}|\d{13,19})(?![\w-]|[.,]\d)"
    )
    _CARD = regex.compile(
        r"\b(?:cards?|credit|debit|visa|master\s?card|amex|american\s+express|discover|jcb|diners|maestro|"
        r"pan|cc|cvv|payment|charged?|purchasing)\b",
        regex.I,
    )
    _NOT_CARD = regex.compile(
        r"\b(?:order|orders|po|invoice|inv|tracking|shipment|ref|reference|ticket|case|serial|sku|part|"
        r"account\s+id|customer\s+id|id|no\.?|number|#)\W{0,3}$",
        regex.I,
    )

    def spans(self, text, nlp_artifacts):
        for m in self._RE.finditer(text):
            digits = regex.sub(r"\D", "", m.group())
            if not 13 <= len(digits) <= 19 or not luhn_valid(digits) or len(set(digits)) == 1:
                continue
            before = _clause_before(text, m.start(), 60)
            card_words = bool(self._CARD.search(before))
            if card_words:
                score = 1.0
            elif self._NOT_CARD.search(before) or digits[0] not in "23456":
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


class IbanRecognizer(_Recognizer):
    """International Bank Account Numbers (ISO 13616), printed compact or in groups.

    The candidate is cut at the registry length for its country so that a
    following word in capitals is not swallowed, then checked with mod-97.
    Countries outside the registry table are accepted at a group boundary
    where mod-97 holds.
    """

    ENTITY = "IBAN"
    _RE = regex.compile(r"(?<![\w])([A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]){11,30})", regex.V1)

    def spans(self, text, nlp_artifacts):
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


# --------------------------------------------------------------------- IP_ADDRESS
class IpRecognizer(_Recognizer):
    """IPv4 (RFC 791 dotted quad) and IPv6 (RFC 4291 text forms), checked with :mod:`ipaddress`.

    Dotted quads right after "version", "build", "release"... are version
    numbers. Colon-hex strings whose groups are all exactly two characters are
    certificate serials, fingerprints or MAC addresses, not IPv6 addresses.
    """

    ENTITY = "IP_ADDRESS"
    _V4 = regex.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)")
    _V6 = regex.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{0,4}|(?:\d{1,3}\.){3}\d{1,3})(?![\w:])")
    _VERSION = regex.compile(
        r"\b(?:v|ver|version|build|release|rel|firmware|fw|kernel|patch|sdk|rev|revision)\.?\s*$", regex.I
    )
    _SERIAL = regex.compile(r"\b(?:serial|fingerprint|thumbprint|mac|hash|sha\d*|md5)\b[^.]{0,20}$", regex.I)

    def spans(self, text, nlp_artifacts):
        for m in self._V4.finditer(text):
            try:
                ipaddress.IPv4Address(m.group())
            except ValueError:
                continue
            before = _clause_before(text, m.start(), 30)
            if self._VERSION.search(before) or regex.match(r"/\d{1,2}\b", text[m.end():]):
                # a version number, or a CIDR block (a network, not one host)
                yield m.start(), m.end(), 0.2
            else:
                yield m.start(), m.end(), 0.9
        for m in self._V6.finditer(text):
            candidate = m.group()
            try:
                ipaddress.IPv6Address(candidate)
            except ValueError:
                continue
            groups = [g for g in candidate.split(":") if g]
            if "::" not in candidate and all(len(g) == 2 for g in groups):
                continue  # 89:42:16:7A:38:52:86:19 — a serial or fingerprint
            if self._SERIAL.search(_clause_before(text, m.start(), 40)):
                continue
            yield m.start(), m.end(), 0.9


# --------------------------------------------------------------------- PHONE
class PhoneRecognizer(_Recognizer):
    """Telephone numbers (ITU-T E.164 and national formats), checked with ``phonenumbers``.

    Three shapes stand on their own (score 0.8): an international number
    (``+49 ...``, ``0049 ...``, ``001-...``) that ``phonenumbers`` parses as
    possible, a NANP number written 3-3-4 with separators or parentheses, and a
    national number with its trunk code in parentheses (``(0909) 879 0578``).
    A 10-11 digit national number written in groups after a trunk ``0``
    (``0114 496 0380``) scores 0.65. Anything else, e.g. ``6713881817``, needs
    phone wording just before it and 9+ digits.
    Dates, SSNs, dotted quads and version strings are never phones.
    """

    ENTITY = "PHONE"
    _CANDIDATE = regex.compile(
        r"(?<![\w.+/-])(?:\+|\()?\d[\d \u00a0().-]{5,24}\d(?:\s?(?:x|ext\.?|extension|#)\s?\d{1,6})?(?![\w-]|\.\d|/\d)",
        regex.I,
    )
    _EXT = regex.compile(r"\s?(?:x|ext\.?|extension|#)\s?(\d{1,6})$", regex.I)
    _NANP = regex.compile(r"(?:(?:\+?1|001)[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}")
    _TRUNK = regex.compile(r"\(0\d{1,5}\) ?\d{2,5}(?:[ .-]?\d{2,5}){0,3}")
    _NATIONAL = regex.compile(r"0\d{2,4}(?: \d{2,8}){1,3}")
    _NOT_PHONE = regex.compile(
        r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{3}-\d{2}-\d{4}|(?:\d{1,3}\.){3}\d{1,3}"
        r"|\d+(?:\.\d+){2,}"
    )
    _CONTEXT = regex.compile(
        r"\b(?:phone|phones|tel|telephone|mobile|cell|cellphone|call|calls|called|calling|reach|reached|"
        r"dial|fax|whatsapp|sms|text|hotline|landline|ring)\b[^.!?;\n]{0,30}$",
        regex.I,
    )

    def _possible(self, number: str) -> bool:
        for region in (None, "US", "GB", "DE"):
            try:
                parsed = phonenumbers.parse(number, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_possible_number(parsed):
                return True
        return False

    def spans(self, text, nlp_artifacts):
        for m in self._CANDIDATE.finditer(text):
            start, raw = m.start(), m.group()
            # a bracket that is not part of the number (e.g. "(tel 555...)")
            while raw.endswith(")") and raw.count("(") < raw.count(")"):
                raw = raw[:-1]
            if raw.startswith("(") and raw.count("(") > raw.count(")"):
                raw, start = raw[1:], start + 1
            ext = self._EXT.search(raw)
            body = raw[: ext.start()] if ext else raw
            body_stripped = body.strip(" .-(")
            digits = regex.sub(r"\D", "", body)
            if not 7 <= len(digits) <= 15:
                continue
            end = start + len(raw)
            context = bool(self._CONTEXT.search(_clause_before(text, start, 50)))
            if body.startswith(("+", "00")):
                number = "+" + body.lstrip("+")[2:] if body.startswith("00") else body
                if not self._possible(number.replace("(0)", "")):
                    continue
                yield start, end, 0.9 if context else 0.8
            elif self._NANP.fullmatch(body) or self._TRUNK.fullmatch(body):
                yield start, end, 0.9 if context else 0.8
            elif self._NOT_PHONE.fullmatch(body_stripped):
                continue
            elif self._NATIONAL.fullmatch(body) and 10 <= len(digits) <= 11 and self._possible(body):
                # trunk "0" + area code, grouped: 0114 496 0380, 03641 34658
                yield start, end, 0.9 if context else 0.65
            elif context and len(digits) >= 9 and self._possible(body):
                # 9+ digits: short codes after "dial" (PINs, extensions) are not numbers
                yield start, end, 0.75


# --------------------------------------------------------------------- ADDRESS
_W = r"\p{Lu}[\p{L}\p{M}'’]*(?:[.-]\p{L}[\p{L}\p{M}'’]*)*\.?"  # a capitalised word, may be hyphenated
_UNIT = r"(?:Apt|Apartment|Suite|Ste|Unit|Bldg|Building|Fl|Floor|Rm|Room|Dept|PMB)\.?\s*\#?\s*[\w-]+|\#\s*[\w-]+"
# continental postcodes: DE/FR/IT/ES 5 digits, AT/CH/BE/DK/NL 4 (NL: + 2 letters),
# PT 4-3, PL 2-3, SE/CZ/SK/GR 3 2; optional country prefix "D-", "CH-"
_POSTCODE = r"(?:[A-Z]{1,2}-)?(?:\d{5}|\d{4}(?:-\d{3}|\s?[A-Z]{2}(?=\s))?|\d{2}-\d{3}|\d{3}\s\d{2})"
_US_STATES = (
    "AL AK AS AZ AR CA CO CT DE DC FM FL GA GU HI ID IL IN IA KS KY LA ME MH MD MA MI MN MS MO MT NE NV NH NJ NM NY "
    "NC ND MP OH OK OR PW PA PR RI SC SD TN TX UT VT VI VA WA WV WI WY AA AE AP"
).split()
_STREET_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Ter|"
    r"Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Crescent|Cres|Close|Row|Grove|Gardens|Mews|Walk|"
    r"Loop|Alley|Plaza|Expressway|Expy|Freeway|Fwy|Turnpike|Pike|Crossing|Xing|Ridge|Heights|Hts)"
)


class AddressRecognizer(_Recognizer):
    """Street addresses, with or without a city line.

    * US/Canada: ``123 Main St [Apt 4], City, ST 12345[-6789]`` (USPS Publication
      28 order; ST must be a USPS state or territory code) — score 0.9;
    * continental Europe: ``Hauptstraße 5[-7|/4], 12345 City`` and ``12 rue de
      Rivoli, 75001 Paris`` (street, house number, 4-5 digit postcode, city) — 0.85;
    * UK: ``10 Downing Street, London SW1A 2AA`` (postcode per BS 7666) — 0.85;
    * US military (``PSC 4115, Box 7815, APO AA 41945``) — 0.9;
    * UK lines ending in a postcode (``Flat 5, Smith Road, Leeds, LS1 4AP``) — 0.75;
    * a bare street line: ``42 Oak Street [Suite 5]``, ``Hauptstraße 12``,
      ``Via Roma 12``, ``12 rue de Rivoli`` — 0.7.

    Names may be non-ASCII (``Blümelgasse``, ``Weißenfels``).
    """

    ENTITY = "ADDRESS"
    _US = regex.compile(
        rf"(?<![\w-])\d{{1,6}}[A-Za-z]?(?:-\d{{1,4}})?\s+(?:(?:\d{{1,3}}(?:st|nd|rd|th)|{_W})\s+){{0,4}}{_W}"
        rf"(?:,?\s+{_UNIT})?,\s+{_W}(?:\s+{_W}){{0,3}},?\s+(?P<state>[A-Z]{{2}})\s+\d{{5}}(?:-\d{{4}})?(?!\w)"
    )
    _CA = regex.compile(
        rf"(?<![\w-])\d{{1,6}}[A-Za-z]?\s+(?:{_W}\s+){{0,4}}{_W}(?:,?\s+{_UNIT})?,\s+{_W}(?:\s+{_W}){{0,3}},?\s+"
        r"[A-Z]{2}\s+[A-Z]\d[A-Z]\s?\d[A-Z]\d(?!\w)"
    )
    _PARTICLE = (
        r"(?:der|die|das|den|dem|am|an|im|in|auf|zum|zur|de|del|della|delle|dei|di|du|des|la|le|les|van|von|"
        r"da|do|dos)"
    )
    _EU_STREET_FIRST = regex.compile(
        rf"(?<![\w-]){_W}(?:[\s-](?:{_W}|{_PARTICLE}))*?\s+\d{{1,5}}[a-zA-Z]?(?:\s?[-/]\s?\d{{1,5}}[a-zA-Z]?)?"
        rf",\s+{_POSTCODE}\s+{_W}(?:[\s-](?:{_W}|{_PARTICLE}))*?(?=[^\p{{L}}\p{{M}}'’.-]|$)"
    )
    _EU_NUMBER_FIRST = regex.compile(
        rf"(?<![\w-])\d{{1,5}}(?:\s?(?:bis|ter|[a-zA-Z]))?,?\s+(?:{_W}|{_PARTICLE}|rue|avenue|boulevard|chemin|"
        rf"impasse|allée|place|quai|route|calle|avenida|carrer|via|viale|piazza|corso|plaza|paseo)"
        rf"(?:\s+(?:{_W}|{_PARTICLE})){{0,5}},\s+{_POSTCODE}\s+{_W}(?:[\s-]{_W}){{0,3}}"
        rf"(?=[^\p{{L}}\p{{M}}'’.-]|$)"
    )
    _UK = regex.compile(
        rf"(?<![\w-])\d{{1,5}}[A-Za-z]?\s+(?:{_W}\s+){{0,4}}{_W},\s+(?:{_W}\s+){{0,3}}(?:{_W},?\s+)?"
        r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}(?!\w)"
    )
    _STREET_ONLY = regex.compile(
        rf"(?<![\w-])\d{{1,6}}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:{_W}\s+){{1,3}}{_STREET_SUFFIX}\.?(?:,?\s+{_UNIT})?(?!\w)"
    )
    _ABBREVIATION_END = regex.compile(r"\b(?:St|Ave|Rd|Dr|Blvd|Ln|Ct|Pl|Apt|Ste)\.$")
    _MILITARY = regex.compile(
        r"(?<![\w-])(?:(?:PSC|Unit|CMR)\s+\d{3,5},?\s+Box\s+\d{3,5}|(?:USNS|USNV|USS|USCGC)\s+\p{Lu}[\p{L}'’-]*)"
        r",?\s+(?:APO|FPO|DPO)\s+A[AEP]\s+\d{5}(?!\w)"
    )
    _UK_LINES = regex.compile(
        rf"(?<![\w-])(?:(?:Flat|Studio|Apartment|Unit)\s+\d{{1,4}}[A-Za-z]?,?\s+)?(?:\d{{1,5}}[A-Za-z]?,?\s+)?"
        rf"\p{{L}}[\p{{L}}'’.-]*(?:\s+\p{{L}}[\p{{L}}'’.-]*){{0,4}},\s+(?:{_W}(?:\s+{_W}){{0,3}},?\s+){{0,2}}"
        r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}(?!\w)"
    )
    _HOUSE_NUMBER = r"\s+\d{1,5}[a-zA-Z]?(?:\s?[-/]\s?\d{1,5}[a-zA-Z]?)?(?![\w-])"
    _DE_STREET_ONLY = regex.compile(
        r"(?<![\w-])\p{Lu}[\p{L}\p{M}'’-]*(?:straße|strasse|str\.|gasse|weg|allee|ring|platz|damm|ufer|chaussee|"
        r"steig|pfad|straat|laan|gracht|plein|kade|vej|gatan|gata|veien)" + _HOUSE_NUMBER
    )
    # "Via Roma 12": the leading word is ambiguous ("Via Teams 3 ..."), so the
    # house number must end the phrase.
    _ROMANCE_STREET_ONLY = regex.compile(
        r"(?<![\w-])(?:Via|Viale|Piazza|Corso|Calle|Avenida|Paseo|Plaza|Carrer|Rua|Travessa|Rue|Avenue|Boulevard|"
        r"Chemin|Impasse|Quai)\s+(?:(?:de|del|della|di|do|da|dos|das|la|le|les|du|des|d'|l')\s*)*"
        r"\p{Lu}[\p{L}\p{M}'’-]*(?:\s+\p{Lu}[\p{L}\p{M}'’-]*){0,3}" + _HOUSE_NUMBER + r"(?=\s*(?:[,.;:)]|$))"
    )
    _FR_NUMBER_FIRST = regex.compile(
        r"(?<![\w-])\d{1,5}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|chemin|impasse|allée|place|quai|"
        r"route|cours|calle|avenida|via)\s+(?:[\p{L}'’.-]+\s+){0,4}?\p{Lu}[\p{L}\p{M}'’-]*(?![\w-])",
        regex.I,
    )
    # street-first matches that are really "Release 5, 2024 Roadmap"
    _NOT_STREET = regex.compile(
        r"^(?:Version|Release|Build|Page|Pages|Section|Chapter|Clause|Article|Room|Floor|Gate|Flight|Invoice|Order|"
        r"Ticket|Case|Step|Phase|Sprint|Q[1-4]|Table|Figure|Item|Line|Level|Tier|Week|Day|Year|January|February|"
        r"March|April|May|June|July|August|September|October|November|December)\b"
    )

    def spans(self, text, nlp_artifacts):
        for start, end, score in self._matches(text):
            while end > start and text[end - 1] in ".,":  # sentence punctuation, not "St."
                if text[end - 1] == "." and self._ABBREVIATION_END.search(text[start:end]):
                    break
                end -= 1
            yield start, end, score

    def _matches(self, text):
        for m in self._US.finditer(text):
            if m.group("state") in _US_STATES:
                yield m.start(), m.end(), 0.9
        for m in self._CA.finditer(text):
            yield m.start(), m.end(), 0.85
        for m in self._UK.finditer(text):
            yield m.start(), m.end(), 0.85
        for pattern in (self._EU_STREET_FIRST, self._EU_NUMBER_FIRST):
            for m in pattern.finditer(text, overlapped=False):
                if self._NOT_STREET.match(m.group()):
                    continue
                yield m.start(), m.end(), 0.85
        for m in self._MILITARY.finditer(text):
            yield m.start(), m.end(), 0.9
        for m in self._UK_LINES.finditer(text):
            yield m.start(), m.end(), 0.75
        for pattern in (self._STREET_ONLY, self._DE_STREET_ONLY, self._ROMANCE_STREET_ONLY, self._FR_NUMBER_FIRST):
            for m in pattern.finditer(text):
                yield m.start(), m.end(), 0.7


# --------------------------------------------------------------------- DATE_OF_BIRTH
_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
)
_MONTH_NUMBER = {
    name: i
    for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
         ("nov", "november"), ("dec", "december")],
        start=1,
    )
    for name in names
}


class DateOfBirthRecognizer(_Recognizer):
    """A calendar date that is somebody's date of birth.

    A date alone is not personal data here (deadlines, flights, incidents); it
    becomes DATE_OF_BIRTH when birth wording stands just before it in the same
    clause ("DOB", "born", "date of birth", "birthday"...; 0.9) or just after it
    ("(DOB)"; 0.85), or when it follows a person's name in a record such as
    ``Jane Roe, 04/02/1966, ...`` and lies at least ten years back (0.7).

    Formats: ``March 21, 1973``, ``21 March 1973``, ``1973-03-21``,
    ``03/21/1973``, ``21.03.1973``, ``21-Mar-1973``, and ``March 1973``
    (month and year only, birth wording required).
    """

    ENTITY = "DATE_OF_BIRTH"
    _DATE = regex.compile(
        rf"(?<![\w/.-])(?:"
        rf"(?P<mdy>{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
        rf"|(?P<dmy>\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\.?,?\s+\d{{4}})"
        rf"|(?P<iso>\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}})"
        rf"|(?P<num>\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}}))"
        rf"|(?P<dmon>\d{{1,2}}[- ]{_MONTHS}[- ]\d{{2,4}})"
        rf"|(?P<my>{_MONTHS}\.?,?\s+\d{{4}})"
        rf")(?![\w/-]|\.\d)",
        regex.I,
    )
    _BIRTH_BEFORE = regex.compile(
        r"\b(?:d\.?\s?o\.?\s?b|born(?:\s+on)?|birth\s?date|birth\s?dates|birth\s?day|birthdays?|dates?\s+of\s+birth|"
        r"geboren|geb|née|né|nacido|nacida|nato|nata)\b[^.!?;\n]{0,30}$",
        regex.I,
    )
    _BIRTH_AFTER = regex.compile(r"^\W{0,3}(?:d\.?\s?o\.?\s?b\b|date\s+of\s+birth|birth\s?date|birthday|born)", regex.I)
    _NAME_BEFORE = regex.compile(r"\p{Lu}[\p{Ll}\p{M}'’-]+(?:\s+\p{Lu}[\p{Ll}\p{M}'’-]+){1,3}\s*[,(]\s*$")

    @staticmethod
    def _year(m: regex.Match) -> int | None:
        years = regex.findall(r"\d{4}", m.group())
        if years:
            return int(years[-1])
        two = regex.search(r"(\d{2})$", m.group())
        if two:
            y = int(two.group(1))
            return 2000 + y if y <= dt.date.today().year % 100 else 1900 + y
        return None

    @staticmethod
    def _plausible(m: regex.Match) -> bool:
        """The numbers form a real calendar date (either day/month order for slashes)."""
        s = m.group()
        nums = [int(n) for n in regex.findall(r"\d+", s)]
        kind = m.lastgroup
        if kind == "iso":
            y, a, b = nums
            return 1 <= a <= 12 and 1 <= b <= 31
        if kind == "num":
            a, b, _ = nums
            return (1 <= a <= 12 and 1 <= b <= 31) or (1 <= b <= 12 and 1 <= a <= 31)
        if kind in ("mdy", "dmy", "dmon"):
            return 1 <= nums[0] <= 31
        return True

    def spans(self, text, nlp_artifacts):
        this_year = dt.date.today().year
        for m in self._DATE.finditer(text):
            year = self._year(m)
            if year is None or not 1900 <= year <= this_year or not self._plausible(m):
                continue
            before = _clause_before(text, m.start(), 60)
            if self._BIRTH_BEFORE.search(before):
                yield m.start(), m.end(), 0.9
            elif self._BIRTH_AFTER.match(text[m.end():m.end() + 20]):
                yield m.start(), m.end(), 0.85
            elif m.lastgroup != "my" and year <= this_year - 10 and self._NAME_BEFORE.search(before):
                yield m.start(), m.end(), 0.7


# --------------------------------------------------------------------- PERSON
_NAME_WORD = regex.compile(r"\p{Lu}[\p{L}\p{M}'’]*\p{Ll}[\p{L}\p{M}'’]*$")
_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "dos", "das", "le", "la", "bin",
              "ibn", "al", "el", "ter", "ten", "y", "zu"}


def _is_particle(word: list) -> bool:
    """``van``, ``de``, ``al``... standing alone (``Al-Farsi`` is a name)."""
    return len(word) == 1 and word[0].lower_ in _PARTICLES


_HONORIFIC = regex.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Herr|Frau|Mme|Mlle|Sr|Sra)\.?\s*$")
_STRONG_CUE_BEFORE = regex.compile(
    r"\b(?:attention|attn|c/o|named|name\s+is|called|witness|claimant|defendant|plaintiff|employee|"
    r"contractor|customer|client|patient|traveller|traveler|passenger|guest|rep|representative|requester|"
    r"requestor|applicant|candidate|tenant|landlord|manager|colleague|candidate|signatory|director|officer|"
    r"owner|holder|supplier|vendor|contact|member|student|user|driver|caller|victim|suspect|subject|"
    r"dear|hi|hello|thanks|regards|signed|cc|to:|from:)\W{0,3}$",
    regex.I,
)
_WEAK_CUE_BEFORE = regex.compile(
    r"\b(?:for|from|by|to|is|was|about|ask|tell|email|emailed|call|called|met|meet|contact|belonging\s+to|"
    r"pretending\s+to\s+be|add|invite)\W{0,3}$",
    regex.I,
)
_LEADING_CUES = {"contact", "attention", "attn", "ask", "call", "email", "dear", "hi", "hello", "cc", "tell",
                 "invite", "add", "thank", "thanks", "ping", "message", "notify", "remind"}
_FUNCTION_POS = {"AUX", "VERB", "ADP", "DET", "PRON", "SCONJ", "CCONJ", "ADV", "INTJ", "PART", "NUM"}
_CUE_AFTER = regex.compile(
    r"^(?:['’]s?\b|\s*\(|,\s+(?:born|dob|age|aged|who|our|the|a|an|from|at|ssn|phone|tel|email)\b|"
    r"\s+(?:from|of|at)\s+(?:the|our|their)\b|"
    r"\s+(?:said|says|reported|reports|asked|asks|called|calls|emailed|wrote|writes|lives|lived|works|worked|"
    r"is|was|has|had|keeps|kept|wants|wanted|needs|needed|signed|approved|requested|requests|joined|left|"
    r"sent|received|submitted|paid|booked|will|would|can|could|should|must|may|might)\b)",
    regex.I,
)
_ORG_WORDS = {
    "inc", "inc.", "ltd", "ltd.", "llc", "gmbh", "ag", "plc", "corp", "corp.", "corporation", "company", "co.",
    "bank", "group", "holdings", "partners", "university", "college", "school", "hospital", "clinic", "institute",
    "department", "dept", "ministry", "agency", "office", "council", "committee", "board", "team", "teams",
    "services", "solutions", "systems", "technologies", "labs", "cloud", "airlines", "airways", "airport",
    "hotel", "hotels", "station", "center", "centre", "foundation", "association", "union", "court", "street",
    "road", "avenue", "suite", "server", "portal", "platform", "conference", "room", "building", "tower",
    # departments
    "resources", "facilities", "procurement", "legal", "finance", "accounting", "payroll", "security",
    "operations", "marketing", "support", "success", "engineering", "compliance", "helpdesk", "desk",
}
# place words that end multi-word names of buildings: "Grace Hopper Hall"
_PLACE_WORDS = {"hall", "house", "park", "museum", "library", "arena", "stadium", "theatre", "theater", "gallery",
                "bridge", "garden", "gardens", "square", "plaza", "lake", "river", "mountain", "island", "valley"}
_NOT_NAME = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "herr", "frau", "mme",
    "mlle", "sr", "sra", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}
_NON_PERSON_NER = {"GPE", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL", "LAW",
                   "LANGUAGE", "EVENT", "PRODUCT", "WORK_OF_ART", "FAC"}


class PersonRecognizer(_Recognizer):
    """People's names from spaCy's NER and part-of-speech tags plus surrounding words.

    A candidate is a run of two or more capitalised name words (lower-case
    particles such as ``van``/``de`` allowed inside, a trailing ``'s`` dropped).
    Scores:

    * spaCy labels the run PERSON: 0.85;
    * every word is a proper noun (PROPN) and a cue stands before it
      ("attention", "claimant", "for", "from"...) or after it ("'s", "(",
      "from the", "reported"...): 0.7, or 0.6 when spaCy called it an
      organisation or place;
    * one capitalised word after an honorific (``Dr. Okafor``): 0.8.

    A lone capitalised word otherwise is not a name here: "Will", "Mark",
    "Rose", "Penny" and "Summer" are also ordinary words. Runs containing an
    organisation or street word ("Bank", "Cloud", "Road") are skipped.
    """

    ENTITY = "PERSON"

    def spans(self, text, nlp_artifacts):
        if nlp_artifacts is None or nlp_artifacts.tokens is None:
            return
        doc = nlp_artifacts.tokens
        found: list[tuple[int, int]] = []
        for run_start, run_end, words in self._runs(doc):
            start, end, score = self._score(text, doc, run_start, run_end, words)
            if score:
                found.append((start, end))
                yield start, end, score
        # a surname on its own after an honorific: "Dr. Okafor", "Mrs. Gupta"
        for tok in doc:
            start, end = tok.idx, tok.idx + len(tok.text)
            if (self._is_name(tok) and _HONORIFIC.search(text[max(0, start - 8):start])
                    and not any(s <= start < e for s, e in found)):
                yield start, end, 0.8

    @staticmethod
    def _is_name(tok) -> bool:
        return bool(_NAME_WORD.match(tok.text)) and tok.lower_ not in _NOT_NAME

    @classmethod
    def _runs(cls, doc) -> Iterator[tuple[int, int, list]]:
        """Maximal runs of capitalised words separated by single spaces.

        Yields ``(start_char, end_char, words)`` where ``words`` lists each
        word's tokens (``Mary-Jane`` is one word of three tokens).
        """
        words: list[list] = []

        def flush():
            while words and _is_particle(words[-1]):
                words.pop()
            if sum(1 for w in words if not _is_particle(w)) >= 2:
                first, last = words[0][0], words[-1][-1]
                yield first.idx, last.idx + len(last.text), words

        i, n = 0, len(doc)
        while i < n:
            tok = doc[i]
            word = [tok]
            # hyphenated name: Mary-Jane, Müller-Lüdenscheidt
            while (cls._is_name(word[-1]) and not word[-1].whitespace_ and i + 2 < n
                   and doc[i + 1].text in ("-", "\u2010") and not doc[i + 1].whitespace_
                   and cls._is_name(doc[i + 2])):
                word += [doc[i + 1], doc[i + 2]]
                i += 2
            i += 1
            is_name = cls._is_name(tok)
            if words and words[-1][-1].whitespace_ == " " and (is_name or tok.lower_ in _PARTICLES):
                words.append(word)
                continue
            yield from flush()
            words = [word] if is_name else []
        yield from flush()

    @staticmethod
    def _score(text: str, doc, start: int, end: int, words: list) -> tuple[int, int, float]:
        # Sentence-initial verbs and cue words are capitalised too: "Will Mark
        # review...", "Ask Lukas van der Berg", "Contact Ana Sousa".
        leading_cue = False
        while words and (words[0][0].pos_ in _FUNCTION_POS or words[0][0].lower_ in _LEADING_CUES
                         or _is_particle(words[0])):
            leading_cue |= words[0][0].lower_ in _LEADING_CUES
            words = words[1:]
        while words and (words[-1][-1].pos_ in _FUNCTION_POS or _is_particle(words[-1])):
            words = words[:-1]
        names = [w for w in words if not _is_particle(w)]
        if len(names) < 2:
            return start, end, 0.0
        start, end = words[0][0].idx, words[-1][-1].idx + len(words[-1][-1].text)
        lowered = [t.lower_.rstrip(".") for w in names for t in w]
        if any(x in _ORG_WORDS for x in lowered) or (len(names) >= 3 and lowered[-1] in _PLACE_WORDS):
            return start, end, 0.0
        if any(t.ent_type_ == "PERSON" for w in names for t in w):
            # keep the PERSON-labelled core: "Jane Doe Consulting" -> "Jane Doe"
            core = [w for w in words if all(t.ent_type_ == "PERSON" for t in w) or _is_particle(w)]
            if sum(1 for w in core if not _is_particle(w)) >= 2 and core == words[
                    words.index(core[0]):words.index(core[0]) + len(core)]:
                last = core[-1][-1]
                return core[0][0].idx, last.idx + len(last.text), 0.85
        before = _clause_before(text, start, 40)
        if _HONORIFIC.search(before):
            return start, end, 0.85
        if not all(t.pos_ == "PROPN" for w in names for t in w if t.text not in ("-", "\u2010")):
            return start, end, 0.0
        labels = {t.ent_type_ for w in names for t in w} - {""}
        strong = leading_cue or bool(_STRONG_CUE_BEFORE.search(before) or _CUE_AFTER.match(text[end:end + 30]))
        weak = bool(_WEAK_CUE_BEFORE.search(before))
        if labels & _NON_PERSON_NER:
            return start, end, 0.6 if strong else 0.0
        if labels:  # ORG, NORP, LOC: spaCy's small model often files names there
            return start, end, 0.6 if strong or weak else 0.0
        return start, end, 0.7 if strong or weak else 0.0


def perimeter_recognizers() -> list[EntityRecognizer]:
    """One fresh instance of every recognizer above, for an AnalyzerEngine registry."""
    return [
        EmailRecognizer(),
        UsSsnRecognizer(),
        CreditCardRecognizer(),
        IbanRecognizer(),
        IpRecognizer(),
        PhoneRecognizer(),
        AddressRecognizer(),
        DateOfBirthRecognizer(),
        PersonRecognizer(),
    ]
