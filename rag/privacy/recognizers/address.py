"""ADDRESS: postal addresses in US, Canadian, UK, continental European and military forms."""
from __future__ import annotations

import regex

from rag.privacy.recognizers.base import BaseRecognizer

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


class AddressRecognizer(BaseRecognizer):
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

    # "Figure 2 Data Flow Loop", "Step 3 Main Loop": the number of a bare street line is a figure's,
    # a step's or a section's when one of these words stands right before it
    _NUMBERED_BEFORE = regex.compile(
        r"\b(?:Version|Release|Build|Page|Pages|Section|Chapter|Clause|Article|Gate|Flight|Invoice|Order|Ticket|"
        r"Case|Step|Steps|Phase|Sprint|Table|Figure|Fig|Item|Line|Level|Tier|Week|Day|Year|Run|Round|Stage|"
        r"Lesson|Module|Episode|Season|Volume|Vol|Issue|Slide|Exhibit|Appendix|Annex|Milestone)\.?\s+$",
        regex.I,
    )

    def spans(self, text, nlp_artifacts):
        """The matches of the forms above with their scores (0.7-0.9), sentence punctuation trimmed
        from the end unless it closes an abbreviation ("St."); a bare street line (0.7) whose number
        follows a numbering word ("Figure 2 Data Flow Loop") is not yielded.
        """
        for start, end, score in self._matches(text):
            if score <= 0.7 and self._NUMBERED_BEFORE.search(text[max(0, start - 20):start]):
                continue
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
