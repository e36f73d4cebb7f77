"""DATE_OF_BIRTH: a calendar date that birth wording or a person's record makes a birth date."""
from __future__ import annotations

import datetime as dt

import regex

from rag.privacy.recognizers.base import BaseRecognizer, clause_before

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


class DateOfBirthRecognizer(BaseRecognizer):
    """A calendar date that is somebody's date of birth.

    A date alone is not personal data here (deadlines, flights, incidents); it
    becomes DATE_OF_BIRTH when birth wording stands just before it in the same
    clause ("DOB", "born", "date of birth", "birthday"...; 0.9) or just after it
    ("(DOB)"; 0.85), or when it follows a person's name in a record such as
    ``Jane Roe, 04/02/1966, ...`` and lies at least ten years back (0.7),
    unless a word of that run names an organisation, an event or a document
    (``Acme Corp, 04/02/1996, ...``, ``Project Review, 03/14/2012``).

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
    # a capitalised run with one of these words names an organisation, an event or a document, whose
    # dates (founding, signing, meeting, release) are no one's birth date: "Acme Corp, 04/02/1996, opened...".
    # Words that are also family names (Plant, Storm, Fair, Bank...) are left out: "Robert Plant, 1948-08-20".
    _NOT_A_PERSON = regex.compile(
        r"\b(?:Inc|Corp|Corporation|Ltd|Limited|Llc|Llp|Plc|Company|Group|Holdings|Partners|Industries|"
        r"University|College|School|Hospital|Clinic|Council|Ministry|Department|Agency|Foundation|Institute|"
        r"Association|Society|Committee|Board|Project|Programme|Program|Release|Sprint|Phase|Conference|Summit|"
        r"Meeting|Review|Report|Minutes|Notes|Agreement|Contract|Policy|Memo|Invoice|Order|Update|Edition|Version|"
        r"Audit|Workshop|Launch|Campaign|Budget|Quarter|Office|Warehouse|Festival|Expo|Marathon|Championship|"
        r"Games|Awards|Webinar|Training|Course|Exam|Hearing|Incident|Outage|Hurricane|Treaty|Accord)\b"
    )

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
        """Real calendar dates from 1900 to this year: 0.9 after birth wording ("born on"), 0.85
        followed by it ("1984-02-01 (DOB)"), 0.7 right after a name and "," or "(" for dates at
        least 10 years old; others are not yielded.
        """
        this_year = dt.date.today().year
        for m in self._DATE.finditer(text):
            year = self._year(m)
            if year is None or not 1900 <= year <= this_year or not self._plausible(m):
                continue
            before = clause_before(text, m.start(), 60)
            if self._BIRTH_BEFORE.search(before):
                yield m.start(), m.end(), 0.9
            elif self._BIRTH_AFTER.match(text[m.end():m.end() + 20]):
                yield m.start(), m.end(), 0.85
            elif m.lastgroup != "my" and year <= this_year - 10 and (name := self._NAME_BEFORE.search(before)):
                if not self._NOT_A_PERSON.search(name.group()):
                    yield m.start(), m.end(), 0.7
