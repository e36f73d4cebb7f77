"""Issue 10, attack 3, first half: with the application's own database credentials the
audit trail cannot be cut short or changed.

Each test opens a real connection AS THE APP ROLE (``DATABASE_APP_ROLE``, granted by
the same post-migrate code as production: rag.audit.roles) to the test database and
tries one attack that worked before: the app used to connect as the table owner (in
compose, as the superuser), and ``SET perimeter.audit_maintenance = 'on'`` unlocked
TRUNCATE for anyone.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from rag.audit.models import AuditEvent
from rag.audit.selectors import audit_chain_verify
from rag.audit.services import audit_append

pytestmark = pytest.mark.django_db(transaction=True)  # rows committed, so the app's connection sees them
ROOT = Path(__file__).resolve().parents[2]
E = AuditEvent.EventType


@pytest.fixture
def app_db(transactional_db):
    """A psycopg connection to the test database as the application role (autocommit)."""
    if not settings.DATABASE_APP_ROLE:
        pytest.fail("DATABASE_APP_ROLE is not set: the test plugin creates the role when it starts PostgreSQL")
    db = connection.settings_dict
    conn = psycopg.connect(host=db["HOST"], port=db["PORT"], dbname=db["NAME"], user=settings.DATABASE_APP_ROLE,
                           autocommit=True)
    yield conn
    conn.close()  # before pytest-django's flush, which must not wait for our locks


@pytest.fixture
def trail():
    return [audit_append(event_type=E.QUERY_ASKED, actor="alice", target_id=n, details={"n": n}) for n in range(3)]


def refused(app_db, sql: str, match: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match=match):
        app_db.execute(sql)


def test_it_refuses_truncate_by_the_app_role_even_with_the_maintenance_setting(app_db, trail):
    app_db.execute("SET perimeter.audit_maintenance = 'on'")  # any role may set a custom setting...
    refused(app_db, "TRUNCATE audit_event", "permission denied for table audit_event")  # ...it unlocks nothing
    assert AuditEvent.objects.count() == 3
    assert audit_chain_verify().ok


def test_it_refuses_to_let_the_app_role_disable_the_triggers(app_db, trail):
    refused(app_db, "ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete",
            "must be owner of table audit_event")
    refused(app_db, "ALTER TABLE audit_event DISABLE TRIGGER ALL", "must be owner of table audit_event")
    refused(app_db, "SET session_replication_role = replica", "permission denied to set parameter")


def test_it_refuses_update_and_delete_by_the_app_role(app_db, trail):
    refused(app_db, f"UPDATE audit_event SET actor = 'mallory' WHERE id = {trail[0].pk}",
            "permission denied for table audit_event")
    refused(app_db, f"DELETE FROM audit_event WHERE id = {trail[-1].pk}", "permission denied for table audit_event")
    assert list(AuditEvent.objects.order_by("id").values_list("actor", flat=True)) == ["alice"] * 3


def test_it_refuses_the_app_role_any_other_way_around_the_table(app_db, trail):
    refused(app_db, "CREATE TABLE audit_event_copy (id bigint)", "permission denied for schema public")
    refused(app_db, "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'", "permission denied for schema public")
    refused(app_db, "SELECT setval(pg_get_serial_sequence('audit_event', 'id'), 1)", "permission denied for sequence")
    refused(app_db, "DELETE FROM django_migrations", "permission denied for table django_migrations")
    owner, superuser = app_db.execute(
        "SELECT pg_get_userbyid(c.relowner) = current_user, r.rolsuper FROM pg_class c, pg_roles r "
        "WHERE c.oid = 'audit_event'::regclass AND r.rolname = current_user").fetchone()
    assert (owner, superuser) == (False, False)


def test_the_app_role_holds_only_select_and_insert_on_the_audit_table(app_db):
    rows = app_db.execute(
        "SELECT privilege_type FROM information_schema.role_table_grants "
        "WHERE table_name = 'audit_event' AND grantee = current_user ORDER BY 1").fetchall()
    assert [r[0] for r in rows] == ["INSERT", "SELECT"]
    rows = app_db.execute(
        "SELECT DISTINCT privilege_type FROM information_schema.role_table_grants "
        "WHERE table_name = 'ingest_document' AND grantee = current_user ORDER BY 1").fetchall()
    assert [r[0] for r in rows] == ["DELETE", "INSERT", "SELECT", "TRUNCATE", "UPDATE"]


def test_the_app_itself_appends_and_verifies_as_the_app_role(app_db, trail):
    """A real Django process connected as the app role writes an event (nextval, the
    advisory lock, INSERT) and verifies the chain."""
    db = connection.settings_dict
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "DATABASE_URL": f"postgres://{settings.DATABASE_APP_ROLE}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "AUDIT_CHECKPOINT_PATH": str(settings.AUDIT_CHECKPOINT_PATH)}
    code = ("from django.db import connection; from rag.audit.services import audit_append; "
            "audit_append(event_type='query.asked', actor='bob'); print(connection.cursor().connection.info.user)")
    out = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == settings.DATABASE_APP_ROLE
    verify = subprocess.run([sys.executable, "manage.py", "audit_verify"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert verify.returncode == 0, verify.stderr
    assert "OK: 4 events verified" in verify.stdout
