"""People and structured values for ``heldout6`` (long documents), written from scratch for it.

Names come only from the pinned test-data libraries, installed beside the app (never in it):
``mimesis==22.2.0`` (:mod:`benchmarks.pii.heldout5_mimesis`) for the locales it has, in its own
codes (``de``, ``ar-eg``, ``ko``...), and ``Faker==40.54.0`` (:mod:`benchmarks.pii.heldout4_faker`)
for scripts mimesis lacks and for romanised Japanese / Chinese names, in Faker codes (``th_TH``,
``ja_JP``...). Romanisation (Cyrillic, Greek, Hangul, ASCII folding of Latin) and every structured
value (phones, SSNs, cards, IBANs, IPs, e-mails) are made here by hand from their public specs.
:func:`draw_person` turns a locale's name parts into a :class:`Person` named in one seeded form
(:class:`Rejected` when the parts cannot take it).
"""
from __future__ import annotations

import ipaddress
import random
import unicodedata
from collections import Counter

MIMESIS_LOCALES = ["en", "en-gb", "de", "fr", "es", "es-mx", "pt-br", "it", "nl", "pl", "cs", "sk", "hu", "tr",
                   "sv", "fi", "da", "no", "is", "et", "hr", "az", "ru", "uk", "kk", "el", "ar-eg", "ar-sa",
                   "ar-ma", "fa", "zh", "ja", "ko"]
FAKER_LOCALES = ["th_TH", "he_IL", "hi_IN", "ne_NP", "bn_BD", "ta_IN", "si_LK", "ka_GE", "hy_AM", "vi_VN"]
ROMAN_ONLY = ["ja_JP", "zh_CN"]            # Faker's romanised Japanese / Chinese names
LATIN = ["en", "en-gb", "de", "fr", "es", "es-mx", "pt-br", "it", "nl", "pl", "cs", "sk", "hu", "tr", "sv", "fi",
         "da", "no", "is", "et", "hr", "az", "vi_VN"]
GROUPS = {"Cyrillic": ["ru", "uk", "kk"], "Greek": ["el"], "Arabic": ["ar-eg", "ar-sa", "ar-ma", "fa"],
          "Han": ["zh"], "Japanese": ["ja"], "Hangul": ["ko"], "Thai": ["th_TH"], "Hebrew": ["he_IL"],
          "Devanagari": ["hi_IN", "ne_NP"], "Bengali": ["bn_BD"], "Tamil": ["ta_IN"], "Sinhala": ["si_LK"],
          "Georgian": ["ka_GE"], "Armenian": ["hy_AM"], "romanised": ROMAN_ONLY}
FAMILY_FIRST = {"zh", "ja", "ko", "hu", "vi_VN"}
NO_SPACE = {"zh", "ko"}
LATIN_SHARE = 0.42


def locale_weights() -> tuple[list[str], list[float]]:
    locs, weights = list(LATIN), [LATIN_SHARE / len(LATIN)] * len(LATIN)
    for members in GROUPS.values():
        for loc in members:
            locs.append(loc)
            weights.append((1 - LATIN_SHARE) / len(GROUPS) / len(members))
    return locs, weights


def script_of(value: str) -> str:
    """The Unicode script of most letters (first word of the character name; CJK -> Han)."""
    names = Counter()
    for ch in value:
        if unicodedata.category(ch)[0] in "LM":
            word = unicodedata.name(ch, "UNKNOWN X").split()[0]
            names[{"CJK": "Han"}.get(word, word.title())] += 1
    return names.most_common(1)[0][0] if names else "-"


def ascii_fold(value: str) -> str:
    special = {"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th",
               "ł": "l", "Ł": "L", "ı": "i", "ə": "a", "Ə": "A", "đ": "d", "Đ": "D"}
    value = "".join(special.get(c, c) for c in value)
    return "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))


_CYR = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґәғқңөұүһ",
                ["a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
                 "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "yi", "ye", "g",
                 "a", "gh", "q", "ng", "o", "u", "u", "h"]))
_GRK = dict(zip("αάβγδεέζηήθιίϊΐκλμνξοόπρσςτυύϋΰφχψωώ",
                ["a", "a", "v", "g", "d", "e", "e", "z", "i", "i", "th", "i", "i", "i", "i", "k", "l", "m", "n", "x",
                 "o", "o", "p", "r", "s", "s", "t", "y", "y", "y", "y", "f", "ch", "ps", "o", "o"]))
_L = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
_V = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu",
      "eu", "ui", "i"]
