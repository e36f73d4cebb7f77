"""OpenID Connect sign-in (mozilla-django-oidc), with group membership from a claim.

Switched on by ``OIDC_RP_CLIENT_ID`` (see the Access block of settings).

Who signs in: the provider's subject (``sub``, with the ID token's issuer ``iss``) is
the identity (:class:`rag.access.models.OIDCIdentity`), never the e-mail address,
which an identity provider's users or admins may be able to set to anyone's. The
userinfo ``sub`` must equal the ID token's (OpenID Connect Core 1.0 §5.3.2). A
subject seen for the first time is linked to an existing local account only when
the provider says the address is verified (``email_verified``), exactly one account
has it, and that account is neither staff nor superuser nor linked to another
subject of the issuer; otherwise a new account is created, with the
``preferred_username`` claim as username when it is free. At every sign-in the
user's Django groups become exactly the groups named in ``OIDC_GROUPS_CLAIM``
that exist here, except ``approvers`` and ``auditors``, which claims never change
(:func:`rag.access.services.user_groups_sync`; each change is audited as
``access.groups_synced``): the identity provider decides membership, managers
decide each group's role on their collections. Staff and superuser flags are
never set from claims.
"""
from __future__ import annotations

import base64
import hashlib

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from rag.access.models import OIDCIdentity
from rag.access.services import user_groups_sync


def claim_group_names(claims: dict) -> list[str]:
    """Group names from the configured claim: a list of strings, or one comma-separated string."""
    value = claims.get(settings.OIDC_GROUPS_CLAIM, [])
    if isinstance(value, str):
        value = value.split(",")
    return sorted({str(v).strip() for v in value if str(v).strip()})


def claims_bind(*, claims: dict, id_token: dict) -> dict:
    """The userinfo ``claims`` with the ID token's issuer as ``iss``.

    Raises SuspiciousOperation (sign-in refused) when the ID token has no ``iss`` or
    ``sub``, or the userinfo ``sub`` differs from the ID token's (its claims must not be
    used then: OpenID Connect Core 1.0 §5.3.2)."""
    if not id_token.get("iss") or not id_token.get("sub"):
        raise SuspiciousOperation("the ID token has no issuer or subject")
    if str(claims.get("sub", "")) != str(id_token["sub"]):
        raise SuspiciousOperation("the userinfo subject differs from the ID token's")
    return {**claims, "iss": str(id_token["iss"]), "sub": str(id_token["sub"])}


def email_verified(claims: dict) -> bool:
    """Whether the provider vouches for the ``email`` claim (``true``, or the string some send)."""
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


class PerimeterOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, matching on (issuer, subject); see the module docstring."""

    def get_userinfo(self, access_token, id_token, payload):
        """The provider's userinfo claims bound to the ID token's ``iss`` and ``sub`` (:func:`claims_bind`).

        Raises SuspiciousOperation (sign-in refused) when the two subjects differ.
        """
        return claims_bind(claims=super().get_userinfo(access_token, id_token, payload), id_token=payload)

    def verify_claims(self, claims) -> bool:
        """Refuses claims without ``iss`` or ``sub`` (nothing to match an account on), then the library's checks."""
        return bool(claims.get("iss") and claims.get("sub")) and super().verify_claims(claims)

    def filter_users_by_claims(self, claims):
        """The account linked to (iss, sub); else the one non-staff account with the verified
        e-mail address and no subject of this issuer yet (linked in :meth:`update_user`); else none."""
        identity = (OIDCIdentity.objects.select_related("user")
                    .filter(issuer=claims.get("iss", ""), subject=claims.get("sub", "")).first())
        if identity is not None:
            return self.UserModel.objects.filter(pk=identity.user_id)
        email = (claims.get("email") or "").strip()
        if not email or not email_verified(claims):
            return self.UserModel.objects.none()
        candidates = (self.UserModel.objects.filter(email__iexact=email, is_active=True)
                      .exclude(oidc_identities__issuer=claims.get("iss", "")))
        if candidates.filter(is_staff=True).exists() or candidates.filter(is_superuser=True).exists():
            return self.UserModel.objects.none()  # never an admin's account, even by a verified address
        return candidates if candidates.count() == 1 else self.UserModel.objects.none()

    def get_username(self, claims) -> str:
        """``sso_`` and 24 characters of a hash of (issuer, subject): unique per identity, unlike
        the library's hash of the e-mail address, which two subjects may share."""
        digest = hashlib.sha256(f"{claims.get('iss', '')}\n{claims.get('sub', '')}".encode()).digest()
        return "sso_" + base64.urlsafe_b64encode(digest).decode()[:24]

    def create_user(self, claims):
        """A new account for a first sign-in, linked to (iss, sub) in the same transaction: named after
        ``preferred_username`` unless a local account has that name (then :meth:`get_username`);
        its groups follow the groups claim (``OIDC_GROUPS_CLAIM``).
        """
        username = claims.get("preferred_username") or self.get_username(claims)
        if self.UserModel.objects.filter(username=username).exists():
            username = self.get_username(claims)  # never take over a local account by name
        with transaction.atomic():
            user = self.UserModel.objects.create_user(username, email=claims.get("email", ""),
                                                      first_name=claims.get("given_name", ""),
                                                      last_name=claims.get("family_name", ""))
            if claims.get("iss") and claims.get("sub"):
                OIDCIdentity.objects.create(issuer=claims["iss"], subject=claims["sub"], user=user,
                                            linked_by=OIDCIdentity.Link.CREATED)
        user_groups_sync(user=user, group_names=claim_group_names(claims))
        return user

    def update_user(self, user, claims):
        """At every later sign-in: links (iss, sub) if the account was matched by verified e-mail, and
        re-syncs its groups from the groups claim.
        """
        if claims.get("iss") and claims.get("sub"):
            OIDCIdentity.objects.get_or_create(issuer=claims["iss"], subject=claims["sub"],
                                               defaults={"user": user, "linked_by": OIDCIdentity.Link.VERIFIED_EMAIL})
        user_groups_sync(user=user, group_names=claim_group_names(claims))
        return user
