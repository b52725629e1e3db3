#!/usr/bin/env bash
# The production build as README "Production" installs it: scripts/publish.sh makes the self-contained single
# file, and this script runs that file (not `dotnet run`, not the build output) on a fresh directory:
#   - it starts, creates and migrates a fresh SQLite database, and answers /health/ready;
#   - `casewire check` passes with the sinks and an https public address;
#   - SIGTERM while send-message requests stream in: the process exits 0 within the unit's TimeoutStopSec, and
#     after a restart every message that got a 202 is sent exactly once (nothing in flight is lost);
#   - README "Backups": backup while serving, stop, restore, start: the restored server has the backup's messages;
#   - deploy/casewire.service passes `systemd-analyze verify` where systemd-analyze is installed.
# Prints "SMOKE PASS|FAIL <name>" lines (scripts/test.sh counts them).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d /tmp/casewire-published.XXXXXX)
SERVER_PID=
cleanup() {
    [[ -n "$SERVER_PID" ]] && kill -9 "$SERVER_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
pass() { echo "SMOKE PASS $*"; }
fail() { echo "SMOKE FAIL $*"; }

PUBLISHED=$ROOT/artifacts/publish/linux-x64
started=$SECONDS
if ! bash "$ROOT/scripts/publish.sh" --output "$PUBLISHED" >"$WORK/publish.log" 2>&1; then
    tail -n 30 "$WORK/publish.log"
    fail "scripts/publish.sh makes the self-contained casewire"
    exit 1
fi
BIN=$PUBLISHED/casewire
if [[ -x "$BIN" && -f "$PUBLISHED/appsettings.json" ]] && ! ldd "$BIN" 2>/dev/null | grep -q libhostfxr; then
    pass "scripts/publish.sh makes one self-contained casewire ($(du -m "$BIN" | cut -f1) MB) with appsettings.json beside it, in $((SECONDS - started)) s"
else
    ls -l "$PUBLISHED"
    fail "scripts/publish.sh makes one self-contained casewire with appsettings.json beside it"
    exit 1
fi

cd "$WORK" || exit 1
PORT=$((20000 + RANDOM % 20000))
BASE=http://127.0.0.1:$PORT
export Sink__File=$WORK/sink.jsonl
export Casewire__PublicBaseUrl=https://casewire.example.com
export ASPNETCORE_ENVIRONMENT=Production
# The SQLite file lives in the working directory's data/, as under systemd's WorkingDirectory.

start_server() {
    "$BIN" --urls "$BASE" >>"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 300); do
        curl -sf "$BASE/health/ready" >/dev/null && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# SIGTERM, then the exit code within the systemd unit's TimeoutStopSec (60 s).
stop_server() {
    kill -TERM "$SERVER_PID"
    local waited=0
    while kill -0 "$SERVER_PID" 2>/dev/null && ((waited < 600)); do sleep 0.1; waited=$((waited + 1)); done
    wait "$SERVER_PID" 2>/dev/null
    STOP_CODE=$?
    SERVER_PID=
}

if start_server; then
    pass "the published casewire starts on an empty directory and answers /health/ready"
else
    tail -n 30 "$WORK/server.log"
    fail "the published casewire starts on an empty directory and answers /health/ready"
    exit 1
fi
if [[ -s data/casewire.db ]] && grep -q "Database is up to date" "$WORK/server.log"; then
    pass "the published casewire created and migrated data/casewire.db"
else
    fail "the published casewire created and migrated data/casewire.db"
fi

"$BIN" company create --name "Published Law" --slug published >/dev/null 2>>"$WORK/cli.err"
TOKEN=$("$BIN" token create --company published --name cms 2>>"$WORK/cli.err")
if "$BIN" check >"$WORK/check.out" 2>&1; then
    pass "casewire check passes (sinks, https public address, database migrated)"
else
    cat "$WORK/check.out"
    fail "casewire check passes (sinks, https public address, database migrated)"
fi

auth=(-H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json")
curl -sf -X PUT "${auth[@]}" "$BASE/partner/v2/contacts" \
    -d '{"externalId":"c1","firstName":"Ann","lastName":"Lee","phone":"+15551234567"}' >/dev/null
curl -sf -X PUT "${auth[@]}" "$BASE/partner/v2/projects" \
    -d '{"externalId":"p1","name":"Lee","partnerPhaseName":"Intake","clients":["c1"],"partnerProjectTypeName":"PI","milestonesEnabled":false,"status":"In Progress"}' >/dev/null

mkdir -p "$WORK/r"
auth_header="Authorization: Bearer $TOKEN"
export WORK BASE auth_header
# shellcheck disable=SC2016
seq 200 | xargs -P 8 -I{} bash -c 'curl -s -o "$WORK/r/body.{}" -w "%{http_code}" -X POST -H "$auth_header" -H "Content-Type: application/json" "$BASE/partner/v2/send-message" -d "{\"projectId\":\"p1\",\"text\":\"shutdown test message {}\"}" >"$WORK/r/code.{}" 2>/dev/null' &
SENDERS=$!
for _ in $(seq 600); do
    accepted=$(grep -l '^202$' "$WORK"/r/code.* 2>/dev/null | wc -l)
    ((accepted >= 100)) && break
    sleep 0.02
done
stop_server
wait "$SENDERS" 2>/dev/null
if ((STOP_CODE == 0)); then
    pass "SIGTERM under load: the published casewire stops cleanly (exit 0) within 60 s"
else
    tail -n 20 "$WORK/server.log"
    fail "SIGTERM under load: the published casewire stops cleanly (exit 0, got $STOP_CODE) within 60 s"
fi

ids=()
for code in "$WORK"/r/code.*; do
    [[ "$(cat "$code")" == 202 ]] || continue
    id=$(grep -o '"id":[0-9]*' "${code/code./body.}" | head -n 1 | cut -d: -f2)
    [[ -n "$id" ]] && ids+=("$id")
done
start_server || { fail "the published casewire starts again after SIGTERM"; exit 1; }
missing=${#ids[@]}
for _ in $(seq 300); do
    missing=0
    for id in "${ids[@]}"; do
        grep -q "\"messageId\":$id," "$WORK/sink.jsonl" 2>/dev/null || missing=$((missing + 1))
    done
    ((missing == 0)) && break
    sleep 0.1
done
duplicates=$(grep -o '"messageId":[0-9]*' "$WORK/sink.jsonl" | sort | uniq -d | wc -l)
if ((${#ids[@]} > 0 && missing == 0 && duplicates == 0)); then
    pass "after SIGTERM and a restart, each of the ${#ids[@]} accepted messages was sent exactly once"
else
    fail "after SIGTERM and a restart, each of the ${#ids[@]} accepted messages was sent exactly once ($missing missing, $duplicates twice)"
fi

# README "Backups", step by step: back up while serving, stop, restore, start.
contacts() { curl -s -H "$auth_header" "$BASE/partner/v2/contacts?limit=100" | grep -o '"externalId":"[^"]*"' | sort | tr '\n' ' '; }
curl -sf -X PUT "${auth[@]}" "$BASE/partner/v2/contacts" -d '{"externalId":"c2","firstName":"Bo","lastName":"Lee","email":"bo@example.com"}' >/dev/null
at_backup=$(contacts)
"$BIN" backup --to "$WORK/casewire-backup.db" >"$WORK/backup.out" 2>&1
curl -sf -X PUT "${auth[@]}" "$BASE/partner/v2/contacts" -d '{"externalId":"after-backup","firstName":"Cy","lastName":"Lee","email":"cy@example.com"}' >/dev/null
if "$BIN" restore --from "$WORK/casewire-backup.db" >"$WORK/restore-refused.out" 2>&1; then
    fail "casewire restore refuses while the server runs"
else
    pass "casewire restore refuses while the server runs"
fi
stop_server
if "$BIN" restore --from "$WORK/casewire-backup.db" >"$WORK/restore.out" 2>&1 && start_server; then
    restored=$(contacts)
    if [[ "$restored" == "$at_backup" ]] && ls data/casewire.db.before-restore-* >/dev/null 2>&1; then
        pass "backup, stop, restore, start: the restored server has the backup's contacts ($at_backup), the replaced database kept aside"
    else
        cat "$WORK/restore.out"
        fail "backup, stop, restore, start: the restored server has the backup's contacts ($restored; expected $at_backup)"
    fi
else
    cat "$WORK/restore.out"
    fail "backup, stop, restore, start"
fi
stop_server

if command -v systemd-analyze >/dev/null 2>&1; then
    # The unit as installed, with its ExecStart pointing at this build.
    sed "s#/opt/casewire/casewire#$BIN#" "$ROOT/deploy/casewire.service" >"$WORK/casewire.service"
    if systemd-analyze verify "$WORK/casewire.service" >"$WORK/verify.log" 2>&1; then
        pass "deploy/casewire.service passes systemd-analyze verify"
    else
        cat "$WORK/verify.log"
        fail "deploy/casewire.service passes systemd-analyze verify"
    fi
else
    echo "systemd-analyze not installed: deploy/casewire.service not linted"
fi
