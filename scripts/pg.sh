#!/usr/bin/env bash
# Throwaway PostgreSQL for tests and benchmarks.
#
#   source scripts/pg.sh
#   pg_start            # exports CASEWIRE_TEST_POSTGRES, PG_TMPDIR, PG_PORT, PG_BIN
#   ...
#   pg_stop             # idempotent; safe in an EXIT trap
#
# The cluster lives in a fresh temp dir with fsync off: fast, disposable,
# never the machine's own PostgreSQL service. Run `bash scripts/pg.sh check`
# for a self-test.
#
# This file is sourced, so it leaves the caller's shell options alone and
# checks every step explicitly instead of relying on `set -e`.

# initdb refuses to run as root, so as root the server runs as this user.
PG_SYSTEM_USER=${PG_SYSTEM_USER:-casewire-pg}

_pg_log() { printf 'pg.sh: %s\n' "$*" >&2; }

# Newest installed server bin dir (Debian keeps initdb off PATH).
_pg_find_bin() {
    local initdb
    initdb=$(find /usr/lib/postgresql -maxdepth 3 -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1)
    if [[ -n "$initdb" ]]; then
        dirname "$initdb"
    elif command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
    else
        return 1
    fi
}

# A fresh machine has no server: install Debian's default one.
_pg_ensure_bin() {
    if PG_BIN=$(_pg_find_bin); then
        return 0
    fi
    if [[ $EUID -ne 0 ]]; then
        _pg_log "no PostgreSQL server binaries found (looked for /usr/lib/postgresql/*/bin/initdb);"
        _pg_log "install them as root: apt-get install postgresql"
        return 1
    fi
    _pg_log "PostgreSQL server not found; installing it with apt-get (takes a minute)"
    local apt_log
    apt_log=$(mktemp) || return 1
    # </dev/null: CI has no stdin and apt must never prompt. Output goes to a
    # log that is shown only on failure, to keep test logs readable.
    # Debian's default "postgresql" first; postgresql-15 if that is unavailable.
    if ! { apt-get update -qq && {
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql ||
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15
    }; } </dev/null >"$apt_log" 2>&1; then
        _pg_log "apt-get install postgresql failed:"
        tail -n 40 "$apt_log" >&2
        rm -f "$apt_log"
        return 1
    fi
    rm -f "$apt_log"
    if ! PG_BIN=$(_pg_find_bin); then
        _pg_log "postgresql installed but initdb still not found"
        return 1
    fi
}

# As root: make sure the unprivileged server user exists.
_pg_ensure_user() {
    [[ $EUID -eq 0 ]] || return 0
    id -u "$PG_SYSTEM_USER" >/dev/null 2>&1 && return 0
    # Concurrent callers may race on useradd; re-check instead of failing.
    useradd --system --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin --user-group "$PG_SYSTEM_USER" >/dev/null 2>&1 ||
        id -u "$PG_SYSTEM_USER" >/dev/null 2>&1 || {
        _pg_log "could not create system user $PG_SYSTEM_USER"
        return 1
    }
}

# Run a server command as the server user (plain exec when not root).
# The subshell cd's into the temp dir so the server user never needs access
# to the caller's working directory.
_pg_run() {
    (
        cd "$PG_TMPDIR" || exit 1
        if [[ $EUID -ne 0 ]]; then
            exec "$@"
        elif [[ -z "${PG_FORCE_SU:-}" ]] && command -v runuser >/dev/null 2>&1; then
            exec runuser -u "$PG_SYSTEM_USER" -- "$@"
        else
            # su runs a shell; pass the argv through "$0" "$@" so nothing is re-split.
            # shellcheck disable=SC2016 # expanded by that inner shell, on purpose
            exec su -s /bin/sh -c 'exec "$0" "$@"' "$PG_SYSTEM_USER" -- "$@"
        fi
    )
}

# True when nothing is bound to 127.0.0.1:$1 (any TCP state, to be safe).
_pg_port_free() {
    local port=$1
    if command -v ss >/dev/null 2>&1; then
        [[ -z "$(ss -Htan "sport = :$port" 2>/dev/null)" ]]
    else
        # A refused connect means no listener.
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            return 1
        fi
    fi
}

# Random start below Linux's ephemeral range (32768+), so outgoing
# connections are unlikely to have taken it.
_pg_pick_port() {
    local port=$((15000 + RANDOM % 15000)) i
    for ((i = 0; i < 200; i++)); do
        if _pg_port_free "$port"; then
            echo "$port"
            return 0
        fi
        port=$((port + 1))
        ((port < 30000)) || port=15000
    done
    _pg_log "no free TCP port found in 15000-29999"
    return 1
}

