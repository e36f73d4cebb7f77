"""OpenID Connect sign-in: switched on by environment variables, groups from a claim.
The identity provider itself is outside the perimeter; these tests stop at its door
(the redirect) and test our side of the callback (users and groups from claims)."""
from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth.models import Group

from tests.conftest import ROOT

pytestmark = pytest.mark.django_db

OIDC = {
    "OIDC_RP_CLIENT_ID": "perimeter", "OIDC_RP_CLIENT_SECRET": "s3",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example/token", "OIDC_OP_USER_ENDPOINT": "https://idp.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.example/jwks", "OIDC_RP_SIGN_ALGO": "RS256", "OIDC_GROUPS_CLAIM": "groups",
}


@pytest.fixture
def oidc(settings):
    for name, value in OIDC.items():
        setattr(settings, name, value)
    settings.OIDC_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = ["rag.access.oidc.PerimeterOIDCBackend",
                                        "django.contrib.auth.backends.ModelBackend"]
    from rag.access.oidc import PerimeterOIDCBackend

    return PerimeterOIDCBackend()


def _settings_import(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "import rag.settings as s; print(s.OIDC_ENABLED)"], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **env}, capture_output=True, text=True)


def test_it_is_off_without_a_client_id_and_refuses_a_half_configuration():
    assert _settings_import({}).stdout.strip() == "False"
    half = _settings_import({"OIDC_RP_CLIENT_ID": "perimeter"})
    assert half.returncode != 0 and "OIDC_OP_TOKEN_ENDPOINT" in half.stderr
    assert _settings_import(OIDC).stdout.strip() == "True"


def test_a_new_user_gets_the_existing_groups_named_in_the_claim(oidc):
    Group.objects.create(name="hr")
    Group.objects.create(name="finance")
    user = oidc.create_user({"email": "ann@example.com", "preferred_username": "ann",
                             "groups": ["hr", "does-not-exist"]})
    assert user.username == "ann" and user.email == "ann@example.com"
    assert [g.name for g in user.groups.all()] == ["hr"]
    assert not user.is_staff and not user.is_superuser


def test_group_membership_follows_the_claim_at_every_sign_in(oidc, django_user_model):
    hr, finance = Group.objects.create(name="hr"), Group.objects.create(name="finance")
    user = django_user_model.objects.create_user(username="ann", email="ann@example.com")
    user.groups.add(hr)
    oidc.update_user(user, {"email": "ann@example.com", "groups": "finance"})
    assert list(user.groups.all()) == [finance]


def test_it_never_takes_over_a_local_account_by_username(oidc, django_user_model):
    local = django_user_model.objects.create_superuser(username="admin", password="x" * 12)
    user = oidc.create_user({"email": "mallory@example.com", "preferred_username": "admin"})
    assert user.pk != local.pk and user.username != "admin" and not user.is_superuser


@pytest.mark.urls("tests.access.urls_oidc")
def test_the_login_page_offers_single_sign_on_which_redirects_to_the_provider(oidc, client):
    page = client.get("/accounts/login/?next=/documents/")
    assert page.status_code == 200 and b"Sign in with single sign-on" in page.content
    assert b'name="username"' in page.content  # local accounts remain
    redirect = client.get("/oidc/authenticate/")
    assert redirect.status_code == 302
    target = urlparse(redirect["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == OIDC["OIDC_OP_AUTHORIZATION_ENDPOINT"]
    query = parse_qs(target.query)
    assert query["client_id"] == ["perimeter"] and query["response_type"] == ["code"]
    assert "openid" in query["scope"][0]
