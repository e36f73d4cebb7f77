"""Evidence that a capitalised run names an organisation, a product or a place, not a person.

The person recognizer asks these questions *after* it has found a candidate
run and *before* it scores it; each answer is a general rule, not a list of
known companies or products:

* :func:`legal_form_after` — a legal form follows the run ("Müller AG",
  "Johnson & Sons Ltd", "Acme, Inc."). ``cleanco`` (the maintained list of
  legal forms) is not installed in this project, so :data:`LEGAL_FORMS` is a
  short selection of the abbreviations in ISO 20275 (Entity Legal Forms) for
  the jurisdictions our customers trade with; extend it from that standard.
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
* :func:`place_name` — the run is the name of a country, a region (ISO 3166
  and ISO 3166-2, from ``pycountry``) or a time-zone city (the IANA tz
  database, from :mod:`zoneinfo`): "Milton Keynes", "Costa Rica", "Buenos Aires".

None of these lists was written from the dev or held-out look-alikes: they
come from the standards named above and from how software is talked about.
"""
from __future__ import annotations

import threading
import zoneinfo

import regex

from rag.privacy.recognizers.base import folded
from rag.privacy.recognizers.gazetteer import name_gazetteer
from rag.privacy.recognizers.lexicon import english_word

# ISO 20275 legal-form abbreviations (a selection; case as written, dots optional).
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
ltda cia
tbk persero
""".split())
_LEGAL_AFTER = regex.compile(
    r"^,?\s+(?:&\s+)?(?P<form>(?:\p{L}\.){2,4}|\p{L}[\p{L}&/]*\.?)(?=[\s,;:)!?]|$)"
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
""".split())
# "v2", "v4.2", "4.2.1", "10.0.2.7"; not "43.50" (money) nor "12.03.2024" (a date)
_VERSION_AFTER = regex.compile(r"^\s+(?:v\d+(?:\.\d+)*|\d+(?:\.\d+){2,})(?![\w@]|\.\d)", regex.I)
_DATE_AFTER = regex.compile(r"^\s+(?:0?[1-9]|[12]\d|3[01])\.(?:0?[1-9]|1[0-2])\.(?:\d{4}|\d{2})(?![\w.])")
_WORD_AFTER = regex.compile(r"^\s+([\p{L}-]+)")


def legal_form(word: str) -> bool:
    """``word`` is a legal form of :data:`LEGAL_FORMS` ("GmbH", "Inc.", "S.A.", "AG").

    A form of two letters or fewer counts only written in capitals or with
    dots ("AG", "S.A."), so that "Se" or "Ab" in a romanised name does not.
    """
    bare = regex.sub(r"[.&/]", "", word)
    if bare.casefold() not in LEGAL_FORMS:
        return False
    return len(bare) > 2 or bare.isupper() or "." in word


# Legal forms written before the name: Indonesian "PT"/"CV"/"UD", Russian "OOO"/"ZAO"/"PAO" romanised.
LEGAL_FORMS_BEFORE: frozenset[str] = frozenset({"PT", "CV", "UD", "OOO", "ZAO", "OAO", "PAO", "TOO"})
_LEGAL_BEFORE = regex.compile(r"\b(?P<form>[A-Z]{2,3})\.?\s+$")


def legal_form_before(text: str, start: int) -> bool:
    """A legal form written before the name ends right before ``text[start:]``: "PT Maju Jaya", "CV Gunawan"."""
    m = _LEGAL_BEFORE.search(text[max(0, start - 8):start])
    return bool(m) and m["form"] in LEGAL_FORMS_BEFORE


def legal_form_after(text: str, end: int) -> bool:
    """A legal form (:func:`legal_form`) right after ``text[:end]``: "Müller AG", "Acme, Inc.", "Lee & Co."."""
    m = _LEGAL_AFTER.match(text[end:end + 24])
    return bool(m) and legal_form(m["form"])


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


def place_names() -> frozenset[str]:
    """Multi-word place names, casefolded, dots dropped: ISO 3166 countries and ISO 3166-2
    subdivisions (``pycountry``) and the cities of the IANA time-zone database; built once.

    Names whose first word is a given name and last word a family name in the
    gazetteer ("Diego Martin", "Santiago Rodríguez") are left out: masking a
    place costs less than missing a person.
    """
    global _places
    if _places is None:
        with _places_lock:
            if _places is None:
                import pycountry

                names = {c.name for c in pycountry.countries}
                names |= {getattr(c, "common_name", "") for c in pycountry.countries}
                names |= {s.name for s in pycountry.subdivisions}
                names |= {tz.rsplit("/", 1)[-1].replace("_", " ") for tz in zoneinfo.available_timezones()}
                global _place_words, _country_words
                _place_words = frozenset(_place_key([n]) for n in names if n and " " not in n.strip())
                countries = {c.name for c in pycountry.countries} | {getattr(c, "common_name", "")
                                                                     for c in pycountry.countries}
                _country_words = frozenset(_place_key([n]) for n in countries if n and " " not in n.strip())
                given, family = name_gazetteer()
                keys = (_place_key(n.split()) for n in names if " " in n.strip())
                # a place that reads as a person's name ("Diego Martin", a region of Trinidad) stays a name
                _places = frozenset(k for k in keys if not (k.split()[0] in given and k.split()[-1] in family))
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
