"""REST endpoints of the access app: the collections you may read, and (admins) the API tokens."""
from __future__ import annotations

from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView

from ingest.models import Collection
from rag.access.authentication import token_of
from rag.access.models import APIToken
from rag.access.permissions import AdminAccess, ReadAccess
from rag.access.selectors import api_token_list, collection_ids_readable, collections_readable


class CollectionOutput(serializers.ModelSerializer):
    """A readable collection: ``slug`` (the name to ask or upload with), ``name``, ``privacy_level``."""

    class Meta:
        model = Collection
        fields = ["slug", "name", "privacy_level"]


class CollectionListAPI(ListAPIView):
    """The collections you may read (paginated). Their slugs are the ``model`` names of
    ``/v1/chat/completions`` and the ``collection`` of uploads."""

    permission_classes = [ReadAccess]
    serializer_class = CollectionOutput

    def get_queryset(self):
        return collections_readable(user=self.request.user, token=token_of(self.request))


class APITokenOutput(serializers.ModelSerializer):
    """An API token without its secret: ``prefix`` identifies it, ``collections`` are slugs."""

    collections = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=APIToken.Scope.choices))

    class Meta:
        model = APIToken
        fields = ["id", "name", "prefix", "scopes", "collections", "all_collections", "rate_limit_per_min",
                  "expires_at", "revoked_at", "last_used_at", "created_at"]


class APITokenListAPI(ListAPIView):
    """All API tokens, without their secrets (paginated). Superusers, or ``admin`` tokens valid for
    all collections: a token list names collections that staff, managers and narrower tokens may not see."""

    permission_classes = [AdminAccess]
    serializer_class = APITokenOutput

    def get_queryset(self):
        if collection_ids_readable(user=self.request.user, token=token_of(self.request)) is not None:
            raise PermissionDenied("only admins of every collection may list API tokens")
        return api_token_list()
