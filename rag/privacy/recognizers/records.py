"""PERSON and PHONE in records: tables, contact rows, field-per-line records, contact cards, signatures.

Data pasted from a spreadsheet, a CRM export or an e-mail footer carries no
sentence around a name, so the cues the person and phone recognizers read
("call", "Dear", "owner:") are missing. The layout says it instead:

* **Tables with a header** (CSV, TSV, ``;``- or ``|``-separated, Markdown):
  the header types each column (:func:`column_kind`). A cell under a person
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
a row whose only digits are an order id or a date is no contact record.
"""
from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult

from rag.privacy.recognizers.base import recognizer_result
from rag.privacy.recognizers.gazetteer import name_gazetteer, popular_given_names
from rag.privacy.recognizers.lexicon import artifacts_lexicon, english_word
from rag.privacy.recognizers.organisations import legal_form, org_head, place_name, place_word
from rag.privacy.recognizers.structured import PerimeterEmailRecognizer

HEADER_PERSON_SCORE = 0.85
HEADER_PHONE_SCORE = 0.85
CONTACT_SCORE = 0.8

_DELIMITERS = "\t|;,"
# Column heads that hold a person, in the languages of a multinational workforce; a header is typed by its
# last word ("employee name", "Assignee", "first_name", "Vorname"), or by its whole text for scripts written
# without spaces ("姓名", "氏名", "이름")
_PERSON_HEADS = frozenset("""
name names fullname firstname lastname surname surnames forename forenames givenname familyname person people
employee employees staff colleague contact owner assignee requester requestor reporter host manager approver
customer client author reviewer recipient sender member agent driver passenger guest patient tenant candidate
applicant attendee participant supervisor signatory holder beneficiary payee teacher student speaker
interviewer interviewee responsible lead
nombre nombres apellido apellidos empleado responsable cliente contacto titular
nom prénom prenom noms salarié salarie employé employe interlocuteur
vorname nachname familienname mitarbeiter mitarbeiterin ansprechpartner ansprechpartnerin kunde verantwortlich
naam voornaam achternaam medewerker klant contactpersoon
nome cognome sobrenome funcionário funcionario dipendente referente
imię imie nazwisko pracownik klient
namn förnamn fornamn efternamn anställd kontaktperson navn fornavn etternavn efternavn ansatt
nimi etunimi sukunimi työntekijä
jméno jmeno příjmení prijmeni zaměstnanec
adı adi soyadı soyadi soyad çalışan calisan
имя фамилия фио сотрудник отчество ім'я прізвище співробітник
όνομα επώνυμο ονοματεπώνυμο υπάλληλος
姓名 名前 氏名 担当者 联系人 負責人 负责人 員工 员工 이름 성명 담당자 직원
اسم الاسم الموظف שם עובד नाम कर्मचारी ชื่อ พนักงาน tên
""".split())
_PHONE_HEADS = frozenset("""
phone phones telephone tel mobile cell cellphone fax whatsapp sms handy landline
telefon telefonnummer mobil mobiltelefon teléfono telefono telefone téléphone portable móvil movil celular
gsm puhelin matkapuhelin telefoon mobiel telefonu komórka komorka телефон мобильный τηλέφωνο κινητό
电话 電話 手机 手機 携帯 전화 전화번호 휴대폰 هاتف جوال טלפון נייד फ़ोन फोन मोबाइल โทรศัพท์ มือถือ sđt
""".split())
# a header word for a number that identifies something: "employee_id", "customer no", "owner_email"
_NOT_PERSON_TAIL = frozenset("""
id ids no nr num number code key uuid ref count email mail e-mail url address addr date time type status
role title department dept team group level rating score
""".split())
# what "name" or "host" names when other columns are about things, places or machines
_THING_WORDS = frozenset("""
sku product products item items part article model brand category unit qty quantity price cost amount total
stock inventory weight size version release build package repo repository file path folder url domain ip port
server hostname os city country region state province capital population currency company organisation
organization org vendor supplier store shop site location place street project app application service
course event table column field job task branch bank school hotel venue display screen user username nick
nickname login account channel tag label plan tier sensor device asset
produkt artikel menge preis stadt land firma unternehmen producto artículo articulo cantidad precio ciudad país
pais empresa produit article quantité quantite prix ville pays société societe entreprise prodotto articolo
quantità quantita prezzo città citta paese azienda
""".split())
_PERSON_CONTEXT_HEADS = _PERSON_HEADS - {"name", "names", "host", "contact", "lead", "nom", "nome", "navn",
                                         "namn", "nimi", "naam", "nombre"}

