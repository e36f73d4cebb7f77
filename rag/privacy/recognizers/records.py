"""PERSON and PHONE in records: tables, contact rows, field-per-line records, contact cards, signatures.

Data pasted from a spreadsheet, a CRM export or an e-mail footer carries no
sentence around a name, so the cues the person and phone recognizers read
("call", "Dear", "owner:") are missing. The layout says it instead:

* **Tables with a header** (CSV, TSV, ``;``- or ``|``-separated, Markdown):
  the header types each column
  (:func:`~rag.privacy.recognizers.fields.column_kind`). A cell under a person
  column (``name``, ``full name``, ``employee``, ``assignee``, ``Vorname``,
  ``nombre``, ``姓名``...) is a PERSON whatever its words (0.85); a cell of
  phone characters under a phone column (``phone``, ``mobile``, ``fax``,
  ``Telefon``...) is a PHONE (0.85). ``product name``, ``employee_id`` or a
  bare ``name`` next to ``sku``/``qty``/``city`` columns are not persons.
* **Header-less contact rows** (``P. Polpo;+34 848613770;p@example.org``): a
  row in which one field is an e-mail address or a phone number in a standard
  shape (international prefix, NANP 3-3-4, trunk code in brackets) is a
  contact record. Its fields of phone characters with 7-15 digits are PHONEs
  (0.8) and its fields shaped like a name (1-5 capitalised words, initials,
  particles or words of a caseless script; not all common English words, not
  a place, an organisation or a team) are PERSONs (0.8).
  In a row whose only e-mail address is a role mailbox of RFC 2142 (``info@``,
  ``sales@``, ``support@``...) a one-word field is the organisation, no name.
* **One field a line** (``Name;Ana Lopez\\nMobile;040 7781 220``): two or more
  lines of a label and a value, most labels header words; each value is typed
  by its label as a column would be (0.85).
* **Contact cards**: a block of 2-8 lines between blank lines in which one line
  is an e-mail address or a standard phone number; its bare phone lines and
  name-shaped lines count as in a contact row (0.8).
* **Signature blocks**: within six lines after a closing ("Best regards,",
  "Mit freundlichen Grüßen", "--"), a line made only of phone characters with
  7-15 digits is a PHONE (0.8): ``Best regards,\\nName\\nTitle\\n4494754156``;
  the first line is the writer when it is shaped like a name (0.8), as a
  contact-row field is ("The Payroll Team", "Accounts Payable" are not).

Rows are split with :mod:`csv` (quotes and doubled quotes handled);
:class:`csv.Sniffer` picks the dialect of a table from its header and first
row. Dates, versions, dotted quads and SSN-shaped numbers are never phones, so
a row whose only digits are an order id or a date is no contact record. That
reading (splitting rows, typing header cells, phone shapes) lives in
:mod:`rag.privacy.recognizers.fields`; this module applies it to the layouts.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult

from rag.privacy.recognizers.base import recognizer_result
from rag.privacy.recognizers.cues import NAME_PARTICLES
from rag.privacy.recognizers.fields import (
    DELIMITERS,
    HEADER_CELL,
    MARKDOWN_RULE,
    Field,
    column_kind,
    header_kinds,
    label_word,
    line_spans,
    phone_shaped,
    row_fields,
    standard_phone,
    table_dialect,
)
from rag.privacy.recognizers.gazetteer import name_gazetteer, popular_given_names
from rag.privacy.recognizers.lexicon import artifacts_lexicon, english_word
from rag.privacy.recognizers.organisations import legal_form, org_head, place_name, place_word
from rag.privacy.recognizers.structured import PerimeterEmailRecognizer

HEADER_PERSON_SCORE = 0.85
HEADER_PHONE_SCORE = 0.85
CONTACT_SCORE = 0.8

_PLACEHOLDERS = frozenset("n/a na none null nil tbd tba tbc unassigned unknown vacant nobody anyone all everyone "
                          "- -- — ? x".split())
# words of a name field: initials ("I.", "N.B."), capitalised words ("O'Neill", "Tocheva-Klopova", "McDONALD"),
# dotted honorifics, particles ("de", "van", "bin") and words of scripts without case (Arabic, Thai, Han...)
_INITIAL = regex.compile(r"\p{Lu}\.(?:-?\p{Lu}\.){0,3}")
_CAPITALISED = regex.compile(r"\p{Lu}[\p{L}\p{M}'’]*(?:[-‐][\p{L}\p{M}'’]+)*\.?")
_CASELESS = regex.compile(r"(?:\p{Lo}|\p{M})+(?:[-‐](?:\p{Lo}|\p{M})+)*")
_PARTICLES = NAME_PARTICLES | {"e"}  # and Portuguese "e": "Maria Silva e Souza"
_ARTICLES = frozenset({"the", "a", "an", "our", "your", "all", "team", "dept"})
# a closing line of a letter or e-mail, alone or with the writer's name ("Kind regards, Ana"), or the signature
# separator of RFC 3676 ("-- ")
_CLOSING = regex.compile(
    r"(?:(?i:(?:(?:best|kind|warm|warmest|many|with\s+best|with\s+kind)\s+)?(?:regards|wishes|thanks|thank\s+you|"
    r"cheers|sincerely(?:\s+yours)?|yours(?:\s+(?:sincerely|faithfully|truly))?|br|best|warmly|respectfully|"
    r"mit\s+freundlichen\s+grüßen|mit\s+freundlichen\s+grüssen|viele\s+grüße|beste\s+grüße|cordialement|"
    r"bien\s+à\s+vous|salutations|saludos(?:\s+cordiales)?|un\s+saludo|atentamente|cordiali\s+saluti|"
    r"distinti\s+saluti|met\s+vriendelijke\s+groet(?:en)?|groeten|med\s+vänliga\s+hälsningar|hälsningar|"
    r"med\s+venlig\s+hilsen|vennlig\s+hilsen|ystävällisin\s+terveisin|terveisin|pozdrawiam|z\s+poważaniem|"
    r"s\s+pozdravem|atenciosamente|abraços|saygılarımla|с\s+уважением))"
    r"[,!.]?(?:\s+\p{Lu}[\p{L}\p{M}.'’-]*(?:\s+\p{Lu}[\p{L}\p{M}.'’-]*){0,3}[,.!]?)?|--)"
)
# mailbox names of a role, not of a person (RFC 2142 section 3-5, and the usual business ones): a contact row
# whose only address is one of these ("Globex;+1 312 555 0100;info@globex.example") is an organisation's
_ROLE_MAILBOXES = frozenset("""
info marketing sales support abuse noc security postmaster hostmaster usenet news webmaster www uucp ftp
contact contacts hello office admin team hr billing accounts accounting enquiries inquiries orders order noreply
no-reply help helpdesk service services press media jobs careers recruiting reception bookings booking invoices
procurement purchasing finance legal privacy dpo compliance it ops operations customerservice
""".split())
_SIGNATURE_LINES = 6
_EMAIL = PerimeterEmailRecognizer._RE


def _name_field(value: str, lexicon: frozenset[str], *, single: bool = True) -> bool:
    """``value`` reads as a person's name in a contact row: 1-5 words, each an initial, a capitalised word, a
    particle or a word of a caseless script, with at least one name word. Vetoed: an article first ("The
    Payroll Team"), a legal form or an organisation head ("Brandt Keller GmbH"), a place ("Finland"), common
    English words only, the first no popular given name ("Customer Success"), a last word that is a
    common English word and no family name ("Customer Support", "Head Office"), and one word
    that is a common English word and no popular given name ("Sales"; "Rose" stays a name). ``single=False``
    (a row whose only address is a role mailbox) refuses one-word fields ("Globex")."""
    words = value.split()
    if not 1 <= len(words) <= 5 or len(value) > 60:
        return False
    core = []
    for w in words:
        if _INITIAL.fullmatch(w) or w.casefold() in _PARTICLES:
            continue
        if not (_CAPITALISED.fullmatch(w) or _CASELESS.fullmatch(w)):
            return False
        core.append(w.rstrip("."))
    if not core or words[0].casefold() in _ARTICLES:
        return False
    latin = [w for w in core if not _CASELESS.fullmatch(w)]
    if not latin:
        return True
    _, family = name_gazetteer()
    if any(legal_form(w) for w in latin) or org_head(latin[-1], lexicon, family):
        return False
    if place_name(core) or (len(core) == 1 and place_word(core[0]) == "country"):
        return False
    last = latin[-1].casefold()
    if len(core) == 1:
        if not single:
            return False
        # one word: a common English word only when it is a popular given name ("Rose", not "Sales")
        return not english_word(last, lexicon) or last in popular_given_names()
    popular = popular_given_names()
    if all(english_word(w, lexicon) for w in latin) and latin[0].casefold() not in popular:
        return False  # "Customer Success", "Accounts Payable" (not "Rose Baker"): many words are listed as names
    # as the person recognizer reads runs: the last word is a family name, or no common English word
    # ("Head Office", "Customer Support", "Paris Office" are not people; "Jonas Berg", "Ana Baker" are)
    return last in family or not english_word(last, lexicon)


@dataclass(frozen=True)
class _Found:
    entity: str
    start: int
    end: int
    score: float


def _tables(text: str, lines: list[tuple[int, int]], used: set[int]) -> Iterator[_Found]:
    """Cells under person and phone columns of every table with a header; marks the lines it reads in ``used``."""
    i = 0
    while i < len(lines) - 1:
        start, end = lines[i]
        line = text[start:end]
        # a quick split by each delimiter first: the Sniffer runs only on lines that can be a header
        dialects = [d for d in DELIMITERS if d in line and header_kinds(row_fields(text, start, end, d))]
        if not dialects or i in used:
            i += 1
            continue
        nxt = i + 1
        if MARKDOWN_RULE.fullmatch(text[lines[nxt][0]:lines[nxt][1]]) and nxt + 1 < len(lines):
            nxt += 1
        sniffed = table_dialect(text, lines[i], lines[nxt])
        candidates = ([sniffed] if sniffed is not None else []) + dialects
        for dialect in candidates:
            header = row_fields(text, start, end, dialect)
            kinds = header_kinds(header)
            if kinds is None:
                continue
            j, rows = nxt, 0
            while j < len(lines) and j not in used:
                fields = row_fields(text, *lines[j], dialect)
                if len(fields) != len(kinds):
                    break
                rows += 1
                for kind, field in zip(kinds, fields, strict=True):
                    if kind == "person" and (named := _display_name(field)) is not None:
                        yield _Found("PERSON", named.start, named.end, HEADER_PERSON_SCORE)
                    elif kind == "phone" and phone_shaped(field.value, min_digits=6):
                        yield _Found("PHONE", field.start, field.end, HEADER_PHONE_SCORE)
                j += 1
            if rows:
                used.update(range(i, j))
                i = j - 1
                break
        i += 1


_MAILBOX = regex.compile(r"(?P<name>[^<>@]*?)\s*<[^<>\s]+@[^<>\s]+>")


def _display_name(field: Field) -> Field | None:
    """The person in a cell of a person column: the whole cell, or the display name of a mailbox
    ("Ana Lopez <ana@example.org>", RFC 5322 name-addr); None when :func:`_person_cell` refuses it."""
    m = _MAILBOX.fullmatch(field.value)
    if m:
        name = m["name"].strip().strip('"').strip()
        if not name:
            return None
        at = field.value.index(name)
        field = Field(field.start + at, field.start + at + len(name), name)
    return field if _person_cell(field.value) else None


def _person_cell(value: str) -> bool:
    """A cell under a person column holds a person unless it is empty, a placeholder, or holds digits or '@'."""
    return (any(c.isalpha() for c in value) and value.casefold() not in _PLACEHOLDERS
            and not any(c.isdigit() or c == "@" for c in value) and len(value.split()) <= 6)


def _role_mail_only(values: list[str]) -> bool:
    """Every e-mail address among ``values`` is a role mailbox (:data:`_ROLE_MAILBOXES`), and there is one."""
    mails = [v for v in values if _EMAIL.fullmatch(v)]
    return bool(mails) and all(v.split("@", 1)[0].casefold().strip(".") in _ROLE_MAILBOXES for v in mails)


def _contact_rows(text: str, lines: list[tuple[int, int]], used: set[int], lexicon) -> Iterator[_Found]:
    """Names and phones of header-less contact rows (lines not read as part of a table)."""
    for i, (start, end) in enumerate(lines):
        if i in used:
            continue
        line = text[start:end]
        for delimiter in DELIMITERS:
            if delimiter not in line:
                continue
            fields = [f for f in row_fields(text, start, end, delimiter) if f.value]
            if len(fields) < 2 or any(len(f.value) > 80 for f in fields):
                continue
            if not any(_EMAIL.fullmatch(f.value) or standard_phone(f.value) for f in fields):
                continue
            organisation = _role_mail_only([f.value for f in fields])
            for f in fields:
                if phone_shaped(f.value):
                    yield _Found("PHONE", f.start, f.end, CONTACT_SCORE)
                elif not _EMAIL.fullmatch(f.value) and _name_field(f.value, lexicon, single=not organisation):
                    yield _Found("PERSON", f.start, f.end, CONTACT_SCORE)
            break


def _key_values(text: str, lines: list[tuple[int, int]], used: set[int]) -> Iterator[_Found]:
    """Values of a record written one field a line ("Name;Ana Lopez\nPhone;+34 612 345 678"): two or more
    consecutive lines of two cells, a label and a value, with one delimiter; each label typed among all the
    labels of the run (:func:`column_kind`)."""
    for delimiter in DELIMITERS:
        run: list[tuple[Field, Field]] = []
        run_lines: list[int] = []
        for i, (start, end) in enumerate([*lines, (len(text), len(text))]):
            pair = None
            if i < len(lines) and i not in used and delimiter in text[start:end]:
                fields = row_fields(text, start, end, delimiter)
                if len(fields) == 2 and HEADER_CELL.fullmatch(fields[0].value) and len(fields[0].value.split()) <= 4:
                    pair = (fields[0], fields[1])
            if pair is not None:
                run.append(pair)
                run_lines.append(i)
                continue
            labels = [label.value for label, _ in run]
            # labels, not data: most first cells are header words ("Name;Ana\nMobile;..."), unlike the first
            # column of a two-column table ("name,team\nAna,Sales\nBob,Ops")
            if len(run) >= 2 and 2 * sum(map(label_word, labels)) >= len(labels) >= 2 and sum(
                    map(label_word, labels)) >= 2:
                used.update(run_lines)
                for label, value in run:
                    kind = column_kind(label.value, labels)
                    if kind == "person" and (named := _display_name(value)) is not None:
                        yield _Found("PERSON", named.start, named.end, HEADER_PERSON_SCORE)
                    elif kind == "phone" and phone_shaped(value.value, min_digits=6):
                        yield _Found("PHONE", value.start, value.end, HEADER_PHONE_SCORE)
            run, run_lines = [], []


def _cards(text: str, lines: list[tuple[int, int]], used: set[int], lexicon) -> Iterator[_Found]:
    """A contact card: a block of 2-8 lines (blank lines around it) in which one line is an e-mail address or a
    phone number in a standard shape. Its bare phone lines are PHONEs, its name-shaped lines PERSONs; lines over
    80 characters and table lines are never fields."""
    block: list[tuple[int, str]] = []
    size = 0
    for i, (start, end) in enumerate([*lines, (len(text), len(text))]):
        value = text[start:end].strip() if i < len(lines) else ""
        if value:
            size += 1
            if i not in used and len(value) <= 80:
                block.append((text.index(value, start), value))
            continue
        if 2 <= size <= 8 and any(_EMAIL.fullmatch(v) or standard_phone(v) for _, v in block):
            organisation = _role_mail_only([v for _, v in block])
            for at, v in block:
                if phone_shaped(v):
                    yield _Found("PHONE", at, at + len(v), CONTACT_SCORE)
                elif not _EMAIL.fullmatch(v) and _name_field(v, lexicon, single=not organisation):
                    yield _Found("PERSON", at, at + len(v), CONTACT_SCORE)
        block, size = [], 0


def _signatures(text: str, lines: list[tuple[int, int]], lexicon) -> Iterator[_Found]:
    """Within :data:`_SIGNATURE_LINES` lines after a closing, up to the first blank line: bare phone lines, and
    the first line when it is shaped like a name (the writer: "Best regards,\\nAna Lopez\\nBuyer")."""
    for i, (start, end) in enumerate(lines):
        if not _CLOSING.fullmatch(text[start:end].strip()):
            continue
        for n, (s, e) in enumerate(lines[i + 1:i + 1 + _SIGNATURE_LINES]):
            value = text[s:e].strip()
            if not value:
                break
            at = text.index(value, s)
            if phone_shaped(value):
                yield _Found("PHONE", at, at + len(value), CONTACT_SCORE)
            elif n == 0 and _name_field(value, lexicon):
                yield _Found("PERSON", at, at + len(value), CONTACT_SCORE)


def _quick_reject(text: str) -> bool:
    return not any(d in text for d in DELIMITERS) and "\n" not in text


class RecordFieldRecognizer(EntityRecognizer):
    """PERSON and PHONE read from the layout of records: typed table columns, contact rows, signature blocks.

    See the module docstring for the rules and scores. Works without spaCy
    (``nlp_artifacts`` None): the English lexicon is then empty and vetoes no
    name field.
    """

    ENTITIES = ("PERSON", "PHONE")

    def __init__(self) -> None:
        super().__init__(supported_entities=list(self.ENTITIES), supported_language="en", name=type(self).__name__)

    def load(self) -> None:
        """Nothing to load: the rules are regular expressions and word lists built at import."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        """Presidio's entry point: one result per typed cell, contact field or signature phone, for the requested
        ``entities`` (all when empty)."""
        wanted = set(entities or self.ENTITIES) & set(self.ENTITIES)
        if not wanted or _quick_reject(text):
            return []
        return [recognizer_result(f.entity, f.start, f.end, f.score, self.name)
                for f in self.fields(text, nlp_artifacts) if f.entity in wanted]

    def fields(self, text: str, nlp_artifacts=None) -> list[_Found]:
        """Every PERSON and PHONE found by the three layouts, de-duplicated by span."""
        lines = line_spans(text)
        used: set[int] = set()
        found = list(_key_values(text, lines, used))
        found += _tables(text, lines, used)
        lexicon = artifacts_lexicon(nlp_artifacts)
        found += _contact_rows(text, lines, used, lexicon)
        if len(lines) > 1:
            found += _cards(text, lines, used, lexicon)
            found += _signatures(text, lines, lexicon)
        seen, out = set(), []
        for f in found:
            if (f.start, f.end) not in seen and f.end > f.start:
                seen.add((f.start, f.end))
                out.append(f)
        return out
