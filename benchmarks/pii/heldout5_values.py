"""Names and values for ``heldout5``: people from mimesis (Faker only where mimesis has no locale).

Every draw takes a ``random.Random`` made for one record, and reseeds the library generator it
uses from it, so a record depends only on (set seed, index, attempt) and the library versions.

People: mimesis 22.2.0 in its own locale codes (``ru``, ``ja``, ``ar-eg``, ...); for scripts it
lacks, the pinned Faker 40.54.0 in Faker codes (``th_TH``, ``he_IL``, ...): an underscore in a
``locale`` label therefore means the name came from Faker. Faker's ``ja_JP`` / ``zh_CN``
romanised names are used for romanised Japanese and Chinese (mimesis has no romanisation);
Cyrillic, Greek and Hangul are romanised here by table, Latin names are ASCII-folded.
Phones: this module's own national and international formats per country, or mimesis' own
``telephone()`` for the other locales. Cards: mimesis (Luhn-valid) in varied groupings. IBANs,
SSNs and IPv6 compressions are made here from their specs.
"""
from __future__ import annotations

import random
import unicodedata
from collections import Counter

# -- which library speaks for which locale ---------------------------------------------------
MIMESIS_PEOPLE = [
    "en", "en-gb", "en-au", "de", "de-at", "de-ch", "fr", "es", "es-mx", "pt", "pt-br", "it", "nl",
    "nl-be", "pl", "cs", "sk", "hu", "hr", "tr", "az", "sv", "no", "da", "fi", "is", "et",
    "el", "ru", "uk", "kk", "ar-eg", "ar-sa", "ar-ma", "ar-ae", "fa", "zh", "ja", "ko",
]
FAKER_PEOPLE = ["th_TH", "he_IL", "hi_IN", "ne_NP", "bn_BD", "ta_IN", "vi_VN", "ka_GE", "hy_AM", "si_LK"]
FAKER_ROMAN = ["ja_JP", "zh_CN"]          # romanised Japanese / Chinese (mimesis cannot romanise)
ALL_PEOPLE = MIMESIS_PEOPLE + FAKER_PEOPLE + FAKER_ROMAN
LATIN_LOCALES = set(MIMESIS_PEOPLE[:MIMESIS_PEOPLE.index("el")]) | {"vi_VN"}

FAMILY_FIRST_NATIVE = {"zh", "ja", "ko", "hu", "vi_VN"}
NO_SPACE_NATIVE = {"zh", "ko"}

# -- scripts ---------------------------------------------------------------------------------


def script_of(value: str) -> str:
    """The Unicode script of most of the letters of ``value`` (first word of the character name)."""
    names: Counter = Counter()
    for ch in value:
        if unicodedata.category(ch)[0] in "LM":
            word = unicodedata.name(ch).split()[0]
            names[{"CJK": "Han"}.get(word, word.title())] += 1
    return names.most_common(1)[0][0]


# -- romanisation ----------------------------------------------------------------------------
_CYR = dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziyklmnoprstufye"))
_CYR.update({"ё": "yo", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ь": "",
             "ю": "yu", "я": "ya"})
