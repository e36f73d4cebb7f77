#!/bin/sh
# Runs once, as the bootstrap superuser, when compose's postgres volume is first
# initialised (/docker-entrypoint-initdb.d). Creates the two roles Perimeter uses:
#   perimeter_owner  runs `manage.py migrate` (compose's one-shot `migrate` service),
#                    owns the database, its public schema, the tables and the
#                    audit trail's append-only triggers;
#   perimeter_app    what web, worker and beat connect as; the owner grants it its
#                    rights after every migrate (rag/audit/roles.py): SELECT and
#                    INSERT only on audit_event, no CREATE on the schema.
# Passwords are read from the secret files by psql itself (never on a command line).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
\set owner_password `cat /run/secrets/db_owner_password`
\set app_password `cat /run/secrets/db_app_password`
CREATE ROLE perimeter_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE perimeter_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'app_password';
ALTER DATABASE perimeter OWNER TO perimeter_owner;
ALTER SCHEMA public OWNER TO perimeter_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
-- pgvector is created here by the superuser; the migration's CREATE EXTENSION IF NOT EXISTS is then a no-op.
CREATE EXTENSION IF NOT EXISTS vector;
SQL
