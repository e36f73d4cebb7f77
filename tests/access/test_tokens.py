"""API tokens: created in the admin and shown once, stored hashed, refused when expired,
revoked, unknown or out of scope, and every use and refusal audited."""
from __future__ import annotations

import hashlib
import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from rag.access.failures import auth_failures_flush
from rag.access.models import APIToken
from rag.access.services import api_token_create, api_token_revoke
from rag.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

USED, REFUSED = AuditEvent.EventType.API_TOKEN_USED, AuditEvent.EventType.API_TOKEN_REFUSED
FAILURES = AuditEvent.EventType.AUTH_FAILURES


def _failures_audited() -> AuditEvent:
    """The aggregated row of this minute's failed attempts (rag.access.failures), flushed now."""
    assert not AuditEvent.objects.filter(event_type=FAILURES).exists()  # counted, not one row per attempt
    auth_failures_flush(now=time.time() + 60)
    return AuditEvent.objects.get(event_type=FAILURES)


def _bearer(api_client, secret: str):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return api_client


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


def test_it_stores_only_the_sha256_of_the_secret():
    token, secret = api_token_create(name="app", scopes=["query"], all_collections=True)
    assert re.fullmatch(r"pmt_[A-Za-z0-9_-]{43}", secret)
    stored = APIToken.objects.get(pk=token.pk)
    assert stored.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.prefix == secret[:12]
    assert secret not in str(APIToken.objects.filter(pk=token.pk).values().get())


def test_it_records_every_use_and_the_last_used_time(api_client):
    token, secret = api_token_create(name="app", scopes=["query"], all_collections=True)
    for _ in range(2):
        assert _bearer(api_client, secret).get("/api/v1/collections").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None and timezone.now() - token.last_used_at < timedelta(minutes=1)
    used = AuditEvent.objects.filter(event_type=USED, target_id=str(token.pk)).order_by("id")
    assert used.count() == 2
    assert used.last().actor == "token:app"
    assert used.last().details == {"prefix": secret[:12], "scopes": ["query"], "method": "GET",
                                   "path": "/api/v1/collections"}
    assert secret not in str(list(used.values("details")))


@pytest.mark.parametrize("state, code", [("expired", "token_expired"), ("revoked", "token_revoked")])
def test_it_rejects_expired_and_revoked_tokens_and_audits_the_refusal(api_client, state, code):
    token, secret = api_token_create(name="app", scopes=["query"], all_collections=True)
    if state == "expired":
        APIToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    else:
        api_token_revoke(token=token)
    response = _bearer(api_client, secret).post("/api/v1/query", {"question": "hello"}, format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code
    refused = _failures_audited()
    assert refused.details["kind"] == "api_token" and refused.details["names"] == ["app"]
    assert refused.details["reasons"] == {code: 1} and refused.details["count"] == 1
    assert not AuditEvent.objects.filter(event_type=USED).exists()
    token.refresh_from_db()
    assert token.last_used_at is None


def test_it_rejects_an_unknown_token_and_audits_it_without_the_secret(api_client):
    response = _bearer(api_client, "pmt_" + "x" * 43).get("/api/v1/documents")
    assert response.status_code == 401 and response.json()["error"]["code"] == "invalid_token"
    refused = _failures_audited()
    assert refused.actor == "anonymous" and refused.details["names"] == ["pmt_xxxxxxxx"]
    assert "x" * 43 not in str(refused.details)


def test_it_rejects_a_token_without_the_scope_with_403_and_audits_it(api_client):
    token, secret = api_token_create(name="crawler", scopes=["ingest"], all_collections=True)
    response = _bearer(api_client, secret).post("/api/v1/query", {"question": "hello"}, format="json")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "insufficient_scope" and "lacks the 'query' scope" in error["message"]
    refused = AuditEvent.objects.get(event_type=REFUSED)
    assert refused.details["reason"] == "insufficient_scope" and refused.actor == "token:crawler"


def test_the_admin_scope_includes_query_and_ingest(api_client):
    _, secret = api_token_create(name="ops", scopes=["admin"], all_collections=True)
    response = _bearer(api_client, secret).post("/api/v1/query", {"question": "anything at all?"}, format="json")
    assert response.status_code == 200


def test_a_token_is_not_a_signed_in_user_for_the_web_pages(client):
    _, secret = api_token_create(name="ops", scopes=["admin"], all_collections=True)
    response = client.get("/documents/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_token_reads_only_its_collections(api_client):
    from tests.factories import collection

    alpha, beta = collection("alpha"), collection("beta")
    _, secret = api_token_create(name="app", scopes=["query"], collections=[alpha])
    slugs = [c["slug"] for c in _bearer(api_client, secret).get("/api/v1/collections").json()["results"]]
    assert slugs == ["alpha"]


def test_an_admin_creates_a_token_and_sees_its_secret_exactly_once(client, admin_user_obj):
    from tests.factories import collection

    alpha = collection("alpha")
    client.force_login(admin_user_obj)
    expires = timezone.now() + timedelta(days=30)
    response = client.post("/admin/access/apitoken/add/", {
        "name": "wiki-bot", "scopes": ["query"], "collections": [alpha.pk], "rate_limit_per_min": "",
        "expires_at_0": expires.strftime("%Y-%m-%d"), "expires_at_1": expires.strftime("%H:%M:%S"),
    })
    assert response.status_code == 200, response.content[:2000]
    secret = re.search(r'value="(pmt_[A-Za-z0-9_-]{43})"', response.content.decode()).group(1)
    assert "no-store" in response["Cache-Control"]
    token = APIToken.objects.get(name="wiki-bot")
    assert token.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert token.created_by == admin_user_obj and token.scopes == ["query"]
    assert list(token.collections.all()) == [alpha]
    # never again: not on the change page, not in the list
    for url in (f"/admin/access/apitoken/{token.pk}/change/", "/admin/access/apitoken/"):
        assert secret not in client.get(url).content.decode()
    assert client.get("/api/v1/collections", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


def test_the_admin_refuses_a_token_limited_to_no_collection(client, admin_user_obj):
    client.force_login(admin_user_obj)
    expires = timezone.now() + timedelta(days=30)
    response = client.post("/admin/access/apitoken/add/", {
        "name": "nothing", "scopes": ["query"], "rate_limit_per_min": "",
        "expires_at_0": expires.strftime("%Y-%m-%d"), "expires_at_1": expires.strftime("%H:%M:%S"),
    })
    assert response.status_code == 200 and "all collections" in response.content.decode()
    assert not APIToken.objects.exists()


def test_the_admin_revoke_action_refuses_the_token_from_then_on(client, admin_user_obj, api_client):
    token, secret = api_token_create(name="app", scopes=["query"], all_collections=True)
    assert _bearer(api_client, secret).get("/api/v1/collections").status_code == 200
    client.force_login(admin_user_obj)
    response = client.post("/admin/access/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _bearer(api_client, secret).get("/api/v1/collections").status_code == 401

