"""OpenID Connect sign-in (mozilla-django-oidc), with group membership from a claim.

Switched on by ``OIDC_RP_CLIENT_ID`` (see the Access block of settings). Users are
matched by e-mail (the library's default) and created on first sign-in with the
``preferred_username`` claim as username when there is one. At every sign-in the
user's Django groups become exactly the groups named in ``OIDC_GROUPS_CLAIM``
that exist here: the identity provider decides membership, admins decide what
each group may read (Admin > Collection access). Staff and superuser flags are
never set from claims.
"""
from __future__ import annotations

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from rag.access.services import user_groups_sync


def claim_group_names(claims: dict) -> list[str]:
    """Group names from the configured claim: a list of strings, or one comma-separated string."""
    value = claims.get(settings.OIDC_GROUPS_CLAIM, [])
    if isinstance(value, str):
        value = value.split(",")
    return sorted({str(v).strip() for v in value if str(v).strip()})


class PerimeterOIDCBackend(OIDCAuthenticationBackend):
    def create_user(self, claims):
        username = claims.get("preferred_username") or self.get_username(claims)
        if self.UserModel.objects.filter(username=username).exists():
            username = self.get_username(claims)  # never take over a local account by name
        user = self.UserModel.objects.create_user(username, email=claims.get("email", ""),
                                                  first_name=claims.get("given_name", ""),
                                                  last_name=claims.get("family_name", ""))
        user_groups_sync(user=user, group_names=claim_group_names(claims))
        return user

    def update_user(self, user, claims):
        user_groups_sync(user=user, group_names=claim_group_names(claims))
        return user
