"""Rate limits per token and per user, on the real Redis: 429 with Retry-After."""
from __future__ import annotations

import uuid

import pytest
from rest_framework.test import APIClient

from rag.access.ratelimit import WINDOW_S, rate_limit_hit
from rag.access.services import api_token_create

pytestmark = pytest.mark.django_db


def _key() -> str:
    return f"test:{uuid.uuid4().hex}"


def test_the_window_allows_the_limit_then_refuses_with_the_wait_until_the_next_bucket():
    key, start = _key(), 1_000_000 * WINDOW_S + 10.0  # 10 s into a bucket, nothing in the previous one
    assert all(rate_limit_hit(key=key, limit=3, now=start).allowed for _ in range(3))
    refused = rate_limit_hit(key=key, limit=3, now=start + 1)
    assert not refused.allowed and refused.retry_after_s == WINDOW_S - 11 + 20  # then 2/3 of this bucket has slid out
    assert not rate_limit_hit(key=key, limit=3, now=start + 2).allowed  # refusals are not counted...
    later = start + refused.retry_after_s + 1
    assert rate_limit_hit(key=key, limit=3, now=later).allowed  # ...so waiting Retry-After is enough


def test_the_previous_bucket_still_counts_in_proportion():
    key, bucket_start = _key(), 2_000_000 * WINDOW_S
    for _ in range(4):
        assert rate_limit_hit(key=key, limit=4, now=bucket_start + 50).allowed
    # 15 s into the next bucket, 3 of the 4 still count: one more fits, then none
    assert rate_limit_hit(key=key, limit=4, now=bucket_start + WINDOW_S + 15).allowed
    refused = rate_limit_hit(key=key, limit=4, now=bucket_start + WINDOW_S + 16)
    assert not refused.allowed and refused.retry_after_s == 14  # at 30 s: 4 * 30/60 + 1 + 1 <= 4


def test_a_token_over_its_query_limit_gets_429_with_retry_after(settings):
    settings.RATE_LIMIT_QUERY_PER_MIN = 2
    _, secret = api_token_create(name=f"app-{uuid.uuid4().hex[:6]}", scopes=["query"], all_collections=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    statuses = [client.post("/api/v1/query", {"question": "anything?"}, format="json").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = client.post("/api/v1/query", {"question": "anything?"}, format="json")
    assert 1 <= int(refused["Retry-After"]) <= 2 * WINDOW_S
    assert refused.json()["error"]["code"] == "throttled"
    # other scopes have their own budget
    assert client.get("/api/v1/collections").status_code == 200


def test_a_token_limit_overrides_the_default(settings):
    settings.RATE_LIMIT_READ_PER_MIN = 100
    _, secret = api_token_create(name=f"app-{uuid.uuid4().hex[:6]}", scopes=["query"], all_collections=True,
                                 rate_limit_per_min=1)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert [client.get("/api/v1/collections").status_code for _ in range(2)] == [200, 429]


def test_users_are_limited_each_on_their_own(settings, django_user_model):
    settings.RATE_LIMIT_QUERY_PER_MIN = 1
    clients = []
    for name in ("ann", "bob"):
        client = APIClient()
        client.force_login(django_user_model.objects.create_user(username=f"{name}-{uuid.uuid4().hex[:6]}"))
        clients.append(client)
    ask = {"question": "anything?"}
    assert clients[0].post("/api/v1/query", ask, format="json").status_code == 200
    assert clients[0].post("/api/v1/query", ask, format="json").status_code == 429
    assert clients[1].post("/api/v1/query", ask, format="json").status_code == 200


def test_the_web_ui_shares_the_users_query_limit(settings, client, django_user_model):
    settings.RATE_LIMIT_QUERY_PER_MIN = 1
    client.force_login(django_user_model.objects.create_user(username=f"cy-{uuid.uuid4().hex[:6]}"))
    assert client.post("/ask/stream", {"question": "anything?"}).status_code == 200
    refused = client.post("/ask/stream", {"question": "anything?"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
