#!/bin/sh
# Runs once, when the compose Postgres volume is created: the app role with its password.
# The migrations (scripts/prepare-services.ts) find the role and only grant it rights;
# the migrator role is created by them and used through the superuser connection.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v pw="$VIGIL_APP_PASSWORD" <<'SQL'
CREATE ROLE vigil_app LOGIN PASSWORD :'pw';
SQL
