"""Attack 9 of issue 10 (password guessing): sign-in was unthrottled and every failure wrote
an audit row under the global audit lock.

Now django-axes locks a username+address out after LOGIN_FAILURE_LIMIT failures for
LOGIN_COOLOFF_MIN minutes, even with the right password, and failures reach the trail
as one ``auth.failures`` row per client and minute."""
from __future__ import annotations

import base64
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client
from rest_framework.test import APIClient

from rag.access.failures import auth_failures_flush
from rag.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
RIGHT, WRONG = "correct horse battery", "wrong horse battery"


def _sign_in(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_a_locked_out_login_is_refused_even_with_the_right_password_until_the_cool_off(settings, user):
    settings.AXES_FAILURE_LIMIT = 5
    browser = Client(REMOTE_ADDR="203.0.113.20")
    statuses = [_sign_in(browser, "employee", WRONG).status_code for _ in range(5)]
    assert statuses == [200] * 4 + [429]  # the form again, then the lockout page

    locked = _sign_in(browser, "employee", RIGHT)
    assert locked.status_code == 429 and not _signed_in(browser)
    page = locked.content.decode()
    assert "Sign-in locked" in page and "employee" in page and "even with the right password" in page
    assert "15 minutes" in page and locked["Retry-After"] == "900"

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))  # the cool-off passes
    assert _sign_in(browser, "employee", RIGHT).status_code == 302 and _signed_in(browser)


def test_the_lockout_is_per_username_and_address(settings, user, django_user_model):
    settings.AXES_FAILURE_LIMIT = 3
    django_user_model.objects.create_user(username="colleague", password=RIGHT)
    attacker = Client(REMOTE_ADDR="203.0.113.21")
    for _ in range(3):
        _sign_in(attacker, "employee", WRONG)
    assert _sign_in(attacker, "employee", RIGHT).status_code == 429
    assert _sign_in(attacker, "colleague", RIGHT).status_code == 302  # another account from there
    office = Client(REMOTE_ADDR="198.51.100.20")
    assert _sign_in(office, "employee", RIGHT).status_code == 302  # the same account from elsewhere


def _basic(address: str, password: str) -> APIClient:
    api = APIClient(REMOTE_ADDR=address)
    api.credentials(HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"employee:{password}".encode()).decode())
    return api


def test_the_api_refuses_a_locked_out_username_too(settings, user):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        assert _basic("203.0.113.22", WRONG).get("/api/v1/documents").status_code == 401
    assert _basic("203.0.113.22", RIGHT).get("/api/v1/documents").status_code == 401  # locked out
    assert _basic("198.51.100.22", RIGHT).get("/api/v1/documents").status_code == 200


def test_failed_sign_ins_are_audited_once_per_client_and_minute(settings, user):
    settings.AXES_FAILURE_LIMIT = 5
    browser = Client(REMOTE_ADDR="203.0.113.23")
    for _ in range(6):
        _sign_in(browser, "employee", WRONG)
    assert not AuditEvent.objects.exists()
    auth_failures_flush(now=time.time() + 60)
    row = AuditEvent.objects.get()
    assert row.event_type == AuditEvent.EventType.AUTH_FAILURES
    assert row.details["kind"] == "password" and row.details["count"] == 6 and row.details["names"] == ["employee"]
    assert set(row.details["reasons"]) <= {"bad_credentials", "locked_out"}
    assert WRONG not in str(row.details)
