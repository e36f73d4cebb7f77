"""Admin for collection roles, API tokens, users and groups; every change goes through the
audited services of :mod:`rag.access.services`.

Collection access and roles are shown only for the collections the admin manages
(superusers: all), and saved through the role services, which refuse non-managers.
Staff who are not superusers may edit users and groups (with Django's model
permissions) but not superuser flags, direct permissions, group permissions or
membership of the approver and auditor groups: those are the superuser's, and
every group-membership change is audited.

A new token's secret is shown once, on the page that answers the add form, and
never stored: not in the database (only its SHA-256), and not in Django's
messages either, whose default storage is a signed but readable cookie.
"""
from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.template.response import TemplateResponse
from django.utils import timezone

from ingest.models import Collection
from rag.access.models import APIToken, CollectionAccess, CollectionRole
from rag.access.roles import GLOBAL_ROLES
from rag.access.selectors import collection_ids_with_role
from rag.access.services import (admin_change_record, api_token_changed_record, api_token_created_record,
                                 api_token_revoke, api_token_secret_assign, api_token_state, collection_open_set,
                                 collection_role_grant, collection_role_revoke)

RESERVED_GROUPS = {r.group for r in GLOBAL_ROLES.values()}


def _permission_names(permissions) -> set[str]:
    return {f"{app}.{code}" for app, code in permissions.values_list("content_type__app_label", "codename")}


def _managed_ids(request) -> list[int] | None:
    return collection_ids_with_role(user=request.user, role=CollectionRole.Role.MANAGER)


