"""Look-alike values for ``heldout5``: text that resembles personal data but holds none.

The fillers of the look-alike templates' slots (:mod:`benchmarks.pii.heldout5_templates`):
products and places named like people, companies with legal forms, Luhn-valid order numbers,
version strings shaped like IPv4 addresses, dates, ISBNs, SKUs, hashes, UUIDs, cities and
countries, chemical formulas, UI labels in many scripts, amounts, ticket numbers, months and
days. Every draw takes the record's ``random.Random`` (and reseeds any mimesis provider from it
through :class:`benchmarks.pii.heldout5_values.Values`), so the output depends only on the seed.
Used by :mod:`benchmarks.pii.make_heldout5`.
"""
from __future__ import annotations

import hashlib
import random
import uuid

from benchmarks.pii.heldout5_values import Values, luhn_digit

PRODUCTS = ["Aurora", "Jasmine", "Camille", "Felix", "Luna", "Oscar", "Iris", "Sienna", "Hugo", "Ruby", "Jade",
            "Nova", "Clara", "Otto", "Maya", "Amber", "Victor", "Dakota", "Ophelia", "Stella", "Jasper", "Rosa",
            "Violet", "Sakura", "Mirai", "Hana", "Kira", "Freya", "Magnus", "Leon", "Ava", "Milo", "Bianca",
            "Matilda", "Viktor", "Sasha", "Carmen", "Elena", "Noor", "Layla", "Orion", "Atlas", "Juno", "Gaia"]
PLACES = ["Florence", "Sydney", "Adelaide", "Austin", "Charlotte", "Victoria", "Georgia", "Eugene", "Jackson",
          "Madison", "Savannah", "Chelsea", "Lincoln", "Regina", "Marion", "Paris", "Alexandria", "Santiago",
          "Sofia", "Valencia", "Lourdes", "Beatrice", "Orlando", "Denver", "Elizabeth"]
LEGAL = ["GmbH", "AG", "S.A.", "S.p.A.", "Ltd", "Ltd.", "plc", "LLC", "Inc.", "B.V.", "N.V.", "Sp. z o.o.", "s.r.o.",
         "Oy", "AB", "ApS", "AS", "KK", "Co., Ltd.", "S.A.S.", "SARL", "Pty Ltd", "A.Ş.", "OOO", "LLP", "KG"]
FORMULAS = ["H2SO4", "NaHCO3", "C6H12O6", "CaCO3", "KMnO4", "Fe2O3", "NH4NO3", "C2H5OH", "Na2CO3", "CH3COOH",
            "H2O2", "NaOCl", "MgSO4·7H2O", "CuSO4", "Al2(SO4)3", "LiPF6", "SiO2", "TiO2", "ZnO", "HNO3"]
LABELS = ["保存", "キャンセル", "ログイン", "設定", "送信", "确定", "取消", "购物车", "설정", "저장", "확인", "로그인",
          "Сохранить", "Отмена", "Войти", "Назад", "Зберегти", "Αποθήκευση", "Ακύρωση", "إرسال", "حفظ", "إلغاء",
          "ذخیره", "שמור", "ביטול", "บันทึก", "ยกเลิก", "सहेजें", "रद्द करें", "সংরক্ষণ", "சேமி", "შენახვა", "Պահպանել",
          "新品上市", "限时特惠", "送料無料", "무료 배송", "Скидка 20%", "Mới", "Lưu"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December", "Jan", "Sept", "Dec"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Mon", "Thu"]
CURRENCIES = ["€{:,.2f}", "${:,.2f}", "£{:,.2f}", "USD {:,.2f}", "EUR {:,.2f}", "CHF {:,.2f}", "¥{:,.0f}",
              "₩{:,.0f}", "{:,.2f} zł", "R$ {:,.2f}", "₹{:,.0f}", "AED {:,.2f}", "{:,.2f} kr"]
TICKET_FORMS = ["INC{:07d}", "PER-{:d}", "#{:d}", "CHG{:07d}", "OPS-{:d}", "SR-{:d}", "JIRA DATA-{:d}"]
COUNTRY_LOCALES = ["en", "de", "fr", "ja", "ru", "el", "ko", "zh", "ar-eg", "fa", "es", "pl", "tr", "kk", "uk"]


def luhn_number(rng: random.Random, length: int) -> str:
    """A Luhn-valid number of ``length`` digits (no leading zero): shaped like a card, used as an order number."""
    body = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(length - 2))
    return body + luhn_digit(body)


