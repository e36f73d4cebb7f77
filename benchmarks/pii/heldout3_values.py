"""Structured values and text helpers for the ``heldout3`` PII set (see :mod:`benchmarks.pii.make_heldout3`).

Every generator takes the set's ``random.Random`` so the set is reproducible
from its seed. Check digits follow their specs: Luhn (ISO/IEC 7812-1) for
cards, mod-97 (ISO 13616 / ISO 7064) for IBANs; SSNs use issued area numbers.
"""
from __future__ import annotations

import ipaddress
import random
import re
import unicodedata

from benchmarks.pii.heldout3_names import LOCALES

SCRIPTS = ("LATIN", "CJK", "HIRAGANA", "KATAKANA", "HANGUL", "ARABIC", "HEBREW", "DEVANAGARI", "CYRILLIC",
           "GREEK", "THAI")
FOLD = {"ß": "ss", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ø": "o", "Ø": "O", "æ": "ae", "œ": "oe"}
GERMAN_FOLD = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}


# ------------------------------------------------------------------ text helpers
def latin_fold(text: str, locale: str = "") -> str:
    """``text`` without diacritics, as a system without Unicode would store it ("Wróblewska" -> "Wroblewska").

    German umlauts become two letters ("Schäfer" -> "Schaefer") when ``locale`` is ``"de"``.
    """
    if locale == "de":
        text = "".join(GERMAN_FOLD.get(ch, ch) for ch in text)
    text = "".join(FOLD.get(ch, ch) for ch in text)
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def script_of(value: str) -> str:
    """The Unicode script of the letters in ``value`` (``"Han"`` for CJK ideographs); ``ValueError`` if mixed."""
    found = set()
    for ch in value:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        found.add(next((s for s in SCRIPTS if name.startswith(s)), name.split(" ")[0]))
    if len(found) != 1:
        raise ValueError(f"{value!r} mixes scripts {sorted(found)}")
    script = found.pop()
    return "Han" if script == "CJK" else script.capitalize()


def digits_fill(rng: random.Random, pattern: str) -> str:
    """``pattern`` with each ``D`` a random digit and each ``N`` a digit 2-9."""
    return "".join(rng.choice("0123456789") if c == "D" else rng.choice("23456789") if c == "N" else c
                   for c in pattern)


# ------------------------------------------------------------------ structured values
def luhn_complete(rng: random.Random, prefix: str, length: int) -> str:
    """``prefix`` + random digits + the Luhn check digit: ``length`` digits that pass ISO/IEC 7812-1."""
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    total = sum(d if i % 2 else (d * 2 - 9 if d > 4 else d * 2) for i, d in enumerate(map(int, reversed(body))))
    return body + str((10 - total % 10) % 10)


def card_make(rng: random.Random) -> str:
    """A payment card number with a valid Luhn digit, grouped as printed (spaces, dashes or none)."""
    brand = rng.choice(["visa", "visa", "mc", "mc2", "amex", "discover", "jcb", "diners"])
    prefix, length, groups = {
        "visa": ("4", 16, (4, 4, 4, 4)), "mc": (str(rng.randint(51, 55)), 16, (4, 4, 4, 4)),
        "mc2": (str(rng.randint(2221, 2720)), 16, (4, 4, 4, 4)), "amex": (rng.choice(["34", "37"]), 15, (4, 6, 5)),
        "discover": (rng.choice(["6011", "65"]), 16, (4, 4, 4, 4)),
        "jcb": (str(rng.randint(3528, 3589)), 16, (4, 4, 4, 4)),
        "diners": ("36", 14, (4, 6, 4)),
    }[brand]
    number = luhn_complete(rng, prefix, length)
    sep = rng.choice([" ", " ", "-", ""])
    parts, i = [], 0
    for g in groups:
        parts.append(number[i:i + g])
        i += g
    return sep.join(parts)


# country: (BBAN layout as runs of "n" digits / "a" capital letters)
IBAN_LAYOUTS = {"DE": "n18", "FR": "n23", "GB": "a4 n14", "ES": "n20", "NL": "a4 n10", "IT": "a1 n22", "PL": "n24",
                "SE": "n20", "TR": "n22", "BR": "n23 a1 n1", "SA": "n20", "AE": "n19", "CH": "n17", "PT": "n21",
                "GR": "n23", "UA": "n25", "NO": "n11", "BE": "n12"}


