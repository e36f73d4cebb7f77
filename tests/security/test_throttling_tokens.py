"""Attack 9 of issue 10 (token guessing): every failed API-token attempt wrote an audit row
under the global audit lock, unthrottled, so one unauthenticated client could flood the trail.

Now a client past AUTH_FAILURES_PER_MIN failures gets 429 before its token is looked up,
and failures reach the trail as one ``auth.failures`` row per client and minute."""
from __future__ import annotations

import time

import pytest
from rest_framework.test import APIClient

from rag.access.clients import client_pseudonym
from rag.access.failures import auth_failure_record, auth_failures_flush
from rag.access.services import api_token_create
from rag.access.tasks import auth_failures_flush_task
from rag.audit.models import AuditEvent
from rag.audit.selectors import audit_chain_verify

pytestmark = pytest.mark.django_db
FAILURES = AuditEvent.EventType.AUTH_FAILURES


def _guess(address: str, secret: str):
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client.get("/api/v1/documents")


def _bad(n: int) -> str:
    return f"pmt_{n:04d}" + "x" * 39


def _at_the_start_of_a_minute(seconds_needed: float = 30.0) -> None:
    """Wait for the next minute if fewer than ``seconds_needed`` seconds are left in this one: failures are
    counted per wall-clock minute, and the next attempt flushes a finished minute to the trail."""
    left = 60.0 - time.time() % 60.0
    if left < seconds_needed:
        time.sleep(left + 0.05)


def test_fifty_bad_tokens_from_one_client_write_one_audit_row(settings):
    settings.AUTH_FAILURES_PER_MIN = 10
    _at_the_start_of_a_minute()  # all fifty attempts in one minute (on a loaded machine they can take seconds)
    statuses = [_guess("203.0.113.7", _bad(n)).status_code for n in range(50)]
    assert statuses == [401] * 10 + [429] * 40
    assert AuditEvent.objects.count() == 0  # nothing per attempt, so nothing under the audit lock

    assert auth_failures_flush(now=time.time() + 60) == 1
    row = AuditEvent.objects.get()
    assert (row.event_type, row.actor, row.target_id) == (FAILURES, "anonymous", client_pseudonym("203.0.113.7"))
    assert row.details["kind"] == "api_token" and row.details["count"] == 50
    assert row.details["reasons"] == {"invalid_token": 10, "throttled": 40}
    assert len(row.details["names"]) == 10  # prefixes of what was sent, never a whole secret
    assert "203.0.113.7" not in str(row.details) and "x" * 39 not in str(row.details)
    assert audit_chain_verify().ok


def test_a_throttled_client_is_told_when_to_come_back(settings):
    settings.AUTH_FAILURES_PER_MIN = 3
    for n in range(3):
        _guess("203.0.113.8", _bad(n))
    refused = _guess("203.0.113.8", _bad(99))
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "too_many_failed_attempts"
    assert 1 <= int(refused["Retry-After"]) <= 120  # the sliding minute: at most two buckets


def test_a_throttled_client_is_refused_before_its_token_is_looked_up(settings, django_assert_num_queries):
    settings.AUTH_FAILURES_PER_MIN = 2
    _token, secret = api_token_create(name="reader-bot", scopes=["query"], all_collections=True)
    for n in range(2):
        _guess("203.0.113.9", _bad(n))
    with django_assert_num_queries(0):
        assert _guess("203.0.113.9", secret).status_code == 429  # even a real token waits
    assert _guess("198.51.100.4", secret).status_code == 200  # other clients are not affected


def test_each_client_is_counted_on_its_own(settings):
    settings.AUTH_FAILURES_PER_MIN = 5
    _at_the_start_of_a_minute(seconds_needed=15.0)  # one row per client: all attempts in one minute
    for n in range(5):
        assert _guess("203.0.113.10", _bad(n)).status_code == 401
    assert _guess("203.0.113.10", _bad(5)).status_code == 429
    assert _guess("198.51.100.5", _bad(6)).status_code == 401
    auth_failures_flush(now=time.time() + 60)
    rows = {r.target_id: r.details["count"] for r in AuditEvent.objects.filter(event_type=FAILURES)}
    assert rows == {client_pseudonym("203.0.113.10"): 6, client_pseudonym("198.51.100.5"): 1}


def test_the_next_attempt_or_the_beat_task_flushes_finished_minutes():
    start = (time.time() // 60) * 60
    auth_failure_record(client="203.0.113.11", client_id="c1", kind="api_token", reason="invalid_token",
                        now=start + 5)
    auth_failure_record(client="203.0.113.11", client_id="c1", kind="api_token", reason="invalid_token",
                        now=start + 6)
    assert AuditEvent.objects.count() == 0  # the minute is not over
    auth_failure_record(client="203.0.113.12", client_id="c2", kind="password", reason="bad_credentials",
                        name="ann", now=start + 65)
    assert [(r.target_id, r.details["count"]) for r in AuditEvent.objects.all()] == [("c1", 2)]
    assert auth_failures_flush_task.apply().get() == 0  # c2's minute is still running
    assert auth_failures_flush(now=start + 125) == 1
    assert AuditEvent.objects.filter(target_id="c2", details__names=["ann"]).exists()
    assert auth_failures_flush(now=start + 200) == 0  # each minute is written once
