"""Romanisation, ASCII folding and script naming for ``heldout4`` (benchmark data only).

Faker 40.54.0 offers romanised names only for ``ja_JP``, ``zh_CN`` and ``zh_TW``
(``romanized_name()``) and romanised Thai names as the ``en_TH`` locale. For the
other scripts this module transliterates Faker's native names with small tables
written for this set (``unidecode`` is not in the app's virtualenv, and none of these
tables come from the detector): Cyrillic (Russian, Ukrainian, Bulgarian, Macedonian
variants), Greek, Armenian, Georgian, Hangul (Revised Romanisation, with the usual
surname spellings such as Kim, Lee, Park) and Devanagari (Hindi/Marathi/Nepali, final
schwa deletion). Hebrew, Arabic, Persian, Bengali, Thai, Tamil, Gujarati, Sinhala and
Odia names stay native-only: their romanisation needs vowels the script does not write.
"""
from __future__ import annotations

import unicodedata

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "ђ": "dj", "е": "e", "ё": "yo", "є": "ye",
    "ж": "zh", "з": "z", "ѕ": "dz", "и": "i", "і": "i", "ї": "yi", "й": "y", "ј": "j", "к": "k", "л": "l",
    "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "c",
    "ќ": "kj", "ѓ": "gj", "у": "u", "ў": "w", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "џ": "dzh",
    "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "'": "", "’": "",
    "ʼ": "",
}
_CYRILLIC_BY_LANG = {
    "uk": {"г": "h", "и": "y", "х": "kh", "щ": "shch"},
    "bg": {"щ": "sht", "ъ": "a", "ю": "yu", "я": "ya", "х": "h"},
    "mk": {"х": "h", "ц": "c", "ч": "ch", "ж": "zh", "ш": "sh"},
}
_GREEK = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i", "κ": "k",
    "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s", "ς": "s", "τ": "t",
    "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}
_GREEK_DIGRAPHS = {"ου": "ou", "αι": "ai", "ει": "ei", "οι": "oi", "γγ": "ng", "μπ": "mp", "ντ": "nt"}
_ARMENIAN = {
    "ա": "a", "բ": "b", "գ": "g", "դ": "d", "ե": "e", "զ": "z", "է": "e", "ը": "y", "թ": "t", "ժ": "zh",
    "ի": "i", "լ": "l", "խ": "kh", "ծ": "ts", "կ": "k", "հ": "h", "ձ": "dz", "ղ": "gh", "ճ": "ch", "մ": "m",
    "յ": "y", "ն": "n", "շ": "sh", "ո": "o", "չ": "ch", "պ": "p", "ջ": "j", "ռ": "r", "ս": "s", "վ": "v",
    "տ": "t", "ր": "r", "ց": "ts", "ւ": "v", "փ": "p", "ք": "k", "օ": "o", "ֆ": "f", "և": "ev",
}
_GEORGIAN = {
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t", "ი": "i", "კ": "k",
    "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p", "ჟ": "zh", "რ": "r", "ს": "s", "ტ": "t", "უ": "u",
    "ფ": "p", "ქ": "k", "ღ": "gh", "ყ": "q", "შ": "sh", "ჩ": "ch", "ც": "ts", "ძ": "dz", "წ": "ts",
    "ჭ": "ch", "ხ": "kh", "ჯ": "j", "ჰ": "h",
}
_DEVANAGARI_CONSONANTS = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n", "च": "ch", "छ": "chh", "ज": "j", "झ": "jh",
    "ञ": "n", "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n", "त": "t", "थ": "th", "द": "d",
    "ध": "dh", "न": "n", "प": "p", "फ": "ph", "ब": "b", "भ": "bh", "म": "m", "य": "y", "र": "r",
    "ल": "l", "ळ": "l", "व": "v", "श": "sh", "ष": "sh", "स": "s", "ह": "h",
}
_DEVANAGARI_NUKTA = {"क": "q", "ख": "kh", "ग": "gh", "ज": "z", "फ": "f", "ड": "r", "ढ": "rh"}
_DEVANAGARI_VOWELS = {
    "अ": "a", "आ": "a", "इ": "i", "ई": "i", "उ": "u", "ऊ": "u", "ऋ": "ri", "ए": "e", "ऐ": "ai", "ओ": "o",
    "औ": "au", "ऑ": "o",
}
_DEVANAGARI_SIGNS = {
    "ा": "a", "ि": "i", "ी": "i", "ु": "u", "ू": "u", "ृ": "ri", "े": "e", "ै": "ai", "ो": "o", "ौ": "au",
    "ॉ": "o", "ॅ": "e",
}
_VIRAMA, _NUKTA = "्", "़"
_HANGUL_INITIAL = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
_HANGUL_MEDIAL = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we",
                  "wi", "yu", "eu", "ui", "i"]