def iban_make(rng: random.Random) -> str:
    """An IBAN with valid ISO 13616 mod-97 check digits, in groups of four (60%) or compact."""
    country = rng.choice(sorted(IBAN_LAYOUTS))
    bban = "".join("".join(rng.choice("0123456789" if run[0] == "n" else "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                           for _ in range(int(run[1:]))) for run in IBAN_LAYOUTS[country].split())
    check = 98 - int("".join(str(int(c, 36)) for c in bban + country + "00")) % 97
    iban = f"{country}{check:02d}{bban}"
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4)) if rng.random() < 0.6 else iban


def ssn_make(rng: random.Random) -> str:
    """A US SSN in an issued range: area 001-899 except 666, group 01-99, serial 0001-9999."""
    area = rng.choice([a for a in range(1, 900) if a != 666])
    sep = "-" if rng.random() < 0.8 else " "
    return f"{area:03d}{sep}{rng.randint(1, 99):02d}{sep}{rng.randint(1, 9999):04d}"


PHONE_FORMATS = (
    "+1 (NDD) NDD-DDDD", "(NDD) NDD-DDDD", "NDD-NDD-DDDD", "+1 NDD NDD DDDD ext. DDD", "+44 20 7946 0DDD",
    "+44 7700 900DDD", "07DDD DDDDDD", "+49 30 DDDD DDDD", "+49 15D DDDDDDDD", "030 DDDDDDDD",
    "+33 1 DD DD DD DD", "06 DD DD DD DD", "+81 3-DDDD-DDDD", "090-DDDD-DDDD", "+86 13D DDDD DDDD",
    "+91 9DDDD DDDDD", "+55 11 9DDDD-DDDD", "(11) 9DDDD-DDDD", "+7 495 DDD-DD-DD", "8 (916) DDD-DD-DD",
    "+82 10-DDDD-DDDD", "010-DDDD-DDDD", "+90 5DD DDD DD DD", "+48 6DD DDD DDD", "+46 70 DDD DD DD",
    "+234 80D DDD DDDD", "+254 7DD DDD DDD", "+61 2 DDDD DDDD", "+972 5D-DDD-DDDD", "+971 5D DDD DDDD",
    "+66 8D DDD DDDD", "+30 210 DDD DDDD", "+84 9D DDD DD DD", "+34 6DD DD DD DD", "+351 9DD DDD DDD",
)


def phone_make(rng: random.Random) -> str:
    """A phone number in one of 35 national or international formats."""
    return digits_fill(rng, rng.choice(PHONE_FORMATS))


def ip_make(rng: random.Random) -> str:
    """An IPv4 address (private ranges 30%) or, one time in four, a global IPv6 address.

    IPv6: a /48 under a real allocation prefix, a subnet and either a random interface
    id or a short one (``::1b``), written compressed (70%) or in full.
    """
    if rng.random() < 0.25:
        groups = [rng.choice([0x2001, 0x2a02, 0x2600, 0x2c0f, 0x240e, 0x2804]), rng.randint(0x100, 0xffff),
                  rng.randint(0, 0xffff), rng.randint(0, 0xff) << 8]
        groups += [rng.randint(0, 0xffff) for _ in range(4)] if rng.random() < 0.6 else [0, 0, 0, rng.randint(1, 0xff)]
        addr = ipaddress.IPv6Address(":".join(f"{g:x}" for g in groups))
        return addr.compressed if rng.random() < 0.7 else addr.exploded
    if rng.random() < 0.3:
        network = rng.choice([f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}",
                              f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}", f"192.168.{rng.randint(0, 255)}"])
        return f"{network}.{rng.randint(1, 254)}"
    first = rng.choice([a for a in range(1, 224) if a not in (10, 127, 169, 172, 192)])
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


EMAIL_DOMAINS = ("northwind-logistics.com", "kestrel-analytics.io", "brightmoor.co.uk", "lumen-health.de",
                 "example.com", "example.org", "mail.orbitfreight.com", "sunpeak.com.br", "hanriver-trading.co.kr",
                 "alnoor-trading.ae", "gmail.com", "outlook.com", "yahoo.co.jp", "mail.ru", "web.de", "tele2.se",
                 "fjord-systems.no", "cedar-pay.fr", "istanbul-tekstil.com.tr", "acacia-agri.co.ke")


def email_make(rng: random.Random) -> str:
    """An e-mail address, usually built from a romanised name of any locale ("k.lindemann@web.de")."""
    domain = rng.choice(EMAIL_DOMAINS)
    if domain == "gmail.com" and rng.random() < 0.3 or domain == "mail.ru" and rng.random() < 0.5:
        return f"{digits_fill(rng, 'NDDDDDDDD')}@{'qq.com' if domain == 'gmail.com' else domain}"
    loc = LOCALES[rng.choice(sorted(LOCALES))]
    given = _slug(rng.choice(loc.given_m + loc.given_f)[1], loc.code)
    fam = _slug(rng.choice(loc.family)[1], loc.code)
    local = rng.choice([f"{given}.{fam}", f"{given[0]}.{fam}", f"{given}{fam[0]}", f"{fam}.{given}", f"{given}_{fam}",
                        f"{given}.{fam}{rng.randint(1, 99)}",
                        f"{given}.{fam}+{rng.choice(['travel', 'hr', 'invoices'])}",
                        f"{given[0]}{fam}"])
    return f"{local}@{domain}"


def _slug(name: str, locale: str) -> str:
    return re.sub(r"[^a-z0-9]", "", latin_fold(name, locale).lower())
