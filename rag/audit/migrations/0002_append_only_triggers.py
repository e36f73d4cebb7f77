"""PostgreSQL refuses UPDATE, DELETE and TRUNCATE on ``audit_event``.

- ``audit_event_no_update_delete``: BEFORE UPDATE OR DELETE, FOR EACH ROW, always
  raises ``audit_event is append-only``. There is no switch.
- ``audit_event_no_truncate``: BEFORE TRUNCATE, FOR EACH STATEMENT, raises unless
  the table is empty or the session has ``SET perimeter.audit_maintenance = 'on'``.
  The switch exists for test isolation: pytest-django flushes the database with one
  ``TRUNCATE`` of every table after each ``transaction=True`` test (see the
  ``audit_truncate_allowed_in_tests`` fixture in tests/audit/conftest.py).

Neither trigger is a security boundary against the table's owner, who can
``ALTER TABLE audit_event DISABLE TRIGGER`` (and a superuser can also
``SET session_replication_role = replica``). They stop mistakes: an ORM
``.update()``/``.delete()``, an admin action, ``manage.py flush``. In production run
the web and worker processes as a role that does not own the tables and has only
SELECT and INSERT on ``audit_event`` (and USAGE on its sequence); then nothing
short of the owner can change the table, and the hash chain shows if anyone did.
"""
from django.db import migrations

FORWARD = r"""
CREATE FUNCTION audit_event_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        IF coalesce(current_setting('perimeter.audit_maintenance', true), '') = 'on'
           OR NOT EXISTS (SELECT 1 FROM audit_event) THEN
            RETURN NULL;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP
        USING HINT = 'Audit events are never changed or removed; append a new event instead.';
END;
$$;

CREATE TRIGGER audit_event_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();

CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event;
DROP TRIGGER IF EXISTS audit_event_no_update_delete ON audit_event;
DROP FUNCTION IF EXISTS audit_event_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunSQL(FORWARD, reverse_sql=REVERSE)]