pg_start() {
    # _PG_OWNED_DIR is deliberately not exported: a child process that inherits
    # PG_TMPDIR gets its own server and can never stop its parent's.
    if [[ -n "${_PG_OWNED_DIR:-}" && -d "${_PG_OWNED_DIR:-}/data" ]]; then
        _pg_log "already running on port ${PG_PORT:-?} ($PG_TMPDIR)"
        return 0
    fi
    _pg_ensure_bin || return 1
    _pg_ensure_user || return 1

    # Short path under /tmp: the unix socket path must stay under 107 bytes,
    # and as root the server user must be able to reach it.
    local root=/tmp
    [[ $EUID -eq 0 ]] || root=${TMPDIR:-/tmp}
    PG_TMPDIR=$(mktemp -d "$root/casewire-pg.XXXXXX") || {
        _pg_log "mktemp failed"
        return 1
    }
    _PG_OWNED_DIR=$PG_TMPDIR
    export PG_TMPDIR PG_BIN
    if [[ $EUID -eq 0 ]]; then
        chown "$PG_SYSTEM_USER:" "$PG_TMPDIR" || {
            pg_stop
            return 1
        }
    fi

    if ! _pg_run "$PG_BIN/initdb" -D "$PG_TMPDIR/data" --auth=trust -U postgres \
        --encoding=UTF8 --locale=C --no-sync >"$PG_TMPDIR/initdb.log" 2>&1; then
        _pg_log "initdb failed:"
        cat "$PG_TMPDIR/initdb.log" >&2
        pg_stop
        return 1
    fi

    # Another process may grab the port between the check and the bind:
    # retry on a fresh port a few times.
    local attempt port
    for attempt in 1 2 3 4 5; do
        port=$(_pg_pick_port) || break
        if _pg_run "$PG_BIN/pg_ctl" -w -t 60 -D "$PG_TMPDIR/data" -l "$PG_TMPDIR/log" \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TMPDIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
            start >/dev/null 2>&1; then
            PG_PORT=$port
            export PG_PORT
            export CASEWIRE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Password=postgres;Database=postgres"
            _pg_log "PostgreSQL $("$PG_BIN/postgres" -V | awk '{print $3}') on 127.0.0.1:$port ($PG_TMPDIR)"
            return 0
        fi
        _pg_log "start on port $port failed (attempt $attempt)"
    done
    _pg_log "could not start PostgreSQL; server log:"
    tail -n 30 "$PG_TMPDIR/log" >&2 2>/dev/null || true
    pg_stop
    return 1
}

# Silent and idempotent: fine to call twice, before pg_start, or from a trap.
# Stops only the server this shell started.
pg_stop() {
    local dir=${_PG_OWNED_DIR:-}
    [[ -n "$dir" ]] || return 0
    unset CASEWIRE_TEST_POSTGRES PG_PORT PG_TMPDIR _PG_OWNED_DIR
    # Only ever delete a dir this helper made.
    [[ -n "$dir" && "$dir" == */casewire-pg.* && -d "$dir" ]] || return 0
    if [[ -f "$dir/data/postmaster.pid" && -n "${PG_BIN:-}" ]]; then
        PG_TMPDIR=$dir _pg_run "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    fi
    # Belt and braces: if pg_ctl could not stop it, kill the postmaster.
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        local pid
        pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
        if [[ "$pid" =~ ^[0-9]+$ ]]; then
            kill -9 "$pid" 2>/dev/null || true
        fi
    fi
    rm -rf "$dir"
    return 0
}

# Self-test: bash scripts/pg.sh check
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    case "${1:-}" in
    check)
        trap pg_stop EXIT
        start=$SECONDS
        pg_start
        echo "pg_start took $((SECONDS - start))s"
        psql -X -h 127.0.0.1 -p "$PG_PORT" -U postgres -At -c 'select version()'
        psql -X -h 127.0.0.1 -p "$PG_PORT" -U postgres -q -c 'create database casewire_check'
        psql -X -h 127.0.0.1 -p "$PG_PORT" -U postgres -At -d casewire_check -c 'select current_database()'
        dir=$PG_TMPDIR
        pg_stop
        [[ ! -e "$dir" ]] || { echo "temp dir $dir still exists" >&2; exit 1; }
        echo "pg.sh check OK"
        ;;
    *)
        echo "usage: source scripts/pg.sh; pg_start; ...; pg_stop   (or: bash scripts/pg.sh check)" >&2
        exit 2
        ;;
    esac
fi
