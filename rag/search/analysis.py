"""Text analysis for BM25: the same function turns chunks and questions into terms.

Pure functions, no Django, no database.

Rules (and why):

* Words are runs of Unicode letters and digits. Runs joined by ``_``, ``.`` or
  ``-`` form one *compound* (``CSRF_COOKIE_AGE``, ``select_related``,
  ``django.db.models``, ``no-imports``, ``8.0.11``). A compound is indexed
  whole (lowercased, never stemmed) **and** as its parts, so the exact
  identifier is a rare, high-IDF term while ``cookie age`` still matches.
  Leading dashes and underscores are not part of a word: ``--keepdb`` and
  ``__init__`` index as ``keepdb`` and ``init``.
* Words with inner capitals or letter/digit changes are split the same way:
  ``MultipleObjectsReturned`` -> ``multipleobjectsreturned`` + ``multiple``,
  ``object``, ``return``; ``Http404`` -> ``http404`` + ``http``, ``404``.
  Parts shorter than two characters are dropped (the whole is kept), and a
  compound of numbers only (``8.0.11``) is not split.
* Thousands separators between digit groups are removed first, so
  ``1,000,000`` and ``1000000`` are one term.
* A light stop list (Lucene's English stop set plus pronouns, question words
  and auxiliaries) removes words that only say how a question is asked.
* Plain words and parts are stemmed with the Snowball English (Porter2)
  stemmer (``snowballstemmer``, the pure-Python package Sphinx uses; it uses
  PyStemmer's C code when that is installed), as Lucene's English analyzer
  stems (Porter): ``imports``/``import``, ``fetched``/``fetch``. Whole
  compounds are not: an identifier should match only itself.
* Terms longer than :data:`TERM_MAX_CHARS` (hashes, base64) are dropped.
"""
from __future__ import annotations

import functools
import re
from collections import Counter

TERM_MAX_CHARS = 80

_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_COMPOUND = re.compile(r"[^\W_]+(?:[_.\-]+[^\W_]+)*")
_CONNECTORS = re.compile(r"[_.\-]+")
_HUMPS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[^\W\d_A-Za-z]+|\d+")

# Lucene's EnglishAnalyzer stop set, plus pronouns, question words and
# auxiliaries: they carry no topic, and questions are full of them.
STOPWORDS = frozenset(
    """a an and are as at be but by for if in into is it no not of on or such that the their then there
    these they this to was will with
    i me my mine we us our you your he him his she her its them what which who whom whose when where why
    how am were been being do does did doing have has had having can could should would may might must
    shall from than so about up out also any all some each own same very just only""".split()
)


@functools.lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


def _word_terms(part: str) -> list[str]:
    """Terms of one connector-free word: the word itself (stemmed when it is
    plain letters), plus its humps when it has any."""
    lower = part.lower()
    humps = _HUMPS.findall(part)
    if len(humps) <= 1:
        if lower in STOPWORDS:
            return []
        return [lower if not lower.isalpha() else _stem(lower)]
    terms = [lower]
    for hump in humps:
        h = hump.lower()
        if len(h) >= 2 and h not in STOPWORDS:
            terms.append(h if not h.isalpha() else _stem(h))
    return terms


def terms_extract(text: str) -> list[str]:
    """The terms of ``text`` in order of appearance, repeats kept (for tf).

    >>> terms_extract("Set CSRF_COOKIE_AGE to 1,000,000 with --keepdb")
    ['set', 'csrf_cookie_age', 'csrf', 'cooki', 'age', '1000000', 'keepdb']
    """
    text = _THOUSANDS.sub("", text)
    out: list[str] = []
    for match in _COMPOUND.finditer(text):
        token = match.group()
        parts = _CONNECTORS.split(token)
        if len(parts) == 1:
            out.extend(_word_terms(token))
        else:
            out.append(token.lower())
            if not all(p.isdigit() for p in parts):
                for part in parts:
                    out.extend(t for t in _word_terms(part) if len(t) >= 2)
    return [t for t in out if len(t) <= TERM_MAX_CHARS]


def term_counts(text: str) -> Counter[str]:
    """``{term: frequency}`` of :func:`terms_extract`; the sum is the BM25 document length."""
    return Counter(terms_extract(text))


_NAME = re.compile(r"[^\W_]+(?:[_.\-]+[^\W_]+)*")


def names_extract(question: str) -> list[str]:
    """Specific names in a question: identifiers (``SESSION_IDLE_TIMEOUT``,
    ``security.W009``; hyphenated words are ordinary words), words with inner capitals or digits (``GraphQL``,
    ``TOTP``, ``utf8mb4``) and capitalised words that do not start a
    sentence (``Kafka``). Returned as index terms (the first term
    :func:`terms_extract` gives each), for :func:`rag.search.selectors.terms_unknown`."""
    names: list[str] = []
    for match in _NAME.finditer(question):
        token = match.group()
        start = match.start()
        before = question[:start].rstrip()
        sentence_start = not before or before[-1] in ".!?:\"'(“"
        identifier = "_" in token or "." in token or any(c.isdigit() for c in token)
        inner_caps = any(c.isupper() for c in token[1:])
        proper = token[0].isupper() and not sentence_start
        if (identifier and any(c.isalpha() for c in token)) or inner_caps or proper:
            terms = terms_extract(token)
            if terms:
                names.append(terms[0])
    return list(dict.fromkeys(names))
