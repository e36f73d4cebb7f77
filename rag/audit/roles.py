"""The application's database role: what web and worker may do, granted by the owner.

Two PostgreSQL roles (created by ``./perimeter run``, compose's init script, or the
test plugin):

- the OWNER runs ``manage.py migrate``, owns every table, sequence and the
  append-only triggers of ``audit_event``;
- the APP role (``DATABASE_APP_ROLE``; web and worker connect as it) is not a
  superuser, owns nothing, cannot create objects in the schema, and has:

  ============================  ==============================================
  ``audit_event``               SELECT, INSERT (USAGE on its id sequence)
  ``django_migrations``         SELECT
  every other table             SELECT, INSERT, UPDATE, DELETE, TRUNCATE
  every other sequence          USAGE, SELECT
  ============================  ==============================================

So the app cannot UPDATE, DELETE or TRUNCATE audit rows (no privilege: refused
before any trigger runs), cannot ``ALTER TABLE ... DISABLE TRIGGER`` (only the
owner may), cannot ``SET session_replication_role`` (superuser only) and cannot
move the audit sequence (no UPDATE on it, so no ``setval``).

:func:`database_app_role_grant` runs after every ``migrate`` (a ``post_migrate``
receiver), so tables added by later migrations are covered; the same code grants
in production, in ``./perimeter run`` and in the test database.
"""
from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.base.base import BaseDatabaseWrapper

APPEND_ONLY_TABLES = ("audit_event",)
READ_ONLY_TABLES = ("django_migrations",)


def database_app_role_grant(*, connection: BaseDatabaseWrapper, role: str) -> None:
    """Grant ``role`` the application's rights on every table of the ``public`` schema, as
    in the module docstring. Run as the owner; idempotent.

    Raises ImproperlyConfigured if ``role`` does not exist, is a superuser, may
    create roles or databases, or is a member of the role running this (it would
    inherit the owner's rights).
    """
    q = connection.ops.quote_name(role)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, pg_has_role(%s, current_user, 'MEMBER') "
            "FROM pg_roles WHERE rolname = %s", [role, role])
        row = cursor.fetchone()
        if row is None:
            raise ImproperlyConfigured(f"DATABASE_APP_ROLE={role!r}: no such database role")
        if any(row):
            raise ImproperlyConfigured(
                f"DATABASE_APP_ROLE={role!r} is a superuser, may create roles or databases, or is a member of the "
                "migrating (owner) role: it would not be bound by the audit trail's grants; use a plain LOGIN role")
        for statement in (
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
            f"REVOKE CREATE ON SCHEMA public FROM {q}",
            f"GRANT USAGE ON SCHEMA public TO {q}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO {q}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {q}",
            f"REVOKE UPDATE ON ALL SEQUENCES IN SCHEMA public FROM {q}",
        ):
            cursor.execute(statement)
        for table in APPEND_ONLY_TABLES + READ_ONLY_TABLES:
            t = connection.ops.quote_name(table)
            cursor.execute(f"REVOKE ALL ON {t} FROM PUBLIC")
            cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {t} FROM {q}")
        cursor.execute(f"REVOKE INSERT ON {connection.ops.quote_name('django_migrations')} FROM {q}")


def post_migrate_grant(sender, using: str = "default", **kwargs) -> None:
    """``post_migrate`` receiver: grant ``DATABASE_APP_ROLE`` its rights when it is set."""
    from django.conf import settings
    from django.db import connections

    if settings.DATABASE_APP_ROLE and connections[using].vendor == "postgresql":
        database_app_role_grant(connection=connections[using], role=settings.DATABASE_APP_ROLE)