_UK = dict(_CYR, **{"г": "h", "ґ": "g", "и": "y", "і": "i", "ї": "yi", "є": "ye", "х": "kh", "й": "i"})
_KK = dict(_CYR, **{"ә": "a", "ғ": "g", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i"})
_GREEK_PAIRS = {"ου": "ou", "αι": "ai", "ει": "ei", "οι": "oi", "ντ": "nt", "γγ": "ng", "μπ": "mp"}
_GREEK = dict(zip("αβγδεζηικλμνξοπρσςτυφω", "avgdeziiklmnxoprsstyfo"))
_GREEK.update({"θ": "th", "χ": "ch", "ψ": "ps"})
_L = "g kk n d tt r m b pp s ss - j jj ch k t p h".split()
_V = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()
_T = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
      "ng", "t", "t", "k", "t", "p", "t"]
_KO_SURNAMES = {"김": "Kim", "이": "Lee", "박": "Park", "최": "Choi", "정": "Jung", "조": "Cho", "강": "Kang",
                "윤": "Yoon", "장": "Jang", "임": "Lim", "한": "Han", "오": "Oh", "서": "Seo", "신": "Shin",
                "권": "Kwon", "황": "Hwang", "안": "Ahn", "송": "Song", "류": "Ryu", "유": "Yoo", "홍": "Hong",
                "전": "Jeon", "고": "Ko", "문": "Moon", "양": "Yang", "손": "Son", "배": "Bae", "백": "Baek",
                "허": "Heo", "남": "Nam", "노": "Noh", "심": "Shim", "하": "Ha", "곽": "Kwak", "성": "Sung",
                "차": "Cha", "주": "Joo", "우": "Woo", "구": "Koo", "민": "Min", "진": "Jin", "나": "Na"}
_FOLD = {"ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ə": "e", "Ə": "E",
         "æ": "ae", "Æ": "AE", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "œ": "oe"}


def ascii_fold(text: str) -> str:
    text = "".join(_FOLD.get(c, c) for c in text)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _table(word: str, table: dict, pairs: dict | None = None) -> str:
    low = "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))
    out, i = [], 0
    while i < len(low):
        if pairs and low[i:i + 2] in pairs:
            out.append(pairs[low[i:i + 2]])
            i += 2
            continue
        out.append(table.get(low[i], low[i]))
        i += 1
    roman = "".join(out)
    return "-".join(part[:1].upper() + part[1:] for part in roman.split("-"))


def _hangul(word: str, hyphen: bool) -> str:
    sylls = []
    for ch in word:
        idx = ord(ch) - 0xAC00
        if not 0 <= idx < 11172:
            sylls.append(ch)
            continue
        lead = _L[idx // 588]
        sylls.append(("" if lead == "-" else lead) + _V[(idx % 588) // 28] + _T[idx % 28])
    roman = ("-" if hyphen else "").join(sylls)
    return roman[:1].upper() + roman[1:]


def romanise(word: str, locale: str, rng: random.Random, *, family: bool = False) -> str | None:
    if locale == "ru":
        return _table(word, _CYR)
    if locale == "uk":
        return _table(word, _UK)
    if locale == "kk":
        return _table(word, _KK)
    if locale == "el":
        return _table(word, _GREEK, _GREEK_PAIRS)
    if locale == "ko":
        if family and word in _KO_SURNAMES:
            return _KO_SURNAMES[word]
        return _hangul(word, hyphen=not family and len(word) > 1 and rng.random() < 0.5)
    if script_of(word) == "Latin":
        return ascii_fold(word)
    return None


# -- honorifics (outside the span) -----------------------------------------------------------
TITLES_EN = ["Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "Mx.", "Dr", "Mr", "Ms"]
TITLES_LOCAL = {"de": ["Herr", "Frau", "Dr."], "de-at": ["Herr", "Frau", "Mag."], "de-ch": ["Herr", "Frau"],
                "fr": ["M.", "Mme", "Madame", "Monsieur"], "es": ["Sr.", "Sra.", "Don", "Doña"],
                "es-mx": ["Lic.", "Sr.", "Sra.", "Ing."], "pt-br": ["Sr.", "Sra."], "pt": ["Sr.", "Sra.", "Eng."],
                "it": ["Sig.", "Sig.ra", "Dott.", "Ing."], "pl": ["Pan", "Pani"], "nl": ["Dhr.", "Mevr."],
                "nl-be": ["Dhr.", "Mevr."], "cs": ["pan", "paní", "Ing."], "sk": ["Ing.", "pán"],
                "sv": ["Herr"], "tr": ["Bay", "Bayan"]}
SUFFIX_TITLES = {"ja": ["さん", "様", "さん"], "ja_JP": ["-san", "-sensei", "-san", " san"]}

# -- phones ----------------------------------------------------------------------------------
# N any digit, Z a non-zero digit; international and national forms of each country.
PHONE_FORMATS = {
    "en": ["(ZNN) ZNN-NNNN", "ZNN-ZNN-NNNN", "+1 ZNN ZNN NNNN", "+1-ZNN-ZNN-NNNN", "ZNN.ZNN.NNNN", "1 (ZNN) ZNN-NNNN"],
    "en-gb": ["07NNN NNNNNN", "+44 7NNN NNNNNN", "020 NNNN NNNN", "+44 (0)20 NNNN NNNN", "0161 NNN NNNN"],
    "en-au": ["04NN NNN NNN", "+61 4NN NNN NNN", "(02) NNNN NNNN", "+61 2 NNNN NNNN"],
    "de": ["0151 NNNNNNNN", "+49 151 NNNNNNNN", "030 NNNNNNN", "+49 (0)30 NNNNNNN", "0171/NNNNNNN", "+49-89-NNNNNNN"],
    "de-at": ["0664 NNNNNNN", "+43 664 NNNNNNN", "+43 1 NNN NN NN"],
    "de-ch": ["079 NNN NN NN", "+41 79 NNN NN NN", "044 NNN NN NN"],
    "fr": ["06 NN NN NN NN", "+33 6 NN NN NN NN", "01.NN.NN.NN.NN", "+33 (0)1 NN NN NN NN", "07NNNNNNNN"],
    "es": ["6NN NNN NNN", "+34 6NN NN NN NN", "91 NNN NN NN", "+34 91 NNN NNNN"],
    "es-mx": ["55 NNNN NNNN", "+52 55 NNNN NNNN", "+52 1 33 NNNN NNNN", "(81) NNNN-NNNN"],
    "pt": ["91N NNN NNN", "+351 91N NNN NNN", "21N NNN NNN"],
    "pt-br": ["(11) 9NNNN-NNNN", "+55 11 9NNNN-NNNN", "(21) NNNN-NNNN", "+55 (31) 9NNNN NNNN"],
    "it": ["3NN NNN NNNN", "+39 3NN NNNNNNN", "06 NNNN NNNN", "+39 02 NNNN NNNN"],
    "nl": ["06-NNNNNNNN", "+31 6 NNNNNNNN", "020-NNN NNNN", "+31 (0)20 NNN NNNN"],
    "pl": ["5NN NNN NNN", "+48 5NN NNN NNN", "+48 22 NNN NN NN", "5NN-NNN-NNN"],
    "sv": ["07N-NNN NN NN", "+46 7N NNN NN NN", "08-NNN NNN NN"],
    "ru": ["8 (9NN) NNN-NN-NN", "+7 9NN NNN-NN-NN", "+7 (495) NNN-NN-NN", "89NNNNNNNNN"],
    "uk": ["067 NNN NN NN", "+380 67 NNN NN NN", "+380 (44) NNN-NN-NN", "050-NNN-NN-NN"],
    "kk": ["8 (7NN) NNN NN NN", "+7 7NN NNN NNNN", "+7 (727) NNN-NN-NN"],
    "el": ["69N NNN NNNN", "+30 69N NNN NNNN", "21N NNN NNNN", "+30 210 NNN NNNN"],
    "tr": ["05NN NNN NN NN", "+90 5NN NNN NN NN", "0 (212) NNN NN NN", "+90 (312) NNN NN NN"],
    "ar-eg": ["01N NNNN NNNN", "+20 1N NNNN NNNN", "+20 2 NNNN NNNN"],
    "ar-sa": ["05N NNN NNNN", "+966 5N NNN NNNN", "+966-11-NNN-NNNN"],
    "ar-ae": ["05N NNN NNNN", "+971 5N NNN NNNN", "+971 4 NNN NNNN"],
    "ar-ma": ["06NN-NNNNNN", "+212 6NN-NNNNNN", "+212 5 22 NN NN NN"],
    "fa": ["09NN NNN NNNN", "+98 9NN NNN NNNN", "021-NNNN-NNNN"],
    "zh": ["13N NNNN NNNN", "+86 13N NNNN NNNN", "(010) NNNN NNNN", "+86-10-NNNN-NNNN", "1NNNNNNNNNN"],
    "ja": ["090-NNNN-NNNN", "+81 90-NNNN-NNNN", "03-NNNN-NNNN", "+81 3 NNNN NNNN", "080 NNNN NNNN"],
    "ko": ["010-NNNN-NNNN", "+82 10-NNNN-NNNN", "02-NNN-NNNN", "+82 2 NNNN NNNN", "010.NNNN.NNNN"],
    "th_TH": ["08N-NNN-NNNN", "+66 8N NNN NNNN", "02-NNN-NNNN", "+66 2 NNN NNNN"],
    "he_IL": ["05N-NNN-NNNN", "+972 5N-NNN-NNNN", "03-NNN-NNNN", "+972 3 NNN NNNN"],
    "hi_IN": ["9NNNN NNNNN", "+91 9NNNN NNNNN", "+91-11-NNNN-NNNN", "011-NNNN NNNN"],
    "ta_IN": ["9NNNN NNNNN", "+91 9NNNN NNNNN", "044 NNNN NNNN", "+91 44 NNNN NNNN"],
    "ne_NP": ["98NNNNNNNN", "+977 98N-NNNNNNN", "01-NNNNNNN"],
    "bn_BD": ["01NNN-NNNNNN", "+880 1NNN-NNNNNN", "+880 2-NNNNNNN"],
    "vi_VN": ["09N NNN NN NN", "+84 9N NNN NN NN", "028 NNNN NNNN", "+84 (28) NNNN NNNN"],
    "ka_GE": ["5NN NN NN NN", "+995 5NN NN NN NN", "+995 32 2NN NN NN"],
    "hy_AM": ["09N NN NN NN", "+374 9N NN NN NN", "+374 10 NN NN NN"],
    "si_LK": ["07N NNN NNNN", "+94 7N NNN NNNN", "011 NNN NNNN"],
}
PHONE_FORMATS["ja_JP"] = PHONE_FORMATS["ja"]
PHONE_FORMATS["zh_CN"] = PHONE_FORMATS["zh"]


def fill_digits(pattern: str, rng: random.Random) -> str:
    return "".join(str(rng.randint(0, 9)) if c == "N" else str(rng.randint(1, 9)) if c == "Z" else c
                   for c in pattern)


# -- check digits ----------------------------------------------------------------------------
def luhn_digit(body: str) -> str:
    total = 0
    for i, c in enumerate(reversed(body)):
        n = int(c) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


IBAN_BBAN = {  # n digit, a upper letter, c alphanumeric (ECBS registry lengths)
    "DE": "n" * 18, "GB": "aaaa" + "n" * 14, "FR": "n" * 10 + "c" * 11 + "nn", "ES": "n" * 20,
    "IT": "a" + "n" * 10 + "c" * 12, "NL": "aaaa" + "n" * 10, "PL": "n" * 24, "BE": "n" * 12,
    "CH": "n" * 5 + "c" * 12, "AT": "n" * 16, "SE": "n" * 20, "NO": "n" * 11, "DK": "n" * 14,
    "FI": "n" * 14, "PT": "n" * 21, "GR": "n" * 7 + "c" * 16, "TR": "n" * 5 + "0" + "c" * 16,
    "SA": "nn" + "c" * 18, "AE": "n" * 19, "IL": "n" * 19, "CZ": "n" * 20, "HU": "n" * 24,
    "HR": "n" * 17, "RO": "aaaa" + "c" * 16, "KZ": "nnn" + "c" * 13, "UA": "n" * 6 + "c" * 19,
    "EG": "n" * 25, "GE": "aa" + "n" * 16, "AZ": "aaaa" + "c" * 20, "IE": "aaaa" + "n" * 14,
}
IBAN_OF_LOCALE = {"de": "DE", "de-at": "AT", "de-ch": "CH", "en-gb": "GB", "fr": "FR", "es": "ES", "it": "IT",
                  "nl": "NL", "nl-be": "BE", "pl": "PL", "sv": "SE", "no": "NO", "da": "DK", "fi": "FI",
                  "pt": "PT", "el": "GR", "tr": "TR", "ar-sa": "SA", "ar-ae": "AE", "he_IL": "IL", "cs": "CZ",
                  "hu": "HU", "hr": "HR", "kk": "KZ", "uk": "UA", "ar-eg": "EG", "ka_GE": "GE", "az": "AZ"}
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def iban(rng: random.Random, country: str | None = None) -> str:
    country = country or rng.choice(sorted(IBAN_BBAN))
    bban = "".join(str(rng.randint(0, 9)) if k == "n" else rng.choice(_ALNUM[:26]) if k == "a"
                   else rng.choice(_ALNUM) if k == "c" else k for k in IBAN_BBAN[country])
    number = int("".join(str(int(c, 36)) for c in bban + country + "00"))
    compact = f"{country}{98 - number % 97:02d}{bban}"
    if rng.random() < 0.55:
        return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))
    return compact


def ssn(rng: random.Random) -> str:
    while True:
        area = rng.randint(1, 899)
        if area != 666:
            break
    group, serial = rng.randint(1, 99), rng.randint(1, 9999)
    sep = rng.choices(["-", " ", ""], weights=[8, 1, 1])[0]
    return f"{area:03d}{sep}{group:02d}{sep}{serial:04d}"


def ipv6_compressed(rng: random.Random) -> str:
    groups = [rng.getrandbits(16) for _ in range(8)]
    start = rng.randint(1, 5)
    length = rng.randint(2, 8 - start)
    for i in range(start, start + length):
        groups[i] = 0
    head = ":".join(f"{g:x}" for g in groups[:start])
    tail = ":".join(f"{g:x}" for g in groups[start + length:])
    return f"{head}::{tail}"


def ipv4(rng: random.Random) -> str:
    first = rng.choice([rng.randint(1, 223), 10, 172, 192, rng.randint(11, 191)])
    if first in (127,):
        first = 128
    second = 168 if first == 192 and rng.random() < 0.6 else rng.randint(0, 255)
    return f"{first}.{second}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


FREEMAIL = {"de": ["web.de", "gmx.de", "t-online.de"], "fr": ["orange.fr", "free.fr", "laposte.net"],
            "it": ["libero.it", "virgilio.it"], "pl": ["wp.pl", "onet.pl", "o2.pl"], "cs": ["seznam.cz"],
            "ru": ["mail.ru", "yandex.ru", "inbox.ru"], "uk": ["ukr.net", "i.ua"], "ja": ["yahoo.co.jp", "docomo.ne.jp"],
            "ko": ["naver.com", "daum.net"], "zh": ["qq.com", "163.com", "126.com"], "pt-br": ["uol.com.br", "bol.com.br"],
            "es": ["telefonica.net", "hotmail.es"], "tr": ["hotmail.com.tr"], "el": ["otenet.gr"], "nl": ["ziggo.nl", "kpnmail.nl"]}
COMPANY_DOMAINS = ["northwind-freight.com", "halvorsen-group.no", "quillon.io", "tessaract-labs.de", "meridia-health.fr",
                   "brightwater.co.uk", "kobalt-systems.pl", "sunfield-energy.com.au", "corp.azurite.net", "mail.orbitel.jp",
                   "hq.lumenbridge.com", "eu.parcelwise.com", "stratacorp.ch", "fintessa.it", "vanta-retail.es",
                   "corvid-analytics.ai", "solenne.com.br", "atlasmarine.gr", "kestrel.bank", "oakline.ca",
                   "gmail.com", "outlook.com", "proton.me", "icloud.com", "yahoo.com", "hotmail.com"]


class Values:
    """Draws people and structured values; holds one generator per library locale, reseeded per draw."""

    def __init__(self, mimesis, faker_cls):
        from mimesis.enums import CardType, Gender

        self.m, self.Gender, self.CardType = mimesis, Gender, CardType
        self.faker_cls = faker_cls
        self._persons, self._fakers, self._misc = {}, {}, {}

    # library handles ----------------------------------------------------------------------
    def person_gen(self, locale: str, rng: random.Random):
        if locale not in self._persons:
            self._persons[locale] = self.m.Person(locale, seed=0)
        gen = self._persons[locale]
        gen.reseed(rng.getrandbits(48))
        return gen

    def faker(self, locale: str, rng: random.Random):
        if locale not in self._fakers:
            self._fakers[locale] = self.faker_cls(locale)
        gen = self._fakers[locale]
        gen.seed_instance(rng.getrandbits(48))
        return gen

    def provider(self, name: str, rng: random.Random, locale: str | None = None):
        key = (name, locale)
        if key not in self._misc:
            cls = getattr(self.m, name)
            self._misc[key] = cls(locale, seed=0) if locale else cls(seed=0)
        gen = self._misc[key]
        gen.reseed(rng.getrandbits(48))
        return gen

    # people -------------------------------------------------------------------------------
    @staticmethod
    def _clean(word: str) -> bool:
        return bool(word) and all(unicodedata.category(c)[0] in "LM" or c in " -'" for c in word) and len(word) <= 24

    def parts(self, locale: str, rng: random.Random) -> dict:
        """given, family, middle (another given name, for initials) and gender of one person."""
        for _ in range(50):
            female = rng.random() < 0.5
            if locale in FAKER_ROMAN:
                f = self.faker(locale, rng)
                given, family, middle = f.first_romanized_name(), f.last_romanized_name(), f.first_romanized_name()
            elif "_" in locale:
                f = self.faker(locale, rng)
                pick = f.first_name_female if female else f.first_name_male
                given, family, middle = pick(), f.last_name(), pick()
            else:
                g = self.person_gen(locale, rng)
                gender = self.Gender.FEMALE if female else self.Gender.MALE
                given, family, middle = g.first_name(gender), g.last_name(gender), g.first_name(gender)
                if locale in ("ru", "uk") and rng.random() < 0.5:
                    middle = g.patronymic(gender) if hasattr(g, "patronymic") else middle
            given, family, middle = given.strip(), family.strip(), middle.strip()
            if all(self._clean(w) for w in (given, family, middle)) and given != family:
                return {"given": given, "family": family, "middle": middle, "female": female}
        raise RuntimeError(f"no clean name for {locale}")

    def title(self, locale: str, female: bool, rng: random.Random) -> tuple[str, str]:
        """(prefix, suffix) around a surname; one of them empty."""
        if locale in SUFFIX_TITLES and rng.random() < 0.7:
            return "", rng.choice(SUFFIX_TITLES[locale])
        if locale == "zh" and rng.random() < 0.5:
            return "", "女士" if female else "先生"
        if locale in TITLES_LOCAL and rng.random() < 0.5:
            return rng.choice(TITLES_LOCAL[locale]), ""
        pool = ["Ms.", "Mrs.", "Dr.", "Prof.", "Ms", "Dr"] if female else ["Mr.", "Dr.", "Prof.", "Mr", "Dr"]
        if rng.random() < 0.08:
            pool = ["Mx."]
        return rng.choice(pool), ""

    # structured ---------------------------------------------------------------------------
    def email(self, rng: random.Random, locale: str, parts: dict | None) -> str:
        domain = rng.choice(FREEMAIL.get(locale, []) + COMPANY_DOMAINS) if rng.random() < 0.9 else None
        if parts:
            g = romanise(parts["given"], locale, rng) or ""
            f = romanise(parts["family"], locale, rng, family=True) or ""
            g, f = (ascii_fold(g).lower().replace(" ", "").replace("'", ""),
                    ascii_fold(f).lower().replace(" ", "").replace("'", ""))
            if g.isascii() and f.isascii() and g and f and domain:
                user = rng.choice([f"{g}.{f}", f"{g[0]}{f}", f"{f}.{g}", f"{g}_{f}{rng.randint(1, 99)}",
                                   f"{g}{f[0]}", f"{f}{g[0]}{rng.randint(70, 99)}", f"{g}-{f}"])
                return f"{user}@{domain}"
        gen = self.provider("Person", rng, "en")
        return gen.email(domains=[domain]) if domain else gen.email()

    def phone(self, rng: random.Random, locale: str) -> str:
        if locale in PHONE_FORMATS and rng.random() < 0.85:
            return fill_digits(rng.choice(PHONE_FORMATS[locale]), rng)
        base = locale if "_" not in locale else "en"
        for _ in range(20):
            number = self.person_gen(base, rng).telephone().strip()
            if sum(c.isdigit() for c in number) >= 7:
                return number
        return fill_digits(rng.choice(PHONE_FORMATS["en"]), rng)

    def card(self, rng: random.Random) -> str:
        kind = rng.choices([self.CardType.VISA, self.CardType.MASTER_CARD, self.CardType.AMERICAN_EXPRESS],
                           weights=[5, 4, 2])[0]
        number = self.provider("Payment", rng).credit_card_number(kind)
        style = rng.random()
        if style < 0.45:
            return number
        if style < 0.75:
            return number.replace(" ", "")
        return number.replace(" ", "-")

    def ip(self, rng: random.Random, version: int) -> str:
        if version == 4:
            return self.provider("Internet", rng).ip_v4() if rng.random() < 0.5 else ipv4(rng)
        if rng.random() < 0.45:
            return self.provider("Internet", rng).ip_v6()
        return ipv6_compressed(rng)
