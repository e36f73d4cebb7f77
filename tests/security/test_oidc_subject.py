"""Attack 8 of issue 10: single sign-on matched accounts by e-mail without checking
``email_verified``, so an identity-provider account carrying an admin's address signed
in as that admin.

Now the identity is the provider's subject (``sub`` with the issuer). The identity
provider is outside the perimeter: a local HTTP server stands in for its userinfo
endpoint (the one network call of the flow), and all of mozilla-django-oidc's sign-in,
its HTTP request included, runs as it is."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import SuspiciousOperation

from rag.access.models import OIDCIdentity
from tests.access.test_oidc import OIDC

pytestmark = pytest.mark.django_db
ISSUER = "https://idp.example"


@pytest.fixture
def userinfo_endpoint():
    """A local stand-in for the identity provider's userinfo endpoint (OpenID Connect Core
    5.3): answers every GET with the JSON in ``answer`` (a one-element list, set per sign-in)."""
    answer: list[dict] = [{}]

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's hook name
            body = json.dumps(answer[0]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/userinfo", answer
    server.shutdown()
    server.server_close()


@pytest.fixture
def sign_in(settings, userinfo_endpoint):
    """``sign_in(claims, sub=...)``: the user the OIDC callback signs in for an ID token of
    ``sub`` at ISSUER whose userinfo answer is ``claims`` (SuspiciousOperation: refused)."""
    for name, value in OIDC.items():
        setattr(settings, name, value)
    url, answer = userinfo_endpoint
    settings.OIDC_OP_USER_ENDPOINT = url
    from rag.access.oidc import PerimeterOIDCBackend

    def run(claims: dict, *, sub: str, userinfo_sub: str | None = None):
        answer[0] = {"sub": userinfo_sub or sub, **claims}
        return PerimeterOIDCBackend().get_or_create_user("access-token", "id-token", {"iss": ISSUER, "sub": sub})

    return run


def test_an_idp_account_carrying_an_admins_address_does_not_sign_in_as_that_admin(sign_in, django_user_model):
    admin = django_user_model.objects.create_superuser(username="boss", email="boss@corp.example", password="x" * 16)
    for verified in (False, True):  # not even when the provider calls the address verified
        user = sign_in({"email": "boss@corp.example", "email_verified": verified, "preferred_username": "boss"},
                       sub=f"mallory-{verified}")
        assert user.pk != admin.pk and not user.is_staff and not user.is_superuser
    assert not OIDCIdentity.objects.filter(user=admin).exists()


def test_an_unverified_address_never_links_an_existing_account(sign_in, django_user_model):
    ann = django_user_model.objects.create_user(username="ann", email="ann@corp.example")
    user = sign_in({"email": "ann@corp.example", "email_verified": False}, sub="someone")
    assert user.pk != ann.pk


def test_a_verified_address_links_an_existing_non_staff_account_once(sign_in, django_user_model):
    ann = django_user_model.objects.create_user(username="ann", email="Ann@Corp.example")
    user = sign_in({"email": "ann@corp.example", "email_verified": True}, sub="ann-sub")
    assert user.pk == ann.pk
    identity = OIDCIdentity.objects.get(user=ann)
    assert (identity.issuer, identity.subject, identity.linked_by) == (ISSUER, "ann-sub", "verified_email")
    # a second subject with the same verified address does not take the linked account over
    other = sign_in({"email": "ann@corp.example", "email_verified": True}, sub="other-sub")
    assert other.pk != ann.pk


def test_a_returning_user_matches_by_subject_even_if_the_address_changed(sign_in):
    first = sign_in({"email": "carl@corp.example", "email_verified": True, "preferred_username": "carl"},
                    sub="carl-sub")
    again = sign_in({"email": "carl.new@corp.example", "email_verified": False}, sub="carl-sub")
    assert again.pk == first.pk
    assert OIDCIdentity.objects.get(subject="carl-sub").linked_by == "created"


def test_it_refuses_a_userinfo_answer_for_another_subject(sign_in):
    with pytest.raises(SuspiciousOperation):
        sign_in({"email": "dan@corp.example", "email_verified": True}, sub="dan-sub", userinfo_sub="eve-sub")
