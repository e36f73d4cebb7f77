"""Names that CLDR gives to countries, languages, scripts and months, in every locale's own script.

Unicode CLDR (the Common Locale Data Repository, read through ``babel``) is how
software names places and languages in other scripts: "Камерун" (Cameroon in
Russian), "ドイツ" (Germany in Japanese), "עברית" (Hebrew), "九月" (September in
Chinese). Such a run in English text is no person's name, so
:class:`~rag.privacy.recognizers.scripts.NonLatinScriptRecognizer` leaves it
alone. Only names written in a non-Latin script are kept (Latin-script names
are the name recognizers' to judge), and only the four kinds above: weekday
names are left out, since some are given names too (Arabic "جمعة", Friday,
is also the name Jumah), and so is any entry that the names gazetteer lists as
a given or family name.

The set is built once per process from the base locales (no territory
variants: about 330 locales, 0.5 s on one core) and holds about 60,000 names.
"""
from __future__ import annotations

import threading

import regex

from rag.privacy.recognizers.gazetteer import name_gazetteer

_NON_LATIN = regex.compile(r"[\p{L}--\p{Script=Latin}]", regex.V1)
_lock = threading.Lock()
_names: frozenset[str] | None = None


def _locale_names(locale) -> set[str]:
    names = set(locale.territories.values()) | set(locale.languages.values()) | set(locale.scripts.values())
    for context in locale.months.values():
        for width in ("wide", "abbreviated"):
            names.update(context.get(width, {}).values())
    return names


def cldr_names() -> frozenset[str]:
    """Territory, language, script and month names of every CLDR base locale that hold a non-Latin letter and are
    no given or family name of the gazetteer, casefolded; built once (thread-safe).

    Raises ImportError if ``babel`` is not installed (it is an application dependency).
    """
    global _names
    if _names is None:
        with _lock:
            if _names is None:
                from babel import Locale, UnknownLocaleError, localedata

                given, family = name_gazetteer()
                found: set[str] = set()
                for identifier in localedata.locale_identifiers():
                    if "_" in identifier:
                        continue
                    try:
                        found |= _locale_names(Locale.parse(identifier))
                    except (UnknownLocaleError, ValueError):
                        continue
                _names = frozenset(
                    key for key in (name.casefold() for name in found)
                    if _NON_LATIN.search(key) and key not in given and key not in family
                )
    return _names


def cldr_name(run: str) -> bool:
    """``run`` (any case) is a country, language, script or month name in some locale's non-Latin script:
    "Камерун", "ドイツ", "Україна", "九月"."""
    return run.casefold() in cldr_names()
