"""Property: whatever the groups, grants, memberships and document placement, no response
shows a principal anything of a document it may not read: not its text, title or
source, not its id, not a count that includes it.

Hypothesis draws a world: three documents ingested into three collections, each
collection granted to a random set of three groups (or to everyone signed in), and
a principal that is either an employee in a random set of groups or an API token
limited to a random set of collections. The expected readable set is computed
here independently of :mod:`rag.access.selectors`.
"""
from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from ingest.models import Document
from ingest.services import document_delete
from rag.access.selectors import collection_ids_readable
from rag.access.services import api_token_create, collection_access_set
from tests.factories import collection, document_ingested

pytestmark = pytest.mark.django_db

DOCS = [  # (source, text, question, code word)
    ("ruby.md", "# Ruby vault\n\nThe ruby vault code is CODE-RUBY-11 and it opens at dawn.",
     "What is the ruby vault code?", "CODE-RUBY-11"),
    ("jade.md", "# Jade garden\n\nThe jade garden is watered with CODE-JADE-22 fertiliser on Mondays.",
     "What fertiliser is used in the jade garden?", "CODE-JADE-22"),
    ("onyx.md", "# Onyx tower\n\nThe onyx tower lift password is CODE-ONYX-33 for the night shift.",
     "What is the onyx tower lift password?", "CODE-ONYX-33"),
]


@pytest.fixture
def world(django_user_model):
    collections = [collection(f"c{i}") for i in range(3)]
    docs = [document_ingested(source=s, text=t, collection_slug="c0") for s, t, _, _ in DOCS]
    groups = [Group.objects.create(name=f"g{i}") for i in range(3)]
    user = django_user_model.objects.create_user(username="someone")
    token, secret = api_token_create(name="app", scopes=["query"], collections=[])
    return {"collections": collections, "docs": docs, "groups": groups, "user": user, "token": token,
            "secret": secret}


subset = st.sets(st.integers(0, 2))


def _place(doc: Document, i: int, target) -> Document:
    """The document ``i`` of DOCS, ingested into ``target`` (re-ingested if it is elsewhere:
    documents change collection by being ingested again, not by an UPDATE)."""
    if doc.collection_id == target.pk:
        return doc
    document_delete(document=doc)
    source, text, _, _ = DOCS[i]
    return document_ingested(source=source, text=text, collection_slug=target.slug)


def _responses(client, docs, question, is_user: bool) -> list[tuple[str, int, str]]:
    out = []

    def record(label, response):
        body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
        out.append((label, response.status_code, body.decode()))

    record("list", client.get("/api/v1/documents"))
    record("collections", client.get("/api/v1/collections"))
    record("query", client.post("/api/v1/query", {"question": question, "top_k": 3}, format="json"))
    for doc in docs:
        record(f"detail {doc.pk}", client.get(f"/api/v1/documents/{doc.pk}"))
    if is_user:  # web pages are for people
        record("documents page", client.get("/documents/"))
        for doc in docs:
            record(f"source {doc.pk}", client.get(f"/sources/{doc.chunks.first().pk}/"))
    return out


@given(
    placement=st.lists(st.integers(0, 2), min_size=3, max_size=3),
    grants=st.lists(subset, min_size=3, max_size=3),
    open_to_all=st.lists(st.booleans(), min_size=3, max_size=3),
    principal=st.sampled_from(["user", "token"]),
    membership=subset,
    token_collections=subset,
    asked=st.integers(0, 2),
)
@settings(max_examples=8, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_no_response_shows_anything_of_an_unreadable_document(world, llm_server, placement, grants, open_to_all,
                                                              principal, membership, token_collections, asked):
    colls, groups = world["collections"], world["groups"]
    docs = world["docs"] = [_place(doc, i, colls[where]) for i, (doc, where) in enumerate(zip(world["docs"], placement))]
    for i, coll in enumerate(colls):
        collection_access_set(collection=coll, groups=[groups[g] for g in grants[i]], all_signed_in=open_to_all[i])
    client = APIClient()
    if principal == "user":
        world["user"].groups.set([groups[g] for g in membership])
        readable_colls = {i for i in range(3) if open_to_all[i] or grants[i] & membership}
        client.force_login(world["user"])
        assert set(collection_ids_readable(user=world["user"])) == {colls[i].pk for i in readable_colls}
    else:
        world["token"].collections.set([colls[i] for i in token_collections])
        readable_colls = token_collections
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {world['secret']}")
    readable_docs = {d.pk for d, where in zip(docs, placement) if where in readable_colls}
    hidden = [(d, DOCS[i]) for i, d in enumerate(docs) if d.pk not in readable_docs]

    for label, status, body in _responses(client, docs, DOCS[asked][2], principal == "user"):
        for doc, (source, _, _, code_word) in hidden:
            assert code_word not in body and source not in body, (label, doc.pk)
            if label in (f"detail {doc.pk}", f"source {doc.pk}"):
                assert status == 404, label
        if label == "list":
            assert {d["id"] for d in json.loads(body)["results"]} == readable_docs
        elif label == "query":
            cited = {c["document_id"] for c in json.loads(body)["citations"]}
            assert cited <= readable_docs
        elif label == "collections":
            assert {c["slug"] for c in json.loads(body)["results"]} == {f"c{i}" for i in readable_colls}
        elif label == "documents page":
            assert f"ready ({len(readable_docs)})" in body
