"""schemathesis against the schema the app serves at /api/schema/, with a valid admin token.

Each operation gets generated requests; every response must be free of 5xx, use
a status code and content type the schema declares, and match the declared body
schema (the error body included). Requests go to the app in-process (WSGI) so
they share the test's database transaction; the data is empty, so questions are
answered "I don't know" without calling the model.
"""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from rag.access.services import api_token_create

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]


@pytest.fixture
def api_schema(db):
    """The served schema, called in-process. Like Django's test client, keep the test's
    connection open across requests (``close_old_connections`` would close it mid-transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from rag.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_secret(db):
    from tests.factories import collection

    collection("default")
    return api_token_create(name="schemathesis", scopes=["admin"], all_collections=True)[1]


def test_every_operation_conforms_to_the_schema(api_schema, admin_secret):
    """One hypothesis run per operation (``schema.parametrize`` cannot run under pytest 9
    yet, so the operations are walked here)."""
    labels = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        labels.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {admin_secret}"}, checks=CHECKS)

        try:
            run()
        except Exception as exc:
            raise AssertionError(f"{operation.label}: {exc}") from exc
    assert "POST /v1/chat/completions" in labels and "POST /api/v1/documents" in labels


def test_the_schema_describes_the_whole_api(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    for path in ("/api/v1/query", "/api/v1/documents", "/api/v1/documents/{document_id}", "/api/v1/collections",
                 "/api/v1/tokens", "/v1/chat/completions", "/v1/models"):
        assert path in paths
    for path, item in paths.items():
        for method, operation in item.items():
            assert {"401", "403", "429"} <= set(operation["responses"]), (method, path)
            for status, response in operation["responses"].items():
                if status >= "400":
                    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_lists_are_paginated(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    for path in ("/api/v1/documents", "/api/v1/collections", "/api/v1/tokens"):
        ref = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.rsplit("/", 1)[1].startswith("Paginated"), path
