"""Admin for collection grants and API tokens.

A new token's secret is shown once, on the page that answers the add form, and
never stored: not in the database (only its SHA-256), and not in Django's
messages either, whose default storage is a signed but readable cookie.
"""
from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils import timezone

from rag.access.models import APIToken, CollectionAccess
from rag.access.services import api_token_revoke, api_token_secret_assign


@admin.register(CollectionAccess)
class CollectionAccessAdmin(admin.ModelAdmin):
    list_display = ["collection", "all_signed_in", "group_names", "updated_at"]
    list_filter = ["all_signed_in"]
    filter_horizontal = ["groups"]
    search_fields = ["collection__slug", "groups__name"]

    @admin.display(description="groups")
    def group_names(self, obj: CollectionAccess) -> str:
        return ", ".join(g.name for g in obj.groups.all()) or "—"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("collection").prefetch_related("groups")


def _default_expiry():
    return timezone.now() + timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)


class APITokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(choices=APIToken.Scope.choices, widget=forms.CheckboxSelectMultiple)
    expires_at = forms.SplitDateTimeField(widget=admin.widgets.AdminSplitDateTime, initial=_default_expiry)

    class Meta:
        model = APIToken
        fields = ["name", "scopes", "collections", "all_collections", "rate_limit_per_min", "expires_at"]

    def clean(self):
        data = super().clean()
        if not data.get("all_collections") and not data.get("collections"):
            raise forms.ValidationError("Choose the collections the token may use, or tick 'all collections'.")
        return data


@admin.register(APIToken)
class APITokenAdmin(admin.ModelAdmin):
    form = APITokenForm
    list_display = ["name", "prefix", "scope_list", "expires_at", "last_used_at", "state"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix"]
    filter_horizontal = ["collections"]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    @admin.display(description="scopes")
    def scope_list(self, obj: APIToken) -> str:
        return ", ".join(obj.scopes)

    @admin.display(description="state")
    def state(self, obj: APIToken) -> str:
        if obj.revoked_at:
            return "revoked"
        return "expired" if obj.expires_at <= timezone.now() else "active"

    def save_model(self, request, obj: APIToken, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
            # kept on the instance only until response_add renders it
            obj._secret_once = api_token_secret_assign(token=obj)
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj: APIToken, post_url_continue=None):
        secret = getattr(obj, "_secret_once", None)
        if secret is None:
            return super().response_add(request, obj, post_url_continue)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "token": obj,
                   "secret": secret, "title": f"API token {obj.name} created"}
        response = TemplateResponse(request, "access/token_created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset) -> None:
        for token in queryset:
            api_token_revoke(token=token)
        messages.success(request, f"Revoked {queryset.count()} token(s); they are refused from now on.")
