"""Appending: each event is linked to the previous one by the documented hash."""
from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.conf import settings
from django.db import transaction

from rag.audit.models import AuditEvent, audit_event_record
from rag.audit.selectors import audit_chain_verify
from rag.audit.services import audit_append
from rag.audit.verify_export import GENESIS_HASH

pytestmark = pytest.mark.django_db
E = AuditEvent.EventType


def test_it_starts_the_chain_at_the_genesis_hash(chain):
    assert chain[0].prev_hash == GENESIS_HASH == "0" * 64


def test_it_links_each_event_to_the_previous_events_hash(chain):
    stored = list(AuditEvent.objects.order_by("id"))
    assert [e.id for e in stored] == [e.id for e in chain]
    for before, after in zip(stored, stored[1:]):
        assert after.prev_hash == before.hash
    assert len({e.hash for e in stored}) == len(stored)


def test_it_hashes_the_canonical_json_an_auditor_can_rebuild(chain):
    # Without floats the canonical form is plain sorted-key, compact, UTF-8 JSON.
    event = AuditEvent.objects.get(pk=chain[3].pk)
    body = {k: v for k, v in audit_event_record(event).items() if k != "hash"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert '"details":{"note":"naïve café ✓ 日本"}' in text
    key = settings.AUDIT_KEY.encode("utf-8")
    assert hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest() == event.hash
    assert body["created_at"].endswith("Z") and len(body["created_at"]) == len("2025-01-01T00:00:00.000000Z")


def test_it_verifies_an_intact_chain(chain):
    result = audit_chain_verify()
    assert result.ok, result.reason
    assert (result.checked, result.first_broken_id, result.reason) == (5, None, "")
    assert (result.head_id, result.head_hash) == (chain[-1].id, chain[-1].hash)


def test_it_verifies_an_empty_trail():
    result = audit_chain_verify()
    assert result.ok and result.checked == 0


def test_it_hashes_floats_as_they_read_back_from_jsonb():
    # jsonb rewrites 1e21 as 1000000000000000000000 and 3.0 stays 3.0; the hash must
    # be over what a reader gets back, or the row would fail verification later.
    audit_append(event_type=E.MODEL_CALLED, actor="system",
                 details={"big": 1e21, "third": 0.1 + 0.2, "whole": 3.0, "tiny": 1e-7, "neg": -0.0})
    assert audit_chain_verify().ok


@pytest.mark.parametrize("details", [
    {"vault": {"<PERSON_1>": "Jane Doe"}},
    {"original_text": "Jane Doe"},
    {"redaction": {"spans": [{"Original": "Jane"}]}},
    {"password": "hunter2"},
])
def test_it_refuses_details_keys_that_would_hold_originals_or_secrets(details):
    with pytest.raises(ValueError, match="must not hold vault contents"), transaction.atomic():
        audit_append(event_type=E.REDACTION_COMPLETED, actor="system", details=details)
    assert not AuditEvent.objects.exists()


def test_it_refuses_unknown_event_types():
    with pytest.raises(ValueError, match="unknown audit event type"), transaction.atomic():
        audit_append(event_type="fallback.teleported", actor="system")


@pytest.mark.parametrize("details", [{"latency": float("nan")}, {"when": object()}, {"text": "a\x00b"},
                                     {"bad": "\ud800"}])
def test_it_refuses_values_that_are_not_json_or_that_postgresql_cannot_store(details):
    with pytest.raises(ValueError), transaction.atomic():
        audit_append(event_type=E.MODEL_CALLED, actor="system", details=details)


def test_it_accepts_text_that_only_spells_a_nul_escape():
    event = audit_append(event_type=E.MODEL_CALLED, actor="system", details={"text": "C:\\u0000dir"})
    assert event.details == {"text": "C:\\u0000dir"}


def test_it_rolls_back_with_the_callers_transaction(django_user_model):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            user = django_user_model.objects.create_user(username="temp")
            audit_append(event_type=E.USER_LOGIN, actor=user, target_type="user", target_id=user.pk)
            raise RuntimeError("the state change failed after the audit row was written")
    assert not AuditEvent.objects.exists()
    assert not django_user_model.objects.filter(username="temp").exists()
    assert audit_append(event_type=E.QUERY_ASKED, actor="system").prev_hash == GENESIS_HASH


def test_it_records_a_user_by_name_and_id_and_keeps_the_row_when_the_user_is_deleted(django_user_model):
    user = django_user_model.objects.create_user(username="carol")
    event = audit_append(event_type=E.USER_LOGIN, actor=user, target_type="user", target_id=user.pk)
    user_pk = user.pk
    assert (event.actor, event.actor_id) == ("carol", user_pk)
    user.delete()
    event.refresh_from_db()
    assert (event.actor, event.actor_id) == ("carol", user_pk)
    assert audit_chain_verify().ok
