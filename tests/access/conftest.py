"""A small company for the access tests.

Two collections, each granted to one group and holding one document with a code
word found nowhere else: ``alpha`` (group ``team-a`` reads it: MARMALADE-7) and ``beta``
(group ``team-b`` reads it: PERISCOPE-42). Principals: anonymous, ``emp_a`` (team-a, a
reader of alpha), ``emp_b`` (team-b), ``contrib_a`` (group ``editors-a``: contributor of
alpha), ``mgr_a`` (manager of alpha, granted to the user), ``approver`` and ``auditor``
(those roles only), ``staff`` (``is_staff``, no grant), a superuser, and API tokens with
each scope limited to alpha (the admin token: every collection).
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from tests.factories import document_ingested

ALPHA_TEXT = ("# Zephyr salary bands\n\nThe Zephyr team salary band tops out at 91,000 euros a year. "
              "Reviews happen every March. Code word: MARMALADE-7.")
BETA_TEXT = ("# Quokka launch plan\n\nProject Quokka launches on 14 March from the Lisbon office. "
             "Code word: PERISCOPE-42.")
ALPHA_QUESTION = "What is the top of the Zephyr team salary band?"
BETA_QUESTION = "When does Project Quokka launch?"
PASSWORD = "correct horse battery"
USERS = ("emp_a", "emp_b", "contrib_a", "mgr_a", "approver", "auditor", "staff", "admin")


@pytest.fixture(autouse=True)
def generous_rate_limits(settings):
    """Most tests send many requests per principal; the rate-limit tests lower these."""
    settings.RATE_LIMIT_QUERY_PER_MIN = settings.RATE_LIMIT_INGEST_PER_MIN = 100_000
    settings.RATE_LIMIT_READ_PER_MIN = 100_000
    settings.LLM_MAX_TOKENS = 24  # short answers: the matrix asks many questions on CPU


@dataclass
class Company:
    alpha: object  # Collection
    beta: object
    doc_a: object  # Document (ready, with chunks)
    doc_b: object
    team_a: Group
    team_b: Group
    emp_a: object  # User
    emp_b: object
    admin: object
    tokens: dict  # scope name -> (APIToken, secret)
    contrib_a: object = None
    mgr_a: object = None
    approver: object = None
    auditor: object = None
    staff: object = None

    def client(self, who: str) -> APIClient:
        """An APIClient signed in as ``who``: anon, a user attribute (emp_a, emp_b, contrib_a, mgr_a,
        approver, auditor, staff, admin), or tok_query, tok_ingest, tok_admin."""
        client = APIClient()
        if who in USERS:
            client.force_login(getattr(self, who))
        elif who.startswith("tok_"):
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {self.tokens[who[4:]][1]}")
        return client


def company_build(django_user_model) -> Company:
    from rag.access.roles import APPROVER, AUDITOR
    from rag.access.services import api_token_create, collection_access_set, collection_role_grant, global_role_set

    doc_a = document_ingested(source="alpha/salaries.md", text=ALPHA_TEXT, collection_slug="alpha")
    doc_b = document_ingested(source="beta/launch.md", text=BETA_TEXT, collection_slug="beta")
    assert doc_a.status == doc_b.status == "ready", (doc_a.error, doc_b.error)
    team_a, team_b = Group.objects.create(name="team-a"), Group.objects.create(name="team-b")
    collection_access_set(collection=doc_a.collection, groups=[team_a])
    collection_access_set(collection=doc_b.collection, groups=[team_b])
    emp_a = django_user_model.objects.create_user(username="emp_a", password=PASSWORD)
    emp_a.groups.add(team_a)
    emp_b = django_user_model.objects.create_user(username="emp_b", password=PASSWORD)
    emp_b.groups.add(team_b)
    admin = django_user_model.objects.create_superuser(username="root", password=PASSWORD)
    contrib_a = django_user_model.objects.create_user(username="contrib_a", password=PASSWORD)
    editors_a = Group.objects.create(name="editors-a")
    contrib_a.groups.add(editors_a)
    collection_role_grant(collection=doc_a.collection, role="contributor", group=editors_a, actor=admin)
    mgr_a = django_user_model.objects.create_user(username="mgr_a", password=PASSWORD)
    collection_role_grant(collection=doc_a.collection, role="manager", user=mgr_a, actor=admin)
    approver = django_user_model.objects.create_user(username="approver", password=PASSWORD)
    global_role_set(user=approver, role=APPROVER, granted=True, actor=admin)
    auditor = django_user_model.objects.create_user(username="auditor", password=PASSWORD)
    global_role_set(user=auditor, role=AUDITOR, granted=True, actor=admin)
    staff = django_user_model.objects.create_user(username="staff", password=PASSWORD, is_staff=True)
    tokens = {
        "query": api_token_create(name="chatbot", scopes=["query"], collections=[doc_a.collection]),
        "ingest": api_token_create(name="crawler", scopes=["ingest"], collections=[doc_a.collection]),
        "admin": api_token_create(name="ops", scopes=["admin"], all_collections=True),
    }
    return Company(alpha=doc_a.collection, beta=doc_b.collection, doc_a=doc_a, doc_b=doc_b, team_a=team_a,
                   team_b=team_b, emp_a=emp_a, emp_b=emp_b, admin=admin, tokens=tokens, contrib_a=contrib_a,
                   mgr_a=mgr_a, approver=approver, auditor=auditor, staff=staff)


@pytest.fixture
def company(db, django_user_model) -> Company:
    return company_build(django_user_model)