_HANGUL_FINAL = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p",
                 "t", "t", "ng", "t", "t", "k", "t", "p", "t"]
# How Korean surnames are usually written in Latin letters (passports, business cards).
HANGUL_SURNAMES = {
    "김": "Kim", "이": "Lee", "박": "Park", "최": "Choi", "정": "Jung", "강": "Kang", "조": "Cho", "윤": "Yoon",
    "장": "Jang", "임": "Lim", "한": "Han", "오": "Oh", "서": "Seo", "신": "Shin", "권": "Kwon", "황": "Hwang",
    "안": "Ahn", "송": "Song", "류": "Ryu", "유": "Yoo", "전": "Jeon", "홍": "Hong", "고": "Ko", "문": "Moon",
    "양": "Yang", "손": "Son", "배": "Bae", "백": "Baek", "허": "Heo", "남": "Nam", "심": "Shim", "노": "Noh",
    "하": "Ha", "곽": "Kwak", "성": "Sung", "차": "Cha", "주": "Joo", "우": "Woo", "구": "Koo", "민": "Min",
    "진": "Jin", "지": "Ji", "엄": "Eom", "채": "Chae", "원": "Won", "천": "Chun", "방": "Bang", "공": "Kong",
    "현": "Hyun", "함": "Ham", "변": "Byun", "염": "Yeom", "여": "Yeo", "추": "Choo", "도": "Do", "석": "Seok",
    "선": "Sun", "설": "Seol", "마": "Ma", "길": "Gil", "연": "Yeon", "위": "Wi", "표": "Pyo", "명": "Myung",
    "기": "Ki", "반": "Ban", "왕": "Wang", "금": "Geum", "옥": "Ok", "인": "In", "제": "Je", "모": "Mo",
    "탁": "Tak", "국": "Kook", "나": "Na", "라": "Ra", "어": "Eo", "은": "Eun", "편": "Pyeon", "용": "Yong",
    "남궁": "Namgung", "황보": "Hwangbo", "제갈": "Jegal", "선우": "Sunwoo", "독고": "Dokgo", "사공": "Sagong",
}


def romanize(text: str, *, locale: str) -> str | None:
    """Latin-letter form of a name written in a non-Latin script, or None if this module has no table.

    ``locale`` is the Faker locale the name came from (``ru_RU``, ``el_GR``, ``ko_KR``, ``hi_IN`` ...);
    it picks the language variant of a table. Each word is capitalised. Korean full names must be passed
    as separate given name and surname (see :func:`romanize_korean`); here a Hangul word is read as given name.
    """
    lang = locale.split("_")[0]
    words = []
    for word in text.split(" "):
        script = script_of(word)
        if script == "Cyrillic":
            table = {**_CYRILLIC, **_CYRILLIC_BY_LANG.get(lang, {})}
            out = "".join(table.get(ch.lower(), ch) for ch in word)
        elif script == "Greek":
            out = _greek(word)
        elif script == "Armenian":
            out = _armenian(word)
        elif script == "Georgian":
            out = "".join(_GEORGIAN.get(ch, ch) for ch in word)
        elif script == "Devanagari":
            out = _devanagari(word)
        elif script == "Hangul":
            out = _hangul(word)
        elif script == "Latin":
            out = word
        else:
            return None
        if not out.isascii():
            return None
        words.append(_capitalize(out))
    return " ".join(words)


def romanize_korean(*, given: str, surname: str) -> tuple[str, str]:
    """(given, surname) in Latin letters: given name hyphenated by syllable ("Jeong-hun"), surname as usual."""
    syllables = [_hangul(ch) for ch in given]
    roman_given = "-".join(syllables) if len(syllables) == 2 else "".join(syllables)
    return _capitalize(roman_given), HANGUL_SURNAMES.get(surname) or _capitalize(_hangul(surname))


def korean_split(name: str) -> tuple[str, str]:
    """(surname, given) of a Hangul full name written without a space (Faker's ``ko_KR`` ``name()``)."""
    surname = name[:2] if name[:2] in HANGUL_SURNAMES and len(name) > 3 else name[:1]
    return surname, name[len(surname):]


