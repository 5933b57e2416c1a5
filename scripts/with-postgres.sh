#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh CMD [ARGS...]
#
# Runs CMD with FDAC_TEST_DATABASE_URL pointing at a PostgreSQL database.
# - DATABASE_URL set to a postgresql... URL: use that server as it is.
# - Otherwise: start a throwaway PostgreSQL 15 cluster in a temporary folder
#   on a free loopback port, run CMD against it, and always stop it and
#   delete the folder afterwards (even when CMD fails or is interrupted).
# Exits with CMD's exit status.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

if [[ ${DATABASE_URL:-} == postgresql* ]]; then
  url=$DATABASE_URL
  # Only psycopg (3) is installed: SQLAlchemy's bare postgresql:// means psycopg2.
  if [[ $url == postgresql://* ]]; then
    url="postgresql+psycopg://${url#postgresql://}"
  fi
  FDAC_TEST_DATABASE_URL=$url exec "$@"
fi

pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}

# Run a command with root rights (for apt-get): directly as root, else sudo.
as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "with-postgres: need root (or sudo) to run: $*" >&2
    return 1
  fi
}

if [[ ! -x $pg_bin/initdb ]]; then
  echo "with-postgres: $pg_bin/initdb missing; installing postgresql-15 with apt-get" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
fi

# initdb refuses to run as root: as root, run the server as the postgres user
# in a folder it owns; as anyone else, run it as ourselves.
if [[ $(id -u) -eq 0 ]]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "with-postgres: running as root but there is no 'postgres' user" >&2
    exit 1
  fi
  as_pg=(runuser -u postgres --)
else
  as_pg=()
fi

# /tmp rather than $TMPDIR: the postgres user must be able to reach it, and the
# Unix socket path inside it must stay under ~107 characters.
pg_dir=$(mktemp -d /tmp/fdac-pg.XXXXXX)
started=0

# shellcheck disable=SC2317  # called via trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ $started -eq 1 ]]; then
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$pg_dir"
  exit "$rc"
}
trap cleanup EXIT
# Turn signals into a normal exit so the EXIT trap stops the server.
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ ${#as_pg[@]} -gt 0 ]]; then
  chown postgres "$pg_dir"
fi

# UTF-8 explicitly: with no LANG set, initdb would pick SQL_ASCII.
if ! "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres \
  -E UTF8 --locale=C.UTF-8 --no-sync >"$pg_dir/initdb.log" 2>&1; then
  cat "$pg_dir/initdb.log" >&2
  echo "with-postgres: initdb failed" >&2
  exit 1
fi

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# A port found free can be taken before the server binds it: retry a few times.
# fsync etc. off: the data is thrown away, and tests run faster.
for _ in 1 2 3; do
  port=$(free_port)
  if "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -t 60 \
    -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null 2>&1; then
    started=1
    break
  fi
  # pg_ctl may have left a half-started server behind.
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
done

if [[ $started -ne 1 ]]; then
  cat "$pg_dir/log" >&2 2>/dev/null || true
  echo "with-postgres: could not start PostgreSQL" >&2
  exit 1
fi

echo "with-postgres: throwaway PostgreSQL on 127.0.0.1:$port (data in $pg_dir)" >&2

# Not exec: the EXIT trap must run after CMD to stop the server.
set +e
FDAC_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres" "$@"
rc=$?
set -e
exit "$rc"
