"""PERSON by script: in English text, a run of letters from a non-Latin script is treated as a name.

The payloads are English business text; a word in Han, kana, Hangul, Arabic,
Hebrew, Devanagari, Cyrillic, Greek, Thai or any other non-Latin script inside
it is, far more often than not, somebody's name (``山田 太郎``, ``김민준``,
``Иван Петров``, ``राहुल शर्मा``). Nothing downstream needs those words to
answer an English question, so the rule is simple and fail-safe: mask every
such run (score 0.75) unless every word of it is in :data:`NON_LATIN_ALLOWED`
(the names of languages in their own script, as language menus and
translation notes write them: ``日本語``, ``Русский``, ``हिन्दी``) or it names a
company by a legal form of its own script (:func:`legal_form_run`), or it is a
Chinese, Japanese or Korean place name that the sentence places somewhere
(:func:`admin_place_run`: "in 新宿区", "moved to 삼척시", "the 夷隅郡御宿町
office"), or names a country, language, script or month as Unicode CLDR writes
it in some locale (:func:`~rag.privacy.recognizers.cldr.cldr_name`: "Камерун",
"ドイツ"), or is a word of one or two that a locative places and the name
gazetteer does not know in any script (:func:`placed_unknown_run`: "Meeting in
جویبار"), or interface text introduced as such (:func:`ui_text_run`: "Button
text: Ακύρωση"). Runs joined by
one space, a middle dot (``·``, ``・``) or a zero-width joiner form one span.
Lone Greek letters (``α``, ``Σ``, ``μs``) are symbols, not names.
"""
from __future__ import annotations

import threading

import regex

from rag.privacy.recognizers.base import BaseRecognizer
from rag.privacy.recognizers.cldr import cldr_name
from rag.privacy.recognizers.gazetteer import name_gazetteer

# Letters of any script but Latin (Common/Inherited have no letters of their own
# except marks, which may only follow a letter).
_LETTER = r"[\p{L}--\p{Script=Latin}]"
_WORD = rf"{_LETTER}(?:{_LETTER}|\p{{M}})*"
_WORD_RE = regex.compile(_WORD, regex.V1)
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


_elf_lock = threading.Lock()
_elf_script: tuple[frozenset[str], tuple[str, ...], regex.Pattern] | None = None
# scripts written without spaces between words, where a form is glued to the name ("天益科技有限公司")
_UNSPACED = regex.compile(r"^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}"
                          r"\p{Script=Thai}\p{Script=Khmer}\p{Script=Myanmar}]+$", regex.V1)
# forms for one natural person's trade ("个体工商户", "개인사업자", "សហគ្រាសឯកបុគ្គល"): the name in them is a person's
_SOLE_TRADER = ("个体", "個體", "개인", "ឯកបុគ្គល", "その他")


def elf_script_forms() -> tuple[frozenset[str], tuple[str, ...], regex.Pattern]:
    """Legal forms in scripts other than Latin from GLEIF's ISO 20275 list (see
    :func:`~rag.privacy.recognizers.organisations.elf_entries`), next to the hand-picked ones above:
    ``(words, affixes, dotted)``: abbreviations of three letters or more ("ЕООД", "ДЗЗД", "ΕΟΟΣ"); the one-word
    local names of scripts written without spaces ("합자회사", "財團法人", "บริษัทจำกัด"), sole traders' forms
    left out; and a pattern for the dotted abbreviations ("д.о.о.", "ش.م.ع"). Built once; raises as
    ``elf_entries`` does."""
    global _elf_script
    if _elf_script is None:
        with _elf_lock:
            if _elf_script is None:
                from rag.privacy.recognizers.organisations import elf_entries

                words: set[str] = set(_LEGAL_WORDS)
                affixes: set[str] = set(_LEGAL_AFFIXES)
                dotted: set[str] = set()
                for abbreviations, local_name in elf_entries():
                    for written in abbreviations:
                        if regex.search(r"\p{Script=Latin}", written) or not regex.search(r"\p{L}", written):
                            continue
                        if "." in written.strip(".") and len(written) >= 3:
                            dotted.add(written)
                        elif len(written.strip(".")) >= 3 and _WORD_RE.fullmatch(written.strip(".")):
                            words.add(written.strip("."))
                    if (local_name and _UNSPACED.match(local_name)
                            and not any(mark in local_name for mark in _SOLE_TRADER)):
                        affixes.add(local_name)
                pattern = "|".join(regex.escape(d) for d in sorted(dotted, key=len, reverse=True))
                # a dotted form as a word of its own: "Петровић д.о.о." (the run regex cuts it at the dots)
                _elf_script = (frozenset(words), tuple(sorted(affixes)),
                               regex.compile(rf"(?:^|\s)(?:{pattern})(?!\p{{L}})"))
    return _elf_script


