"""PERSON by script: in English text, a run of letters from a non-Latin script is treated as a name.

The payloads are English business text; a word in Han, kana, Hangul, Arabic,
Hebrew, Devanagari, Cyrillic, Greek, Thai or any other non-Latin script inside
it is, far more often than not, somebody's name (``山田 太郎``, ``김민준``,
``Иван Петров``, ``राहुल शर्मा``). Nothing downstream needs those words to
answer an English question, so the rule is simple and fail-safe: mask every
such run (score 0.75) unless every word of it is in :data:`NON_LATIN_ALLOWED`
(the names of languages in their own script, as language menus and
translation notes write them: ``日本語``, ``Русский``, ``हिन्दी``) or it names a
company by a legal form of its own script (:func:`legal_form_run`). Runs joined by
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
# Legal forms in their own script (ISO 20275 lists them per jurisdiction): a run holding one, as a word or as the
# start or end of a word, names a company ("天益科技有限公司", "주식회사 이노원더", "ООО Ромашка",
# "บริษัท สยาม จำกัด"), and so does a run right before a dotted or quoted form ("Αφοί Παππά Α.Ε.", "אלון בע\"מ").
_LEGAL_AFFIXES = (
    "股份有限公司", "有限责任公司", "有限責任公司", "有限公司", "集团", "集團", "公司",
    "株式会社", "有限会社", "合同会社", "合資会社", "合名会社",
    "주식회사", "유한회사", "유한책임회사",
    "บริษัท", "จำกัด", "มหาชน", "ห้างหุ้นส่วน", "หจก", "บจก", "บมจ",
    "شركة", "مؤسسة", "شرکت", "گروه", "صنایع",
    "लिमिटेड", "प्राइवेट", "লিমিটেড", "কোম্পানি", "ব্যাংক",
)
_LEGAL_WORDS = frozenset({"ООО", "ОАО", "ЗАО", "ПАО", "АО", "ТОВ", "ПрАТ", "АТ", "ЕООД", "ООД", "АД", "ЕАД", "ИП",
                          "ՍՊԸ", "ՓԲԸ", "ԲԲԸ", "ՀՁ", "შპს", "სს"})
# dotted or quoted forms the run regex cuts in two ("Α" + ".Ε.", "בע" + '"מ'), found from the run on
_DOTTED_FORMS = r'(?:Α\.Ε\.|Ε\.Π\.Ε\.|Ο\.Ε\.|Ι\.Κ\.Ε\.|בע"מ|בע״מ|\(주\)|\(유\)|ش\.م\.م|ՍՊԸ|ՓԲԸ|ԲԲԸ|ՀՁ)'
_LEGAL_DOTTED = regex.compile(rf"(?:^|\s|\(){_DOTTED_FORMS}")
# right after the run, or after the rest of a hyphenated name: "Γρεβενάρης-Κυριατσούλης Ο.Ε."
_LEGAL_DOTTED_AFTER = regex.compile(rf"^(?:[-‐][^\s\d\p{{Script=Latin}}]+)*\s*\(?{_DOTTED_FORMS}", regex.V1)
# before the run: a Korean or Thai abbreviated form ("(주)", "บจก."), or a Russian/Ukrainian form and the opening
# quote ("ООО «Ромашка»")
_LEGAL_BEFORE = regex.compile(
    r"(?:\((?:주|유)\)\s*|(?:หจก|บจก|บมจ)\.\s*|\b(?:ООО|ОАО|ЗАО|ПАО|АО|ТОВ|ПрАТ|АТ)\s*[«\"“„][^»\"”]{0,40})$")
# a legal form or a company word of Latin script after the run: "שחר LLC", "ჭინჭარაული PLC", "آل سلطان and Sons"
_LATIN_FORM_AFTER = regex.compile(
    r"^\s*(?:&|and)?\s*(?:LLC|Ltd\.?|PLC|Inc\.?|GmbH|AG|SA|S\.A\.|AD|SD|EOOD|OOD|Group|Sons|Holdings|Co\.)(?!\w)")


def legal_form_run(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` (a non-Latin run) holds or touches a legal form of its script, so names a company."""
    run = text[start:end]
    if any(word in _LEGAL_WORDS or word.startswith(_LEGAL_AFFIXES) or word.endswith(_LEGAL_AFFIXES)
           for word in _SEPARATOR.split(run)):
        return True
    return bool(_LEGAL_DOTTED.search(text[max(0, start - 4):end + 4]) or _LEGAL_DOTTED_AFTER.match(text[end:end + 60])
                or _LATIN_FORM_AFTER.match(text[end:end + 16])
                or _LEGAL_BEFORE.search(text[max(0, start - 50):start]))


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
            if legal_form_run(text, m.start(), m.end()):
                continue  # a company: "天益科技有限公司", "ООО Ромашка"
            if len(run) == 1 and (_GREEK_SYMBOL.match(run) or run == "\u00b5"):
                continue  # α, Σ, μ (as in "μs") and the micro sign (µ, U+00B5, script Common): symbols
            yield m.start(), m.end(), 0.75
