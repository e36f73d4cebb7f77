"""Collection grants and API tokens.

A collection without a :class:`CollectionAccess` row is readable by staff only,
unless its slug is listed in ``ACCESS_OPEN_COLLECTIONS`` (the embedded mode's
``default`` collection), which then counts as open to everyone signed in until
an admin sets its access explicitly.

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
    """Who may read one collection's documents, chunks, titles and counts."""

    collection = models.OneToOneField(Collection, on_delete=models.CASCADE, primary_key=True,
                                      related_name="access")
    groups = models.ManyToManyField(Group, blank=True, related_name="readable_collections",
                                    help_text="Members of these groups may read the collection")
    all_signed_in = models.BooleanField(default=False, help_text="Everyone signed in may read the collection")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "collection access"
        verbose_name_plural = "collection access"

    def __str__(self) -> str:
        return f"access to {self.collection.slug}"


class APIToken(models.Model):
    class Scope(models.TextChoices):
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
