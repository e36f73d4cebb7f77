"""Issue 10, "Done when": the walkthrough of a new admin, end to end, on the real services.

One test, in the order the issue gives: create a collection, grant a group read and another
contribute, upload, replace, delete, escalate as one user, fail to self-approve, approve as a
second, verify the trail, tamper three ways (edit, delete newest, truncate) and see each caught.

Everything goes through what an admin or a user touches: management commands (``call_command``),
the Django admin, the Access page and the approval queue (Django's test client, signed in), and
the REST API. The Celery worker (subprocess, app role), vLLM, Presidio and the proprietary-API
stand-in are real; the stand-in is the only fake. Tampering connects to the database as the
audit table's OWNER (not the app role, which cannot: tests/security/test_audit_app_role.py).

Run with ``-s`` to read the transcript; scripts/admin_walkthrough.md holds one run's.
"""
from __future__ import annotations

import html
import io
import re
from contextlib import contextmanager

import psycopg
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from ingest.blobs import blob_exists
from ingest.models import Chunk, Document
from rag.access.services import user_groups_sync
from rag.audit.models import AuditEvent
from rag.fallback.models import FallbackRequest
from tests.conftest import wait_for_status
from tests.fallback.conftest import standin, standin_settings, wait_for_request  # noqa: F401 (fixtures)
from tests.factories import signed_in_api as api_of, signed_in_browser as browser_of

pytestmark = pytest.mark.django_db(transaction=True)  # the worker (another process) sees committed rows
E = AuditEvent.EventType
PASSWORD = "a long walkthrough passphrase 42"
STAFF_2023 = ("# Staff list 2023\n\nPriya Raman (priya.raman@example.com) joined payroll in March 2023. "
              "Former employees asked to be erased from this list.")
TRAVEL_V1 = "# Travel policy\n\nMeals are reimbursed up to 45 euros per day. Code word: TANGERINE-5."
TRAVEL_V2 = ("# Travel policy\n\nMeals are reimbursed up to 60 euros per day. Code word: OBSIDIAN-9. "
             "Claims above that are approved by Marcus Oyelaran (m.oyelaran@example.org).")
QUESTION = ("Can Priya Raman (priya.raman@example.com) claim 60 euros for meals per day "
            "on her trip, and who approves more?")
PII = ["Priya Raman", "priya.raman@example.com", "Marcus Oyelaran", "m.oyelaran@example.org", "Oyelaran"]


def say(line: str = "") -> None:
    """One line of the transcript (visible with ``pytest -s``)."""
    print(line, flush=True)


def step(title: str) -> None:
    say()
    say(f"== {title}")


def command(*args: str) -> str:
    """``manage.py <args>`` as the admin types it; returns (and shows) what it printed."""
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    say(f"$ manage.py {' '.join(args)}")
    text = (out.getvalue() + err.getvalue()).rstrip()
    for line in text.splitlines():
        say(f"  {line}")
    return text


