"""Values for ``heldout4``: Faker persons in many locales and forms, structured PII, look-alike values.

Every draw takes a ``random.Random`` and reseeds the Faker instance it uses from it, so a
record depends only on its own seed (see ``make_heldout4.py``). Nothing here reads the
detector or the other sets.

Person spans hold the name words only: a prefix or suffix that Faker's ``name()`` adds
("Dr.", "Prof.", "Г-н", "Quý ông", "MBA", ", S.Sos") is written beside the span, outside it;
an honorific chosen for the ``honorific`` form ("Ms.", "Herr") likewise.
"""
from __future__ import annotations

import random
import re

from benchmarks.pii.heldout4_romanize import (HANGUL_SURNAMES, ascii_fold, korean_split, romanize,
                                              romanize_korean, script_of)

# Faker locales whose person provider is their own (in Faker 40.54.0 ar_EG, tl_PH, fil_PH, am_ET,
# sr_BA, bs_BA, sq_AL, mt_MT, en_PH, en_MS, en_BD and la fall back to en_US names: left out).
# Non-Latin locales by script; a native-script draw picks the script first, so a script's share
# does not depend on how many locales write it.
NONLATIN_BY_SCRIPT = {
    "Han/kana": ("ja_JP", "zh_CN", "zh_TW"), "Hangul": ("ko_KR",), "Cyrillic": ("ru_RU", "uk_UA", "bg_BG", "mk_MK"),
    "Greek": ("el_GR",), "Hebrew": ("he_IL",), "Arabic": ("ar_AA", "ar_SA", "fa_IR"),
    "Devanagari": ("hi_IN", "mr_IN", "ne_NP"), "Bengali": ("bn_BD",), "Tamil": ("ta_IN",), "Gujarati": ("gu_IN",),
    "Thai": ("th_TH",), "Armenian": ("hy_AM",), "Georgian": ("ka_GE",), "Sinhala": ("si_LK",), "Oriya": ("or_IN",),
}
# the scripts issue 11 names: drawn twice as often as the others
ISSUE_SCRIPTS = {"Han/kana", "Hangul", "Cyrillic", "Greek", "Hebrew", "Arabic", "Devanagari", "Thai"}
NONLATIN_LOCALES = tuple(loc for locales in NONLATIN_BY_SCRIPT.values() for loc in locales)
LATIN_LOCALES = ("en_US", "en_GB", "en_IN", "en_NG", "en_PK", "en_TH", "de_DE", "de_AT", "de_CH", "fr_FR",
                 "fr_CA", "es_ES", "es_MX", "es_CO", "es_AR", "pt_BR", "pt_PT", "it_IT", "pl_PL", "cs_CZ",
                 "sk_SK", "hr_HR", "sl_SI", "tr_TR", "vi_VN", "nl_NL", "sv_SE", "da_DK", "no_NO", "fi_FI",
                 "hu_HU", "ro_RO", "lt_LT", "lv_LV", "et_EE", "is_IS", "ga_IE", "id_ID", "yo_NG", "ig_NG",
                 "ha_NG", "sw", "en_KE", "zu_ZA", "tw_GH", "az_AZ", "uz_UZ")
PERSON_LOCALES = NONLATIN_LOCALES + LATIN_LOCALES
# romanised by Faker itself (romanized_name) or, for the others listed, by heldout4_romanize's tables
FAKER_ROMANIZED = ("ja_JP", "zh_CN", "zh_TW")
ROMANIZABLE = FAKER_ROMANIZED + ("ko_KR", "ru_RU", "uk_UA", "bg_BG", "mk_MK", "el_GR", "hy_AM", "ka_GE",
                                 "hi_IN", "mr_IN", "ne_NP")
# Latin-letter names that are themselves romanisations (Thai names in Faker's en_TH)
ROMAN_BY_NATURE = ("en_TH",)
ENGLISH_HONORIFICS = {"male": ("Mr.", "Mr", "Dr.", "Dr", "Prof.", "Mx."),
                      "female": ("Ms.", "Mrs.", "Ms", "Dr.", "Dr", "Prof.", "Mx.")}
# Faker lists these among some locales' prefixes/suffixes, but they belong to the surname
# ("da Silva", "de la Cruz", Thai "ณ อยุธยา"): never split off the name.
NAME_PARTICLES = {"de", "da", "do", "dos", "das", "du", "de la", "del", "van", "von", "Le"}

