"""Sign-ins and failed sign-ins are audited; passwords never are."""
from __future__ import annotations

import json
import time

import pytest

from rag.access.failures import auth_failures_flush
from rag.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
E = AuditEvent.EventType


def test_it_records_an_admin_login(client, admin_user_obj):
    response = client.post("/accounts/login/", {"username": "boss", "password": "correct horse battery"})
    assert response.status_code == 302
    event = AuditEvent.objects.get()
    assert (event.event_type, event.actor, event.actor_id) == (E.ADMIN_LOGIN, "boss", admin_user_obj.pk)


def test_it_records_a_user_login_through_the_login_page(client, user):
    response = client.post("/accounts/login/", {"username": "employee", "password": "correct horse battery"})
    assert response.status_code == 302
    event = AuditEvent.objects.get()
    assert (event.event_type, event.actor, event.details) == (E.USER_LOGIN, "employee", {"path": "/accounts/login/"})


def test_it_records_a_failed_login_with_the_username_and_never_the_password(client, user):
    client.post("/accounts/login/", {"username": "employee", "password": "wrong-Secret-42"})
    assert not AuditEvent.objects.exists()  # counted, then audited per client and minute
    auth_failures_flush(now=time.time() + 60)
    event = AuditEvent.objects.get()
    assert (event.event_type, event.actor, event.details["kind"], event.details["names"]) == (
        E.AUTH_FAILURES, "anonymous", "password", ["employee"])
    row = json.dumps([event.actor, event.target_id, event.details])
    assert "wrong-Secret-42" not in row and "*****" not in row