def ascii_fold(text: str) -> str:
    """ASCII form of a Latin-script name, as e-mail systems and old HR exports write it ("Müller" -> "Muller")."""
    special = {"ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "æ": "ae",
               "Æ": "Ae", "œ": "oe", "Œ": "Oe", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "ŋ": "ng"}
    text = "".join(special.get(ch, ch) for ch in text)
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def script_of(text: str) -> str:
    """The Unicode script most of ``text``'s letters belong to: "Latin", "Han", "Hiragana", "Cyrillic" ...

    Read from each letter's Unicode character name (``unicodedata.name``), so "CJK UNIFIED IDEOGRAPH-..."
    is "Han"; marks (e.g. Devanagari vowel signs) count for their script; ties go to the first seen.
    """
    counts: dict[str, int] = {}
    for ch in text:
        if unicodedata.category(ch)[0] not in "LM":
            continue
        first = unicodedata.name(ch, "UNKNOWN").split(" ")[0]
        script = {"CJK": "Han", "KATAKANA-HIRAGANA": "Katakana", "HALFWIDTH": "Katakana"}.get(first, first.title())
        counts[script] = counts.get(script, 0) + 1
    return max(counts, key=counts.get) if counts else "-"


def _capitalize(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


def _greek(word: str) -> str:
    plain = "".join(ch for ch in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(ch))
    out, i = [], 0
    while i < len(plain):
        if plain[i:i + 2] in _GREEK_DIGRAPHS:
            out.append(_GREEK_DIGRAPHS[plain[i:i + 2]])
            i += 2
            continue
        out.append(_GREEK.get(plain[i], plain[i]))
        i += 1
    return "".join(out)


def _armenian(word: str) -> str:
    plain = word.lower().replace("ու", "u")
    return "".join(_ARMENIAN.get(ch, ch) for ch in plain)


def _devanagari(word: str) -> str:
    """Hindi-style romanisation: inherent vowels written, then dropped word-finally and in the
    V C _ C V position (schwa deletion: "देशमुख" -> "deshmukh", "मजूमदार" -> "majumdar")."""
    units: list[list] = []  # [consonant letters, vowel letters or None (virama), inherent?, tail]
    chars = [ch for ch in word if ch != "\u200d"]
    for i, ch in enumerate(chars):
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if ch in _DEVANAGARI_CONSONANTS:
            cons = _DEVANAGARI_NUKTA[ch] if nxt == _NUKTA and ch in _DEVANAGARI_NUKTA else _DEVANAGARI_CONSONANTS[ch]
            units.append([cons, "a", True, ""])
        elif ch in _DEVANAGARI_SIGNS and units:
            units[-1][1:3] = [_DEVANAGARI_SIGNS[ch], False]
        elif ch == _VIRAMA and units:
            units[-1][1:3] = [None, False]
        elif ch in _DEVANAGARI_VOWELS:
            units.append(["", _DEVANAGARI_VOWELS[ch], False, ""])
        elif ch in "ंँः" and units:
            units[-1][3] += "h" if ch == "ः" else "n"
        elif ch != _NUKTA:
            units.append([ch, "", False, ""])
    deleted_prev = False
    for i in range(1, len(units) - 1):
        prev, unit, nxt = units[i - 1], units[i], units[i + 1]
        nxt_keeps_vowel = nxt[1] and not (i + 1 == len(units) - 1 and nxt[2])  # a final inherent "a" goes too
        if unit[2] and not unit[3] and prev[1] and nxt[0] and nxt_keeps_vowel and not deleted_prev:
            unit[1:3], deleted_prev = [None, False], True
        else:
            deleted_prev = False
    if len(units) > 1 and units[-1][2] and not units[-1][3] and units[-2][1]:  # "मित्र" keeps it: mitra
        units[-1][1] = None
    return "".join(cons + (vowel or "") + tail for cons, vowel, _, tail in units)


def _hangul(word: str) -> str:
    out = []
    for ch in word:
        code = ord(ch) - 0xAC00
        if not 0 <= code < 11172:
            out.append(ch)
            continue
        out.append(_HANGUL_INITIAL[code // 588] + _HANGUL_MEDIAL[(code % 588) // 28] + _HANGUL_FINAL[code % 28])
    return "".join(out)
