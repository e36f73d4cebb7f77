"""Issue 10, attack 4 (access part): token create/edit/revoke, grant changes, approver/auditor
changes and SSO group sync all land in the audit trail with their actor, and the identity
provider cannot make anyone an approver."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from rag.access.models import APIToken
from rag.access.roles import APPROVER, AUDITOR
from rag.access.services import api_token_create, api_token_revoke, global_role_set, user_groups_sync
from rag.audit.models import AuditEvent
from tests.factories import collection

pytestmark = pytest.mark.django_db


def _events(event_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event_type).order_by("id"))


def test_creating_and_revoking_a_token_is_audited_without_its_secret(admin_user_obj):
    token, secret = api_token_create(name="crawler", scopes=["ingest"], collections=[collection("hr")],
                                     created_by=admin_user_obj)
    api_token_revoke(token=token, actor=admin_user_obj)
    api_token_revoke(token=token, actor=admin_user_obj)  # idempotent: one row

    created, = _events("auth.api_token_created")
    revoked, = _events("auth.api_token_revoked")
    assert created.actor == revoked.actor == "boss"
    assert created.details["collections"] == ["hr"] and created.details["scopes"] == ["ingest"]
    assert secret not in str(created.details) and secret[12:] not in str(revoked.details)


def test_editing_a_token_in_the_admin_is_audited_with_what_changed(admin_user_obj):
    hr, legal = collection("hr"), collection("legal")
    token, _ = api_token_create(name="crawler", scopes=["ingest"], collections=[hr])
    client = Client()
    client.force_login(admin_user_obj)
    form = client.get(f"/admin/access/apitoken/{token.pk}/change/")
    assert form.status_code == 200
    expires = token.expires_at
    resp = client.post(f"/admin/access/apitoken/{token.pk}/change/", {
        "name": "crawler", "scopes": ["ingest", "query"], "collections": [hr.pk, legal.pk],
        "rate_limit_per_min": "", "expires_at_0": expires.strftime("%Y-%m-%d"),
        "expires_at_1": expires.strftime("%H:%M:%S")})
    assert resp.status_code == 302, resp.content.decode()[:2000]

    changed, = _events("auth.api_token_changed")
    assert changed.actor == "boss"
    assert changed.details["changed"]["collections"] == {"before": ["hr"], "after": ["hr", "legal"]}
    assert changed.details["changed"]["scopes"] == {"before": ["ingest"], "after": ["ingest", "query"]}


def test_revoking_tokens_from_the_admin_list_is_audited(admin_user_obj):
    token, _ = api_token_create(name="crawler", scopes=["ingest"], all_collections=True)
    client = Client()
    client.force_login(admin_user_obj)
    client.post("/admin/access/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})

    assert APIToken.objects.get(pk=token.pk).revoked_at is not None
    assert [e.actor for e in _events("auth.api_token_revoked")] == ["boss"]


def test_grants_by_command_are_audited_with_the_operator(django_user_model):
    collection("hr")
    django_user_model.objects.create_user(username="alice")
    call_command("collection_access", "hr", "--grant", "contributor", "--user", "alice")
    call_command("collection_access", "hr", "--group", "HR", "--all-signed-in")
    call_command("collection_access", "hr", "--revoke", "--user", "alice")
    call_command("collection_access", "--auditor", "alice")

    kinds = [(e.event_type, e.details.get("holder") or e.details.get("role")) for e in
             AuditEvent.objects.filter(event_type__startswith="access.").order_by("id")]
    assert kinds == [("access.open_set", None), ("access.role_granted", "user:alice"),
                     ("access.open_set", None), ("access.role_granted", "group:HR"),
                     ("access.role_revoked", "user:alice"), ("access.permission_granted", "auditor")]
    assert all(e.actor.startswith("command:") for e in AuditEvent.objects.filter(event_type__startswith="access."))


def test_sso_group_sync_is_audited_and_never_grants_approver_or_auditor(django_user_model):
    user = django_user_model.objects.create_user(username="ann")
    Group.objects.create(name="HR")
    global_role_set(user=user, role=AUDITOR, granted=True, actor="system")
    global_role_set(user=django_user_model.objects.create_user(username="x"), role=APPROVER, granted=True,
                    actor="system")  # the approvers group exists

    applied = user_groups_sync(user=user, group_names=["HR", "approvers", "nonexistent"])
    user_groups_sync(user=user, group_names=["HR", "approvers", "nonexistent"])  # unchanged: no second row

    user = django_user_model.objects.get(pk=user.pk)
    assert applied == ["HR"] and not user.has_perm(APPROVER.permission) and user.has_perm(AUDITOR.permission)
    synced, = _events("access.groups_synced")
    assert synced.actor == "system"
    assert synced.details == {"user": "ann", "source": "oidc", "added": ["HR"], "removed": [], "unknown_claimed": 2}


def test_group_changes_made_in_the_admin_are_audited(admin_user_obj, django_user_model):
    user = django_user_model.objects.create_user(username="ann")
    hr = Group.objects.create(name="HR")
    client = Client()
    client.force_login(admin_user_obj)
    page = client.get(f"/admin/auth/user/{user.pk}/change/")
    assert page.status_code == 200
    resp = client.post(f"/admin/auth/user/{user.pk}/change/", {
        "username": "ann", "is_active": "on", "groups": [hr.pk], "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00", "initial-date_joined_0": "2026-01-01", "initial-date_joined_1": "00:00:00"})
    assert resp.status_code == 302, resp.content.decode()[:3000]

    changed, = _events("access.groups_changed")
    assert changed.actor == "boss" and changed.details["added"] == ["HR"] and changed.details["holder"] == "user:ann"


def test_permission_changes_of_a_group_made_in_the_admin_are_audited(admin_user_obj):
    from django.contrib.auth.models import Permission

    reviewers = Group.objects.create(name="reviewers")
    approve = Permission.objects.get(codename="approve_fallbackrequest")
    client = Client()
    client.force_login(admin_user_obj)
    resp = client.post(f"/admin/auth/group/{reviewers.pk}/change/", {"name": "reviewers", "permissions": [approve.pk]})
    assert resp.status_code == 302, resp.content.decode()[:2000]

    granted, = _events("access.permission_granted")
    assert granted.actor == "boss"
    assert granted.details == {"holder": "group:reviewers", "source": "admin",
                               "permissions": ["fallback.approve_fallbackrequest"]}