_HEADER_CELL = regex.compile(r"[\p{L}\p{M}][\p{L}\p{M}\p{N} _.'’/#()&-]{0,39}")
_HEADER_SPLIT = regex.compile(r"[\s_\-./#()&]+|(?<=\p{Ll})(?=\p{Lu})")
_MARKDOWN_RULE = regex.compile(r"\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*")
_PHONE_CHARS = regex.compile(r"\+?[\d \u00a0().-]*\d[\d \u00a0().-]*")
_INTERNATIONAL = regex.compile(r"(?:\+|00)[1-9][\d \u00a0().-]{6,}")
_NANP = regex.compile(r"(?:(?:\+?1|001)[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}")
_TRUNK = regex.compile(r"\(0\d{1,5}\) ?\d{2,5}(?:[ .-]?\d{2,5}){0,3}")
_NOT_PHONE = regex.compile(
    r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}[/.]\d{1,2}[/.]\d{1,2}|\d{3}-\d{2}-\d{4}"
    r"|(?:\d{1,3}\.){3}\d{1,3}|\d+(?:\.\d+){2,}"
)
_PLACEHOLDERS = frozenset("n/a na none null nil tbd tba tbc unassigned unknown vacant nobody anyone all everyone "
                          "- -- — ? x".split())
# words of a name field: initials ("I.", "N.B."), capitalised words ("O'Neill", "Tocheva-Klopova", "McDONALD"),
# dotted honorifics, particles ("de", "van", "bin") and words of scripts without case (Arabic, Thai, Han...)
_INITIAL = regex.compile(r"\p{Lu}\.(?:-?\p{Lu}\.){0,3}")
_CAPITALISED = regex.compile(r"\p{Lu}[\p{L}\p{M}'’]*(?:[-‐][\p{L}\p{M}'’]+)*\.?")
_CASELESS = regex.compile(r"(?:\p{Lo}|\p{M})+(?:[-‐](?:\p{Lo}|\p{M})+)*")
_PARTICLES = frozenset("van von der den de del della da di du dos das le la bin ibn al el ter ten y zu binti "
                       "bint e".split())
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


@dataclass(frozen=True)
class Field:
    """One cell of a row: ``text[start:end]`` (whitespace and quotes trimmed) is ``value``."""

    start: int
    end: int
    value: str


