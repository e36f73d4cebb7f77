"""The ``heldout4`` PII evaluation sets (Faker-made): shape, coverage and honesty of the committed files.

Pure data: reads ``benchmarks/pii/data/heldout4.jsonl`` and ``heldout4_tune.jsonl`` and, when
the pinned Faker is installed beside the app, regenerates their first records; never imports
``rag.privacy``. Check digits, SSN ranges and scripts are recomputed here from their specs,
not taken from the generator's helpers.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.privacy.pii_sets import (assert_first_records_regenerate, assert_library_not_in_app,
                                     assert_no_value_in_lookalikes, assert_person_scripts_match,
                                     assert_pieces_disjoint, assert_structured_values_valid,
                                     assert_tune_and_test_disjoint, assert_values_only_at_spans, benchmark_module,
                                     load_sets, person_entities)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "benchmarks" / "pii" / "data"
FILES = {"test": DATA / "heldout4.jsonl", "tune": DATA / "heldout4_tune.jsonl"}
RECORD_KEYS = ["id", "text", "entities", "split", "kind"]
ENTITY_KEYS = ["type", "value", "start", "end", "locale", "script", "form"]
TYPES = {"PERSON", "EMAIL", "PHONE", "US_SSN", "CREDIT_CARD", "IBAN", "IP_ADDRESS"}
PERSON_FORMS = {"native", "roman", "given", "initial", "middle", "honorific", "list", "possessive"}
NON_LATIN_SCRIPTS = {"Han", "Hangul", "Arabic", "Hebrew", "Devanagari", "Cyrillic", "Greek", "Thai", "Armenian",
                     "Georgian", "Bengali", "Tamil"}


@pytest.fixture(scope="module")
def sets() -> dict[str, list[dict]]:
    return load_sets(FILES)


def test_it_holds_the_promised_number_of_records_and_lookalikes(sets):
    test, tune = sets["test"], sets["tune"]
    assert len(test) >= 700 and sum(r["kind"] == "lookalike" for r in test) >= 150
    assert 250 <= len(tune) <= 350 and sum(r["kind"] == "lookalike" for r in tune) >= 50
    assert {r["split"] for r in test} == {"heldout4"} and {r["split"] for r in tune} == {"heldout4_tune"}
    for records in sets.values():
        assert len({r["id"] for r in records}) == len(records)
        assert len({r["text"] for r in records}) == len(records), "duplicate texts"


def test_it_keeps_the_heldout_record_format(sets):
    for records in sets.values():
        for r in records:
            assert list(r) == RECORD_KEYS
            assert (r["kind"] == "lookalike") == (not r["entities"]), r["id"]
            for e in r["entities"]:
                assert list(e) == ENTITY_KEYS and e["type"] in TYPES, (r["id"], e)
                assert (e["form"] in PERSON_FORMS) if e["type"] == "PERSON" else \
                    (e["form"], e["locale"], e["script"]) == ("structured", "-", "-"), (r["id"], e)


def test_it_puts_every_value_only_at_its_spans(sets):
    for records in sets.values():
        assert_values_only_at_spans(records)


def test_it_never_lets_an_entity_value_appear_in_a_lookalike_text(sets):
    for records in sets.values():
        assert_no_value_in_lookalikes(records)


def test_it_covers_many_locales_scripts_and_forms(sets):
    for half, records in sets.items():
        people = person_entities(records)
        assert len({e["locale"] for e in people}) >= 24, half
        assert NON_LATIN_SCRIPTS <= {e["script"] for e in people}, half
        assert {e["form"] for e in people} == PERSON_FORMS, half
        assert {e["type"] for r in records for e in r["entities"]} == TYPES, half
        romanised = {e["locale"] for e in people if e["form"] == "roman" and e["script"] == "Latin"}
        assert {"ja_JP", "zh_CN", "ko_KR", "ru_RU", "el_GR"} & romanised, half


def test_it_labels_each_person_with_the_script_of_its_value(sets):
    for records in sets.values():
        assert_person_scripts_match(records)


def test_it_makes_structured_values_that_pass_their_checks(sets):
    for records in sets.values():
        assert_structured_values_valid(records)  # heldout4 leaves its IP addresses unchecked


def test_it_writes_the_two_files_from_disjoint_templates(sets):
    templates = benchmark_module("heldout4_templates")
    for table in (templates.PII, templates.LOOKALIKE):
        assert not set(table["tune"]) & set(table["test"])
    all_tune = templates.PII["tune"] + templates.LOOKALIKE["tune"]
    all_test = templates.PII["test"] + templates.LOOKALIKE["test"]
    # in the data too: no test text carries a tune template's longest fixed wording, and vice versa
    assert_pieces_disjoint(all_tune, all_test, sets, slot=re.compile(r"\{[A-Z]+\d?\}"), min_chars=16)


def test_it_regenerates_the_first_records_byte_for_byte():
    faker_module = benchmark_module("heldout4_faker")
    try:
        faker_cls = faker_module.faker_import(install=False)
    except faker_module.FakerUnavailable as exc:
        pytest.skip(f"pinned Faker not installed beside the app ({exc}); "
                    f"run benchmarks/pii/make_heldout4.py once to install it")
    make = benchmark_module("make_heldout4")
    values = make.Values(faker_cls)
    assert_first_records_regenerate(
        FILES, lambda half, limit: make.heldout4_build(half=half, values=values, limit=limit), limit=25)


def test_it_shares_no_entity_value_or_text_between_the_tune_and_test_files(sets):
    assert_tune_and_test_disjoint(sets)


def test_it_keeps_faker_out_of_the_app(sets):
    assert_library_not_in_app("faker")