class _ManagedCollectionsOnly(admin.ModelAdmin):
    """Shows and changes rows of the collections the signed-in admin manages (superusers: all)."""

    def _manages(self, request, obj=None) -> bool:
        ids = _managed_ids(request)
        return ids is None or (bool(ids) if obj is None else obj.collection_id in ids)

    def get_queryset(self, request):
        ids = _managed_ids(request)
        qs = super().get_queryset(request)
        return qs if ids is None else qs.filter(collection_id__in=ids)

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and self._manages(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request) and self._manages(request, obj)

    has_change_permission = has_view_permission

    def has_add_permission(self, request) -> bool:
        return self.has_module_permission(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "collection":
            ids = _managed_ids(request)
            qs = Collection.objects.order_by("slug")
            kwargs["queryset"] = qs if ids is None else qs.filter(pk__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(CollectionAccess)
class CollectionAccessAdmin(_ManagedCollectionsOnly):
    """Whether everyone signed in may read a collection (roles: Collection roles)."""

    list_display = ["collection", "all_signed_in", "updated_at"]
    list_filter = ["all_signed_in"]
    search_fields = ["collection__slug"]

    def has_delete_permission(self, request, obj=None) -> bool:
        """Never: a collection's access row is switched off (``all_signed_in`` false), not deleted."""
        return False

    def save_model(self, request, obj: CollectionAccess, form, change: bool) -> None:
        """Saves through :func:`collection_open_set`, which audits the change and refuses non-managers."""
        collection_open_set(collection=obj.collection, all_signed_in=obj.all_signed_in, actor=request.user)


@admin.register(CollectionRole)
class CollectionRoleAdmin(_ManagedCollectionsOnly):
    """One group's or user's role on one collection: reader, contributor or manager."""

    list_display = ["collection", "holder", "role", "granted_by", "granted_at"]
    list_filter = ["role", "collection"]
    search_fields = ["collection__slug", "group__name", "user__username"]
    fields = ["collection", "group", "user", "role"]
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        """The managed collections' roles, with collection, holder and granter joined (one query per page)."""
        return super().get_queryset(request).select_related("collection", "group", "user", "granted_by")

    def has_delete_permission(self, request, obj=None) -> bool:
        """Whoever may see a role may revoke it (the revocation is audited by :meth:`delete_model`)."""
        return self.has_view_permission(request, obj)

    def save_model(self, request, obj: CollectionRole, form, change: bool) -> None:
        """Grants through :func:`collection_role_grant` (audited); an edit that moved the row to another
        holder or collection first revokes the old grant, so each change is one revoke and one grant.
        """
        if change:  # a row that moved to another holder or collection: the old grant goes first
            old = CollectionRole.objects.select_related("collection", "group", "user").get(pk=obj.pk)
            if (old.collection_id, old.group_id, old.user_id) != (obj.collection_id, obj.group_id, obj.user_id):
                collection_role_revoke(collection=old.collection, group=old.group, user=old.user, actor=request.user)
        saved = collection_role_grant(collection=obj.collection, role=obj.role, group=obj.group, user=obj.user,
                                      actor=request.user)
        obj.pk = saved.pk

    def delete_model(self, request, obj: CollectionRole) -> None:
        """Revokes through :func:`collection_role_revoke` (audited) instead of deleting the row directly."""
        collection_role_revoke(collection=obj.collection, group=obj.group, user=obj.user, actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        """The bulk delete action: one audited revocation per selected role, never a queryset delete."""
        for obj in queryset.select_related("collection", "group", "user"):
            self.delete_model(request, obj)


def _default_expiry():
    return timezone.now() + timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)


class APITokenForm(forms.ModelForm):
    """Add/change form of an API token: scopes as checkboxes, expiry defaulting to
    ``API_TOKEN_DEFAULT_DAYS`` days from now.
    """

    scopes = forms.MultipleChoiceField(choices=APIToken.Scope.choices, widget=forms.CheckboxSelectMultiple)
    expires_at = forms.SplitDateTimeField(widget=admin.widgets.AdminSplitDateTime, initial=_default_expiry)

    class Meta:
        model = APIToken
        fields = ["name", "scopes", "collections", "all_collections", "rate_limit_per_min", "expires_at"]

    def clean(self):
        """Raises ValidationError unless the token names its collections or ticks "all collections"."""
        data = super().clean()
        if not data.get("all_collections") and not data.get("collections"):
            raise forms.ValidationError("Choose the collections the token may use, or tick 'all collections'.")
        return data


@admin.register(APIToken)
class APITokenAdmin(admin.ModelAdmin):
    """API tokens: created with a secret shown once, changed and revoked with an audit row, never deleted."""

    form = APITokenForm
    list_display = ["name", "prefix", "scope_list", "expires_at", "last_used_at", "state"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix"]
    filter_horizontal = ["collections"]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    @admin.display(description="scopes")
    def scope_list(self, obj: APIToken) -> str:
        """The token's scopes, comma-separated, for the change list."""
        return ", ".join(obj.scopes)

    @admin.display(description="state")
    def state(self, obj: APIToken) -> str:
        """``"revoked"``, ``"expired"`` (``expires_at`` passed) or ``"active"``."""
        if obj.revoked_at:
            return "revoked"
        return "expired" if obj.expires_at <= timezone.now() else "active"

    def has_delete_permission(self, request, obj=None) -> bool:
        """Never: tokens are revoked, so they stay listed and their revocation is audited."""
        return False  # revoke instead: a revoked token stays listed, and its revocation is audited

    def save_model(self, request, obj: APIToken, form, change: bool) -> None:
        """A new token gets its secret (only the SHA-256 is stored; the secret waits on the instance for
        :meth:`response_add`); a change remembers the state before it for the audit row.
        """
        if not change:
            obj.created_by = request.user
            # kept on the instance only until response_add renders it
            obj._secret_once = api_token_secret_assign(token=obj)
        else:
            obj._state_before = api_token_state(token=APIToken.objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change: bool) -> None:
        """After the collections are saved: the audit row (the admin wraps all of it in one transaction)."""
        super().save_related(request, form, formsets, change)
        token = form.instance
        if change:
            api_token_changed_record(token=token, actor=request.user, before=token._state_before)
        else:
            api_token_created_record(token=token, actor=request.user)

    def response_add(self, request, obj: APIToken, post_url_continue=None):
        """Renders ``access/token_created.html`` with the secret, once, with ``Cache-Control: no-store``;
        the secret never goes into Django's messages (a readable cookie).
        """
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
        """Admin action: revokes each selected token (audited); already revoked ones are skipped."""
        revoked = sum(api_token_revoke(token=token, actor=request.user) for token in queryset)
        messages.success(request, f"Revoked {revoked} token(s); they are refused from now on.")


User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class PerimeterUserAdmin(UserAdmin):
    """Django's user admin, with group changes audited and the superuser's fields kept to superusers."""

    def get_readonly_fields(self, request, obj=None):
        """Staff who are not superusers see ``is_superuser`` and direct permissions read-only."""
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        """Staff who are not superusers cannot pick the reserved approver and auditor groups."""
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.exclude(name__in=RESERVED_GROUPS)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change: bool) -> None:
        """Remembers the user's groups and direct permissions before the change, for the audit rows."""
        obj._groups_before = set(obj.groups.values_list("name", flat=True)) if change else set()
        obj._permissions_before = _permission_names(obj.user_permissions) if change else set()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change: bool) -> None:
        """After the many-to-many fields are saved: keeps reserved groups a non-superuser could not see,
        and audits the groups and permissions that changed (one row each, only when they differ).
        """
        user = form.instance
        reserved_kept = [] if request.user.is_superuser else list(
            Group.objects.filter(name__in=RESERVED_GROUPS & user._groups_before))
        super().save_related(request, form, formsets, change)
        if reserved_kept:  # the form could not show them, so it dropped them
            user.groups.add(*reserved_kept)
        admin_change_record(holder=user, kind="groups", before=user._groups_before,
                            after=set(user.groups.values_list("name", flat=True)), actor=request.user)
        admin_change_record(holder=user, kind="permissions", before=user._permissions_before,
                            after=_permission_names(user.user_permissions), actor=request.user)


@admin.register(Group)
class PerimeterGroupAdmin(GroupAdmin):
    """Django's group admin; only superusers change a group's permissions (approver and auditor are
    permissions) or touch the approver and auditor groups."""

    def get_readonly_fields(self, request, obj=None):
        """Permissions are read-only for staff who are not superusers."""
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else fields + ["permissions"]

    def has_change_permission(self, request, obj=None) -> bool:
        """False for the reserved approver and auditor groups unless a superuser asks; else Django's rule."""
        if obj is not None and obj.name in RESERVED_GROUPS and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    has_delete_permission = has_change_permission

    def save_model(self, request, obj, form, change: bool) -> None:
        """Remembers the group's permissions before the change, for the audit row."""
        obj._permissions_before = _permission_names(obj.permissions) if change else set()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change: bool) -> None:
        """After the permissions are saved: audits the change of the group's permissions, if any."""
        super().save_related(request, form, formsets, change)
        group = form.instance
        admin_change_record(holder=group, kind="permissions", before=group._permissions_before,
                            after=_permission_names(group.permissions), actor=request.user)