def audit_verify() -> tuple[int, str]:
    """``manage.py audit_verify``: (exit status, what it printed), shown in the transcript."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    say("$ manage.py audit_verify")
    for line in (out.getvalue() + err.getvalue()).rstrip().splitlines():
        say(f"  {line}")
    say(f"  (exit status {code})")
    return code, out.getvalue() + err.getvalue()


def messages_on(page) -> list[str]:
    """The flash messages a page shows (base.html's ``ul.messages``)."""
    shown = re.findall(r'<li class="(?:error|success)">(.*?)</li>', page.content.decode())
    return [html.unescape(re.sub(r"<[^>]+>", "", m)) for m in shown]


def upload(user, name: str, text: str, collection: str = "hr"):
    resp = api_of(user).post("/api/v1/documents", {"collection": collection,
                                                   "file": SimpleUploadedFile(name, text.encode())},
                             format="multipart")
    body = resp.json()
    shown = body.get("action") or body.get("error", {}).get("code")
    say(f"{user.username}: POST /api/v1/documents {collection}/{name} -> {resp.status_code} {shown}")
    return resp


def search_sees(user, query: str) -> str:
    """What ``user`` finds with BM25 (POST /api/v1/search): "source: snippet" per hit, shown."""
    hits = api_of(user).post("/api/v1/search", {"query": query, "mode": "bm25", "top_k": 5},
                             format="json").json()["hits"]
    found = " | ".join(f"{h['source']}: {' '.join(h['snippet'].split())}" for h in hits) or "(nothing)"
    say(f"{user.username}: POST /api/v1/search {query!r} -> {found}")
    return found


@contextmanager
def owner_db():
    """A psycopg connection (autocommit) as the role that owns ``audit_event``: the migrations' role."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'audit_event'")
        (owner,) = cursor.fetchone()
    assert owner != settings.DATABASE_APP_ROLE  # the app role cannot do any of this (test_audit_app_role)
    db = connection.settings_dict
    conn = psycopg.connect(host=db["HOST"], port=db["PORT"], dbname=db["NAME"], user=owner,
                           password=db.get("PASSWORD") or None, autocommit=True)
    say(f"(connected to {db['NAME']} as {owner}, the owner of audit_event; the app connects as "
        f"{settings.DATABASE_APP_ROLE})")
    try:
        yield conn
    finally:
        conn.close()


def guard_off(conn, sql: str) -> None:
    """What the owner can do: switch the UPDATE/DELETE guard off, run ``sql``, switch it back on."""
    with conn.transaction():
        conn.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete")
        conn.execute(sql)
        conn.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete")
    say(f"owner> {sql}")


def test_a_new_admin_walks_through_roles_documents_approvals_and_a_tamper_evident_trail(
        django_user_model, monkeypatch, llm_server, celery_worker, standin):  # noqa: F811
    step("1. The new admin: createsuperuser, then creates collection 'hr' by uploading into it")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    command("createsuperuser", "--noinput", "--username", "ada", "--email", "ada@example.com")
    ada = django_user_model.objects.get(username="ada")
    people = {name: django_user_model.objects.create_user(username=name, password=PASSWORD)
              for name in ("rita", "eddie", "dana")}
    rita, eddie, dana = people["rita"], people["eddie"], people["dana"]
    say("(rita, eddie and dana have accounts, as their first single sign-on creates them)")
    created = upload(ada, "staff-2023.md", STAFF_2023)
    assert created.status_code == 202 and created.json()["action"] == "created"
    staff_list = wait_for_status(created.json()["id"])
    assert staff_list.status == "ready", staff_list.error
    say(f"worker: staff-2023.md is {staff_list.status} ({staff_list.chunk_count} chunk(s))")
    assert api_of(rita).get("/api/v1/collections").json()["results"] == []
    say("rita: GET /api/v1/collections -> [] (a new collection has no readers)")

    step("2. Grant group HR read (command) and group Editors contribute (Django admin + Access page)")
    listed = command("collection_access", "hr", "--group", "HR")
    assert "hr: group:HR is reader" in listed
    page = browser_of(ada)
    added = page.post("/admin/auth/group/add/", {"name": "Editors"}, follow=True)
    assert messages_on(added) == ["The group “Editors” was added successfully."], added.content[:500]
    say(f"ada: Django admin > Groups > Add 'Editors' -> {messages_on(added)[0]}")
    for who, claimed in ((rita, ["HR"]), (eddie, ["Editors"])):  # what single sign-on runs at sign-in
        assert user_groups_sync(user=who, group_names=claimed) == claimed
    say("(rita signs in with groups claim [HR], eddie with [Editors]; SSO's group sync applies them, audited)")
    hr_id = Document.objects.get(pk=staff_list.pk).collection_id
    granted = page.post(f"/admin-console/access/{hr_id}/grant", {"group": "Editors", "role": "contributor"},
                        follow=True)
    assert messages_on(granted) == ["hr: access changed (recorded in the audit trail)."]
    roles = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td>", granted.content.decode())
    say(f"ada: Access page, grant Editors contributor -> {messages_on(granted)[0]}")
    say(f"  Access page lists: {', '.join(f'{who} = {role} (by {by})' for who, role, by in roles)}")
    assert [(who, role) for who, role, _ in roles] == [("group:Editors", "contributor"), ("group:HR", "reader")]
    assert [c["slug"] for c in api_of(rita).get("/api/v1/collections").json()["results"]] == ["hr"]
    say("rita: GET /api/v1/collections -> ['hr']")

    step("3. Upload: the contributor adds travel.md; the reader may not")
    refused = upload(rita, "travel.md", "# Travel policy\n\nEveryone flies business.")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "unknown_collection"
    first = upload(eddie, "travel.md", TRAVEL_V1)
    assert first.status_code == 202 and first.json()["action"] == "created"
    v1 = wait_for_status(first.json()["id"])
    assert v1.status == "ready", v1.error
    assert "45 euros" in search_sees(rita, "meals reimbursed per day")

    step("4. Replace: eddie uploads a new travel.md; once it is ready it replaces the old version")
    second = upload(eddie, "travel.md", TRAVEL_V2)
    assert second.status_code == 202 and second.json()["action"] == "replacement"
    v2 = wait_for_status(second.json()["id"])
    assert v2.status == "ready", v2.error
    assert not Document.objects.filter(pk=v1.pk).exists()
    say(f"worker: document {v2.pk} ready, document {v1.pk} (the old version) removed")
    seen = search_sees(rita, "meals reimbursed per day")
    assert "60 euros" in seen and "45 euros" not in seen

    step("5. Delete: only a manager may; the admin erases the 2023 staff list")
    for who in (rita, eddie):
        resp = api_of(who).delete(f"/api/v1/documents/{v2.pk}")
        say(f"{who.username}: DELETE /api/v1/documents/{v2.pk} -> {resp.status_code} {resp.json()['error']['code']}")
        assert resp.status_code == 403 and resp.json()["error"]["code"] == "not_collection_manager"
    chunk_ids = list(Chunk.objects.filter(document=staff_list).values_list("pk", flat=True))
    resp = api_of(ada).delete(f"/api/v1/documents/{staff_list.pk}")
    say(f"ada: DELETE /api/v1/documents/{staff_list.pk} -> {resp.status_code}")
    assert resp.status_code == 204
    assert not Chunk.objects.filter(pk__in=chunk_ids).exists() and not blob_exists(staff_list.sha256)
    gone = api_of(rita).get(f"/api/v1/documents/{staff_list.pk}")
    say(f"rita: GET /api/v1/documents/{staff_list.pk} -> {gone.status_code}; its chunks and stored bytes are gone")
    assert gone.status_code == 404 and "Staff list" not in search_sees(rita, "Priya Raman payroll 2023")

    step("6. Escalate as one user: ada asks, the local model answers, ada escalates")
    asked = api_of(ada).post("/api/v1/query", {"question": QUESTION, "top_k": 5}, format="json")
    assert asked.status_code == 200, asked.content
    answer = asked.json()
    say(f"ada: POST /api/v1/query -> 200, question {answer['question_id']}, cites "
        f"{sorted({c['source'] for c in answer['citations']})}, supported {answer['support']['supported']}, "
        f"answer {' '.join(answer['answer'].split())[:70]!r}...")
    resp = api_of(ada).post(f"/api/v1/questions/{answer['question_id']}/escalate", {}, format="json")
    assert resp.status_code == 201, resp.content
    req = resp.json()
    say(f"ada: POST /api/v1/questions/{answer['question_id']}/escalate -> 201, request #{req['id']} "
        f"{req['status']}, masked {req['masked_counts']}")
    assert req["status"] == "pending" and req["masked_counts"].get("PERSON", 0) >= 1

    step("7. ada fails to approve her own request (queue page and API); nothing leaves")
    queue = browser_of(ada).get("/admin-console/approvals/")
    sha = re.search(r'name="payload_sha256" value="([0-9a-f]{64})"', queue.content.decode()).group(1)
    assert sha == req["payload_sha256"]
    mine = browser_of(ada).post(f"/admin-console/approvals/{req['id']}/approve", {"payload_sha256": sha}, follow=True)
    say(f"ada: approval queue, 'Approve sending exactly this' -> {messages_on(mine)}")
    assert messages_on(mine) == [f"Request #{req['id']} was not approved: "
                                 "a second person must approve a request about your own question"]
    resp = api_of(ada).post(f"/api/v1/fallback/{req['id']}/approve", {"payload_sha256": sha}, format="json")
    say(f"ada: POST /api/v1/fallback/{req['id']}/approve -> {resp.status_code} {resp.json()['error']}")
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "permission_denied"
    assert FallbackRequest.objects.get(pk=req["id"]).status == "pending" and standin.requests == []
    say("stand-in (the proprietary API): 0 requests received")
    assert browser_of(dana).get("/admin-console/approvals/").status_code == 403
    say("dana: GET /admin-console/approvals/ -> 403 (not an approver yet)")

    step("8. A second person approves: ada names dana approver; dana reviews and approves")
    assert "dana is now an approver" in command("collection_access", "--approver", "dana")
    queue = browser_of(dana).get("/admin-console/approvals/").content.decode()
    payload = html.unescape(re.search(r'<pre class="payload payload-exact">(.*?)</pre>', queue, re.S).group(1))
    assert "PERSON_1" in payload and not [v for v in PII if v in payload]
    redacted = re.search(r"<strong>Question \(redacted\):</strong> (.*?)</p>", queue, re.S).group(1)
    say(f"dana: queue shows the question as {html.unescape(re.sub(r'<[^>]+>', '', redacted))!r}")
    sources = re.search(r"<strong>Contributing documents:</strong> ([^<]*)", queue).group(1).strip()
    assert sources == "travel.md"
    say(f"dana: queue shows contributing documents: {sources}")
    say(f"dana: queue shows request #{req['id']} by ada; payload has {payload.count('PERSON_')} person "
        f"placeholder(s) and none of {PII[:2]}...")
    approved = browser_of(dana).post(f"/admin-console/approvals/{req['id']}/approve", {"payload_sha256": sha},
                                     follow=True)
    say(f"dana: 'Approve sending exactly this' -> {messages_on(approved)}")
    assert messages_on(approved) == [f"Request #{req['id']} approved; it is being sent."]
    sent = wait_for_request(req["id"], statuses=("answered", "failed"))
    assert sent.status == "answered", sent.failure_reason
    [received] = standin.requests
    assert received.body == bytes(sent.payload_bytes) and not [v for v in PII if v in received.body.decode()]
    say(f"worker: sent; stand-in received 1 request of {len(received.body)} bytes, SHA-256 = the approved one, "
        "no personal data")
    delivered = api_of(ada).get(f"/api/v1/fallback/{req['id']}").json()
    assert delivered["status"] == "delivered" and delivered["receipt"]["approved_by"] == "dana"
    say(f"ada: GET /api/v1/fallback/{req['id']} -> {delivered['status']}, approved by "
        f"{delivered['receipt']['approved_by']}, answer {delivered['answer'][:60]!r}...")

    step("9. Verify the trail: an auditor reads it; a checkpoint pins the head; audit_verify")
    erin = django_user_model.objects.create_user(username="erin", password=PASSWORD)
    assert "erin is now an auditor" in command("collection_access", "--auditor", "erin")
    banner = browser_of(erin).get("/admin-console/audit/?verify=now").content.decode()
    assert "Chain verified" in banner
    say("erin: GET /admin-console/audit/?verify=now -> 'Chain verified'")
    assert api_of(erin).get("/api/v1/documents").json()["results"] == []
    say("erin: GET /api/v1/documents -> [] (auditors read the trail, not documents)")
    trail = list(AuditEvent.objects.order_by("id"))
    wanted = {E.ACCESS_ROLE_GRANTED, E.ACCESS_PERMISSION_GRANTED, E.DOCUMENT_REGISTERED, E.DOCUMENT_REPLACED,
              E.DOCUMENT_DELETED, E.ESCALATION_REQUESTED, E.FALLBACK_APPROVED, E.FALLBACK_SENDING, E.FALLBACK_SENT,
              E.FALLBACK_DELIVERED}
    say(f"the trail holds {len(trail)} events; among them:")
    shown = wanted | {E.ACCESS_GROUPS_SYNCED, E.QUERY_ASKED, E.REDACTION_COMPLETED, E.FALLBACK_ANSWERED}
    for event in trail:
        if event.event_type in shown:
            say(f"  #{event.pk} {event.event_type} by {event.actor} on {event.target_type} {event.target_id}")
    assert wanted <= {e.event_type for e in trail}
    approval = next(e for e in trail if e.event_type == E.FALLBACK_APPROVED)
    assert approval.actor == "dana"
    assert "checkpoint: event" in command("audit_checkpoint")
    code, output = audit_verify()
    assert code == 0 and "1 of 1 checkpoints matched" in output

    step("10. Tamper 1 of 3, as the owner: edit the approval row so ada appears to have approved")
    with owner_db() as owner:
        guard_off(owner, f"UPDATE audit_event SET actor = 'ada', actor_id = {ada.pk} WHERE id = {approval.pk}")
        code, output = audit_verify()
        assert code == 1 and f"BROKEN at event {approval.pk} (fallback.approved): stored hash does not match" in output
        guard_off(owner, f"UPDATE audit_event SET actor = '{approval.actor}', actor_id = {approval.actor_id} "
                         f"WHERE id = {approval.pk}")
        say("(row put back as it was, to show the next tampering is caught on its own)")
        assert audit_verify()[0] == 0

        step("11. Tamper 2 of 3, as the owner: delete the three newest events")
        trail = list(AuditEvent.objects.order_by("id"))
        newest = trail[-3:]
        say(f"(newest: {', '.join(f'#{e.pk} {e.event_type}' for e in newest)})")
        with owner.transaction():
            owner.execute(f"CREATE TEMP TABLE newest_copy AS SELECT * FROM audit_event WHERE id >= {newest[0].pk}")
        guard_off(owner, f"DELETE FROM audit_event WHERE id >= {newest[0].pk}")
        code, output = audit_verify()
        assert code == 1 and f"the trail ends at event {trail[-4].pk} but the checkpoint" in output
        assert "the newest events were deleted" in output
        owner.execute("INSERT INTO audit_event SELECT * FROM newest_copy")
        say("(the three rows put back from a copy)")
        assert audit_verify()[0] == 0

        step("12. Tamper 3 of 3, as the owner: truncate the trail")
        with owner.transaction():
            owner.execute("CREATE TEMP TABLE whole_copy AS SELECT * FROM audit_event")
            owner.execute("SET LOCAL perimeter.audit_maintenance = 'on'")
            owner.execute("TRUNCATE audit_event")
        say("owner> SET LOCAL perimeter.audit_maintenance = 'on'; TRUNCATE audit_event")
        assert not AuditEvent.objects.exists()
        code, output = audit_verify()
        assert code == 1 and "the trail is empty but 1 checkpoint(s) cover events" in output
        assert "the trail was truncated" in output
        owner.execute("INSERT INTO audit_event SELECT * FROM whole_copy")
        say("(every row put back from a copy)")
        code, output = audit_verify()
        assert code == 0 and f"OK: {len(trail)} events verified" in output
