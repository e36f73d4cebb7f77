"""Property: whatever the groups, roles, memberships, flags and document placement, no response
shows a principal anything of a document it may not read (not its text, title or source, not
its id, not a count that includes it), and a principal writes and manages exactly the
collections its role allows.

Hypothesis draws a world: three documents ingested into three collections; on each
collection, each of three groups holds no role or reader, contributor or manager, the
user may hold a role of their own, and the collection may be open to everyone signed in.
The principal is either that user, in a random set of groups, with random ``is_staff``,
approver and auditor flags (none of which may change what they read or write), or an API
token with random scopes limited to a random set of collections. The expected sets are
computed here independently of :mod:`rag.access.selectors`.
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
from django.core.files.uploadedfile import SimpleUploadedFile

from rag.access.roles import APPROVER, AUDITOR
from rag.access.selectors import collection_ids_readable, collection_manageable, collection_writable
from rag.access.services import (api_token_create, collection_open_set, collection_role_grant, collection_role_revoke,
                                 global_role_set)
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
ROLES = [None, "reader", "contributor", "manager"]
RANK = {None: 0, "reader": 1, "contributor": 2, "manager": 3}
TOKEN_RANK = {"query": 1, "ingest": 2, "admin": 3}
role = st.sampled_from(ROLES)


def _roles_set(coll, holders: list[tuple[dict, str | None]]) -> None:
    for holder, wanted in holders:
        if wanted is None:
            collection_role_revoke(collection=coll, actor="system", **holder)
        else:
            collection_role_grant(collection=coll, role=wanted, actor="system", **holder)


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
    group_roles=st.lists(st.lists(role, min_size=3, max_size=3), min_size=3, max_size=3),
    user_roles=st.lists(role, min_size=3, max_size=3),
    open_to_all=st.lists(st.booleans(), min_size=3, max_size=3),
    principal=st.sampled_from(["user", "token"]),
    membership=subset,
    flags=st.fixed_dictionaries({"staff": st.booleans(), "approver": st.booleans(), "auditor": st.booleans()}),
    token_collections=subset,
    token_scopes=st.sets(st.sampled_from(["query", "ingest", "admin"]), min_size=1),
    asked=st.integers(0, 2),
    upload_into=st.integers(0, 2),
)
@settings(max_examples=10, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_no_response_shows_anything_of_an_unreadable_document(world, llm_server, placement, group_roles, user_roles,
                                                              open_to_all, principal, membership, flags,
                                                              token_collections, token_scopes, asked, upload_into):
    colls, groups, user = world["collections"], world["groups"], world["user"]
    docs = world["docs"] = [_place(doc, i, colls[where])
                            for i, (doc, where) in enumerate(zip(world["docs"], placement))]
    for i, coll in enumerate(colls):
        collection_open_set(collection=coll, all_signed_in=open_to_all[i], actor="system")
        _roles_set(coll, [({"group": g}, group_roles[i][n]) for n, g in enumerate(groups)] + [({"user": user},
                                                                                              user_roles[i])])
    client = APIClient()
    token = None
    if principal == "user":
        user.groups.set([groups[g] for g in membership])
        for flag, global_role in (("approver", APPROVER), ("auditor", AUDITOR)):
            global_role_set(user=user, role=global_role, granted=flags[flag], actor="system")
        user.is_staff = flags["staff"]
        user.save()
        user = type(user).objects.get(pk=user.pk)  # no cached permissions
        rank = [max([RANK[user_roles[i]]] + [RANK[group_roles[i][g]] for g in membership]) for i in range(3)]
        readable_colls = {i for i in range(3) if open_to_all[i] or rank[i] >= 1}
        client.force_login(user)
        assert set(collection_ids_readable(user=user)) == {colls[i].pk for i in readable_colls}
    else:
        token = world["token"]
        token.collections.set([colls[i] for i in token_collections])
        token.scopes = sorted(token_scopes)
        token.save()
        rank = [max(TOKEN_RANK[s] for s in token_scopes) if i in token_collections else 0 for i in range(3)]
        readable_colls = token_collections
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {world['secret']}")
    principal_user = user if principal == "user" else None
    for i, coll in enumerate(colls):  # contributor writes, manager manages; nothing else does
        for by in ({"slug": coll.slug}, {"collection_id": coll.pk}):
            assert (collection_writable(user=principal_user, token=token, **by) is not None) == (rank[i] >= 2), i
            assert (collection_manageable(user=principal_user, token=token, **by) is not None) == (rank[i] >= 3), i
    readable_docs = {d.pk for d, where in zip(docs, placement) if where in readable_colls}
    hidden = [(d, DOCS[i]) for i, d in enumerate(docs) if d.pk not in readable_docs]

    for label, status, body in _responses(client, docs, DOCS[asked][2], principal == "user"):
        for doc, (source, _, _, code_word) in hidden:
            assert code_word not in body and source not in body, (label, doc.pk)
            if label in (f"detail {doc.pk}", f"source {doc.pk}"):
                assert status == 404, label
        if label == "list":
            assert {d["id"] for d in json.loads(body)["results"]} == readable_docs
        elif label == "query" and principal == "token" and not token_scopes & {"query", "admin"}:
            assert status == 403, body  # an ingest-only token may not ask
        elif label == "query":
            cited = {c["document_id"] for c in json.loads(body)["citations"]}
            assert cited <= readable_docs
        elif label == "collections":
            assert {c["slug"] for c in json.loads(body)["results"]} == {f"c{i}" for i in readable_colls}
        elif label == "documents page":
            assert f"ready ({len(readable_docs)})" in body

    upload = client.post("/api/v1/documents", {"file": SimpleUploadedFile("probe.md", b"# Probe\n\nA probe."),
                                               "collection": colls[upload_into].slug}, format="multipart")
    assert (upload.status_code == 202) == (rank[upload_into] >= 2), (upload.status_code, upload.content[:200])
    Document.objects.filter(source="probe.md").delete()  # the next example starts from the same documents
