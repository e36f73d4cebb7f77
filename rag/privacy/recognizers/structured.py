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
_OBJECT_NAMED_AFTER = regex.compile(
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
                or _OBJECT_NAMED_AFTER.match(text[end:end + 60]))


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
def ipv4_no_host(address: ipaddress.IPv4Address) -> bool:
    """A network mask or a loopback address rather than one host's address: contiguous ones then zeros
    starting at 255 (``255.255.255.0``, ``255.255.252.0``; RFC 950, RFC 4632), a wildcard mask
    (``0.0.0.255``) or ``0.0.0.0``, or 127.0.0.0/8 (every machine's own loopback, RFC 1122 3.2.1.3).
    None of them tells one machine, or one person, from another.
    """
    if address.is_loopback:
        return True
    bits = int(address)
    inverse = bits ^ 0xFFFFFFFF
    ones_then_zeros = bits >> 24 == 0xFF and (inverse + 1) & inverse == 0
    zeros_then_ones = bits >> 24 == 0 and (bits + 1) & bits == 0  # wildcard masks; 0.0.0.0
    return ones_then_zeros or zeros_then_ones


class PerimeterIpRecognizer(BaseRecognizer):
    """IPv4 (RFC 791 dotted quad) and IPv6 (RFC 4291 text forms), checked with :mod:`ipaddress`.

    A valid dotted quad is an address (0.9) unless it reads as something else (0.2):

    * named: right after "version", "build", "firmware", "OID", "section"...
      or right before "hotfix", "release", "build"... (not after a machine,
      a person or a network word: "her laptop 10.2.3.4 build");
    * weakly version-like: software words in its clause ("upgrade the agent
      to 9.3.7.9", "minimum supported client: 8.1.0.2", "regression started in
      2.4.1.17"; after a bare "on", only software words after the number),
      a product's name right before it (a capitalised word spaCy tags as a
      proper noun and that names no machine: "Jasper 2.1.4.7 is the LTS
      line", not "Laptop 10.2.3.4"), or a sibling quad in the sentence with
      the same small major.minor ("8.1.0.2 on desktop, 8.1.0.5 on mobile").
      Any network word in its clause or "from"/"at"/"via" just before it
      (unless a sibling quad and a software word say upgrade), any word about
      a connection, a person using it or (without a product name) a machine
      anywhere in the sentence, or a PERSON that spaCy sees there, vetoes
      this weak evidence;
    * not one host's address: a CIDR block (``/24`` after it), a network or
      wildcard mask (``255.255.255.0``, ``0.0.0.255``, ``0.0.0.0``) or loopback.

    Colon-hex strings whose groups are all exactly two characters are
    certificate serials, fingerprints or MAC addresses, not IPv6 addresses.
    """

    ENTITY = "IP_ADDRESS"
    _V4 = regex.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)")
    _V6 = regex.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{0,4}|(?:\d{1,3}\.){3}\d{1,3})(?![\w:])")
    # the number is named as a version, an SNMP object identifier or a numbered clause of a document
    _VERSION = regex.compile(
        r"\b(?:v|ver|versions?|builds?|releases?|rel|firmware|fw|kernel|patch(?:es)?|sdk|rev|revision|"
        r"oid|section|sect|clause|chapter|paragraph|para|article|annex|appendix|figure|fig|table|step|"
        r"requirement)\.?\s*$|§\s*$",
        regex.I,
    )
    # "the 6.4.1.2 hotfix", "8.1.0.2 release notes": the word right after names the number a version
    _VERSION_AFTER = regex.compile(
        r"\s+(?:hotfix(?:es)?|releases?|builds?|patch(?:es)?|firmware|versions?|branch|lts|changelog|"
        r"release\s+notes|service\s+pack|rollout|beta|alpha|rc\d*|nightly|stable|preview)\b",
        regex.I,
    )
    _SOFTWARE = regex.compile(
        r"\b(?:versions?|builds?|releases?|firmware|kernel|patch(?:es)?|sdk|upgrade[sd]?|upgrading|update[sd]?|"
        r"agents?|apps?|image|cve|crash(?:es|ed)?|hotfix(?:es)?|drivers?|plugins?|apis?|librar(?:y|ies)|"
        r"packages?|modules?|installers?|lts|long-term\s+support|rolled\s+out|rollouts?|service\s+pack|"
        r"roll(?:ed|s|ing)?[\s-]?backs?|downgrad(?:e|es|ed|ing)|regressions?|supported|compatib(?:le|ility)|"
        r"changelogs?|release\s+notes|deprecated|end[\s-]of[\s-]life|eol|pinned|bump(?:ed|s)?|"
        r"(?:minimum|latest|oldest|required)\s+client|client\s+(?:version|build|release)|"
        r"(?:and|or)\s+(?:later|newer|above|higher)|onwards?|stable|beta|alpha|nightly|preview|canary|latest|"
        r"tested|certified|validated|qualified)\b", regex.I
    )
    # "Jasper 2.1.4.7 is the LTS line": a dotted quad right after a capitalised word (a product's name)
    _PRODUCT_BEFORE = regex.compile(r"(?<![\w.-])\p{Lu}[\p{L}\p{M}]*\p{Ll}[\p{L}\p{M}]*\s$")
    # machines that carry an address: "Laptop 10.2.3.4 was stolen" names a host, not a product
    _DEVICE = regex.compile(
        r"(?:laptops?|notebooks?|workstations?|desktops?|pcs?|printers?|phones?|tablets?|routers?|switch(?:es)?|"
        r"cameras?|machines?|devices?|nodes?|boxes|box|vms?|endpoints?|terminals?|scanners?|sensors?|"
        r"controllers?|appliances?|instances?|kiosks?|modems?|nas|clients?|tills?|hosts?|servers?|gateways?)",
        regex.I,
    )
    _NETWORK_WORDS = (
        r"ip|ips|address(?:es)?|hosts?|hostname|servers?|log-?ins?|logged|sign-?ins?|ssh|rdp|ping|traffic|"
        r"firewall|subnet|gateway|dns|vpn|proxy|connect(?:ed|ion|ions|s)?|sessions?|requests?|attacks?|attempts?|"
        r"ports?|routers?|network|lan|wan|wi-?fi|dhcp|nat|tcp|udp|http|https|isp"
    )
    _NETWORK_CLAUSE = regex.compile(rf"\b(?:{_NETWORK_WORDS})\b", regex.I)
    _PREPOSITION = regex.compile(r"\b(?:from|at|via)\s*$", regex.I)
    # Words anywhere in the sentence that make a weakly version-like quad (software words, a product
    # name, a sibling quad) an address after all: one machine talking to another, a machine that
    # carries an address, or a person using it. "2.4.1.17 connected via VPN", "after the update, her
    # PC got 8.1.0.2", "the API key was used by 10.4.1.17", "the installer phoned home to 8.1.0.2".
    _NET_ANY = regex.compile(
        r"\b(?:ip|ips|address(?:es)?|hosts?|hostname|log-?ins?|logged|sign-?ins?|ssh|rdp|ping(?:ed|s)?|"
        r"connect(?:ed|ion|ions|s|ing)?|sessions?|vpn|traffic|attacks?|attackers?|attempts?|firewall|blocked|"
        r"banned|subnet|gateway|dns|dhcp|isp|geo(?:location)?|whitelist(?:ed)?|allow-?list(?:ed)?|"
        r"block-?list(?:ed)?|blacklist(?:ed)?|source|destination|beacon(?:ed|s|ing)?|phoned|home|malware|"
        r"intrusion|suspicious|malicious|scan(?:s|ned|ner|ners)?|exfiltrat\w*|download(?:s|ed|ing)?)\b",
        regex.I,
    )
    _DEVICE_ANY = regex.compile(
        r"\b(?:laptops?|notebooks?|workstations?|pcs?|printers?|phones?|cameras?|machines?|devices?|nodes?|vms?|"
        r"routers?|modems?|endpoints?|servers?|"
        r"(?<!(?:supported|minimum|latest|oldest|required)\s)clients?(?!\s+(?:versions?|builds?|releases?)))\b",
        regex.I,
    )
    _PEOPLE_ANY = regex.compile(
        r"\b(?:he|she|his|her|hers|him|their|them|users?|user's|customers?|customer's|employees?|employee's|"
        r"staff|contractors?|contractor's|interns?|intern's|visitors?|owners?|members?|managers?|manager's|"
        r"admins?|guests?|subscribers?|students?|patients?|accessed|downloaded|uploaded|visited|uses|used|using|"
        r"assigned|leased|authenticated)\b",
        regex.I,
    )
    _ON = regex.compile(r"\bon\s*$", regex.I)
    _SERIAL = regex.compile(r"\b(?:serial|fingerprint|thumbprint|mac|hash|sha\d*|md5)\b[^.]{0,20}$", regex.I)

    @classmethod
    def _person_near(cls, nlp_artifacts, text: str, m: regex.Match, named_product: bool) -> bool:
        """spaCy sees a PERSON entity in the sentence of ``m`` ("Alice uses 8.1.0.2 and Bob 8.1.0.5"); with
        ``named_product``, not the one right before the number ("Bonnie 2.1.3.4 is the LTS line").
        """
        doc = getattr(nlp_artifacts, "tokens", None)
        if doc is None:
            return False
        lo, hi = sentence_bounds(text, m.start(), m.end())
        for e in doc.ents:
            if e.label_ != "PERSON" or e.start_char < lo or e.end_char > hi:
                continue
            # the name of the product the number versions (spaCy may tag "Lena 7.7.9.3" as one PERSON)
            if named_product and (e.end_char > m.start() or text[e.end_char:m.start()].isspace()):
                continue
            return True
        return False

    @classmethod
    def _product_before(cls, text: str, start: int, nlp_artifacts) -> bool:
        """The word right before ``text[start:]`` is capitalised, spaCy tags it a proper noun outside any
        PERSON entity, and it is no machine ("Jasper 2.1.4.7 is the LTS line", not "Laptop 10.2.3.4 was
        stolen" nor "Type 10.2.3.4 into the gateway field"). Without spaCy's tokens, never.
        """
        window = max(0, start - 30)
        m = cls._PRODUCT_BEFORE.search(text[window:start])
        doc = getattr(nlp_artifacts, "tokens", None)
        if not m or doc is None or cls._DEVICE.fullmatch(m.group().strip()):
            return False
        at = window + m.start()
        token = next((t for t in doc if t.idx == at), None)
        return token is not None and token.pos_ == "PROPN" and token.ent_type_ != "PERSON"

    @classmethod
    def _sibling_versions(cls, text: str, m: regex.Match, quads: list[regex.Match]) -> bool:
        """Another dotted quad in the sentence of ``m`` shares its first two numbers, both below 32; with
        "from"/"at"/"via" just before ``m``, a software word in the sentence is needed too ("upgrade the
        agent from 6.2.0.1 to 6.2.0.4"). The caller checks the sentence for host and person words.
        """
        head = m.group().split(".")[:2]
        if any(int(n) >= 32 for n in head):
            return False
        lo, hi = sentence_bounds(text, m.start(), m.end())
        siblings = [q for q in quads if q is not m and lo <= q.start() and q.end() <= hi
                    and q.group().split(".")[:2] == head]
        if not siblings:
            return False
        sentence = text[lo:hi]
        if regex.search(r"\b(?:from|at|via)\s*$", text[lo:m.start()], regex.I):
            return bool(cls._SOFTWARE.search(sentence))
        return True

    def spans(self, text, nlp_artifacts):
        """Valid IPv4 addresses at 0.9, or 0.2 when they read as a version number, a CIDR block, a
        network mask or a loopback address; valid IPv6 addresses at 0.9, except two-character-group serials and fingerprints.
        """
        quads = list(self._V4.finditer(text))
        for m in quads:
            try:
                address = ipaddress.IPv4Address(m.group())
            except ValueError:
                continue
            before = clause_before(text, m.start(), 30)
            # the sentence so far, across ";": "app 2.6.3.4 crashes; 2.6.3.5 does not"
            clause = regex.split(r"[.!?\n](?:\s|$)", text[max(0, m.start() - 80):m.start()])[-1]
            after = regex.split(r"[.!?;\n](?:\s|$)", text[m.end():m.end() + 40])[0]
            # "runs on 10.1.2.3" is a host, "stuck on 2.3.12.12 because of the plugin API" a version:
            # a bare "on" yields to software words after the number, never to those before it
            on = self._ON.search(clause)
            software_after = self._SOFTWARE.search(after)
            software = software_after or not on and self._SOFTWARE.search(clause)
            product = not on and self._product_before(text, m.start(), nlp_artifacts)
            sibling = self._sibling_versions(text, m, quads)
            if software or product or sibling:
                # weak evidence: any word about a network, a person (or a name spaCy sees) vetoes it,
                # and so does a machine unless a product name stands right before the number
                sentence = sentence_around(text, m.start(), m.end())
                # "from"/"at"/"via" right before: only a sibling quad with a software word outweighs it
                preposition = self._PREPOSITION.search(clause) and not sibling
                vetoed = (preposition or self._NETWORK_CLAUSE.search(clause) or self._NET_ANY.search(sentence)
                          or self._PEOPLE_ANY.search(sentence)
                          or self._person_near(nlp_artifacts, text, m, named_product=bool(software_after))
                          or (self._DEVICE_ANY.search(sentence) and not product))
                weak_version = not vetoed
            else:
                weak_version = False
            # "the 6.4.1.2 hotfix", but not "her laptop 10.2.3.4 build" nor "host 10.2.3.4 patch"
            named_version = self._VERSION.search(before) or (
                self._VERSION_AFTER.match(text[m.end():]) and not self._NETWORK_CLAUSE.search(clause)
                and not self._DEVICE_ANY.search(clause) and not self._PEOPLE_ANY.search(clause))
            if (named_version or weak_version or regex.match(r"/\d{1,2}\b", text[m.end():])
                    or ipv4_no_host(address)):
                # a version number, a CIDR block (a network, not one host), a network mask or loopback
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
    (``0114 496 0380``, ``080-2942-0552``) scores 0.65. Anything else, e.g. ``6713881817``, needs
    phone wording just before it and 9+ digits.
    Dates, SSNs, dotted quads and version strings are never phones, nor is a
    number without an international prefix or a bracketed area code that an
    id noun names ("Part number 212-555-0147") in a sentence with no phone
    wording and no person in it.
    """

    ENTITY = "PHONE"
    _CANDIDATE = regex.compile(
        r"(?<![\w.+/-])(?:\+|\()?\d[\d \u00a0().-]{5,24}\d(?:\s?(?:x|ext\.?|extension|#)\s?\d{1,6})?(?![\w-]|\.\d|/\d)",
        regex.I,
    )
    _EXT = regex.compile(r"\s?(?:x|ext\.?|extension|#)\s?(\d{1,6})$", regex.I)
    _NANP = regex.compile(r"(?:(?:\+?1|001)[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}")
    _TRUNK = regex.compile(r"\(0\d{1,5}\) ?\d{2,5}(?:[ .-]?\d{2,5}){0,3}")
    # trunk "0" + area code, in groups: "0114 496 0380", "03641 34658", "080-2942-0552", "03-5321-1111"
    _NATIONAL = regex.compile(r"0\d{2,4}(?: \d{2,8}){1,3}|0\d{1,4}(?:-\d{2,8}){1,3}")
    _NOT_PHONE = regex.compile(
        r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{3}-\d{2}-\d{4}|(?:\d{1,3}\.){3}\d{1,3}"
        r"|\d+(?:\.\d+){2,}"
    )
    _CONTEXT = regex.compile(
        r"\b(?:phone|phones|tel|telephone|mobile|cell|cellphone|call|calls|called|calling|reach|reached|"
        r"dial|fax|whatsapp|sms|text|hotline|landline|ring)\b[^.!?;\n]{0,30}$",
        regex.I,
    )

    _CONTEXT_AFTER = regex.compile(
        r"^[^.!?;\n]{0,30}?\b(?:phone|phones|tel|telephone|mobile|cell|cellphone|call|calls|fax|whatsapp|sms|text|"
        r"hotline|landline|ext|extension|voicemail|reach|reached|contact)\b",
        regex.I,
    )

    _PHONE_WORD = regex.compile(
        r"\b(?:phone|phones|tel|telephone|mobile|cell|cellphone|call|calls|called|calling|callback|reach|reached|"
        r"dial|fax|whatsapp|sms|text|texts|hotline|landline|ext|extension|voicemail|ring|direct\s+line)\b",
        regex.I,
    )

    # ids of goods and documents only, and no "label:" layout: "Delivery: 212-555-0147" or "Bookings:
    # 212-555-0147" is how a contact line names a phone, "Part no. 212-555-0147" how a catalogue names a part
    _PART_BEFORE = regex.compile(
        r"\b(?:part|parts|sku|item|model|spec|drawing|catalog|catalogue|serial|lot|batch|po|invoice|ticket|case|"
        r"ref|reference|rma|asset|tag|barcode|ean|upc|gtin|isbn|document|doc|revision|order)\.?"
        r"(?:\s+(?:no\.?|number|num|id|code|ref\.?))?(?:\s+(?:is|was))?(?:\s*#\s*|\s+)$",
        regex.I,
    )

    def named_as_part(self, text: str, start: int, end: int, nlp_artifacts=None) -> bool:
        """A national-format number named as a part, SKU, order, ticket... id ("Part number 212-555-0147
        replaces the old filter", not "Delivery: 212-555-0147") in a sentence with no phone wording, no
        word about a person and no name spaCy sees.
        """
        sentence = sentence_around(text, start, end)
        named = bool(self._PART_BEFORE.search(text[max(0, start - 40):start])
                     or _OBJECT_NAMED_AFTER.match(text[end:end + 60]))
        return (named
                and not self._CONTEXT.search(clause_before(text, start, 50))
                and not self._CONTEXT_AFTER.match(text[end:end + 40])
                and not self._PHONE_WORD.search(sentence) and not person_in_sentence(text, start, end, nlp_artifacts))

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
            elif "(" not in body and self.named_as_part(text, start, end, nlp_artifacts):
                # international numbers above, and area or trunk codes in brackets, are phones whatever names them
                continue
            elif self._NANP.fullmatch(body) or self._TRUNK.fullmatch(body):
                yield start, end, 0.9 if context else 0.8
            elif self._NOT_PHONE.fullmatch(body_stripped):
                continue
            elif self._NATIONAL.fullmatch(body) and 10 <= len(digits) <= 11 and self._possible(body):
                # trunk "0" + area code, grouped: 0114 496 0380, 03641 34658, 080-2942-0552
                yield start, end, 0.9 if context else 0.65
            elif context and len(digits) >= 9 and self._possible(body):
                # 9+ digits: short codes after "dial" (PINs, extensions) are not numbers
                yield start, end, 0.75
