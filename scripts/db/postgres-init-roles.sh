#!/bin/sh
# Runs once, when the postgres service of docker-compose.yml initialises its data volume: creates Samverka's
# two roles (see libs/domain/src/database/roles.ts) and hands the database to the owner. The owner runs the
# migrations (DATABASE_OWNER_URL); the API and the worker connect as the application role (DATABASE_URL),
# which owns nothing and gets its grants after each migration run.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v dbname="$POSTGRES_DB" -v owner_password="$SAMVERKA_OWNER_PASSWORD" -v app_password="$SAMVERKA_APP_PASSWORD" <<'SQL'
CREATE ROLE samverka_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION PASSWORD :'owner_password';
CREATE ROLE samverka_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION PASSWORD :'app_password';
ALTER DATABASE :"dbname" OWNER TO samverka_owner;
SQL
