"""Record fields: rows split into cells, header cells typed, phone-shaped values told from dates and ids.

:mod:`rag.privacy.recognizers.records` finds names and phones by the layout of
a record (tables, contact rows, one field a line); this module reads that
layout for it:

* :func:`line_spans` and :func:`row_fields` split a text into lines and a line
  into its cells with :mod:`csv` (quotes and doubled quotes handled; a
  Markdown row's outer pipes dropped), each cell located in the text as a
  :class:`Field`. :func:`table_dialect` lets :class:`csv.Sniffer` pick the
  dialect of a table from its header and first row, among the delimiters of
  :data:`DELIMITERS` (tab, ``|``, ``;``, ``,``).
* :func:`column_kind` types a header cell as a person column, a phone column
  or neither, by its last word or, for scripts written without spaces, its
  whole text. The head words are a hand-kept list in the languages of a
  multinational workforce: English, Spanish, French, German, Dutch, Italian,
  Portuguese, Polish, the Nordic languages, Finnish, Czech, Turkish, Russian,
  Ukrainian, Greek, Chinese, Japanese, Korean, Arabic, Hebrew, Hindi, Thai and
  Vietnamese (``name``, ``Assignee``, ``Vorname``, ``nombre``, ``姓名``;
  ``phone``, ``Mobile``, ``Telefon``...). Identifier tails (``employee_id``,
  ``owner_email``) and words for things, places and machines (``sku``,
  ``qty``, ``city``, ``product name``) keep a column from being a person's.
  :func:`header_kinds` types a whole header row; :func:`label_word` tells the
  label of a record written one field a line.
* :func:`phone_shaped` accepts only phone characters with 7-15 digits and
  refuses dates, versions, dotted quads and SSN-shaped numbers;
  :func:`standard_phone` is a number in a shape that stands on its own
  (international prefix, NANP 3-3-4, trunk code in brackets).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass

import regex

from rag.privacy.recognizers.phone import NANP, TRUNK_IN_BRACKETS

# the cell delimiters of a record row, in the order they are tried: tab, pipe (Markdown), semicolon, comma
DELIMITERS = "\t|;,"
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

# a header cell or a field label: a letter, then up to 39 letters, digits, spaces and "_.'’/#()&-"
HEADER_CELL = regex.compile(r"[\p{L}\p{M}][\p{L}\p{M}\p{N} _.'’/#()&-]{0,39}")
_HEADER_SPLIT = regex.compile(r"[\s_\-./#()&]+|(?<=\p{Ll})(?=\p{Lu})")
# the rule under a Markdown table's header ("|---|:---:|")
MARKDOWN_RULE = regex.compile(r"\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*")
_PHONE_CHARS = regex.compile(r"\+?[\d \u00a0().-]*\d[\d \u00a0().-]*")
_INTERNATIONAL = regex.compile(r"(?:\+|00)[1-9][\d \u00a0().-]{6,}")
_NOT_PHONE = regex.compile(
    r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}[/.]\d{1,2}[/.]\d{1,2}|\d{3}-\d{2}-\d{4}"
    r"|(?:\d{1,3}\.){3}\d{1,3}|\d+(?:\.\d+){2,}"
)


@dataclass(frozen=True)
class Field:
    """One cell of a row: ``text[start:end]`` (whitespace and quotes trimmed) is ``value``."""

    start: int
    end: int
    value: str


def line_spans(text: str) -> list[tuple[int, int]]:
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


def label_word(cell: str) -> bool:
    """``cell`` is a field label: its last word, or all of it, is a header word of any kind."""
    words = _header_words(cell)
    return bool(words) and (words[-1] in _LABEL_WORDS or cell.strip().casefold() in _LABEL_WORDS)


def header_kinds(fields: list[Field]) -> list[str] | None:
    """The column kinds of a header row, or None when the row is not a header (a cell is not a short label,
    or no column is a person or a phone)."""
    if len(fields) < 2 or not all(HEADER_CELL.fullmatch(f.value) and len(f.value.split()) <= 4 for f in fields):
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
    return bool(NANP.fullmatch(value)) or not _NOT_PHONE.fullmatch(value.strip(" .-("))


def standard_phone(value: str) -> bool:
    """A phone number in a shape that stands on its own: international prefix, NANP 3-3-4, trunk code in brackets."""
    return phone_shaped(value) and bool(
        _INTERNATIONAL.fullmatch(value) or NANP.fullmatch(value) or TRUNK_IN_BRACKETS.fullmatch(value))


def table_dialect(text: str, header: tuple[int, int], first: tuple[int, int]):
    """The csv dialect of a table from its header line and first row (Sniffer), or None."""
    sample = text[header[0]:header[1]] + "\n" + text[first[0]:first[1]]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        return None
