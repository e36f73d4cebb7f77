"""The ``heldout6`` long-document PII sets: shape, check digits, invariants and coverage of the committed files.

Pure data: reads ``benchmarks/pii/data/heldout6.jsonl`` and ``heldout6_tune.jsonl`` and, when the
pinned mimesis and Faker are installed beside the app, regenerates their first documents byte for
byte; never imports ``rag.privacy``. Check digits, SSN ranges, IP syntax, scripts and sentence
counts are recomputed here from their specs, not taken from the generator's helpers.
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
FILES = {"test": DATA / "heldout6.jsonl", "tune": DATA / "heldout6_tune.jsonl"}
SPLITS = {"test": "heldout6", "tune": "heldout6_tune"}
SIZES = {"test": (250, 60), "tune": (80, 20)}
RECORD_KEYS = ["id", "text", "entities", "split", "kind"]
ENTITY_KEYS = ["type", "value", "start", "end", "locale", "script", "form"]
TYPES = {"PERSON", "EMAIL", "PHONE", "US_SSN", "CREDIT_CARD", "IBAN", "IP_ADDRESS"}
PERSON_FORMS = {"native", "roman", "initial", "middle", "given", "honorific", "list", "possessive",
                "family_first", "hyphenated"}
SLOT = re.compile(r"\{[A-Z]+\d?\}")
ABBREVIATIONS = {"Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "e.g.", "i.e.", "etc.", "No.", "vs.", "Inc.", "Ltd.", "Co.",
                 "S.A.", "S.p.A.", "B.V.", "A.Ş.", "Pte.", "o.o.", "z"}


@pytest.fixture(scope="module")
def sets() -> dict[str, list[dict]]:
    return load_sets(FILES)


def _sentences(text: str) -> int:
    count = 0
    for line in text.splitlines():
        run = []
        for word in line.split():
            run.append(word)
            if word.endswith((".", "!", "?")) and word not in ABBREVIATIONS and not re.fullmatch(r"(\w\.)+", word):
                count += sum(c.isalpha() for w in run for c in w) >= 2
                run = []
    return count


def test_it_holds_the_promised_number_of_documents_and_lookalikes(sets):
    for half, records in sets.items():
        size, looks = SIZES[half]
        assert len(records) == size and sum(r["kind"] == "lookalike" for r in records) == looks, half
        assert {r["split"] for r in records} == {SPLITS[half]}
        assert [r["id"] for r in records] == [f"{SPLITS[half]}-{i:03d}" for i in range(size)]
        assert len({r["text"] for r in records}) == len(records), "duplicate texts"


def test_its_documents_are_long_multi_paragraph_texts(sets):
    for records in sets.values():
        for r in records:
            text = r["text"]
            assert 300 <= len(text) <= 2500, (r["id"], len(text))
            assert 3 <= _sentences(text) <= 15, (r["id"], _sentences(text))
            assert text.count("\n\n") >= 2, r["id"]
        assert sum(len(r["text"]) for r in records) / len(records) >= 600
        assert sum(len(r["text"]) >= 1000 for r in records) >= len(records) // 10


def test_it_keeps_the_record_format(sets):
    for records in sets.values():
        for r in records:
            assert list(r) == RECORD_KEYS and r["kind"] in ("pii", "lookalike")
            assert (r["kind"] == "lookalike") == (not r["entities"]), r["id"]
            assert not SLOT.search(r["text"]), (r["id"], "an unfilled template slot")
            for e in r["entities"]:
                assert list(e) == ENTITY_KEYS and e["type"] in TYPES, (r["id"], e)
                assert (e["form"] in PERSON_FORMS) if e["type"] == "PERSON" else \
                    (e["form"], e["locale"], e["script"]) == ("structured", "-", "-"), (r["id"], e)
                assert e["value"] == e["value"].strip() and e["value"], (r["id"], e)
                assert e["end"] - e["start"] == len(e["value"]), (r["id"], e)


def test_it_puts_every_value_only_at_its_spans_or_inside_a_longer_name(sets):
    for records in sets.values():
        assert_values_only_at_spans(records, inside_longer_person=True)


def test_it_names_the_same_person_several_ways_in_a_document(sets):
    for half, records in sets.items():
        pii = [r for r in records if r["kind"] == "pii"]
        several = 0
        for r in pii:
            people = [e for e in r["entities"] if e["type"] == "PERSON"]
            short = [e for e in people if e["form"] in ("given", "honorific")]
            if any(s["value"] in p["value"] and len(p["value"]) > len(s["value"]) for s in short for p in people):
                several += 1
        assert several >= 0.7 * len(pii), (half, several, len(pii))


def test_it_never_lets_an_entity_value_appear_in_a_lookalike_text(sets):
    for records in sets.values():
        assert_no_value_in_lookalikes(records, excerpt=40)


def test_its_lookalikes_carry_no_contact_details_or_id_shapes(sets):
    for records in sets.values():
        for r in records:
            if r["kind"] == "lookalike":
                text = r["text"]
                assert "@" not in text, r["id"]
                assert not re.search(r"\b\d{3}[- ]\d{2}[- ]\d{4}\b", text), r["id"]
                assert not re.search(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,}", text), r["id"]
                assert not re.search(r"\+\d{1,3}[ -]\d", text), r["id"]
                assert not re.search(r"\b(?:Mr|Ms|Mrs|Dr|Prof)\. [A-Z]", text), r["id"]


def test_it_covers_many_locales_scripts_forms_and_types(sets):
    for half, records in sets.items():
        people = person_entities(records)
        assert len({e["locale"] for e in people}) >= 30, half
        scripts = Counter(e["script"] for e in people)
        assert len(scripts) >= 12, (half, scripts)
        assert {e["form"] for e in people} == PERSON_FORMS, half
        assert {e["type"] for r in records for e in r["entities"]} == TYPES, half
        romanised = {e["locale"] for e in people if e["form"] in ("roman", "family_first") and e["script"] == "Latin"}
        assert {"ja_JP", "zh_CN"} <= romanised, (half, romanised)
    people = person_entities(sets["test"])
    assert len({e["locale"] for e in people}) >= 40
    scripts = Counter(e["script"] for e in people)
    for script in ("Latin", "Cyrillic", "Greek", "Arabic", "Hebrew", "Han", "Hangul", "Devanagari", "Thai",
                   "Bengali", "Tamil", "Sinhala", "Georgian", "Armenian"):
        assert scripts[script] >= 20, (script, scripts)
    romanised = {e["locale"] for e in people if e["form"] in ("roman", "family_first") and e["script"] == "Latin"}
    assert len(romanised & {"ja_JP", "zh_CN", "ko", "ru", "uk", "kk", "el"}) >= 5, romanised
    forms = Counter(e["form"] for e in people)
    assert min(forms.values()) >= 30, forms
    types = Counter(e["type"] for r in sets["test"] for e in r["entities"])
    assert min(types.values()) >= 40, types
    ips = [ipaddress.ip_address(e["value"]) for r in sets["test"] for e in r["entities"] if e["type"] == "IP_ADDRESS"]
    versions = Counter(ip.version for ip in ips)
    assert versions[4] >= 40 and versions[6] >= 15, versions
    phones = [e["value"] for r in sets["test"] for e in r["entities"] if e["type"] == "PHONE"]
    assert sum(p.startswith(("+", "00")) for p in phones) >= 40 and sum(not p.startswith(("+", "00")) for p in phones) >= 40


def test_it_labels_each_person_with_the_script_of_its_value(sets):
    for records in sets.values():
        assert_person_scripts_match(records)


def test_it_makes_structured_values_that_pass_their_checks(sets):
    for records in sets.values():
        assert_structured_values_valid(records, check_ips=True, strict_phones=True)


def test_it_writes_the_two_files_from_disjoint_pieces(sets):
    docs = benchmark_module("heldout6_docs")

    def pieces(table, half):
        return [p for register in table[half].values() for part in ("head", "body", "tail") for p in register[part]]
    tune = pieces(docs.PII, "tune") + pieces(docs.LOOKALIKE, "tune")
    test = pieces(docs.PII, "test") + pieces(docs.LOOKALIKE, "test")
    assert_pieces_disjoint(tune, test, sets, slot=SLOT, min_chars=24)


def test_it_shares_no_entity_value_or_text_between_the_tune_and_test_files(sets):
    assert_tune_and_test_disjoint(sets)


def test_it_regenerates_the_first_documents_byte_for_byte():
    mimesis_module, faker_module = benchmark_module("heldout5_mimesis"), benchmark_module("heldout4_faker")
    try:
        mimesis = mimesis_module.mimesis_import(install=False)
        faker_cls = faker_module.faker_import(install=False)
    except (mimesis_module.MimesisUnavailable, faker_module.FakerUnavailable) as exc:
        pytest.skip(f"pinned mimesis / Faker not installed beside the app ({exc}); "
                    f"run benchmarks/pii/make_heldout6.py once to install them")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from benchmarks.pii import make_heldout6 as make
    from benchmarks.pii.heldout6_people import People

    people = People(mimesis, faker_cls)
    assert_first_records_regenerate(FILES, lambda half, limit: make.build(half, people, limit=limit), limit=15)


def test_it_keeps_the_test_data_libraries_out_of_the_app():
    assert_library_not_in_app("mimesis", "faker")