def legal_form_run(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` (a non-Latin run) holds or touches a legal form of its script, so names a company:
    the hand-picked forms above or those of GLEIF's ISO 20275 list (:func:`elf_script_forms`)."""
    run = text[start:end]
    words, affixes, dotted = elf_script_forms()
    if any(word in words or word.startswith(affixes) or word.endswith(affixes)
           for word in _SEPARATOR.split(run)):
        return True
    # the run may be a piece of a dotted form ("д", "о" of "д.о.о."), or stand right before one
    return bool(_LEGAL_DOTTED.search(text[max(0, start - 4):end + 4]) or dotted.search(text[max(0, start - 6):end + 6])
                or _LEGAL_DOTTED_AFTER.match(text[end:end + 60])
                or _LATIN_FORM_AFTER.match(text[end:end + 16])
                or _LEGAL_BEFORE.search(text[max(0, start - 50):start]))


# Administrative-division suffixes that end a place's name. Han: Japanese 市 区 郡 町 村 県 and Chinese 市 区/區 县/縣
# 省 州 (JIS X 0401/0402 and GB/T 2260 name every prefecture, municipality and county so). Hangul: 시 (city), 구
# (district), 도 (province), 읍 and 면 (towns), 동 (neighbourhood), as the Korean administrative codes name them.
# Left out on purpose: 군 (county), also written after a boy's given name ("민수군"), and 道 or 府, which end
# Chinese and Japanese given names too. A 州 word of three characters is a person's name as often ("王建州"; the
# prefectures are written "杭州" or "杭州市"), so 州 ends a place only from four characters ("延边朝鲜族自治州").
_HAN_ADMIN = regex.compile(r"^\p{Script=Han}{2,}[市区區郡町村県縣县省]$|^\p{Script=Han}{3,}州$", regex.V1)
_HANGUL_ADMIN = regex.compile(r"^\p{Script=Hangul}{2,}[시구도읍면동]$", regex.V1)
# The most frequent Korean family names (Statistics Korea, 2015 census; together about nine in ten people): a
# three-syllable Hangul word starting with one reads as family name + given name ("홍길동", "강민구") and stays masked.
_KOREAN_FAMILY = frozenset("김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 전 홍 유 류 고 문 양 손 배 백 허 남 "
                           "심 노 하 곽 성 차 주 우 구 민 나 진 지 엄 채 원 천 방 공 현 함 변 염 여 추 도 소 석 선 "
                           "설 마 길 연 위 표 명 기 반 왕 금 옥 육 인 맹 제 모 탁 국 어 은 편 용 예 경 봉 사 부".split())
# Words that place what follows: "in", "at", "near", ... and "to"/"from" only after a word of moving or shipping
# ("moved to", "flights to", "shipped from"; not "send it to" or "an email from", which take a person). A list may
# stand between: "in Linköping and 新宿区", "to Busan, 광명시".
_PLACE_BEFORE = regex.compile(
    r"(?:\b(?:in|at|near|across|throughout|outside|inside|around|within|based\s+in|located\s+in)|"
    r"\b(?:moved?|moving|relocat(?:e|ed|es|ing|ion)|ship(?:s|ped|ping|ments?)?|flights?|fl(?:y|ies|ew)|"
    r"travel(?:s|led|ling|ed|ing)?|trips?|deliver(?:s|ed|ing|y|ies)?|freight|cargo|routes?|trains?|buses|"
    r"trucks?|ferr(?:y|ies)|migrat(?:e|ed|es|ing|ion)|expand(?:s|ed|ing)?|expansion|transferred|returned|"
    r"headed|heading|bound|commut(?:e|es|ed|ing)|export(?:s|ed|ing)?|import(?:s|ed|ing)?)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:to|from|into))"
    r"\s+(?:[^\s,;:.!?]+(?:\s[^\s,;:.!?]+)?\s*(?:,|\band\b|&|\bor\b)\s*){0,3}$",
    regex.I,
)
# "the 夷隅郡御宿町 office", "our 광명시 branch"
_SITE_AFTER = regex.compile(
    r"^\s+(?:office|offices|site|branch|plant|factory|warehouse|depot|campus|store|shop|city\s+hall|headquarters|"
    r"hq|facility|centre|center|prefecture|district|area|region|airport|station|port)\b",
    regex.I,
)
_DETERMINER_BEFORE = regex.compile(r"\b(?:the|our|their|its|your|this|that)\s+$", regex.I)


def admin_place_run(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` (a non-Latin run) is a Chinese, Japanese or Korean place name: every word of it ends in
    an administrative suffix (Han words of three characters or more, "新宿区", "夷隅郡御宿町"; Hangul words of three
    syllables or more that do not read as a family name and a given name, "삼척시", "광명시", not "홍길동"), and the
    words around it place it: a locative before it ("in", "at", "moved to", "flights to", across a short list) or
    "the ... office" around it. Anything less stays masked."""
    words = _SEPARATOR.split(text[start:end])
    for word in words:
        if _HAN_ADMIN.match(word):
            continue
        if _HANGUL_ADMIN.match(word) and not (len(word) == 3 and word[0] in _KOREAN_FAMILY):
            continue
        return False
    if regex.match(r"['’]s\b|\s*\(", text[end:end + 3]):
        return False  # "新宿区's manager", "광명시 (HR)": a possessive or a parenthesis says person
    before = text[max(0, start - 80):start]
    before = regex.split(r"[.!?;:\n](?:\s|$)", before)[-1]
    return bool(_PLACE_BEFORE.search(before)
                or (_DETERMINER_BEFORE.search(before) and _SITE_AFTER.match(text[end:end + 30])))


# The hundred most frequent Chinese family names (Ministry of Public Security household register, 2020; together
# about 85% of people), simplified and traditional: a Han word of two to four characters starting with one reads as
# a person's name ("王芳", "陳志明") and no locative makes it a place.
_CHINESE_FAMILY = frozenset(
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何林高罗羅郑鄭梁谢謝宋唐许許韩韓邓鄧冯馮曹彭曾肖萧蕭田董潘袁"
    "蔡蒋蔣余于杜叶葉程魏苏蘇吕呂丁任卢盧姚沈钟鍾姜崔谭譚陆陸范汪廖石金韦韋贾賈夏付傅方邹鄒熊白孟秦邱侯江尹薛闫閆"
    "段雷龙龍黎史陶贺賀毛郝顾顧龚龔邵万萬覃武钱錢戴严嚴莫孔向常汤湯康易乔喬賴赖文"
)


def placed_unknown_run(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` (a non-Latin run of one or two words) follows a locative ("Meeting in جویبار", "Go-live
    in Шымкент", "flights to 釜山") and no word of it is a given or family name the gazetteer knows in that script
    (it lists some 45,000 non-Latin names): a place the CLDR and admin-suffix rules do not know. A possessive or a
    parenthesis after it says person, as for :func:`admin_place_run`."""
    if _may_be_name(text, start, end):
        return False
    before = regex.split(r"[.!?;:\n](?:\s|$)", text[max(0, start - 80):start])[-1]
    return bool(_TRAVEL_BEFORE.search(before))


# The locatives of :func:`placed_unknown_run`: fewer than _PLACE_BEFORE's, since nothing in the word itself says
# place. Not "at" (at someone's desk) and not "ship to", "deliver to", "send to": an addressee ("Ship to بهنوش افخم").
_TRAVEL_BEFORE = regex.compile(
    r"(?:\b(?:in|near|across|throughout|within|based\s+in|located\s+in)|"
    r"\b(?:moved?|moving|relocat(?:e|ed|es|ing|ion)|flights?|fl(?:y|ies|ew)|travel(?:s|led|ling|ed|ing)?|trips?|"
    r"routes?|trains?|buses|ferr(?:y|ies)|expand(?:s|ed|ing)?|expansion|headed|heading|bound|commut(?:e|es|ed|ing))"
    r"\s+(?:[\w-]+\s+){0,2}?(?:to|from|into))\s+$",
    regex.I,
)


# words that introduce interface or sign text: "Button text: ביטול", "the label reads 한/영", "the sign says 営業中"
_UI_TEXT_BEFORE = regex.compile(
    r"\b(?:(?:button|menu|menu\s+item|tab|tooltip|placeholder|caption|heading|banner|label|ui|error|warning|"
    r"status|toast|dialog|prompt)(?:\s+(?:text|label|string|title|reads|says))?\s*[:=]|"
    r"(?:reads|says|labell?ed|translated\s+as|localised\s+as|localized\s+as)\s*:?|"
    r"(?:click|tap|press|hit)\s+(?:on\s+)?(?:the\s+)?)\s*[\"“'«„]?\s*$",
    regex.I,
)


# an interface element named after its text: "The الإعدادات button was moved", "may see the পরিচিতি screen"
_UI_TEXT_AFTER = regex.compile(
    r"^\s+(?:button|screen|menu|menu\s+item|tab|dialog|dialogue|page|field|label|icon|link|option|setting|settings|"
    r"panel|toolbar|window|view|widget|tooltip|banner|placeholder|shortcut|command|key)s?\b",
    regex.I,
)


def ui_text_run(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` (a non-Latin run of one or two words) is interface or sign text: a word like "button",
    "label", "reads" or "says" introduces it ("Button text: Ακύρωση", "the sign says 営業中") or an interface
    element follows it ("the الإعدادات button"), and it does not read as a name (:func:`_may_be_name`)."""
    if not (_UI_TEXT_BEFORE.search(text[max(0, start - 40):start]) or _UI_TEXT_AFTER.match(text[end:end + 30])):
        return False
    words = _SEPARATOR.split(text[start:end])
    # a phrase of up to six words with a lower-case word inside, in a script with capitals: "Сделано в России",
    # "Зроблено в Україні" (names are capitalised word by word)
    if (2 <= len(words) <= 6 and all(w[:1].isupper() or w[:1].islower() for w in words)
            and any(w[:1].islower() for w in words[1:]) and words[0][:1].isupper()
            and not regex.match(r"['’]s\b", text[end:end + 3])):
        return True
    return not _may_be_name(text, start, end)


def _may_be_name(text: str, start: int, end: int) -> bool:
    """The run has three words or more, a word the gazetteer lists as a given or family name (some 45,000 in
    non-Latin scripts), a Han or Hangul word starting with a common family name, or a possessive or a parenthesis
    after it that is no lower-case English gloss."""
    words = _SEPARATOR.split(text[start:end])
    given, family = name_gazetteer()
    if len(words) > 2 or any(w.casefold() in given or w.casefold() in family for w in words):
        return True
    if any((regex.fullmatch(r"\p{Script=Han}{2,4}", w) and w[0] in _CHINESE_FAMILY)
           or (regex.fullmatch(r"\p{Script=Hangul}{2,4}", w) and w[0] in _KOREAN_FAMILY) for w in words):
        return True  # "in 王芳 meeting", "in 김민준 team": a family name first
    # a gloss in lower-case English is no romanised name: "営業中 (open)", not "王芳 (Wang Fang)" or "(HR)"
    return bool(regex.match(r"['’]s\b|\s*\((?![a-z][a-z ,'-]*\))", text[end:end + 40]))


class NonLatinScriptRecognizer(BaseRecognizer):
    """Runs of non-Latin letters (see the module docstring): PERSON, 0.75."""

    ENTITY = "PERSON"

    def spans(self, text, nlp_artifacts):
        """Every run of non-Latin letters at 0.75, except runs made only of :data:`NON_LATIN_ALLOWED`
        words, companies (:func:`legal_form_run`), placed CJK place names (:func:`admin_place_run`) and single
        Greek letters used as symbols.
        """
        for m in _RUN.finditer(text):
            run = m.group()
            if all(word in NON_LATIN_ALLOWED for word in _SEPARATOR.split(run)) or cldr_name(run):
                continue  # a language's own name, or a country, language, script or month as CLDR writes it
            if placed_unknown_run(text, m.start(), m.end()) or ui_text_run(text, m.start(), m.end()):
                continue  # "Meeting in جویبار next June", "Button text: Ακύρωση"
            if legal_form_run(text, m.start(), m.end()):
                continue  # a company: "天益科技有限公司", "ООО Ромашка"
            if admin_place_run(text, m.start(), m.end()):
                continue  # a place: "in 新宿区", "moved to 삼척시"
            if len(run) == 1 and (_GREEK_SYMBOL.match(run) or run == "\u00b5"):
                continue  # α, Σ, μ (as in "μs") and the micro sign (µ, U+00B5, script Common): symbols
            yield m.start(), m.end(), 0.75