CARD_TYPES = ("visa16", "visa13", "mastercard", "amex", "discover", "jcb16", "diners", "maestro")
IBAN_LOCALES = ("de_DE", "fr_FR", "nl_NL", "es_ES", "it_IT", "pl_PL", "en_GB", "pt_PT", "fi_FI", "no_NO",
                "cs_CZ", "ro_RO", "tr_TR", "de_AT", "de_CH", "en_IE", "nl_BE", "el_GR", "sk_SK", "az_AZ")
PHONE_LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pl_PL", "pt_BR", "ja_JP",
                 "zh_CN", "ko_KR", "ru_RU", "uk_UA", "hi_IN", "en_IN", "he_IL", "fa_IR", "th_TH", "el_GR",
                 "vi_VN", "id_ID", "en_KE", "yo_NG", "ka_GE", "hy_AM", "sv_SE", "fi_FI", "cs_CZ", "hu_HU",
                 "ro_RO", "en_AU", "en_CA", "es_MX", "bn_BD", "ar_AA")
EMAIL_LOCALES = ("en_US", "de_DE", "fr_FR", "es_ES", "ja_JP", "zh_CN", "ko_KR", "ru_RU", "hi_IN", "el_GR",
                 "uk_UA", "pl_PL", "pt_BR", "tr_TR", "vi_VN", "he_IL", "nl_NL", "id_ID")

# Look-alikes. Company names: Faker company() from locales whose company names are built from
# surnames or sector words, kept only when they carry a legal form or sector word (es_ES is left
# out: its company names embed whole person names such as "Eufemia Bastida Alberto S.L.").
COMPANY_LOCALES = ("en_US", "en_GB", "de_DE", "it_IT", "pl_PL", "cs_CZ", "sv_SE", "hu_HU", "id_ID", "ja_JP",
                   "zh_CN", "ko_KR", "ru_RU", "fi_FI", "nl_NL", "pt_BR", "vi_VN", "fr_FR")
LEGAL_FORM = re.compile(r"(\b(GmbH|AG|KG|Inc|LLC|Ltd|PLC|Group|and Sons|AB|HB|Kft|Bt|Nyrt|Kkt|Zrt|S\.A|SA|s\.c"
                        r"|s\.r\.o|k\.s|a\.s|SPA|s\.r\.l|e figli|Tbk|PT|CV|PD|Oy|Ky|Oyj|ry|NV|BV|Royal|Ltda|S/A"
                        r"|Công ty|Лтд|PPUH|Grupa|Stowarzyszenie)\b|株式会社|合同会社|有限会社|有限公司|주식회사"
                        r"|유한회사|\(주\)|ООО|ЗАО|ОАО|ПАО)")
CITY_LOCALES = ("de_DE", "pl_PL", "cs_CZ", "sv_SE", "fi_FI", "ja_JP", "ko_KR", "id_ID", "es_ES", "en_IN")
CHEMICALS = ("NaCl", "H2SO4", "C6H12O6", "CO2", "NaHCO3", "CaCO3", "KMnO4", "C2H5OH", "NH3", "Fe2O3", "H2O2",
             "MgSO4", "LiPF6", "SiO2", "TiO2", "Al2O3", "HNO3", "CH4", "ZnO", "CuSO4")
# Product, feature and code names that are also first names; two disjoint halves, one per file.
PRODUCTS = {
    "tune": ("Alexa", "Jenkins", "Ruby", "Aurora", "Hugo", "Luigi", "Nova", "Dolly", "Jessie", "Kirby",
             "Hermes", "Otto", "Iris", "Sage", "Rocky"),
    "test": ("Julia", "Siri", "Cortana", "Jasper", "Oscar", "Django", "Ivy", "Ray", "Athena", "Trixie", "Buster",
             "Alma", "Jade", "Magnolia", "Stella", "Luna", "Apollo", "Watson", "Minerva", "Ember", "Clara",
             "Heidi", "Bert", "Pearl", "Harmony"),
}
# Non-Latin text that is plainly not a person: labels on goods, with their meaning.
LABELS = {
    "tune": (("取扱説明書", "instruction manual"), ("Хранить в сухом месте", "keep in a dry place"),
             ("ระวังแตก", "fragile"), ("שביר", "fragile"), ("무료 배송", "free shipping"),
             ("भारत में निर्मित", "made in India")),
    "test": (("非売品", "not for sale"), ("小心轻放", "handle with care"), ("Сделано в России", "made in Russia"),
             ("Εύθραυστο", "fragile"), ("قابل للكسر", "fragile"), ("شکستنی", "fragile"),
             ("Зроблено в Україні", "made in Ukraine"), ("დამზადებულია საქართველოში", "made in Georgia"),
             ("Պատրաստված է Հայաստանում", "made in Armenia"), ("नाज़ुक", "fragile"), ("食品級", "food grade"),
             ("유통기한", "best before")),
}


