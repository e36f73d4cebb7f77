"""The ``heldout5`` PII evaluation sets (mimesis-made): shape, coverage and honesty of the committed files.

Pure data: reads ``benchmarks/pii/data/heldout5.jsonl`` and ``heldout5_tune.jsonl`` and, when the
pinned mimesis and Faker are installed beside the app, regenerates their first records; never
imports ``rag.privacy``. Check digits, SSN ranges, IP syntax and scripts are recomputed here from
their specs, not taken from the generator's helpers.
"""
from __future__ import annotations

import ipaddress
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.privacy.pii_sets import (assert_first_records_regenerate, assert_library_not_in_app,
                                     assert_no_value_in_lookalikes, assert_person_scripts_match,
                                     assert_pieces_disjoint, assert_structured_values_valid,
                                     assert_tune_and_test_disjoint, assert_values_only_at_spans, benchmark_module,
                                     load_sets, person_entities)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "benchmarks" / "pii" / "data"
FILES = {"test": DATA / "heldout5.jsonl", "tune": DATA / "heldout5_tune.jsonl"}
SPLITS = {"test": "heldout5", "tune": "heldout5_tune"}
SIZES = {"test": (900, 220), "tune": (300, 75)}
RECORD_KEYS = ["id", "text", "entities", "split", "kind"]
ENTITY_KEYS = ["type", "value", "start", "end", "locale", "script", "form"]
TYPES = {"PERSON", "EMAIL", "PHONE", "US_SSN", "CREDIT_CARD", "IBAN", "IP_ADDRESS"}
PERSON_FORMS = {"native", "roman", "given", "initial", "middle", "honorific", "list", "possessive",
                "family_first", "hyphenated"}
NON_LATIN_SCRIPTS = {"Han", "Arabic", "Devanagari", "Cyrillic", "Greek", "Thai", "Georgian", "Bengali", "Tamil",
                     "Sinhala"}
SLOT = re.compile(r"\{[A-Z]+\d{0,2}\}")


@pytest.fixture(scope="module")
def sets() -> dict[str, list[dict]]:
    return load_sets(FILES)


def test_it_holds_the_promised_number_of_records_and_lookalikes(sets):
    for half, records in sets.items():
        size, looks = SIZES[half]
        assert len(records) == size and sum(r["kind"] == "lookalike" for r in records) == looks, half
        assert {r["split"] for r in records} == {SPLITS[half]}
        assert [r["id"] for r in records] == [f"{SPLITS[half]}-{i:04d}" for i in range(size)]
        assert len({r["text"] for r in records}) == len(records), "duplicate texts"


def test_it_keeps_the_record_format(sets):
    for records in sets.values():
        for r in records:
            assert list(r) == RECORD_KEYS
            assert (r["kind"] == "lookalike") == (not r["entities"]), r["id"]
            assert not SLOT.search(r["text"]), (r["id"], "an unfilled template slot")
            for e in r["entities"]:
                assert list(e) == ENTITY_KEYS and e["type"] in TYPES, (r["id"], e)
                assert (e["form"] in PERSON_FORMS) if e["type"] == "PERSON" else \
                    (e["form"], e["locale"], e["script"]) == ("structured", "-", "-"), (r["id"], e)
                assert e["value"] == e["value"].strip() and e["value"], (r["id"], e)


def test_it_puts_every_value_only_at_its_spans(sets):
    for records in sets.values():
        assert_values_only_at_spans(records)


def test_it_never_lets_an_entity_value_appear_in_a_lookalike_text(sets):
    for records in sets.values():
        assert_no_value_in_lookalikes(records)


def test_its_lookalikes_carry_no_contact_details_or_ssn_shapes(sets):
    for records in sets.values():
        for r in records:
            if r["kind"] == "lookalike":
                assert not re.search(r"[\w.+-]+@[\w-]+\.\w+", r["text"]), r
                assert not re.search(r"\b\d{3}-\d{2}-\d{4}\b", r["text"]), r
                assert not re.search(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,}", r["text"]), r  # IBAN-shaped