def _lines(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every line of ``text``, newline excluded."""
    out, start = [], 0
    for m in regex.finditer(r"\r?\n", text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def row_fields(text: str, start: int, end: int, dialect: type[csv.Dialect] | csv.Dialect | str) -> list[Field]:
    """The cells of the row ``text[start:end]`` split by :mod:`csv` with ``dialect`` (a Markdown row's outer
    pipes dropped), each located in ``text`` (a cell with doubled quotes spans its raw text; one that cannot be
    located gets an empty span, which is never reported). Returns ``[]`` for a row csv cannot read."""
    line = text[start:end]
    delimiter = dialect if isinstance(dialect, str) else dialect.delimiter
    offset = start
    if delimiter == "|":
        stripped = line.strip()
        if stripped.startswith("|"):
            lead = line.index("|") + 1
            line, offset = line[lead:], offset + lead
            if line.rstrip().endswith("|"):
                line = line.rstrip()[:-1]
    try:
        if isinstance(dialect, str):
            values = next(csv.reader([line], delimiter=delimiter, skipinitialspace=True))
        else:
            values = next(csv.reader([line], dialect))
    except (csv.Error, StopIteration):
        return []
    fields, cursor = [], 0
    for value in values:
        value = value.strip()
        raw = value
        at = line.find(value, cursor) if value else -1
        if at < 0 and '"' in value:
            raw = value.replace('"', '""')  # a quoted cell with doubled quotes: its span is the raw text
            at = line.find(raw, cursor)
        if at >= 0:
            fields.append(Field(offset + at, offset + at + len(raw), value))
            cursor = at + len(raw)
        else:
            fields.append(Field(offset + cursor, offset + cursor, value))
        nxt = line.find(delimiter, cursor)
        cursor = len(line) if nxt < 0 else nxt + 1
    return fields


def _header_words(cell: str) -> list[str]:
    return [w.casefold() for w in _HEADER_SPLIT.split(cell.strip()) if w]


def column_kind(cell: str, row: list[str]) -> str:
    """What a header ``cell`` says its column holds: ``"person"``, ``"phone"`` or ``""``; ``row`` is the whole
    header (its other cells decide what a bare "name" or "host" names).

    "phone", "Mobile", "contact number", "Telefon" -> phone; "name", "full_name", "Assignee", "Vorname",
    "姓名" -> person; "employee_id", "owner_email", "product name", "team" -> ""; "name" beside "sku"/"qty"
    -> "" unless another column is about people or holds phones ("employee_id,name,team", "name;mobile;city").
    """
    words = _header_words(cell)
    if not words:
        return ""
    whole = cell.strip().casefold()
    if any(w in _PHONE_HEADS for w in words) or whole in _PHONE_HEADS or (
            "contact" in words and words[-1] in {"number", "no", "nr", "num"}):
        return "phone"
    last = words[-1]
    if last in _NOT_PERSON_TAIL or (last not in _PERSON_HEADS and whole not in _PERSON_HEADS):
        return ""
    if len(words) > 1 and any(w in _THING_WORDS for w in words[:-1]):
        return ""  # "product name", "company_name", "file name", "user name"
    if last in _PERSON_CONTEXT_HEADS or len(words) > 1 and last not in {"host", "contact", "lead"}:
        return "person"
    # a bare "name", "host", "contact": people unless the other columns are about things
    others = [w for c in row if c != cell for w in _header_words(c)]
    if any(w in _PERSON_CONTEXT_HEADS or w in _PHONE_HEADS for w in others):
        return "person"  # "employee_id,name,team", "name;mobile;city": rows about people
    return "" if any(w in _THING_WORDS for w in others) else "person"


_LABEL_WORDS = _PERSON_HEADS | _PHONE_HEADS | _THING_WORDS | _NOT_PERSON_TAIL | frozenset("""
field value key due start end note notes comment comments priority office site location stage deadline
subject description summary remarks email e-mail
""".split())


def _label_word(cell: str) -> bool:
    """``cell`` is a field label: its last word, or all of it, is a header word of any kind."""
    words = _header_words(cell)
    return bool(words) and (words[-1] in _LABEL_WORDS or cell.strip().casefold() in _LABEL_WORDS)


def _header(fields: list[Field]) -> list[str] | None:
    """The column kinds of a header row, or None when the row is not a header (a cell is not a short label,
    or no column is a person or a phone)."""
    if len(fields) < 2 or not all(_HEADER_CELL.fullmatch(f.value) and len(f.value.split()) <= 4 for f in fields):
        return None
    values = [f.value for f in fields]
    kinds = [column_kind(f.value, values) for f in fields]
    return kinds if any(kinds) else None


def phone_shaped(value: str, *, min_digits: int = 7) -> bool:
    """``value`` is only phone characters (digits, spaces, dashes, dots, brackets, a leading +) with 7-15 digits
    (``min_digits``-15),
    and is no date, version, dotted quad or SSN-shaped number (a NANP 3-3-4 number with dots is a phone)."""
    if not _PHONE_CHARS.fullmatch(value):
        return False
    digits = sum(c.isdigit() for c in value)
    if not min_digits <= digits <= 15:
        return False
    return bool(_NANP.fullmatch(value)) or not _NOT_PHONE.fullmatch(value.strip(" .-("))


def standard_phone(value: str) -> bool:
    """A phone number in a shape that stands on its own: international prefix, NANP 3-3-4, trunk code in brackets."""
    return phone_shaped(value) and bool(
        _INTERNATIONAL.fullmatch(value) or _NANP.fullmatch(value) or _TRUNK.fullmatch(value))


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


def _table_dialect(text: str, header: tuple[int, int], first: tuple[int, int]):
    """The csv dialect of a table from its header line and first row (Sniffer), or None."""
    sample = text[header[0]:header[1]] + "\n" + text[first[0]:first[1]]
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
    except csv.Error:
        return None


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
        dialects = [d for d in _DELIMITERS if d in line and _header(row_fields(text, start, end, d))]
        if not dialects or i in used:
            i += 1
            continue
        nxt = i + 1
        if _MARKDOWN_RULE.fullmatch(text[lines[nxt][0]:lines[nxt][1]]) and nxt + 1 < len(lines):
            nxt += 1
        sniffed = _table_dialect(text, lines[i], lines[nxt])
        candidates = ([sniffed] if sniffed is not None else []) + dialects
        for dialect in candidates:
            header = row_fields(text, start, end, dialect)
            kinds = _header(header)
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
        for delimiter in _DELIMITERS:
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
    for delimiter in _DELIMITERS:
        run: list[tuple[Field, Field]] = []
        run_lines: list[int] = []
        for i, (start, end) in enumerate([*lines, (len(text), len(text))]):
            pair = None
            if i < len(lines) and i not in used and delimiter in text[start:end]:
                fields = row_fields(text, start, end, delimiter)
                if len(fields) == 2 and _HEADER_CELL.fullmatch(fields[0].value) and len(fields[0].value.split()) <= 4:
                    pair = (fields[0], fields[1])
            if pair is not None:
                run.append(pair)
                run_lines.append(i)
                continue
            labels = [label.value for label, _ in run]
            # labels, not data: most first cells are header words ("Name;Ana\nMobile;..."), unlike the first
            # column of a two-column table ("name,team\nAna,Sales\nBob,Ops")
            if len(run) >= 2 and 2 * sum(map(_label_word, labels)) >= len(labels) >= 2 and sum(
                    map(_label_word, labels)) >= 2:
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
    return not any(d in text for d in _DELIMITERS) and "\n" not in text


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
        lines = _lines(text)
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