_T = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
      "ng", "t", "t", "k", "t", "p", "t"]
_KO_FAMILY = {"김": "Kim", "이": "Lee", "박": "Park", "최": "Choi", "정": "Jung", "강": "Kang", "조": "Cho",
              "윤": "Yoon", "장": "Jang", "임": "Lim", "한": "Han", "오": "Oh", "서": "Seo", "신": "Shin",
              "권": "Kwon", "황": "Hwang", "안": "Ahn", "송": "Song", "류": "Ryu", "유": "Yoo", "홍": "Hong",
              "전": "Jeon", "고": "Ko", "문": "Moon", "양": "Yang", "손": "Son", "배": "Bae", "백": "Baek",
              "허": "Heo", "노": "Noh", "남": "Nam", "심": "Shim", "하": "Ha", "곽": "Kwak", "성": "Sung"}


def _hangul(word: str) -> str:
    out = []
    for ch in word:
        code = ord(ch) - 0xAC00
        if not 0 <= code < 11172:
            return ""
        lead, vowel, tail = code // 588, (code % 588) // 28, code % 28
        out.append(_L[lead] + _V[vowel] + _T[tail])
    return "".join(out)


def romanise(word: str, locale: str, *, family: bool = False) -> str:
    """A Latin spelling of one name part, or "" when this script is not romanised here."""
    script = script_of(word)
    if script == "Latin":
        folded = ascii_fold(word)
        return folded if folded != word else ""
    if script == "Cyrillic":
        table = _CYR
    elif script == "Greek":
        table = _GRK
    elif script == "Hangul":
        if family and word in _KO_FAMILY:
            return _KO_FAMILY[word]
        text = _hangul(word)
        return text[:1].upper() + text[1:] if text else ""
    else:
        return ""
    if script == "Greek":   # ELOT 743 digraphs before single letters
        for pair, latin in (("ου", "ou"), ("ού", "ou"), ("αυ", "av"), ("αύ", "av"), ("ευ", "ev"), ("εύ", "ev"),
                            ("γγ", "ng"), ("γκ", "gk"), ("μπ", "mp"), ("ντ", "nt")):
            word = word.replace(pair, latin).replace(pair[0].upper() + pair[1:], latin.title())
    out = []
    for ch in word:
        low = ch.lower()
        if script == "Greek" and low.isascii():
            out.append(ch)
            continue
        if low in table:
            piece = table[low]
            out.append(piece[:1].upper() + piece[1:] if ch != low else piece)
        elif ch in " -'":
            out.append(ch)
        else:
            return ""
    return "".join(out)


class People:
    """Name parts of one person of a locale, drawn from the pinned libraries, reseeded from ``rng``."""

    def __init__(self, mimesis, faker_cls):
        self.mimesis, self.faker_cls = mimesis, faker_cls
        self._mim, self._fak = {}, {}

    def _m(self, locale):
        if locale not in self._mim:
            self._mim[locale] = self.mimesis.Person(self.mimesis.Locale(locale), seed=0)
        return self._mim[locale]

    def _f(self, locale):
        if locale not in self._fak:
            self._fak[locale] = self.faker_cls(locale)
        return self._fak[locale]

    def parts(self, locale: str, rng: random.Random) -> dict:
        female = rng.random() < 0.5
        seed = rng.getrandbits(32)
        if locale in ROMAN_ONLY:
            fk = self._f(locale)
            fk.seed_instance(seed)
            given, family, middle = fk.first_romanized_name(), fk.last_romanized_name(), ""
        elif locale in FAKER_LOCALES:
            fk = self._f(locale)
            fk.seed_instance(seed)
            given = fk.first_name_female() if female else fk.first_name_male()
            family = fk.last_name_female() if female and hasattr(fk, "last_name_female") else fk.last_name()
            middle = fk.first_name_male()
        else:
            from mimesis.enums import Gender
            person = self._m(locale)
            person.reseed(seed)
            gender = Gender.FEMALE if female else Gender.MALE
            given, family = person.first_name(gender=gender), person.last_name(gender=gender)
            middle = person.first_name(gender=Gender.MALE)
        for part in (given, family):
            if not part or any(not (c.isalpha() or unicodedata.category(c)[0] == "M" or c in " -'") for c in part):
                return {}
        if given == family or len(given.split()) > 2 or len(family.split()) > 2:
            return {}
        return {"locale": locale, "given": given, "family": family, "middle": middle, "female": female}



# -- one person, named one way ------------------------------------------------------------------------
class Rejected(Exception):
    """This draw breaks an invariant; try the next attempt."""