class Values:
    """Faker-backed draws. Faker instances are made once per locale and reseeded for every draw."""

    def __init__(self, faker_cls):
        self._faker_cls = faker_cls
        self._fakers: dict = {}
        self._affixes: dict[str, tuple[list[str], list[str]]] = {}

    def fake(self, locale: str, rng: random.Random):
        if locale not in self._fakers:
            self._fakers[locale] = self._faker_cls(locale)
        fk = self._fakers[locale]
        fk.seed_instance(rng.getrandbits(48))
        return fk

    # ---- persons -------------------------------------------------------------------------------
    def person(self, rng: random.Random, *, form: str) -> dict:
        """One person: {"value", "locale", "script", "form", "before", "after"}.

        ``form``: native | roman | initial | middle | given | honorific | list | possessive.
        ``before``/``after``: text written around the span (Faker's prefix or suffix, the honorific).
        """
        for _ in range(100):
            got = self._person_try(rng, form)
            if got and got["value"] and "," not in got["value"] and got["value"].strip() == got["value"]:
                got["script"] = script_of(got["value"])
                got["form"] = form
                return got
        raise RuntimeError(f"no person for form {form}")

    def _person_try(self, rng: random.Random, form: str) -> dict | None:
        if form in ("initial", "middle", "honorific"):
            locale = rng.choice(LATIN_LOCALES + ROMANIZABLE)
        elif form == "roman":
            locale = rng.choice(ROMANIZABLE + ROMAN_BY_NATURE + LATIN_LOCALES[::3])
        elif rng.random() < 0.6:  # native-script forms: 60% of the draws in a non-Latin script
            scripts = sorted(NONLATIN_BY_SCRIPT)
            script = rng.choices(scripts, weights=[2 if s in ISSUE_SCRIPTS else 1 for s in scripts])[0]
            locale = rng.choice(NONLATIN_BY_SCRIPT[script])
        else:
            locale = rng.choice(LATIN_LOCALES)
        out = {"locale": locale, "before": "", "after": ""}
        if form in ("native", "list", "possessive"):
            use_roman = form != "native" and locale in ROMANIZABLE and rng.random() < 0.35
            if use_roman:
                first, last = self._roman_parts(locale, rng)
                out["value"] = f"{first} {last}"
                return out
            before, core, after = self._native_name(locale, rng)
            if form == "native":
                out.update(before=before, after=after)
            out["value"] = core
            return out
        if form == "roman":
            if locale in ROMANIZABLE and locale not in FAKER_ROMANIZED and rng.random() < 0.5:
                _, core, _ = self._native_name(locale, rng)
                if locale == "ko_KR":
                    surname, given = korean_split(core)
                    g, s = romanize_korean(given=given, surname=surname)
                    out["value"] = f"{g} {s}" if rng.random() < 0.6 else f"{s} {g}"
                else:
                    out["value"] = romanize(core, locale=locale)
                return out if out["value"] else None
            if locale in ROMANIZABLE:
                first, last = self._roman_parts(locale, rng)
                out["value"] = f"{first} {last}" if rng.random() < 0.7 else f"{last} {first}"
                return out
            _, core, _ = self._native_name(locale, rng)
            folded = ascii_fold(core)
            if locale not in ROMAN_BY_NATURE and folded == core:
                return None  # nothing to fold: draw again
            out["value"] = folded
            return out
        if form == "given":
            if locale in ROMANIZABLE and rng.random() < 0.3:
                out["value"] = self._roman_parts(locale, rng)[0]
            else:
                out["value"] = self.fake(locale, rng).first_name()
            return out
        first, last = self._roman_parts(locale, rng) if locale in ROMANIZABLE else self._parts(locale, rng)
        if form == "initial":
            second = self.fake(locale, rng).first_name() if locale not in ROMANIZABLE else ""
            two = rng.random() < 0.25 and second[:1].isalpha()
            initials = f"{first[0]}.{second[0]}." if two else f"{first[0]}."
            out["value"] = f"{initials} {last}"
            return out if first[:1].isupper() else None
        if form == "middle":
            middle = (self._roman_parts(locale, rng)[0] if locale in ROMANIZABLE
                      else self.fake(locale, rng).first_name())
            out["value"] = f"{first} {middle[0]}. {last}"
            return out if middle[:1].isupper() else None
        if form == "honorific":  # honorific and surname of one gender ("Mr. Karolidis", "Ms. Karolidou")
            gender = rng.choice(("male", "female"))
            fk = self.fake(locale, rng)
            if locale in ROMANIZABLE:
                surname = getattr(fk, f"last_name_{gender}")()
                surname = HANGUL_SURNAMES.get(surname) if locale == "ko_KR" else romanize(surname, locale=locale)
                if locale in FAKER_ROMANIZED:
                    surname = fk.last_romanized_name().title()
            else:
                surname = getattr(fk, f"last_name_{gender}")()
            own = getattr(fk, f"prefix_{gender}")() if locale not in ROMANIZABLE and rng.random() < 0.4 else ""
            usable = own and script_of(own) == "Latin" and len(own) <= 12 and own not in NAME_PARTICLES \
                and (own[0].isupper() or own.endswith("."))
            out["before"] = own if usable else rng.choice(ENGLISH_HONORIFICS[gender])
            out["value"] = surname
            return out if surname else None
        raise ValueError(f"unknown person form {form!r}")

    def _roman_parts(self, locale: str, rng: random.Random) -> tuple[str, str]:
        """(given, surname) in Latin letters for a locale in :data:`ROMANIZABLE`."""
        if locale in FAKER_ROMANIZED:
            fk = self.fake(locale, rng)
            gender = rng.choice(("_male", "_female"))
            first_draw = getattr(fk, f"first_romanized_name{gender}", fk.first_romanized_name)
            return first_draw().title(), fk.last_romanized_name().title()
        first, last = self._parts(locale, rng)
        if locale == "ko_KR":
            return romanize_korean(given=first, surname=last)
        return romanize(first, locale=locale) or "", romanize(last, locale=locale) or ""

    def _parts(self, locale: str, rng: random.Random) -> tuple[str, str]:
        """(given name, surname) of one gender, so a Slavic surname agrees with its given name."""
        fk = self.fake(locale, rng)
        gender = rng.choice(("male", "female"))
        return getattr(fk, f"first_name_{gender}")(), getattr(fk, f"last_name_{gender}")()

    def _native_name(self, locale: str, rng: random.Random) -> tuple[str, str, str]:
        """Faker's ``name()`` split into (prefix, name words, text after them), by the provider's own lists.

        The third part keeps its separator (" MBA.", ", S.Sos"); the prefix has none ("Dr.").
        """
        name = " ".join(self.fake(locale, rng).name().split())
        prefixes, suffixes = self._affix_lists(locale)
        before = after = ""
        for p in prefixes:  # longest first
            if name.startswith(p + " "):
                before, name = p, name[len(p) + 1:]
                break
        for s in suffixes:
            for sep in (", ", " "):
                if name.endswith(sep + s):
                    after, name = sep + s, name[:-len(sep + s)]
                    break
            if after:
                break
        return before, name.strip(), after

    def _affix_lists(self, locale: str) -> tuple[list[str], list[str]]:
        if locale not in self._affixes:
            fk = self.fake(locale, random.Random(0))
            provider = next(p for p in fk.get_providers() if type(p).__module__.startswith("faker.providers.person"))
            pre: set[str] = set()
            suf: set[str] = set()
            for attr in dir(provider):
                value = getattr(provider, attr, None)
                if not isinstance(value, (tuple, list, dict)) or not attr.startswith(("prefixes", "suffixes")):
                    continue
                (pre if attr.startswith("prefixes") else suf).update(
                    v for v in value if isinstance(v, str) and v and v not in NAME_PARTICLES and not v.startswith("ณ "))
            self._affixes[locale] = (sorted(pre, key=len, reverse=True), sorted(suf, key=len, reverse=True))
        return self._affixes[locale]

    # ---- structured ----------------------------------------------------------------------------
    def structured(self, slot: str, rng: random.Random) -> tuple[str, str]:
        """(entity type, value) for a structured slot: EMAIL, PHONE, SSN, CARD, IBAN, IP, IP6."""
        us = self.fake("en_US", rng)
        if slot == "SSN":
            ssn = us.ssn()
            return "US_SSN", rng.choice((ssn, ssn, ssn, ssn.replace("-", " "), ssn.replace("-", "")))
        if slot == "CARD":
            digits = us.credit_card_number(card_type=rng.choice(CARD_TYPES))
            assert luhn_ok(digits), digits
            return "CREDIT_CARD", _card_format(digits, rng)
        if slot == "IBAN":
            iban = self.fake(rng.choice(IBAN_LOCALES), rng).iban()
            assert iban_ok(iban), iban
            grouped = " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
            return "IBAN", grouped if rng.random() < 0.5 else iban
        if slot == "EMAIL":
            fk = self.fake(rng.choice(EMAIL_LOCALES), rng)
            return "EMAIL", rng.choice((fk.email, fk.free_email, fk.company_email, fk.safe_email))()
        if slot == "PHONE":
            return "PHONE", self.fake(rng.choice(PHONE_LOCALES), rng).phone_number()
        if slot == "IP":
            return "IP_ADDRESS", us.ipv4_public()
        if slot == "IP6":
            return "IP_ADDRESS", us.ipv6()
        raise ValueError(f"unknown structured slot {slot!r}")

    # ---- look-alikes and fillers (never entities) ------------------------------------------------
    def filler(self, slot: str, rng: random.Random, *, half: str) -> str:
        """Text for a non-PII slot. ``half`` ("tune" | "test") picks the file's own product and label lists."""
        us = self.fake("en_US", rng)
        if slot == "PRODUCT":
            return rng.choice(PRODUCTS[half])
        if slot == "COMPANY":
            for _ in range(200):
                name = self.fake(rng.choice(COMPANY_LOCALES), rng).company()
                if LEGAL_FORM.search(name) and "," not in name:
                    return name
            raise RuntimeError("no company name with a legal form")
        if slot == "LUHN":
            return luhn_number(rng, length=rng.choice((10, 11, 12, 14, 18, 20, 22)))
        if slot == "VERSION":
            return ".".join(str(n) for n in (rng.randint(1, 12), rng.randint(0, 30), rng.randint(0, 9),
                                                rng.randint(1, 250)))
        if slot == "DATE":
            d = us.date_between(start_date="-2y", end_date="+1y")
            return rng.choice((d.isoformat(), d.strftime("%d %B %Y"), d.strftime("%B %d, %Y"), d.strftime("%d.%m.%Y")))
        if slot == "ISBN":
            return rng.choice((us.isbn13, us.isbn10))()
        if slot == "SKU":
            return us.bothify(rng.choice(("??-####-??", "SKU#####", "???-###-#", "##-???-####"))).upper()
        if slot == "HASH":
            return rng.choice((us.sha1, us.md5, us.sha256))()
        if slot == "UUID":
            return us.uuid4()
        if slot == "CITY":
            return self.fake(rng.choice(CITY_LOCALES), rng).city()
        if slot == "COUNTRY":
            return us.country()
        if slot == "MONTH":
            return us.month_name()
        if slot == "WEEKDAY":
            return us.day_of_week()
        if slot == "CHEM":
            return rng.choice(CHEMICALS)
        if slot == "LABEL":
            text, meaning = rng.choice(LABELS[half])
            return f"“{text}” ({meaning})"
        if slot == "JOB":
            return us.job()
        if slot == "NUM":
            return str(rng.randint(100, 99999))
        raise ValueError(f"unknown filler slot {slot!r}")


