"""The canonical form an external auditor re-implements: RFC 8785 (JCS) vectors and the fast path."""
from __future__ import annotations

import hashlib
import hmac

from hypothesis import given, settings
from hypothesis import strategies as st

from rag.audit.verify_export import _write, canonical_json, event_hash


def _general(value) -> bytes:
    out: list[str] = []
    _write(value, out)
    return "".join(out).encode()


def test_it_writes_the_rfc8785_example_as_the_rfc_does():
    # RFC 8785 §3.2.2 (numbers, escapes, literals).
    value = {
        "numbers": [333333333.33333329, 1e30, 4.50, 2e-3, 0.000000000000000000000000001],
        "string": "\u20ac$\u000f\u000aA'\u0042\u0022\u005c\\\"/",
        "literals": [None, True, False],
    }
    assert canonical_json(value).decode() == (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )


def test_it_sorts_keys_by_utf16_code_units_as_rfc8785_does():
    # RFC 8785 §3.2.3: the emoji (a surrogate pair) sorts before U+FB33.
    value = {"\u20ac": 1, "\r": 2, "\ufb33": 3, "1": 4, "\U0001f600": 5, "\u0080": 6, "\u00f6": 7}
    assert canonical_json(value).decode() == '{"\\r":2,"1":4,"\u0080":6,"\u00f6":7,"\u20ac":1,"\U0001f600":5,"\ufb33":3}'


def test_it_writes_numbers_as_ecmascript_does():
    cases = {1e21: "1e+21", 1e20: "100000000000000000000", 3.0: "3", -0.0: "0", 1e-7: "1e-7",
             1e-6: "0.000001", 0.1 + 0.2: "0.30000000000000004", 5e-324: "5e-324", 2**60: str(2**60)}
    for value, text in cases.items():
        assert canonical_json([value]).decode() == f"[{text}]"


def test_it_hashes_only_the_documented_fields():
    record = {"id": 1, "created_at": "2025-03-01T09:04:05.000120Z", "event_type": "query.asked",
              "actor": "alice", "actor_id": 7, "target_type": "", "target_id": "", "details": {"n": 1.5},
              "prev_hash": "0" * 64, "hash": "ignored", "extra": "ignored"}
    expected = ('{"actor":"alice","actor_id":7,"created_at":"2025-03-01T09:04:05.000120Z","details":{"n":1.5},'
                '"event_type":"query.asked","id":1,"prev_hash":"' + "0" * 64 + '","target_id":"","target_type":""}')
    key = b"k" * 32
    assert event_hash(record, key=key) == hmac.new(key, expected.encode(), hashlib.sha256).hexdigest()
    assert event_hash(record, key=None) == hashlib.sha256(expected.encode()).hexdigest()  # legacy, pre-0005


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(json_values)
def test_the_fast_path_writes_exactly_what_the_general_serializer_writes(value):
    try:
        expected = _general(value)
    except UnicodeEncodeError:  # a lone surrogate: both must refuse
        expected = None
    if expected is None:
        try:
            canonical_json(value)
        except ValueError:
            return
        raise AssertionError("a lone surrogate was accepted")
    assert canonical_json(value) == expected