class Person:
    """One drawn person: locale, name parts, ``mode`` (``native`` / ``roman`` spelling), the full
    name as first written and its ``form``; ``given`` / ``family`` are spelled in ``mode``."""

    def __init__(self, locale, parts, mode, full, form):
        self.locale, self.parts, self.mode, self.full, self.form = locale, parts, mode, full, form
        if mode == "roman" and locale not in ROMAN_ONLY:
            self.given, self.family = parts["rgiven"], parts["rfamily"]
        else:
            self.given, self.family = parts["given"], parts["family"]


def native_full(locale: str, g: str, f: str, rng: random.Random) -> str:
    """The full name in the locale's own order: family first (no space for zh / ko, either way for ja)
    for the family-first locales, else given first."""
    if locale in FAMILY_FIRST:
        sep = "" if locale in NO_SPACE else rng.choice(["", " "]) if locale == "ja" else " "
        return f"{f}{sep}{g}"
    return f"{g} {f}"


def draw_person(people: People, locale: str, rng: random.Random, *, listed: bool = False) -> Person:
    """A person of ``locale`` with a seeded full-name form (native, roman, middle initial, family
    first, hyphenated; fewer forms when ``listed`` in an attendee line). Raises :class:`Rejected`
    when the drawn name cannot take the form."""
    parts = people.parts(locale, rng)
    if not parts:
        raise Rejected("bad name")
    g, f = parts["given"], parts["family"]
    script = script_of(g + f)
    latin = script == "Latin"
    if locale in ROMAN_ONLY:
        parts["rgiven"], parts["rfamily"] = g, f
        pool = {"roman": 5, "family_first": 3} if not listed else {"roman": 1}
    else:
        rg, rf = romanise(g, locale), romanise(f, locale, family=True)
        if latin:   # an ASCII-folded spelling only when a part had diacritics
            rg, rf = (rg or g), (rf or f)
        parts["rgiven"], parts["rfamily"] = rg, rf
        can_roman = bool(rg and rf) and f"{rg} {rf}" != f"{g} {f}"
        spelled = latin or script in ("Cyrillic", "Greek")
        pool = {"native": 6, "roman": 3 if can_roman else 0, "middle": 1.4 if spelled else 0,
                "family_first": 1.3 if (latin or can_roman) else 0,
                "hyphenated": 1.2 if latin and locale not in FAKER_LOCALES and " " not in f and not listed else 0}
        if listed:
            pool["hyphenated"] = pool["family_first"] = 0
    names, weights = zip(*[(k, w) for k, w in pool.items() if w > 0])
    form = rng.choices(names, weights=weights)[0]
    mode = "roman" if form == "roman" or locale in ROMAN_ONLY or (form == "family_first" and not latin) else "native"
    rg, rf = parts["rgiven"], parts["rfamily"]
    if form == "native":
        full = native_full(locale, g, f, rng)
    elif form == "roman":
        full = f"{rf} {rg}" if locale == "ko" and rng.random() < 0.5 else f"{rg} {rf}"
    elif form == "middle":
        mid = parts["middle"]
        if not mid or not mid[0].isalpha() or script_of(mid) != script:
            raise Rejected("middle")
        full = f"{g} {mid[0].upper()}. {f}"
    elif form == "family_first":
        gg, ff = (g, f) if mode == "native" else (rg, rf)
        full = f"{ff.upper()} {gg}" if rng.random() < 0.5 else f"{ff}, {gg}"
    else:   # hyphenated
        other = people.parts(locale, rng).get("family", "")
        if not other or other == f or " " in other or script_of(other) != "Latin":
            raise Rejected("hyphen")
        full = f"{g} {f}-{other}"
    return Person(locale, parts, mode, full, form)


# -- structured values ------------------------------------------------------------------------------
def luhn_digit(body: str) -> str:
    total = 0
    for i, c in enumerate(reversed(body)):
        n = int(c) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


def card(rng: random.Random) -> str:
    prefix, length = rng.choice([("4", 16), ("4", 16), ("51", 16), ("53", 16), ("55", 16), ("2221", 16),
                                 ("2720", 16), ("34", 15), ("37", 15), ("6011", 16), ("3528", 16), ("36", 14)])
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    number = body + luhn_digit(body)
    style = rng.random()
    if length == 15 and style < 0.6:
        return f"{number[:4]} {number[4:10]} {number[10:]}"
    if length == 16 and style < 0.45:
        return " ".join(number[i:i + 4] for i in range(0, 16, 4))
    if length == 16 and style < 0.65:
        return "-".join(number[i:i + 4] for i in range(0, 16, 4))
    return number