def luhn_ok(digits: str) -> bool:
    """True if the digits (separators ignored) pass the Luhn (mod 10) check."""
    nums = [int(c) for c in digits if c.isdigit()]
    total = sum(n if i % 2 == 0 else (n * 2 - 9 if n > 4 else n * 2) for i, n in enumerate(reversed(nums)))
    return total % 10 == 0


def luhn_number(rng: random.Random, *, length: int) -> str:
    """A ``length``-digit number that passes Luhn, not starting with 0, 3, 4, 5 or 6 (card-issuer prefixes)."""
    body = str(rng.choice((1, 2, 7, 8, 9))) + "".join(str(rng.randint(0, 9)) for _ in range(length - 2))
    return next(body + str(c) for c in range(10) if luhn_ok(body + str(c)))


def iban_ok(iban: str) -> bool:
    """ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 == 1."""
    s = iban.replace(" ", "")
    return int("".join(str(int(c, 36)) for c in s[4:] + s[:4])) % 97 == 1


def _card_format(digits: str, rng: random.Random) -> str:
    sep = rng.choice((" ", "-", "", " "))
    if not sep:
        return digits
    groups = (4, 6, 5) if len(digits) == 15 else (4, 6, 4) if len(digits) == 14 else (4, 4, 4, 4, 3)
    parts, i = [], 0
    for g in groups:
        if i < len(digits):
            parts.append(digits[i:i + g])
            i += g
    if i < len(digits):
        parts.append(digits[i:])
    return sep.join(parts)