def isbn13(rng: random.Random) -> str:
    """A valid ISBN-13 (978 prefix), hyphenated 70% of the time, else the bare 13 digits."""
    group = rng.choice(["0", "1", "3", "2", "4", "7", "88", "84"])
    publisher = str(rng.randint(10, 99999))
    title_len = 12 - 3 - len(group) - len(publisher) - 1
    body = "978" + group + publisher + "".join(str(rng.randint(0, 9)) for _ in range(title_len + 1))
    body = body[:12]
    check = (10 - sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body)) % 10) % 10
    title = body[3 + len(group) + len(publisher):]
    return f"978-{group}-{publisher}-{title}-{check}" if rng.random() < 0.7 else body + str(check)


def lookalike_value(slot: str, values: Values, rng: random.Random) -> str:
    """A value for one look-alike template ``slot`` (``PRODUCT``, ``ORDER``, ``VERSION``, ``DATE``, ...): text that
    resembles personal data (given-name products and places, Luhn numbers, IPv4-shaped versions) but is none."""
    if slot == "PRODUCT":
        name = rng.choice(PRODUCTS)
        return rng.choice([name, f"Project {name}", f"{name} 2", f"{name} Pro", f"{name} Cloud", name.upper()])
    if slot == "PLACE":
        return rng.choice(PLACES)
    if slot == "COMPANY":
        finance = values.provider("Finance", rng, rng.choice(["en", "de", "fr", "it", "es", "nl", "pl", "ja"]))
        base = finance.company()
        return base if any(base.endswith(" " + form) for form in LEGAL) else f"{base} {rng.choice(LEGAL)}"
    if slot == "ORDER":
        number = luhn_number(rng, rng.choice([10, 12, 16]))
        if len(number) == 16 and rng.random() < 0.5:
            return " ".join(number[i:i + 4] for i in range(0, 16, 4))
        return rng.choice(["", "PO-", "SO", "#"]) + number
    if slot == "VERSION":
        parts = [rng.randint(1, 24), rng.randint(0, 40), rng.randint(0, 255), rng.randint(0, 9999)]
        if rng.random() < 0.6:   # every part below 256: shaped exactly like an IPv4 address
            parts = [rng.randint(1, 16), rng.randint(0, 20), rng.randint(0, 40), rng.randint(0, 255)]
        return rng.choice(["", "v"]) + ".".join(str(p) for p in parts)
    if slot == "DATE":
        d, mo, y = rng.randint(1, 28), rng.randint(1, 12), rng.choice([2024, 2025, 2026, 2027])
        return rng.choice([f"{y}-{mo:02d}-{d:02d}", f"{d} {MONTHS[mo - 1]} {y}", f"{mo:02d}/{d:02d}/{y}",
                           f"{d:02d}.{mo:02d}.{y}", f"{MONTHS[mo - 1]} {d}, {y}"])
    if slot == "ISBN":
        return isbn13(rng)
    if slot == "SKU":
        return f"{rng.choice(['SKU-', 'ART-', ''])}{rng.randint(1000, 99999)}-" \
               f"{rng.choice(['BLK', 'WHT', 'RED', 'NVY', 'GRN'])}-{rng.choice(['S', 'M', 'L', 'XL', '42', '500ML'])}"
    if slot == "HASH":
        digest = hashlib.sha256(str(rng.getrandbits(64)).encode()).hexdigest()
        return rng.choice([digest, digest[:40], digest[:12], digest[:7]])
    if slot == "UUID":
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))
    if slot == "CITY":
        return values.provider("Address", rng, rng.choice(COUNTRY_LOCALES)).city()
    if slot == "COUNTRY":
        return values.provider("Address", rng, rng.choice(["en", "en", "de", "fr", "ja", "ru"])).country()
    if slot == "FORMULA":
        return rng.choice(FORMULAS)
    if slot == "JOB":
        return values.provider("Person", rng, "en").occupation()
    if slot == "LABEL":
        return rng.choice(LABELS)
    if slot == "AMOUNT":
        return rng.choice(CURRENCIES).format(rng.randint(100, 9_999_999) / 100)
    if slot == "TICKET":
        return rng.choice(TICKET_FORMS).format(rng.randint(100, 99999))
    if slot == "MONTH":
        return rng.choice(MONTHS)
    if slot == "DAY":
        return rng.choice(DAYS)
    raise KeyError(slot)
