"""Look-alike values for ``heldout6`` (long documents), written from scratch for it.

The slot values of look-alike documents (:func:`lookalike_value`): products named like people,
companies with legal forms, cities and countries (several also given names), IP-shaped versions,
Luhn-valid order numbers, dates, ISBNs, hashes, ticket ids, non-Latin UI labels and amounts; none is
personal data. Also the non-personal fillers of PII documents: ticket ids (:func:`ticket`), dates
(:func:`date`) and company names (:data:`COMPANIES`).
"""
from __future__ import annotations

import hashlib
import random

from benchmarks.pii.heldout6_people import luhn_digit

PRODUCTS = ["Felix", "Aurora", "Hugo", "Matilda", "Oscar", "Clementine", "Rafael", "Beatrix", "Leopold", "Ingrid",
            "Yuki", "Anouk", "Bruno", "Vera", "Ezra", "Tamsin", "Casimir", "Nadia", "Soren", "Ottilie", "Lorenzo",
            "Mei", "Darius", "Zora"]
PRODUCT_SUFFIX = ["", " Studio", " Cloud", " 3", " Edge", " Mini", " Suite", " for Teams", " Go"]
COMPANIES = ["Nordlicht Logistik GmbH", "Azure Ridge Holdings Ltd", "Kawasemi Trading Co., Ltd.", "Lumen Pharma AG",
             "Tessaract Systems Inc.", "Ferrovia Nord S.p.A.", "Blauwe Haven B.V.", "Polarstern Sp. z o.o.",
             "Saltmarsh Foods plc", "Quillon Analytics LLC", "Marisol Energía S.A.", "Vindur Fisk ehf.",
             "Orchidée Cosmétiques SAS", "Ankara Tekstil A.Ş.", "Kumo Robotics KK", "Tundra Metals OOO",
             "Redgum Outdoor Pty Ltd", "Hanseatic Paper KG", "Cobalt Bay Partners LLP", "Sunda Freight Pte. Ltd."]
CITIES = ["Florence", "Adelaide", "Victoria", "Charlotte", "Austin", "Savannah", "Sofia", "Santiago", "Valencia",
          "Alexandria", "Lincoln", "Regina", "Osaka", "Gdańsk", "Tbilisi", "Yerevan", "Chiang Mai", "Haifa",
          "Pune", "Kraków", "Brno", "Tartu", "Izmir", "Almaty", "Thessaloniki"]
COUNTRIES = ["Georgia", "Jordan", "Chad", "Israel", "India", "Japan", "Brazil", "Kazakhstan", "Greece", "Iceland",
             "Vietnam", "Sri Lanka", "Armenia", "Thailand", "Morocco", "Estonia", "Norway", "Mexico"]
LABELS = ["設定を保存", "ダウンロード", "取消订单", "帮助中心", "로그아웃", "장바구니", "Настройки", "Выход",
          "Ρυθμίσεις", "تسجيل الخروج", "الإعدادات", "הגדרות", "ตั้งค่า", "सेटिंग्स", "পরিচিতি", "அமைப்புகள்",
          "პარამეტრები", "Կարգավորումներ", "Tải xuống"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def lookalike_value(slot: str, rng: random.Random) -> str:
    """A value for the look-alike slot ``slot`` (``PRODUCT``, ``COMPANY``, ``CITY``, ``COUNTRY``, ``VERSION``,
    ``ORDER``, ``DATE``, ``ISBN``, ``HASH``, ``TICKET``, ``LABEL``, ``AMOUNT``, ``N``): personal-data shaped,
    never personal data."""
    if slot == "PRODUCT":
        return rng.choice(PRODUCTS) + rng.choice(PRODUCT_SUFFIX)
    if slot == "COMPANY":
        return rng.choice(COMPANIES)
    if slot == "CITY":
        return rng.choice(CITIES)
    if slot == "COUNTRY":
        return rng.choice(COUNTRIES)
    if slot == "VERSION":
        return rng.choice(["", "v"]) + ".".join(str(rng.randint(0, 30 if i else 12)) for i in range(4))
    if slot == "ORDER":
        body = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(rng.choice([9, 11, 15]) - 1))
        number = body + luhn_digit(body)
        return " ".join(number[i:i + 4] for i in range(0, 16, 4)) if len(number) == 16 and rng.random() < 0.5 else \
            rng.choice(["", "SO-", "#"]) + number
    if slot == "DATE":
        d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.choice([2025, 2026, 2027])
        return rng.choice([f"{y}-{m:02d}-{d:02d}", f"{d} {MONTHS[m - 1]} {y}", f"{MONTHS[m - 1]} {d}, {y}",
                           f"{d:02d}.{m:02d}.{y}"])
    if slot == "ISBN":
        body = "978" + "".join(str(rng.randint(0, 9)) for _ in range(9))
        check = (10 - sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body)) % 10) % 10
        return f"{body[:3]}-{body[3]}-{body[4:8]}-{body[8:]}-{check}"
    if slot == "HASH":
        digest = hashlib.sha256(str(rng.getrandbits(64)).encode()).hexdigest()
        return rng.choice([digest, digest[:40], digest[:12]])
    if slot == "TICKET":
        return rng.choice(["OPS-{}", "INC{:07d}", "REL-{}", "#{}"]).format(rng.randint(100, 99999))
    if slot == "LABEL":
        return rng.choice(LABELS)
    if slot == "AMOUNT":
        return rng.choice(["€{:,.2f}", "${:,.2f}", "£{:,.2f}", "CHF {:,.2f}", "¥{:,.0f}"]).format(rng.randint(500, 900000) / 100)
    if slot == "N":
        return str(rng.randint(2, 60))
    raise KeyError(slot)


def ticket(rng: random.Random) -> str:
    """A support / HR ticket id for the ``{TK}`` slot of PII documents."""
    return rng.choice(["HR-{}", "SUP-{}", "INC-{}", "TKT{:06d}", "CS-{}"]).format(rng.randint(1000, 99999))


def date(rng: random.Random) -> str:
    """A 2026 date (ISO, "3 March" or "Mar 3") for the ``{D}`` slot of PII documents."""
    d, m = rng.randint(1, 28), rng.randint(1, 12)
    return rng.choice([f"2026-{m:02d}-{d:02d}", f"{d} {MONTHS[m - 1]}", f"{MONTHS[m - 1][:3]} {d}"])
