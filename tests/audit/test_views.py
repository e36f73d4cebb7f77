"""The audit page in the admin console: staff only, chain status, filters, exports."""
from __future__ import annotations

import csv
import io
import json

import pytest
from django.conf import settings

from rag.audit.models import AuditEvent
from rag.audit.verify_export import EXPORT_FIELDS, verify_records

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.audit.urls")]
URL = "/admin-console/audit/"


@pytest.fixture
def staff(client, admin_user_obj):
    client.force_login(admin_user_obj)
    return client


def test_it_redirects_anonymous_visitors_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_it_turns_away_signed_in_users_who_are_not_staff(client, user):
    client.force_login(user)
    assert client.get(URL).status_code in (302, 403)
    assert client.get(URL + "export.jsonl").status_code in (302, 403)
    assert not AuditEvent.objects.filter(event_type=AuditEvent.EventType.AUDIT_EXPORTED).exists()


def test_it_shows_a_verified_chain(staff, chain):
    page = staff.get(URL).content.decode()
    assert "Chain verified" in page
    # + 1: force_login wrote the admin's login event.
    assert f"all {len(chain) + 1} events recomputed and linked" in page


def test_it_shows_the_first_broken_link(staff, chain, as_superuser):
    as_superuser("DELETE FROM audit_event WHERE id = %s", [chain[1].pk])
    page = staff.get(URL).content.decode()
    assert f"Chain broken at event {chain[2].pk}</strong>" in page
    assert "Chain verified" not in page


def test_it_shows_a_trail_cut_short_before_the_last_checkpoint(staff, chain, as_superuser):
    from rag.audit.checkpoints import audit_checkpoint_write

    audit_checkpoint_write()
    as_superuser("DELETE FROM audit_event WHERE id >= %s", [chain[3].pk])
    page = staff.get(URL).content.decode()
    assert "Trail cut short</strong>" in page and "the newest events were deleted" in page
    assert "Chain verified" not in page


def test_verify_now_finds_an_edit_that_a_recent_check_has_not_seen(staff, chain, as_superuser):
    assert "Chain verified" in staff.get(URL).content.decode()
    as_superuser("UPDATE audit_event SET target_id = '2' WHERE id = %s", [chain[0].pk])
    page = staff.get(URL, {"verify": "now"}).content.decode()
    assert f"Chain broken at event {chain[0].pk}</strong>" in page
    assert "was changed" in page


def test_it_filters_by_event_type(staff, chain):
    response = staff.get(URL, {"event_type": "fallback.approved"})
    assert response.context["page"].paginator.count == 1
    assert [e.pk for e, _ in response.context["rows"]] == [chain[4].pk]
    assert "payload_sha256" in response.content.decode()
    assert "chunk_ids" not in response.content.decode()


def test_it_filters_by_actor_and_searches_details(staff, chain):
    assert staff.get(URL, {"actor": "alice"}).context["page"].paginator.count == 2
    assert [e.pk for e, _ in staff.get(URL, {"search": "CAFÉ"}).context["rows"]] == [chain[3].pk]


def test_it_pages_fifty_events_at_a_time(staff):
    from rag.audit.services import audit_append

    for i in range(60):
        audit_append(event_type=AuditEvent.EventType.QUERY_ASKED, actor="alice", target_id=i)
    first = staff.get(URL, {"actor": "alice"})
    assert len(first.context["rows"]) == 50
    assert "actor=alice&amp;page=2" in first.content.decode()
    assert len(staff.get(URL, {"actor": "alice", "page": 2}).context["rows"]) == 10


def test_the_jsonl_export_streams_the_filter_with_chain_fields_and_is_recorded(staff, admin_user_obj, chain):
    response = staff.get(URL + "export.jsonl", {"event_type": "query.asked"})
    assert response.streaming and response["Content-Type"].startswith("application/x-ndjson")
    records = [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]
    assert [r["id"] for r in records] == [chain[0].pk]
    assert tuple(records[0]) == EXPORT_FIELDS
    assert verify_records(enumerate(records, 1), key=settings.AUDIT_KEY.encode())[0]
    exported = AuditEvent.objects.get(event_type=AuditEvent.EventType.AUDIT_EXPORTED)
    assert (exported.actor, exported.actor_id) == ("boss", admin_user_obj.pk)
    assert exported.details["filters"] == {"event_type": "query.asked"}


def test_the_csv_export_streams_every_chain_field(staff, chain):
    response = staff.get(URL + "export.csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert tuple(rows[0]) == EXPORT_FIELDS
    assert len(rows) == len(chain) + 1  # and the admin's login, not the export's own event
    assert rows[0]["event_type"] == "auth.admin_login" and rows[-1]["hash"] == chain[-1].hash


def test_the_export_keeps_only_a_digest_of_a_search(staff, chain):
    staff.get(URL + "export.jsonl", {"search": "jane.doe@example.com"})
    exported = AuditEvent.objects.get(event_type=AuditEvent.EventType.AUDIT_EXPORTED)
    assert "jane.doe" not in json.dumps(exported.details)
    assert exported.details["filters"]["search"].startswith("sha256:")