def ssn(rng: random.Random) -> str:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    group, serial = rng.randint(1, 99), rng.randint(1, 9999)
    sep = "-" if rng.random() < 0.8 else " "
    return f"{area:03d}{sep}{group:02d}{sep}{serial:04d}"


# country: BBAN pattern (n digit, a capital letter, c either)
IBAN_BBAN = {"DE": "n" * 18, "FR": "n" * 10 + "c" * 11 + "nn", "ES": "n" * 20, "IT": "a" + "n" * 10 + "c" * 12,
             "NL": "aaaa" + "n" * 10, "GB": "aaaa" + "n" * 14, "PL": "n" * 24, "AT": "n" * 16, "BE": "n" * 12,
             "CH": "n" * 5 + "c" * 12, "SE": "n" * 20, "DK": "n" * 14, "FI": "n" * 14, "NO": "n" * 11,
             "CZ": "n" * 20, "HU": "n" * 24, "PT": "n" * 21, "TR": "n" * 5 + "0" + "c" * 16, "GR": "n" * 7 + "c" * 16,
             "HR": "n" * 17, "EE": "n" * 16, "IS": "n" * 22, "SA": "nn" + "c" * 18, "AE": "n" * 19, "IL": "n" * 19,
             "GE": "aa" + "n" * 16, "AZ": "aaaa" + "c" * 20, "KZ": "nnn" + "c" * 13, "UA": "n" * 6 + "c" * 19,
             "EG": "n" * 25, "BR": "n" * 23 + "a" + "c"}
IBAN_OF_LOCALE = {"de": "DE", "fr": "FR", "es": "ES", "it": "IT", "nl": "NL", "en-gb": "GB", "pl": "PL", "cs": "CZ",
                  "hu": "HU", "tr": "TR", "el": "GR", "hr": "HR", "et": "EE", "is": "IS", "sv": "SE", "da": "DK",
                  "fi": "FI", "no": "NO", "ar-sa": "SA", "he_IL": "IL", "ka_GE": "GE", "az": "AZ", "kk": "KZ",
                  "uk": "UA", "ar-eg": "EG", "pt-br": "BR"}
_UP = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def iban(rng: random.Random, country: str | None = None) -> str:
    country = country or rng.choice(sorted(IBAN_BBAN))
    bban = "".join(str(rng.randint(0, 9)) if p == "n" else rng.choice(_UP) if p == "a" else
                   rng.choice(_UP + "0123456789") if p == "c" else p for p in IBAN_BBAN[country])
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    full = f"{country}{98 - int(digits) % 97:02d}{bban}"
    if rng.random() < 0.6:
        return " ".join(full[i:i + 4] for i in range(0, len(full), 4))
    return full


def ip(rng: random.Random, version: int) -> str:
    if version == 4:
        while True:
            addr = ipaddress.IPv4Address(rng.getrandbits(32))
            if addr.is_global and not addr.is_multicast:
                return str(addr)
    while True:
        addr = ipaddress.IPv6Address((rng.choice([0x2001, 0x2a02, 0x2a01, 0x2600, 0x2406, 0x2c0f, 0x2804]) << 112)
                                     | (rng.getrandbits(48) << 64) | (0 if rng.random() < 0.4 else rng.getrandbits(64)))
        if addr.is_global:
            return str(addr)


