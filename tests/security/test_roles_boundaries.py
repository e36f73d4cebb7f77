"""Every role boundary of issue 10: what a reader, contributor, manager, approver, auditor, staff
member and token may do, one refusal or permission per test."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from rag.access.models import CollectionRole
from rag.access.roles import APPROVER, AUDITOR
from rag.access.selectors import collection_manageable, collection_role_get, collection_writable
from rag.access.services import api_token_create, collection_role_grant, global_role_set
from rag.audit.models import AuditEvent
from rag.core.errors import PermissionRefused
from rag.fallback import errors, services
from rag.fallback.models import FallbackRequest
from tests.factories import collection, document_ingested, signed_in_api as _api, signed_in_browser as _page
from tests.fallback.conftest import PERMITS, question_asked

pytestmark = pytest.mark.django_db
Role = CollectionRole.Role


@pytest.fixture(autouse=True)
def fallback_provider(settings):
    settings.FALLBACK_PROVIDER = "openai"
    settings.FALLBACK_OPENAI_API_KEY = "sk-test-not-used"


@pytest.fixture
def people(django_user_model):
    """hr with a reader, a contributor (through a group) and a manager; legal managed by someone else."""
    hr, legal = collection("hr"), collection("legal")
    make = django_user_model.objects.create_user
    p = {name: make(username=name, password="x" * 12) for name in
         ("reader", "contributor", "manager", "legal_manager", "approver", "second_approver", "auditor")}
    p["staff"] = make(username="staff", password="x" * 12, is_staff=True)
    editors = Group.objects.create(name="hr-editors")
    p["contributor"].groups.add(editors)
    collection_role_grant(collection=hr, role=Role.READER, user=p["reader"], actor="system")
    collection_role_grant(collection=hr, role=Role.CONTRIBUTOR, group=editors, actor="system")
    collection_role_grant(collection=hr, role=Role.MANAGER, user=p["manager"], actor="system")
    collection_role_grant(collection=legal, role=Role.MANAGER, user=p["legal_manager"], actor="system")
    for name in ("approver", "second_approver"):
        global_role_set(user=p[name], role=APPROVER, granted=True, actor="system")
    global_role_set(user=p["auditor"], role=AUDITOR, granted=True, actor="system")
    p["hr"], p["legal"] = hr, legal
    return p


def _upload(user, slug: str):
    return _api(user).post("/api/v1/documents", {"collection": slug, "file": SimpleUploadedFile(
        "note.md", b"# Note\n\nA note.")}, format="multipart")


def test_roles_rank_reader_contributor_manager(people):
    hr = people["hr"]
    assert [collection_role_get(collection_id=hr.pk, user=people[n]) for n in ("reader", "contributor", "manager")] \
        == [Role.READER, Role.CONTRIBUTOR, Role.MANAGER]
    assert collection_role_get(collection_id=hr.pk, user=people["staff"]) is None


def test_a_contributor_adds_documents_but_a_reader_does_not(people):
    assert _upload(people["contributor"], "hr").status_code == 202
    assert _upload(people["reader"], "hr").status_code in (400, 403)


def test_writable_needs_contributor_and_manageable_needs_manager(people):
    hr = people["hr"]
    for name, writes, manages in (("reader", False, False), ("contributor", True, False), ("manager", True, True),
                                  ("staff", False, False), ("legal_manager", False, False)):
        assert (collection_writable(slug="hr", user=people[name]) is not None) == writes, name
        assert (collection_writable(collection_id=hr.pk, user=people[name]) is not None) == writes, name
        assert (collection_manageable(slug="hr", user=people[name]) is not None) == manages, name


def test_it_refuses_a_contributor_granting_access(people):
    with pytest.raises(PermissionRefused):
        collection_role_grant(collection=people["hr"], role=Role.READER, user=people["staff"],
                              actor=people["contributor"])
    page = _page(people["contributor"]).post(f"/admin-console/access/{people['hr'].pk}/grant",
                                             {"username": "staff", "role": "reader"})
    assert page.status_code == 404
    assert collection_role_get(collection_id=people["hr"].pk, user=people["staff"]) is None


def test_a_manager_grants_on_the_access_page_only_for_their_collection(people):
    client = _page(people["manager"])
    assert client.get("/admin-console/access/").status_code == 200

    client.post(f"/admin-console/access/{people['hr'].pk}/grant", {"username": "staff", "role": "contributor"})
    other = client.post(f"/admin-console/access/{people['legal'].pk}/grant", {"username": "staff", "role": "reader"})

    assert collection_role_get(collection_id=people["hr"].pk, user=people["staff"]) == Role.CONTRIBUTOR
    assert other.status_code == 404
    assert collection_role_get(collection_id=people["legal"].pk, user=people["staff"]) is None
    granted = AuditEvent.objects.filter(event_type="access.role_granted", actor="manager").get()
    assert granted.details == {"collection": "hr", "holder": "user:staff", "role": "contributor", "previous": None}


def test_a_token_writes_only_to_its_own_collections_and_only_with_the_ingest_scope(people):
    hr, legal = people["hr"], people["legal"]
    ingest, _ = api_token_create(name="crawler", scopes=["ingest"], collections=[hr])
    query, _ = api_token_create(name="bot", scopes=["query"], collections=[hr])
    admin, _ = api_token_create(name="ops", scopes=["admin"], collections=[hr])

    assert collection_writable(slug="hr", user=None, token=ingest) == hr
    assert collection_writable(slug="legal", user=None, token=ingest) is None
    assert collection_writable(slug="hr", user=None, token=query) is None
    assert collection_manageable(slug="hr", user=None, token=ingest) is None
    assert collection_manageable(slug="hr", user=None, token=admin) == hr
    assert collection_manageable(collection_id=legal.pk, user=None, token=admin) is None


def test_staff_without_the_approver_permission_cannot_decide(people):
    doc = document_ingested(source="facilities/permits.md", text=PERMITS)
    question = question_asked(user=people["reader"], documents=[doc])
    req = services.fallback_request_create(question_id=question.pk, user=people["reader"])

    assert _api(people["staff"]).post(f"/api/v1/fallback/{req.pk}/approve",
                                      {"payload_sha256": req.payload_sha256}, format="json").status_code == 403
    assert _page(people["staff"]).get("/admin-console/approvals/").status_code == 403
    with pytest.raises(errors.FallbackNotAllowed):
        services.fallback_reject(request_id=req.pk, admin=people["staff"], reason="no")
    assert FallbackRequest.objects.get(pk=req.pk).status == FallbackRequest.Status.PENDING


def test_an_approver_never_approves_a_request_about_their_own_question_and_a_second_one_does(people):
    doc = document_ingested(source="facilities/permits.md", text=PERMITS)
    question = question_asked(user=people["approver"], documents=[doc])
    req = services.fallback_request_create(question_id=question.pk, user=people["approver"])

    with pytest.raises(errors.FallbackNotAllowed, match="second person"):
        services.fallback_approve(request_id=req.pk, admin=people["approver"], payload_sha256=req.payload_sha256)
    approved = services.fallback_approve(request_id=req.pk, admin=people["second_approver"],
                                         payload_sha256=req.payload_sha256)

    assert approved.status == FallbackRequest.Status.APPROVED and approved.approved_by == people["second_approver"]


def test_an_approver_sees_the_queue_but_reads_no_document(people):
    doc = document_ingested(source="hr/salaries.md", text="# Pay\n\nCode word: KUMQUAT-3.", collection_slug="hr")
    client = _api(people["approver"])

    assert client.get("/api/v1/fallback").status_code == 200
    assert client.get(f"/api/v1/documents/{doc.pk}").status_code == 404


def test_an_auditor_reads_the_trail_but_no_document_and_decides_nothing(people):
    doc = document_ingested(source="hr/salaries.md", text="# Pay\n\nCode word: KUMQUAT-3.", collection_slug="hr")
    page = _page(people["auditor"])

    assert page.get("/admin-console/audit/").status_code == 200
    assert page.get("/admin-console/audit/export.jsonl").status_code == 200
    assert page.get("/admin-console/approvals/").status_code == 403
    assert _api(people["auditor"]).get(f"/api/v1/documents/{doc.pk}").status_code == 404
    assert "KUMQUAT-3" not in page.get("/documents/").content.decode()


def test_staff_neither_read_the_trail_nor_hand_out_approver(people):
    assert _page(people["staff"]).get("/admin-console/audit/").status_code == 403
    with pytest.raises(PermissionRefused):
        global_role_set(user=people["staff"], role=APPROVER, granted=True, actor=people["staff"])
    approvers = Group.objects.get(name=APPROVER.group)
    assert _page(people["staff"]).get(f"/admin/auth/group/{approvers.pk}/change/").status_code in (302, 403)
    assert not people["staff"].has_perm(APPROVER.permission)


def test_the_self_approval_switch_is_gone(settings):
    from pathlib import Path

    assert not hasattr(settings, "FALLBACK_ALLOW_SELF_APPROVAL")
    assert "FALLBACK_ALLOW_SELF_APPROVAL" not in (Path(__file__).parents[2] / "README.md").read_text()


def test_the_embedded_demo_names_a_second_approver_with_its_own_password_file(tmp_path, django_user_model):
    from django.core.management import call_command

    password_file = tmp_path / "approver_password"
    password_file.write_text("-starts-with-a-dash")
    password_file.chmod(0o600)
    call_command("ensure_demo_user", "--username", "approver", "--password-file", str(password_file), "--plain")
    call_command("collection_access", "--approver", "approver")

    approver = django_user_model.objects.get(username="approver")
    assert approver.check_password("-starts-with-a-dash") and not approver.is_staff and not approver.is_superuser
    assert approver.has_perm(APPROVER.permission)
    event = AuditEvent.objects.get(event_type="access.permission_granted")
    assert event.actor.startswith("command:") and event.details["role"] == "approver"
