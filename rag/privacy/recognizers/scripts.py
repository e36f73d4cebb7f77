"""PERSON by script: in English text, a run of letters from a non-Latin script is treated as a name.

The payloads are English business text; a word in Han, kana, Hangul, Arabic,
Hebrew, Devanagari, Cyrillic, Greek, Thai or any other non-Latin script inside
it is, far more often than not, somebody's name (``山田 太郎``, ``김민준``,
``Иван Петров``, ``राहुल शर्मा``). Nothing downstream needs those words to
answer an English question, so the rule is simple and fail-safe: mask every
such run (score 0.75) unless every word of it is in :data:`NON_LATIN_ALLOWED`
(the names of languages in their own script, as language menus and
translation notes write them: ``日本語``, ``Русский``, ``हिन्दी``). Runs joined by
one space, a middle dot (``·``, ``・``) or a zero-width joiner form one span.
Lone Greek letters (``α``, ``Σ``, ``μs``) are symbols, not names.
"""
from __future__ import annotations

import regex

from rag.privacy.recognizers.base import BaseRecognizer

# Letters of any script but Latin (Common/Inherited have no letters of their own
# except marks, which may only follow a letter).
_LETTER = r"[\p{L}--\p{Script=Latin}]"
_WORD = rf"{_LETTER}(?:{_LETTER}|\p{{M}})*"
_RUN = regex.compile(rf"{_WORD}(?:[ \u00b7\u30fb\u200c\u200d]{_WORD})*", regex.V1)
_GREEK_SYMBOL = regex.compile(r"\p{Script=Greek}", regex.V1)

# Non-Latin words that are not names in English business text. Extend with care:
# everything listed here leaves the network. Languages' names for themselves
# (CLDR endonyms; Latin-script ones need no entry), case as written in menus.
NON_LATIN_ALLOWED: frozenset[str] = frozenset("""
日本語 中文 汉语 漢語 普通话 普通話 简体中文 繁體中文 繁体中文 粵語 粤语 한국어 조선말
Русский русский Українська українська Беларуская беларуская Български български Српски српски
Македонски македонски Қазақша қазақша Монгол монгол Кыргызча кыргызча Тоҷикӣ тоҷикӣ
Ελληνικά ελληνικά עברית ייִדיש العربية فارسی اردو پښتو کوردی ئۇيغۇرچە
हिन्दी मराठी नेपाली संस्कृतम् বাংলা ਪੰਜਾਬੀ ગુજરાતી தமிழ் తెలుగు ಕನ್ನಡ മലയാളം ଓଡ଼ିଆ සිංහල
ไทย ລາວ ខ្មែរ မြန်မာ ქართული Հայերեն አማርኛ ትግርኛ ᐃᓄᒃᑎᑐᑦ
""".split())
_SEPARATOR = regex.compile(r"[ \u00b7\u30fb\u200c\u200d]")


class NonLatinScriptRecognizer(BaseRecognizer):
    """Runs of non-Latin letters (see the module docstring): PERSON, 0.75."""

    ENTITY = "PERSON"

    def spans(self, text, nlp_artifacts):
        """Every run of non-Latin letters at 0.75, except runs made only of :data:`NON_LATIN_ALLOWED`
        words and single Greek letters used as symbols.
        """
        for m in _RUN.finditer(text):
            run = m.group()
            if all(word in NON_LATIN_ALLOWED for word in _SEPARATOR.split(run)):
                continue
            if len(run) == 1 and (_GREEK_SYMBOL.match(run) or run == "\u00b5"):
                continue  # α, Σ, μ (as in "μs") and the micro sign (µ, U+00B5, script Common): symbols
            yield m.start(), m.end(), 0.75