# locale -> (calling code, trunk, [area codes], subscriber digits, group pattern)
PHONE_PLAN = {
    "en": ("1", "", ["212", "415", "312", "617", "206", "512", "303"], 7, None),
    "en-gb": ("44", "0", ["20", "161", "131", "113", "117"], 8, (4, 4)),
    "de": ("49", "0", ["30", "40", "89", "221", "69", "711"], 8, (4, 4)), "fr": ("33", "0", ["1", "4", "6"], 8, (2, 2, 2, 2)),
    "es": ("34", "", ["91", "93", "96"], 7, (3, 2, 2)), "it": ("39", "0", ["2", "6", "55"], 8, (4, 4)),
    "nl": ("31", "0", ["20", "10", "30"], 7, (3, 4)), "pl": ("48", "", ["22", "12", "61"], 7, (3, 2, 2)),
    "tr": ("90", "0", ["212", "312", "232"], 7, (3, 2, 2)), "ru": ("7", "8", ["495", "812", "343"], 7, (3, 2, 2)),
    "uk": ("380", "0", ["44", "32", "56"], 7, (3, 2, 2)), "el": ("30", "", ["210", "2310"], 6, (3, 3)),
    "ja": ("81", "0", ["3", "6", "52"], 8, (4, 4)), "zh": ("86", "0", ["10", "21", "755"], 8, (4, 4)),
    "ko": ("82", "0", ["2", "51", "31"], 8, (4, 4)), "ar-eg": ("20", "0", ["2", "3"], 8, (4, 4)),
    "ar-sa": ("966", "0", ["11", "12"], 7, (3, 4)), "he_IL": ("972", "0", ["3", "2", "4"], 7, (3, 4)),
    "hi_IN": ("91", "0", ["11", "22", "80"], 8, (4, 4)), "th_TH": ("66", "0", ["2"], 7, (3, 4)),
    "pt-br": ("55", "0", ["11", "21", "31"], 8, (4, 4)), "sv": ("46", "0", ["8", "31"], 7, (3, 2, 2)),
    "vi_VN": ("84", "0", ["24", "28"], 8, (4, 4)), "ka_GE": ("995", "0", ["32"], 7, (3, 2, 2)),
}
PHONE_OF = {"es-mx": "es", "hu": "de", "cs": "pl", "sk": "pl", "fi": "sv", "da": "sv", "no": "sv", "is": "sv",
            "et": "sv", "hr": "it", "az": "tr", "kk": "ru", "ar-ma": "ar-eg", "fa": "tr", "ne_NP": "hi_IN",
            "bn_BD": "hi_IN", "ta_IN": "hi_IN", "si_LK": "hi_IN", "hy_AM": "ka_GE", "ja_JP": "ja", "zh_CN": "zh"}


def phone(rng: random.Random, locale: str) -> str:
    plan = PHONE_PLAN.get(locale) or PHONE_PLAN[PHONE_OF.get(locale, "en")]
    cc, trunk, areas, length, groups = plan
    area = rng.choice(areas)
    sub = str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(length - 1))
    intl = rng.random() < 0.5
    if cc == "1":
        if intl:
            return rng.choice([f"+1 {area} {sub[:3]} {sub[3:]}", f"+1-{area}-{sub[:3]}-{sub[3:]}"])
        return rng.choice([f"({area}) {sub[:3]}-{sub[3:]}", f"{area}-{sub[:3]}-{sub[3:]}", f"{area}.{sub[:3]}.{sub[3:]}"])
    chunks, i = [], 0
    for g in groups:
        chunks.append(sub[i:i + g])
        i += g
    if intl:
        return rng.choice([f"+{cc} {area} {' '.join(chunks)}", f"+{cc} ({area}) {' '.join(chunks)}",
                           f"00{cc} {area} {''.join(chunks)}"])
    if cc == "7":
        return f"8 ({area}) {chunks[0]}-{chunks[1]}-{chunks[2]}"
    sep = rng.choice([" ", "-"]) if cc not in ("81", "82") else "-"
    return f"{trunk}{area}{sep}{sep.join(chunks)}" if rng.random() < 0.5 else f"{trunk}{area} {' '.join(chunks)}"


DOMAINS = ["kestrelfreight.com", "halvorsen-marine.no", "bluequarry.io", "veldt-analytics.co.za", "mistralsoft.fr",
           "ostwind-logistik.de", "tamarind-health.in", "kaimana.jp", "seongsu-labs.kr", "cedar-and-pine.co.uk",
           "aurum-capital.ae", "polaris-retail.pl", "baltic-ferro.ee", "andes-mining.cl", "lumen-works.com.br",
           "gmail.com", "outlook.com", "yahoo.co.jp", "proton.me", "naver.com", "mail.ru", "qq.com", "web.de"]


def email(rng: random.Random, parts: dict | None) -> str:
    given = family = ""
    if parts:
        given = ascii_fold(parts.get("rgiven") or parts["given"]).lower().replace(" ", "").replace("'", "")
        family = ascii_fold(parts.get("rfamily") or parts["family"]).lower().replace(" ", "").replace("'", "")
    if not (given.isascii() and family.isascii() and given.isalpha() and family.replace("-", "").isalpha()):
        given = rng.choice(["ops", "hr", "travel", "support", "billing"]) if parts is None else \
            "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 6)))
        family = str(rng.randint(10, 9999))
    local = rng.choice([f"{given}.{family}", f"{given[0]}{family}", f"{given}_{family}", f"{family}.{given[0]}",
                        f"{given}{rng.randint(1, 99)}"])
    return f"{local}@{rng.choice(DOMAINS)}"
