#!/bin/sh
# First start of the PostgreSQL container (docker-entrypoint-initdb.d): two roles for the application.
#   crmr_owner  owns the database and the tables: runs the migrations (DATABASE_OWNER_URL), then grants.
#   crmr_app    the application (web, worker, beat: DATABASE_URL): reads and writes rows, nothing more;
#               `manage.py grant_app_role crmr_app`, run by the owner after each migrate, sets its rights.
# The superuser (POSTGRES_USER) is used by nothing else. Issue 16, item 5.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner_password="$CRMR_OWNER_PASSWORD" -v app_password="$CRMR_APP_PASSWORD" <<'SQL'
CREATE ROLE crmr_owner LOGIN PASSWORD :'owner_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE ROLE crmr_app LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
ALTER DATABASE :"DBNAME" OWNER TO crmr_owner;
ALTER SCHEMA public OWNER TO crmr_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT CONNECT ON DATABASE :"DBNAME" TO crmr_app;
GRANT USAGE ON SCHEMA public TO crmr_app;
SQL
