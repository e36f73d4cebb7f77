"""/healthz and /readyz against the real services: each failure names its check."""
from __future__ import annotations

import time

import pytest

from rag.ops import state
from rag.ops.tasks import audit_chain_verify_task


def _ready_everything_else():
    state.worker_heartbeat_write(worker="celery@test")
    audit_chain_verify_task.apply()  # the beat task, run here on this test's database


def test_healthz_answers_without_signing_in(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200 and resp.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_ok_when_every_dependency_is(client, redis_db, llm_server):
    _ready_everything_else()
    resp = client.get("/readyz")
    assert resp.status_code == 200, resp.content
    assert resp.json() == {"status": "ok", "checks": {name: "ok" for name in
                                                      ("database", "redis", "llm", "worker", "audit")}}


@pytest.mark.django_db
def test_readyz_names_redis_when_it_stops(client, own_redis, llm_server):
    _ready_everything_else()
    assert client.get("/readyz").status_code == 200
    own_redis.stop()
    resp = client.get("/readyz")
    body = resp.json()
    assert resp.status_code == 503
    assert body["status"] == "unavailable" and "redis" in body["failed"]
    assert body["checks"]["redis"] == "redis unreachable: ConnectionError"
    assert body["checks"]["database"] == "ok" and body["checks"]["llm"] == "ok"


@pytest.mark.django_db
def test_readyz_refuses_when_no_worker_heartbeat_was_seen_in_a_minute(client, redis_db, llm_server):
    audit_chain_verify_task.apply()
    assert client.get("/readyz").json()["checks"]["worker"] == "no worker heartbeat seen"
    state.worker_heartbeat_write(worker="celery@test", now=time.time() - 90)
    body = client.get("/readyz").json()
    assert body["failed"] == ["worker"] and body["checks"]["worker"] == "last worker heartbeat 90 s ago"


@pytest.mark.django_db
def test_readyz_refuses_an_audit_chain_not_verified_recently_or_broken(client, redis_db, llm_server, settings):
    state.worker_heartbeat_write(worker="celery@test")
    assert client.get("/readyz").json()["checks"]["audit"] == "audit chain not verified yet"
    state.audit_verified_write(ok=True, head_id=1, checked=1, reason="", at=time.time() - 3 * 3600)
    assert client.get("/readyz").json()["failed"] == ["audit"]
    state.audit_verified_write(ok=False, head_id=1, checked=1, reason="stored hash does not match")
    assert client.get("/readyz").json()["checks"]["audit"] == "audit chain broken: stored hash does not match"


@pytest.mark.django_db
def test_readyz_names_the_model_server_when_it_does_not_serve_the_configured_model(client, redis_db, llm_server,
                                                                                   settings):
    _ready_everything_else()
    settings.LLM_MODEL = "not-served-here"
    body = client.get("/readyz").json()
    assert body["failed"] == ["llm"]
    assert body["checks"]["llm"] == "local model server does not serve 'not-served-here'"


@pytest.mark.django_db
def test_readyz_names_the_model_server_when_it_is_unreachable(client, redis_db, settings):
    from rag.embedded.net import port_free

    _ready_everything_else()
    settings.LLM_BASE_URL = f"http://127.0.0.1:{port_free()}/v1"
    body = client.get("/readyz").json()
    assert body["failed"] == ["llm"] and body["checks"]["llm"] == "local model server unreachable: ConnectError"


@pytest.mark.django_db
def test_a_failed_readyz_logs_one_line_naming_the_check_and_no_traceback(client, redis_db, settings, caplog):
    from rag.embedded.net import port_free

    _ready_everything_else()
    settings.LLM_BASE_URL = f"http://127.0.0.1:{port_free()}/v1"
    with caplog.at_level("INFO"):
        assert client.get("/readyz").status_code == 503
    lines = [r for r in caplog.records if r.levelname == "WARNING"]
    assert [r.getMessage() for r in lines] == ["not ready: llm: local model server unreachable: ConnectError"]
    assert all(r.exc_info is None for r in caplog.records)
