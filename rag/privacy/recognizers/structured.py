"""Recognizers of structured personal data: EMAIL, US_SSN, CREDIT_CARD, IBAN, IP_ADDRESS, PHONE.

Each value is checked with its own standard (Luhn, ISO 13616 mod-97,
:mod:`ipaddress`, ``phonenumbers``) and scored by the words around it; see
:mod:`rag.privacy.recognizers` for the score scale.
"""
from __future__ import annotations

import ipaddress

import phonenumbers
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

    def spans(self, text, nlp_artifacts):
        """Issuable numbers: ``AAA-GG-SSSS`` 0.95 with SSN wording before it, else 0.85; space-separated
        0.85/0.3; undelimited 0.85 with SSN wording, else not yielded (0).
        """
        for m in self._RE.finditer(text):
            area, sep, group, serial = m.groups()
            if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
                continue
            if area + group + serial in self._SPECIMENS:
                continue
            context = bool(self._CONTEXT.search(clause_before(text, m.start(), 40)))
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
    # the kinds of record a long number identifies, other than a card (logistics, commerce, claims)
    _ID_NOUNS = (
        r"order|orders|po|invoice|inv|tracking|shipment|consignment|parcel|pallet|container|batch|lot|ref|"
        r"reference|ticket|case|claim|policy|serial|sku|part|booking|reservation|confirmation|rma|waybill|quote|"
        r"quoting|voucher|coupon|loyalty|membership|account\s+id|customer\s+id"
    )
    _NOT_CARD = regex.compile(
        rf"\b(?:(?:{_ID_NOUNS})|id|code|no\.?|number|#)(?:\s+(?:is|was))?\W{{0,3}}$",
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
        the transaction id") call the number an order/ticket/voucher/claim id, and no card word is near.
        """
        # raw window, not the clause: "Order no. 4539..." ends a "sentence" at "no."
        after = cls._NAMED_AFTER.match(text[end:end + 60]) if end is not None else None
        named = bool(cls._NOT_CARD.search(text[max(0, start - 60):start])) or bool(
            after and not cls._CARD.search(after.group()))  # "... is the card number" is a card
        return named and not cls._CARD.search(clause_before(text, start, 60))

    def spans(self, text, nlp_artifacts):
        """Luhn-valid 13-19 digit numbers (not all one digit): 1.0 with card wording before them,
        0.3 when named as an id or with a first digit outside 2-6, else 0.9.
        """
        for m in self._RE.finditer(text):
            digits = regex.sub(r"\D", "", m.group())
            if not 13 <= len(digits) <= 19 or not luhn_valid(digits) or len(set(digits)) == 1:
                continue
            before = clause_before(text, m.start(), 60)
            card_words = bool(self._CARD.search(before))
            if card_words:
                score = 1.0
            elif self.named_as_id(text, m.start(), m.end()) or digits[0] not in "23456":
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


# --------------------------------------------------------------------- IP_ADDRESS
class PerimeterIpRecognizer(BaseRecognizer):
    """IPv4 (RFC 791 dotted quad) and IPv6 (RFC 4291 text forms), checked with :mod:`ipaddress`.

    Dotted quads right after "version", "build", "release"... are version
    numbers, and so are those in a clause about software ("upgrade the agent
    to 9.3.7.9", "the app 4.1.0.2 crashes") that says nothing about networks
    (no "IP", "host", "login", "server"... before it, no "from"/"at"/"via"
    just before it, and after a bare "on" only software words after the
    number count), and so are those right after a capitalised word that
    is none of those ("Jasper 2.1.4.7 is the LTS line": a product's name).
    Colon-hex strings whose groups are all exactly two characters are
    certificate serials, fingerprints or MAC addresses, not IPv6 addresses.
    """

    ENTITY = "IP_ADDRESS"
    _V4 = regex.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)")
    _V6 = regex.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{0,4}|(?:\d{1,3}\.){3}\d{1,3})(?![\w:])")
    _VERSION = regex.compile(
        r"\b(?:v|ver|version|build|release|rel|firmware|fw|kernel|patch|sdk|rev|revision)\.?\s*$", regex.I
    )
    _SOFTWARE = regex.compile(
        r"\b(?:versions?|builds?|releases?|firmware|kernel|patch(?:es)?|sdk|upgrade[sd]?|upgrading|update[sd]?|"
        r"agents?|apps?|image|cve|crash(?:es|ed)?|hotfix(?:es)?|drivers?|plugins?|apis?|librar(?:y|ies)|"
        r"packages?|modules?|installers?|lts|long-term\s+support|rolled\s+out|rollouts?|service\s+pack|"
        r"roll(?:ed|s|ing)?[\s-]?backs?|downgrad(?:e|es|ed|ing))\b", regex.I
    )
    # "Jasper 2.1.4.7 is the LTS line": a dotted quad right after a capitalised word (a product's name)
    _PRODUCT_BEFORE = regex.compile(r"(?<![\w.-])\p{Lu}[\p{L}\p{M}]*\p{Ll}[\p{L}\p{M}]*\s$")
    _NETWORK = regex.compile(
        r"\b(?:ip|ips|address(?:es)?|hosts?|hostname|servers?|log-?ins?|logged|sign-?ins?|ssh|rdp|ping|traffic|"
        r"firewall|subnet|gateway|dns|vpn|proxy|connect(?:ed|ion|ions)?|sessions?|requests?|attacks?|attempts?)\b"
        r"|\b(?:from|at|via)\s*$",
        regex.I,
    )
    _ON = regex.compile(r"\bon\s*$", regex.I)
    _SERIAL = regex.compile(r"\b(?:serial|fingerprint|thumbprint|mac|hash|sha\d*|md5)\b[^.]{0,20}$", regex.I)

    def spans(self, text, nlp_artifacts):
        """Valid IPv4 addresses at 0.9, or 0.2 when they read as a version number or a CIDR block;
        valid IPv6 addresses at 0.9, except two-character-group serials and fingerprints.
        """
        for m in self._V4.finditer(text):
            try:
                ipaddress.IPv4Address(m.group())
            except ValueError:
                continue
            before = clause_before(text, m.start(), 30)
            # the sentence so far, across ";": "app 2.6.3.4 crashes; 2.6.3.5 does not"
            clause = regex.split(r"[.!?\n](?:\s|$)", text[max(0, m.start() - 80):m.start()])[-1]
            after = regex.split(r"[.!?;\n](?:\s|$)", text[m.end():m.end() + 40])[0]
            # "runs on 10.1.2.3" is a host, "stuck on 2.3.12.12 because of the plugin API" a version:
            # a bare "on" yields to software words after the number, never to those before it
            on = self._ON.search(clause)
            software = ((self._SOFTWARE.search(after) or not on and (
                self._SOFTWARE.search(clause) or self._PRODUCT_BEFORE.search(text[max(0, m.start() - 30):m.start()])))
                and not self._NETWORK.search(clause))
            if self._VERSION.search(before) or software or regex.match(r"/\d{1,2}\b", text[m.end():]):
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
            if self._SERIAL.search(clause_before(text, m.start(), 40)):
                continue
            yield m.start(), m.end(), 0.9


# --------------------------------------------------------------------- PHONE
class PerimeterPhoneRecognizer(BaseRecognizer):
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
        """Numbers of 7-15 digits (extension excluded): the shapes above at 0.8 (0.9 with phone
        wording), grouped national numbers at 0.65 (0.9), others at 0.75 only with phone wording
        and 9+ digits. Dates, SSNs, dotted quads and versions are skipped.
        """
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
            context = bool(self._CONTEXT.search(clause_before(text, start, 50)))
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
