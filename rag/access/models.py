"""Collection roles and API tokens.

Per collection, a group or a single user holds one :class:`CollectionRole`:
``reader`` < ``contributor`` (also adds and replaces documents) < ``manager``
(also grants access, sets the privacy level, deletes). :class:`CollectionAccess`
says whether everyone signed in may read the collection. ``is_staff`` grants no
collection role. A collection without a :class:`CollectionAccess` row is readable
by nobody but superusers, unless its slug is listed in ``ACCESS_OPEN_COLLECTIONS``
(the embedded mode's ``default`` collection), which then counts as open to
everyone signed in until an admin sets its access explicitly.

Two permissions stand apart from collections (both granted through a group of
:mod:`rag.access.roles`): ``fallback.approve_fallbackrequest`` (the approval
queue) and ``audit.view_auditevent`` (the audit trail, not documents).

An :class:`APIToken` secret is ``pmt_`` followed by 43 URL-safe base64 characters
(32 random bytes). Only its SHA-256 is stored; the secret is shown once, when
the token is created.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.postgres.fields import ArrayField
from django.db import models

from ingest.models import Collection


class CollectionAccess(models.Model):
    """A collection's access is set explicitly (no ``ACCESS_OPEN_COLLECTIONS`` default), and
    whether everyone signed in may read it. Roles are :class:`CollectionRole` rows."""

    collection = models.OneToOneField(Collection, on_delete=models.CASCADE, primary_key=True,
                                      related_name="access")
    all_signed_in = models.BooleanField(default=False, help_text="Everyone signed in may read the collection")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "collection access"
        verbose_name_plural = "collection access"

    def __str__(self) -> str:
        return f"access to {self.collection.slug}"


class CollectionRole(models.Model):
    """One group's or one user's role on one collection (exactly one of ``group`` and ``user``)."""

    class Role(models.TextChoices):
        """Collection roles, each including the one before: reader < contributor < manager (:data:`ROLE_RANK`)."""

        READER = "reader", "reader: read documents, ask questions"
        CONTRIBUTOR = "contributor", "contributor: also add and replace documents"
        MANAGER = "manager", "manager: also grant access, set the privacy level, delete"

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="roles")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="collection_roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="collection_roles")
    role = models.CharField(max_length=16, choices=Role.choices)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   editable=False, related_name="+")
    granted_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["collection__slug", "group__name", "user__username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(group__isnull=False, user__isnull=True) | models.Q(group__isnull=True,
                                                                                      user__isnull=False),
                name="collection_role_group_xor_user"),
            models.UniqueConstraint(fields=["collection", "group"], name="collection_role_one_per_group"),
            models.UniqueConstraint(fields=["collection", "user"], name="collection_role_one_per_user"),
        ]

    def __str__(self) -> str:
        holder = f"group {self.group.name}" if self.group_id else f"user {self.user.get_username()}"
        return f"{holder}: {self.role} of {self.collection.slug}"

    @property
    def holder(self) -> str:
        """``group:<name>`` or ``user:<username>``, as audited."""
        return f"group:{self.group.name}" if self.group_id else f"user:{self.user.get_username()}"


ROLE_RANK = {CollectionRole.Role.READER: 1, CollectionRole.Role.CONTRIBUTOR: 2, CollectionRole.Role.MANAGER: 3}


class APIToken(models.Model):
    """A bearer token for apps (``pmt_`` + 43 URL-safe characters): only its SHA-256 and first 12
    characters are stored. It reads and writes only its ``collections`` (or all), within its
    ``scopes``, until ``expires_at`` or ``revoked_at``.
    """

    class Scope(models.TextChoices):
        """What a token may do; ``admin`` includes the other two."""

        QUERY = "query", "query: ask questions, read document metadata"
        INGEST = "ingest", "ingest: upload documents, read document metadata"
        ADMIN = "admin", "admin: everything above, and admin endpoints"

    name = models.CharField(max_length=100, unique=True, help_text="The app that uses the token")
    prefix = models.CharField(max_length=12, editable=False,
                              help_text="First characters of the secret, to recognise it in logs")
    secret_sha256 = models.CharField(max_length=64, unique=True, editable=False)
    scopes = ArrayField(models.CharField(max_length=16, choices=Scope.choices), default=list)
    collections = models.ManyToManyField(Collection, blank=True, related_name="api_tokens",
                                         help_text="The only collections the token may read or write")
    all_collections = models.BooleanField(default=False, help_text="Ignore the list above: every collection")
    rate_limit_per_min = models.PositiveIntegerField(
        null=True, blank=True, help_text="Requests per minute for each rate-limited scope; empty: the defaults")
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   editable=False, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "API token"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class OIDCIdentity(models.Model):
    """A single sign-on identity: the provider's subject (``sub``, unique per issuer ``iss``,
    OpenID Connect Core 1.0 §2) linked to one local account. Sign-in matches on it, never on
    an e-mail address, which the identity provider's users may be able to change."""

    class Link(models.TextChoices):
        """How the identity came to be linked to its account (audited at sign-in)."""

        CREATED = "created", "account created at the first sign-in"
        VERIFIED_EMAIL = "verified_email", "existing non-staff account with the verified e-mail address"

    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_identities")
    linked_by = models.CharField(max_length=16, choices=Link.choices)
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "single sign-on identity"
        verbose_name_plural = "single sign-on identities"
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_identity_one_per_subject")]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"
