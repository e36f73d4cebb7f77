"""PHONE: telephone numbers (ITU-T E.164 and national formats), checked with ``phonenumbers``.

Split from :mod:`~rag.privacy.recognizers.structured`, whose sentence helpers it uses.
"""
from __future__ import annotations

import unicodedata

import phonenumbers
import regex

from rag.privacy.recognizers.base import BaseRecognizer, clause_before
from rag.privacy.recognizers.structured import OBJECT_NAMED_AFTER, person_in_sentence, sentence_around

# Shapes only telephone numbers take (shared with :mod:`~rag.privacy.recognizers.fields`): a NANP number written
# 3-3-4 with separators or brackets, and a national number with its trunk code in brackets ("(0909) 879 0578")
NANP = regex.compile(r"(?:(?:\+?1|001)[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}")
TRUNK_IN_BRACKETS = regex.compile(r"\(0\d{1,5}\) ?\d{2,5}(?:[ .-]?\d{2,5}){0,3}")


def _ascii_digits(text: str) -> str:
    """``text`` with every decimal digit of any script (Unicode Nd) replaced by its ASCII digit."""
    return "".join(str(unicodedata.digit(c)) if c.isdecimal() and not c.isascii() else c for c in text)


class PerimeterPhoneRecognizer(BaseRecognizer):
    """Telephone numbers (ITU-T E.164 and national formats), checked with ``phonenumbers``.

    Three shapes stand on their own (score 0.8): an international number
    (``+49 ...``, ``0049 ...``, ``001-...``) that ``phonenumbers`` parses as
    possible, a NANP number written 3-3-4 with separators or parentheses, and a
    national number with its trunk code in parentheses (``(0909) 879 0578``).
    A 9-13 digit national number written in groups after a trunk ``0``
    (``0114 496 0380``, ``027 63 57 46``, ``080-2942-0552``), 9-11 digits
    after a trunk ``0`` with no separators (``0775412677``, ``042453898``), the
    French five pairs (``04 94 66 57 81``) and the Swedish area code with a dash
    (``08-66 56 25``) and the German area code, slash, number (``030/1234 5678``) score 0.65.
    Anything else, e.g. ``6713881817`` or ``94 27 01 18``, needs phone wording
    just before it and 6+ digits, and no code, PIN or id word right before the
    number ("dial-in code 8812 4410").
    Dates, SSNs, dotted quads and version strings are never phones, nor is a
    number without an international prefix or a bracketed area code that an
    id noun names ("Part number 212-555-0147") in a sentence with no phone
    wording and no person in it.
    """

    ENTITY = "PHONE"
    _CANDIDATE = regex.compile(
        r"(?<![\w.+/-])(?:\+\(?|\()?\d[\d \u00a0()./-]{5,24}\d"
        r"(?:\s?(?:x|ext\.?|extension|#)\s?\d{1,6})?(?![\w-]|\.\d|/\d)",
        regex.I,
    )
    # a unit, currency or percentage after a signed number: "+12 500 000 EUR", "+1 250 000 units"
    _AMOUNT_AFTER = regex.compile(
        r"^\s*(?:%|[$€£¥]|[A-Z]{3}\b|(?:eur|usd|gbp|chf|jpy|units?|users?|bytes?|[kmgKMG][bB])\b)")
    _EXT = regex.compile(r"\s?(?:x|ext\.?|extension|#)\s?(\d{1,6})$", regex.I)
    # trunk "0" + area code, in groups: "0114 496 0380", "03641 34658", "080-2942-0552", "03-5321-1111"
    _NATIONAL = regex.compile(r"0\d{1,4}(?: \d{2,8}){1,3}|0\d{1,4}(?:-\d{2,8}){1,3}")
    _NATIONAL_PLAIN = regex.compile(r"0[1-9]\d{7,9}")
    # the German and Austrian area code, slash, subscriber number ("05393/07304832", "030/1234 5678"; DIN 5008)
    _NATIONAL_SLASH = regex.compile(r"0[1-9]\d{1,4}/\d[\d -]{2,12}\d")
    # written conventions that only telephone numbers follow: the French ten digits in five pairs after the trunk
    # "0" ("04 94 66 57 81", "01.42.68.53.00"; ARCEP's plan, separators all alike) and the Swedish area code,
    # dash, subscriber number in groups ("08-66 56 25", "031-12 34 56"; PTS's written form)
    _NATIONAL_PAIRS = regex.compile(r"0[1-9](?: \d{2}){4}|0[1-9](?:\.\d{2}){4}")
    _NATIONAL_AREA_DASH = regex.compile(r"0\d{1,3}-\d{2,4}(?: \d{2,3}){1,3}")
    _CODE_BEFORE = regex.compile(
        r"\b(?:code|codes|pin|passcode|password|id|conference|meeting|room|ticket|order|ref)\b\W{0,4}$", regex.I)
    _NOT_PHONE = regex.compile(
        r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{3}-\d{2}-\d{4}|(?:\d{1,3}\.){3}\d{1,3}"
        r"|\d+(?:\.\d+){2,}"
    )
    # the words and their abbreviations, which end in a dot ("tel.: 218 008 065", "mob. 601 876 254"), in the
    # languages of the payloads' contact lines (Telefon, móvil, celular, Handy, HP/telp in Indonesian, тел)
    _CONTEXT = regex.compile(
        r"\b(?:phone|phones|tel|telephone|mobile|mob|ph|cell|cellphone|call|calls|called|calling|reach|reached|"
        r"contact|dial|fax|whatsapp|sms|text|hotline|landline|ring|tél|telf|telp|telefon|telefone|teléfono|"
        r"telefono|móvil|movil|celular|handy|hp|handphone|gsm|тел|телефон|моб)\b\.?(?:-?nr\.?)?[^.!?;\n]{0,30}$",
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
                     or OBJECT_NAMED_AFTER.match(text[end:end + 60]))
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
        """Numbers of 7-15 digits (6 after phone wording; extension excluded): the shapes above at 0.8 (0.9
        with phone wording), national numbers after a trunk 0 at 0.65 (0.9), others at 0.75 only with phone
        wording. Dates, SSNs, dotted quads and versions are skipped.
        """
        for m in self._CANDIDATE.finditer(text):
            start, raw = m.start(), m.group()
            # a bracket that is not part of the number (e.g. "(tel 555...)")
            while raw.endswith(")") and raw.count("(") < raw.count(")"):
                raw = raw[:-1]
            if raw.startswith("(") and raw.count("(") > raw.count(")"):
                raw, start = raw[1:], start + 1
            ext = self._EXT.search(raw)
            # digits of any script are read as ASCII ("০১৭৫৩-৪৭৫০৩৩" in Bengali); offsets are unchanged
            body = _ascii_digits(raw[: ext.start()] if ext else raw)
            body_stripped = body.strip(" .-(")
            digits = regex.sub(r"\D", "", body)
            end = start + len(raw)
            before = clause_before(text, start, 50)
            # the wording is read before the clause cut: an abbreviation's dot ("tel. 601 876 254") ends no sentence
            context = bool(self._CONTEXT.search(text[max(0, start - 50):start]))
            # "dial-in code 8812 4410", "call PIN 449102": a code read out on a call, not a number to call
            code = bool(self._CODE_BEFORE.search(before))
            if not (7 <= len(digits) <= 15 or (len(digits) == 6 and context and not code)):
                continue
            if body.startswith(("+", "00")):
                number = "+" + body.lstrip("+")[2:] if body.startswith("00") else body
                if self._AMOUNT_AFTER.match(text[end:end + 12]) and not context:
                    continue  # a signed amount: "grew +12 500 000 EUR"
                if self._possible(number.replace("(0)", "")):
                    yield start, end, 0.9 if context else 0.8
                elif body.startswith("+") and 8 <= len(digits) <= 15:
                    # a "+" and a country code written as people write phone numbers, though numbering plans do
                    # not know it ("+54 9 3943 0319" lacks a digit): fail closed
                    yield start, end, 0.9 if context else 0.7
                continue
            elif "(" not in body and self.named_as_part(text, start, end, nlp_artifacts):
                # international numbers above, and area or trunk codes in brackets, are phones whatever names them
                continue
            elif NANP.fullmatch(body) or TRUNK_IN_BRACKETS.fullmatch(body):
                yield start, end, 0.9 if context else 0.8
            elif self._NATIONAL_SLASH.fullmatch(body) and 8 <= len(digits) <= 13 and not code:
                yield start, end, 0.9 if context else 0.65  # 05393/07304832: no date or ratio is written so
            elif ((self._NATIONAL_PAIRS.fullmatch(body) or self._NATIONAL_AREA_DASH.fullmatch(body))
                  and 8 <= len(digits) <= 10 and not code and self._possible(body)):
                # a national layout no date, version or id is written in: 04 94 66 57 81, 08-66 56 25
                yield start, end, 0.9 if context else 0.65
            elif self._NOT_PHONE.fullmatch(body_stripped):
                continue
            elif ((self._NATIONAL.fullmatch(body) and 9 <= len(digits) <= 13)
                  or (self._NATIONAL_PLAIN.fullmatch(body) and not code)) and self._possible(body):
                # trunk "0" + area code, grouped or not: 0114 496 0380, 027 63 57 46, 080-2942-0552, 0775412677
                yield start, end, 0.9 if context else 0.65
            elif context and not code and len(digits) >= 6:
                # after phone wording, a local number of 6+ digits in any grouping: "call me on 94 27 01 18"
                yield start, end, 0.75
