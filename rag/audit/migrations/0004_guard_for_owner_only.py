"""The append-only guard has no switch the application role can flip.

Migration 0002's TRUNCATE trigger let any session that ran
``SET perimeter.audit_maintenance = 'on'`` empty the table: a setting every role may
set. Now that setting counts only for a session whose role owns ``audit_event``
(or is a superuser): the owner could ``ALTER TABLE ... DISABLE TRIGGER`` anyway, so
this gives nothing away, and it keeps pytest-django's flush (one TRUNCATE of every
table, run as the owner) working. UPDATE and DELETE stay refused for everyone.

The boundary against the application is the role, not the trigger: the app role
(``DATABASE_APP_ROLE``, see :mod:`rag.audit.roles`) has only SELECT and INSERT on
this table, does not own it and cannot create objects in the schema, so it can
neither change rows nor disable the triggers. Against the owner (or a superuser),
the keyed chain and the signed checkpoints outside the database are the boundary:
``audit_verify`` reports any edit, deletion or truncation they make.
"""
from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        IF NOT EXISTS (SELECT 1 FROM audit_event) THEN
            RETURN NULL;
        END IF;
        IF coalesce(current_setting('perimeter.audit_maintenance', true), '') = 'on'
           AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
            RETURN NULL;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP
        USING HINT = 'Audit events are never changed or removed; append a new event instead.';
END;
$$;
"""

REVERSE = r"""
CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger
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
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_document_requeued")]
    operations = [migrations.RunSQL(FORWARD, reverse_sql=REVERSE)]
