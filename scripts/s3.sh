#!/usr/bin/env bash
# Throwaway S3-compatible server for the storage tests (s3rver, from npm).
#
#   source scripts/s3.sh
#   s3_start            # exports CASEWIRE_TEST_S3 (its http://127.0.0.1:port), S3_TMPDIR
#   ...
#   s3_stop             # idempotent; safe in an EXIT trap
#
# s3rver checks request signatures (access key and secret "S3RVER") and serves path-style buckets; the
# tests create their own bucket. It is installed once with `npm ci` into scripts/s3rver/node_modules
# (the lock file pins it). Run `bash scripts/s3.sh check` for a self-test.
#
# This file is sourced, so it leaves the caller's shell options alone.

_S3_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/s3rver" && pwd)

_s3_log() { printf 's3.sh: %s\n' "$*" >&2; }

_s3_ensure_installed() {
    [[ -x "$_S3_DIR/node_modules/.bin/s3rver" ]] && return 0
    if ! command -v npm >/dev/null 2>&1; then
        if [[ $EUID -ne 0 ]]; then
            _s3_log "node and npm are needed for the S3 test server: apt-get install nodejs npm"
            return 1
        fi
        _s3_log "npm not found; installing nodejs and npm with apt-get (takes a minute)"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; } </dev/null >/dev/null 2>&1 || {
            _s3_log "apt-get install nodejs npm failed"
            return 1
        }
    fi
    (cd "$_S3_DIR" && npm ci --no-audit --no-fund --loglevel=error) </dev/null >&2 || {
        _s3_log "npm ci in $_S3_DIR failed"
        return 1
    }
}

s3_start() {
    if [[ -n "${_S3_PID:-}" ]] && kill -0 "$_S3_PID" 2>/dev/null; then
        _s3_log "already running ($CASEWIRE_TEST_S3)"
        return 0
    fi
    _s3_ensure_installed || return 1
    S3_TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/casewire-s3.XXXXXX") || return 1
    _S3_OWNED_DIR=$S3_TMPDIR
    export S3_TMPDIR
    local attempt port
    for attempt in 1 2 3 4 5; do
        port=$((30000 + RANDOM % 2000))
        node "$_S3_DIR/node_modules/.bin/s3rver" -d "$S3_TMPDIR/data" -a 127.0.0.1 -p "$port" --no-vhost-buckets \
            >"$S3_TMPDIR/log" 2>&1 &
        _S3_PID=$!
        local i
        for ((i = 0; i < 100; i++)); do
            if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
                export CASEWIRE_TEST_S3="http://127.0.0.1:$port"
                _s3_log "s3rver on $CASEWIRE_TEST_S3 ($S3_TMPDIR)"
                return 0
            fi
            kill -0 "$_S3_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill "$_S3_PID" 2>/dev/null || true
        wait "$_S3_PID" 2>/dev/null || true
        _s3_log "start on port $port failed (attempt $attempt)"
    done
    _s3_log "could not start s3rver; its log:"
    tail -n 20 "$S3_TMPDIR/log" >&2 2>/dev/null || true
    s3_stop
    return 1
}

# Silent and idempotent; stops only the server this shell started.
s3_stop() {
    local pid=${_S3_PID:-} dir=${_S3_OWNED_DIR:-}
    unset CASEWIRE_TEST_S3 S3_TMPDIR _S3_PID _S3_OWNED_DIR
    if [[ -n "$pid" ]]; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    [[ -n "$dir" && "$dir" == */casewire-s3.* && -d "$dir" ]] && rm -rf "$dir"
    return 0
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    case "${1:-}" in
    check)
        trap s3_stop EXIT
        s3_start
        curl -fsS -o /dev/null -w 's3rver answers %{http_code}\n' "$CASEWIRE_TEST_S3/" || true
        dir=$S3_TMPDIR
        s3_stop
        [[ ! -e "$dir" ]] || { echo "temp dir $dir still exists" >&2; exit 1; }
        echo "s3.sh check OK"
        ;;
    *)
        echo "usage: source scripts/s3.sh; s3_start; ...; s3_stop   (or: bash scripts/s3.sh check)" >&2
        exit 2
        ;;
    esac
fi