def test_it_covers_many_locales_scripts_and_forms(sets):
    for half, records in sets.items():
        people = person_entities(records)
        assert len({e["locale"] for e in people}) >= 40, half
        scripts = Counter(e["script"] for e in people)
        assert len(scripts) >= 12 and NON_LATIN_SCRIPTS <= set(scripts), (half, scripts)
        assert {e["form"] for e in people} == PERSON_FORMS, half
        assert {e["type"] for r in records for e in r["entities"]} == TYPES, half
        romanised = {e["locale"] for e in people if e["form"] in ("roman", "family_first") and e["script"] == "Latin"}
        assert len(romanised & {"ja_JP", "zh_CN", "ko", "ru", "uk", "kk", "el"}) >= 5, (half, romanised)
        assert {"ja_JP", "zh_CN"} <= romanised, (half, romanised)
    people = person_entities(sets["test"])
    romanised = {e["locale"] for e in people if e["form"] in ("roman", "family_first") and e["script"] == "Latin"}
    assert {"ja_JP", "zh_CN", "ko", "ru", "uk", "el"} <= romanised, romanised
    forms = Counter(e["form"] for e in people)
    assert min(forms.values()) >= 10, forms
    assert sum(e["script"] != "Latin" for e in people) >= 250
    scripts = Counter(e["script"] for e in people)
    assert all(scripts[s] >= 10 for s in NON_LATIN_SCRIPTS | {"Hangul", "Hebrew", "Armenian"}), scripts
    types = Counter(e["type"] for r in sets["test"] for e in r["entities"])
    assert min(types.values()) >= 50, types
    ips = [ipaddress.ip_address(e["value"]) for r in sets["test"] for e in r["entities"] if e["type"] == "IP_ADDRESS"]
    assert Counter(ip.version for ip in ips)[6] >= 20 and Counter(ip.version for ip in ips)[4] >= 50


def test_it_labels_each_person_with_the_script_of_its_value(sets):
    for records in sets.values():
        assert_person_scripts_match(records)


def test_it_makes_structured_values_that_pass_their_checks(sets):
    for records in sets.values():
        assert_structured_values_valid(records, check_ips=True)


def test_it_writes_the_two_files_from_disjoint_templates(sets):
    templates = benchmark_module("heldout5_templates")
    for table in (templates.PII, templates.LOOKALIKE):
        assert not set(table["tune"]) & set(table["test"])
    all_tune = templates.PII["tune"] + templates.LOOKALIKE["tune"]
    all_test = templates.PII["test"] + templates.LOOKALIKE["test"]
    assert_pieces_disjoint(all_tune, all_test, sets, slot=SLOT, min_chars=16)


def test_it_shares_no_entity_value_or_text_between_the_tune_and_test_files(sets):
    assert_tune_and_test_disjoint(sets)


def test_it_regenerates_the_first_records_byte_for_byte():
    mimesis_module, faker_module = benchmark_module("heldout5_mimesis"), benchmark_module("heldout4_faker")
    try:
        mimesis = mimesis_module.mimesis_import(install=False)
        faker_cls = faker_module.faker_import(install=False)
    except (mimesis_module.MimesisUnavailable, faker_module.FakerUnavailable) as exc:
        pytest.skip(f"pinned mimesis / Faker not installed beside the app ({exc}); "
                    f"run benchmarks/pii/make_heldout5.py once to install them")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from benchmarks.pii import make_heldout5 as make
    from benchmarks.pii.heldout5_values import Values

    values = Values(mimesis, faker_cls)
    assert_first_records_regenerate(FILES, lambda half, limit: make.build(half, values, limit=limit), limit=30)


def test_it_keeps_mimesis_out_of_the_app():
    assert_library_not_in_app("mimesis")
