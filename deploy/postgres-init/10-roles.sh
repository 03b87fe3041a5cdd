#!/usr/bin/env bash
# Run once by the postgres image, as its superuser, when the database volume is first made
# (docker-compose.yml mounts this folder on /docker-entrypoint-initdb.d). Makes the two roles
# (README, "Database roles"):
# - stalking_clinic_owner owns the database and every table; migrations (the migrate service)
#   and the police log importer's index rebuilds (the worker) connect as it;
# - stalking_clinic_app is what web, worker and beat run as: no superuser, no CREATEDB, no
#   CREATEROLE; `manage.py migrate` grants it read and write on the tables but only SELECT and
#   INSERT on the audit log, and no CREATE in the schema.
set -euo pipefail
: "${DATABASE_OWNER_PASSWORD:?}" "${DATABASE_APP_PASSWORD:?}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$DATABASE_OWNER_PASSWORD" -v app_password="$DATABASE_APP_PASSWORD" <<'SQL'
CREATE ROLE stalking_clinic_owner LOGIN NOSUPERUSER NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE stalking_clinic_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS
    NOREPLICATION PASSWORD :'app_password';
CREATE DATABASE stalking_clinic OWNER stalking_clinic_owner;
SQL
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname stalking_clinic <<'SQL'
ALTER SCHEMA public OWNER TO stalking_clinic_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
