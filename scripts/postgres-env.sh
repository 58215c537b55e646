# Sourced by the Makefile and .ci/run: sets TERRENO_TEST_POSTGRES_URL to a database the
# tests may create schemas in, creating the database (and a role for this user) if needed.
if [ -z "${TERRENO_TEST_POSTGRES_URL:-}" ]; then
  _db=terreno_test
  if psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    # Trust authentication on loopback (the project's machines).
    psql -h 127.0.0.1 -U postgres -d postgres -Atqc "select 1 from pg_database where datname='$_db'" | grep -q 1 \
      || psql -h 127.0.0.1 -U postgres -d postgres -qc "create database $_db" >/dev/null
    export TERRENO_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:5432/$_db"
  else
    # A fresh Debian install: peer authentication on the socket, with a role for this user.
    _me=$(id -un)
    if [ "$(id -u)" -eq 0 ]; then
      su postgres -c "psql -Atqc \"select 1 from pg_roles where rolname='$_me'\"" | grep -q 1 \
        || su postgres -c "createuser -s $_me"
    fi
    psql -d postgres -Atqc "select 1 from pg_database where datname='$_db'" | grep -q 1 \
      || createdb "$_db"
    export TERRENO_TEST_POSTGRES_URL="postgresql://$_me@/$_db?host=/var/run/postgresql"
  fi
  unset _db _me
fi
