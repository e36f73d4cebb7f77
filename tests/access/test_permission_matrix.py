"""Who may call what: every endpoint and page, for every kind of principal.

Each test sends one request per principal and compares the status codes with a
row of MATRIX; for the requests that succeed it also checks what the principal
sees (only documents of collections they may read). Tokens are for the API only:
web pages ignore ``Authorization`` and send them to the login page.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access.conftest import ALPHA_QUESTION

pytestmark = pytest.mark.django_db

PRINCIPALS = ("anon", "emp_a", "emp_b", "contrib_a", "mgr_a", "approver", "auditor", "staff",
              "tok_query", "tok_ingest", "tok_admin", "admin")
MATRIX = {
    #                                   anon emp_a emp_b contr mgr_a apprv audit staff tok_q tok_i tok_a admin
    "GET /":                            (302, 200, 200, 200, 200, 200, 200, 200, 302, 302, 302, 200),
    "POST /ask/stream":                 (302, 200, 200, 200, 200, 200, 200, 200, 302, 302, 302, 200),
    "GET /documents/":                  (302, 200, 200, 200, 200, 200, 200, 200, 302, 302, 302, 200),
    "GET /sources/<alpha chunk>/":      (302, 200, 404, 200, 200, 404, 404, 404, 302, 302, 302, 200),
    "GET /accounts/login/":             (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /admin/":                      (302, 302, 302, 302, 302, 302, 302, 200, 302, 302, 302, 200),
    "GET /admin/access/collectionrole/": (302, 302, 302, 302, 302, 302, 302, 403, 302, 302, 302, 200),
    "GET /api/schema/":                 (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /api/docs/":                   (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /api/v1/query":               (401, 200, 200, 200, 200, 200, 200, 200, 200, 403, 200, 200),
    "POST /api/v1/search":              (401, 200, 200, 200, 200, 200, 200, 200, 200, 403, 200, 200),
    "GET /api/v1/documents":            (401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /api/v1/documents/<alpha>":    (401, 200, 404, 200, 200, 404, 404, 404, 200, 200, 200, 200),
    "POST /api/v1/documents (alpha)":   (401, 400, 400, 202, 202, 400, 400, 400, 403, 202, 202, 202),
    "GET /api/v1/collections":          (401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /api/v1/tokens":               (401, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200, 200),
    "GET /v1/models":                   (401, 401, 401, 401, 401, 401, 401, 401, 200, 403, 200, 401),
    "POST /v1/chat/completions":        (401, 401, 401, 401, 401, 401, 401, 401, 200, 403, 200, 401),
    "GET /admin-console/approvals/":    (302, 403, 403, 403, 403, 200, 403, 403, 302, 302, 302, 200),
    "GET /api/v1/fallback":             (401, 403, 403, 403, 403, 200, 403, 403, 403, 403, 403, 200),
    "GET /admin-console/audit/":        (302, 403, 403, 403, 403, 403, 200, 403, 302, 302, 302, 200),
    "GET /admin-console/audit/export.jsonl": (302, 403, 403, 403, 403, 403, 200, 403, 302, 302, 302, 200),
    "GET /admin-console/access/":       (302, 404, 404, 404, 200, 404, 404, 404, 302, 302, 302, 200),
    "GET /admin-console/ingestion/":    (302, 302, 302, 302, 302, 302, 302, 200, 302, 302, 302, 200),
}
# What each principal may read: alpha for its reader, contributor and manager and the alpha-limited
# tokens, beta for team-b; approver, auditor and staff read no collection.
READS_ALPHA = {"emp_a", "contrib_a", "mgr_a", "tok_query", "tok_ingest", "tok_admin", "admin"}
READS_BETA = {"emp_b", "tok_admin", "admin"}
# The audit trail names documents (sources), never their text: auditors read it without reading documents.
NAMES_DOCUMENTS = {"GET /admin-console/audit/", "GET /admin-console/audit/export.jsonl",
                   "GET /admin-console/ingestion/"}


# What the requests answered, per endpoint and principal; written as a markdown table to
# $ROLE_MATRIX_OUT when set (scripts/role_matrix.py).
OBSERVED: dict[str, dict[str, int]] = {}


def role_matrix_markdown(observed: dict[str, dict[str, int]]) -> str:
    """Endpoint x principal -> HTTP status, as a GitHub markdown table."""
    lines = ["| Endpoint | " + " | ".join(PRINCIPALS) + " |", "|---|" + "---|" * len(PRINCIPALS)]
    for endpoint in MATRIX:
        if endpoint in observed:
            lines.append(f"| `{endpoint}` | " + " | ".join(str(observed[endpoint][w]) for w in PRINCIPALS) + " |")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module", autouse=True)
def role_matrix_written():
    yield
    if os.environ.get("ROLE_MATRIX_OUT") and OBSERVED:
        Path(os.environ["ROLE_MATRIX_OUT"]).write_text(role_matrix_markdown(OBSERVED))


def _request(company, who: str, endpoint: str):
    client = company.client(who)
    method, path = endpoint.split(" ", 1)
    chunk = company.doc_a.chunks.first()
    path = (path.replace("<alpha chunk>", str(chunk.pk)).replace("<alpha>", str(company.doc_a.pk))
            .replace(" (alpha)", ""))
    if endpoint == "POST /ask/stream":
        response = client.post(path, {"question": ALPHA_QUESTION, "top_k": "3"})
        if getattr(response, "streaming", False):
            # Read the stream now, as a browser does: an open stream holds one of the
            # LLM_MAX_CONCURRENT_GENERATIONS slots until it ends, and the principals after
            # this one would wait for it (503 model_busy) if every stream were left open.
            response.streaming_content = [b"".join(response.streaming_content)]
        return response
    if endpoint == "POST /api/v1/query":
        return client.post(path, {"question": ALPHA_QUESTION, "top_k": 3}, format="json")
    if endpoint == "POST /api/v1/search":
        return client.post(path, {"query": ALPHA_QUESTION, "top_k": 3}, format="json")
    if endpoint == "POST /api/v1/documents (alpha)":
        upload = SimpleUploadedFile(f"note-from-{who}.md", f"# Note\n\nWritten by {who}.".encode())
        return client.post(path, {"file": upload, "collection": "alpha"}, format="multipart")
    if endpoint == "POST /v1/chat/completions":
        return client.post(path, {"model": "perimeter", "messages": [{"role": "user", "content": ALPHA_QUESTION}]},
                           format="json")
    return client.get(path)


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _check_content(company, endpoint: str, who: str, response) -> None:
    """What a successful response shows must match what ``who`` may read."""
    body = _body(response)
    sees_alpha, sees_beta = who in READS_ALPHA, who in READS_BETA
    for code_word, source, may in (("MARMALADE-7", "alpha/salaries.md", sees_alpha),
                                   ("PERISCOPE-42", "beta/launch.md", sees_beta)):
        if not may:
            assert code_word not in body, (endpoint, who)
            assert endpoint in NAMES_DOCUMENTS or source not in body, (endpoint, who)
    if endpoint == "POST /api/v1/query":
        cited = {c["document_id"] for c in response.json()["citations"]}
        assert (company.doc_a.pk in cited) == sees_alpha, (who, cited)
        assert company.doc_b.pk not in cited
    elif endpoint == "POST /api/v1/search":
        data = response.json()
        found = {h["document_id"] for h in data["hits"] + data["support"]["closest"]}
        assert (company.doc_a.pk in found) == sees_alpha, (who, found)
        assert sees_beta or company.doc_b.pk not in found, (who, found)
    elif endpoint == "POST /ask/stream":
        events = [json.loads(line[6:]) for line in body.splitlines() if line.startswith("data: ")]
        cited = {c["document_id"] for c in events[0]["citations"]}
        assert (company.doc_a.pk in cited) == sees_alpha, (who, cited)
    elif endpoint == "GET /api/v1/documents":
        sources = {d["source"] for d in response.json()["results"]}
        assert sources == {s for s, may in (("alpha/salaries.md", sees_alpha), ("beta/launch.md", sees_beta)) if may}
    elif endpoint == "GET /documents/":
        assert ("alpha/salaries.md" in body) == sees_alpha and ("beta/launch.md" in body) == sees_beta
        assert f"ready ({int(sees_alpha) + int(sees_beta)})" in body  # the counts leave the rest out too
    elif endpoint == "GET /sources/<alpha chunk>/":
        assert "MARMALADE-7" in body
    elif endpoint == "GET /api/v1/collections":
        slugs = {c["slug"] for c in response.json()["results"]}
        assert ("alpha" in slugs) == sees_alpha and ("beta" in slugs) == sees_beta
    elif endpoint == "GET /api/v1/tokens":
        names = {t["name"] for t in response.json()["results"]}
        assert names == {"chatbot", "crawler", "ops"}
        assert "secret" not in body and not any(secret in body for _, secret in company.tokens.values())
    elif endpoint == "GET /v1/models":
        ids = {m["id"] for m in response.json()["data"]}
        assert ids == ({"perimeter", "alpha", "beta"} if who == "tok_admin" else {"perimeter", "alpha"})
    elif endpoint == "GET /admin-console/access/":
        assert 'id="collection-alpha"' in body and ('id="collection-beta"' in body) == (who == "admin")
    elif endpoint == "GET /api/v1/fallback":
        assert response.json()["count"] == 0
    elif endpoint == "POST /v1/chat/completions":
        data = response.json()
        assert data["object"] == "chat.completion" and data["choices"][0]["message"]["content"]
        assert company.doc_a.pk in {c["document_id"] for c in data["perimeter"]["citations"]}


@pytest.mark.parametrize("endpoint", list(MATRIX))
def test_permission_matrix(company, llm_server, endpoint):
    observed, responses = {}, {}
    for who in PRINCIPALS:
        responses[who] = _request(company, who, endpoint)
        observed[who] = responses[who].status_code
    OBSERVED[endpoint] = observed
    assert observed == dict(zip(PRINCIPALS, MATRIX[endpoint])), endpoint
    for who, response in responses.items():
        if response.status_code in (200, 202) and endpoint not in ("GET /accounts/login/",):
            _check_content(company, endpoint, who, response)
        if response.status_code in (401, 403, 404) and endpoint.split(" ")[1].startswith(("/api/", "/v1/")):
            error = response.json()["error"]
            assert set(error) == {"code", "message", "details"}, (who, error)


def test_a_refused_api_request_says_how_to_authenticate(company):
    response = company.client("anon").post("/api/v1/query", {"question": "hi"}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="perimeter"'
    assert response.json()["error"]["code"] == "not_authenticated"


def test_an_employee_cannot_upload_into_a_collection_they_cannot_read_nor_learn_it_exists(company):
    client = company.client("emp_b")
    into_alpha = client.post("/api/v1/documents", {"file": SimpleUploadedFile("x.md", b"# x"), "collection": "alpha"},
                             format="multipart")
    into_nothing = client.post("/api/v1/documents", {"file": SimpleUploadedFile("x.md", b"# x"),
                                                     "collection": "no-such-thing"}, format="multipart")
    assert into_alpha.status_code == into_nothing.status_code == 400
    assert into_alpha.json()["error"]["code"] == into_nothing.json()["error"]["code"] == "unknown_collection"
    assert not company.alpha.documents.filter(source="x.md").exists()


def test_only_superusers_and_all_collection_admin_tokens_create_collections_by_uploading(company):
    from ingest.models import Collection

    for who, expected in (("emp_a", 400), ("staff", 400), ("mgr_a", 400), ("tok_ingest", 400), ("tok_admin", 202),
                          ("admin", 202)):
        response = company.client(who).post(
            "/api/v1/documents", {"file": SimpleUploadedFile("n.md", b"# n"), "collection": f"new-{who}"},
            format="multipart")
        assert response.status_code == expected, (who, response.content)
        assert Collection.objects.filter(slug=f"new-{who}").exists() == (expected == 202)


def _url_paths():
    """Every non-admin URL pattern of the project, with 1 for each path parameter."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                if not route.startswith("admin/"):
                    yield from walk(p.url_patterns, route)
            elif isinstance(p, URLPattern):
                yield route

    import re

    for route in walk(get_resolver().url_patterns):
        path = "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route).lstrip("^").rstrip("$")
        yield path


# The liveness and readiness probes answer anyone (they name checks, never data).
# /metrics is not here: from outside the internal networks it answers 404.
PUBLIC = {"/accounts/login/", "/api/schema/", "/api/docs/", "/healthz", "/readyz"}
OUTSIDE_ADDRESS = "203.0.113.9"  # TEST-NET-3: a client outside METRICS_ALLOWED_NETWORKS


@pytest.mark.parametrize("path", sorted(set(_url_paths())))
def test_nothing_but_the_login_page_and_the_api_description_is_open_to_anonymous_visitors(db, client, path):
    if path in PUBLIC:
        return
    for method in ("get", "post"):
        response = getattr(client, method)(path, REMOTE_ADDR=OUTSIDE_ADDRESS)
        assert response.status_code in (302, 401, 403, 404, 405), (method, path, response.status_code)
        if response.status_code == 302:
            assert "login" in response["Location"], (method, path)
