#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL 15 cluster and GAZETTE_TEST_POSTGRES_URL pointing at it.
#
#   scripts/with-postgres.sh swift test
#
# The cluster lives in a temporary directory owned by the `postgres` user, listens on 127.0.0.1 on a free
# port (unix socket inside the same directory), accepts `trust` logins from 127.0.0.1 only, and is always
# stopped and removed when the command ends. The script exits with the command's exit code.
# Works without a terminal (no stdin) and under CI=true.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 64
fi

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
if [[ ! -x "$PG_BIN/initdb" ]]; then
    echo "with-postgres: $PG_BIN/initdb not found; installing postgresql" >&2
    if [[ "$(id -u)" -ne 0 ]]; then
        echo "with-postgres: need root to install postgresql (apt-get install postgresql)" >&2
        exit 69
    fi
    DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql </dev/null >&2
fi
if [[ ! -x "$PG_BIN/initdb" ]]; then
    echo "with-postgres: still no initdb in $PG_BIN after installing postgresql" >&2
    exit 69
fi

# Run the server binaries as the `postgres` user when we are root (initdb refuses root).
as_pg() {
    if [[ "$(id -u)" -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 - <<'PY' 2>/dev/null || echo $(( 20000 + RANDOM % 20000 ))
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

PGTMP="$(mktemp -d /tmp/gazette-pg.XXXXXX)"
chmod 0755 "$PGTMP"
if [[ "$(id -u)" -eq 0 ]]; then chown postgres: "$PGTMP"; fi
DATA="$PGTMP/data"
LOG="$PGTMP/server.log"
STARTED=0

cleanup() {
    if [[ "$STARTED" -eq 1 ]]; then
        as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PGTMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_pg "$PG_BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=trust \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$PGTMP/initdb.log" 2>&1 </dev/null || {
    echo "with-postgres: initdb failed:" >&2
    cat "$PGTMP/initdb.log" >&2
    exit 70
}
# Only loopback TCP; nothing else may connect.
cat >"$DATA/pg_hba.conf" <<'HBA'
local all all trust
host  all all 127.0.0.1/32 trust
HBA

for attempt in 1 2 3 4 5; do
    PORT="$(free_port)"
    # Test clusters trade durability for speed: the data is thrown away afterwards.
    if as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGTMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null 2>&1 </dev/null; then
        STARTED=1
        break
    fi
    echo "with-postgres: start on port $PORT failed (attempt $attempt)" >&2
done
if [[ "$STARTED" -ne 1 ]]; then
    echo "with-postgres: could not start PostgreSQL; server log:" >&2
    cat "$LOG" >&2 || true
    exit 70
fi

export GAZETTE_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PORT/postgres?sslmode=disable"
echo "with-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (data in $PGTMP)" >&2

set +e
"$@"
STATUS=$?
set -e
exit "$STATUS"
