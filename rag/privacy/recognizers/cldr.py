"""Names that CLDR gives to countries, months and each language itself, in every locale's own script.

Unicode CLDR (the Common Locale Data Repository, read through ``babel``) is how
software names places and languages in other scripts: "Камерун" (Cameroon in
Russian), "ドイツ" (Germany in Japanese), "עברית" (Hebrew), "九月" (September in
Chinese). Such a run in English text is no person's name, so
:class:`~rag.privacy.recognizers.scripts.NonLatinScriptRecognizer` leaves it
alone. Only names written in a non-Latin script are kept (Latin-script names
are the name recognizers' to judge), and only these kinds, each less what can
also be somebody's name:

* country and territory names, less the countries whose English name is a
  popular given name somewhere (``popular_given_names``: "Jordan", "Chad",
  "Georgia"; "ஜோர்டான்" may be a person);
* month names, less the months that are popular given names ("April", "May",
  "June");
* each locale's name for its own language (its endonym). Other language
  names are left out: many are short transliterations that are also given
  names (Tamil "சங்கு", the Sango language, is also a name), and so are script
  and weekday names (Arabic "جمعة", Friday, is also the name Jumah);
* and never an entry the names gazetteer lists as a given or family name.

The set is built once per process from the base locales (no territory
variants: about 330 locales, under a second on one core).
"""
from __future__ import annotations

import threading

import regex

from rag.privacy.recognizers.gazetteer import name_gazetteer, popular_given_names

_NON_LATIN = regex.compile(r"[\p{L}--\p{Script=Latin}]", regex.V1)
_lock = threading.Lock()
_names: frozenset[str] | None = None


def _locale_names(locale, *, named_territories: set[str], named_months: set[int]) -> set[str]:
    """A locale's country names and month names, less those whose English name is a given name (``named_*``), and
    its name for its own language (its endonym)."""
    names = {name for code, name in locale.territories.items() if code not in named_territories}
    own = locale.languages.get(locale.language)
    if own:
        names.add(own)
    for context in locale.months.values():
        for width in ("wide", "abbreviated"):
            names.update(name for month, name in context.get(width, {}).items() if month not in named_months)
    return names


def cldr_names() -> frozenset[str]:
    """Territory, month and own-language names of every CLDR base locale (see the module docstring) that hold a
    non-Latin letter and are no given or family name of the gazetteer, casefolded; built once (thread-safe).

    Raises ImportError if ``babel`` is not installed (it is an application dependency).
    """
    global _names
    if _names is None:
        with _lock:
            if _names is None:
                from babel import Locale, UnknownLocaleError, localedata

                given, family = name_gazetteer()
                english = Locale.parse("en")
                # "Jordan", "Chad", "Georgia"; "April", "May", "June", "August": given names in English, and so,
                # transliterated, in other scripts too ("ஜோர்டான்")
                popular = popular_given_names()
                named_territories = {code for code, name in english.territories.items()
                                     if name.casefold() in popular}
                named_months = {month for month, name in english.months["format"]["wide"].items()
                                if name.casefold() in popular}
                found: set[str] = set()
                for identifier in localedata.locale_identifiers():
                    if "_" in identifier:
                        continue
                    try:
                        found |= _locale_names(Locale.parse(identifier), named_territories=named_territories,
                                               named_months=named_months)
                    except (UnknownLocaleError, ValueError):
                        continue
                _names = frozenset(
                    key for key in (name.casefold() for name in found)
                    if _NON_LATIN.search(key) and key not in given and key not in family
                )
    return _names


def cldr_name(run: str) -> bool:
    """``run`` (any case) is a country, month or own-language name in some locale's non-Latin script:
    "Камерун", "ドイツ", "Україна", "九月", "Українська"."""
    return run.casefold() in cldr_names()
