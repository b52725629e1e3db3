#!/usr/bin/env bash
# Crash test of the delivery engine (SPEC §7: once send-message answers 202 the message is sent,
# even if the process dies the next instant, and never twice). Starts the real server with a sink
# file, sends 300 messages concurrently, kill -9s the server when about half were accepted,
# starts it again, and checks the sink file: every accepted message exactly once, none twice.
# Prints "SMOKE PASS|FAIL <name>" lines (scripts/test.sh counts them).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=$ROOT/src/Casewire/bin/Release/net10.0/casewire
WORK=$(mktemp -d /tmp/casewire-crash.XXXXXX)
SERVER_PID=
cleanup() {
    [[ -n "$SERVER_PID" ]] && kill -9 "$SERVER_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
pass() { echo "SMOKE PASS $*"; }
fail() { echo "SMOKE FAIL $*"; }

cd "$WORK" || exit 1
PORT=$((20000 + RANDOM % 20000))
BASE=http://127.0.0.1:$PORT
export Sink__File=$WORK/sink.jsonl
# A short lease so the restarted server reconciles what the killed one had in flight within seconds;
# start-up requires it to outlast every provider call, so webhook calls get a shorter timeout too.
export Delivery__LeaseDuration=00:00:03
export Webhooks__Timeout=00:00:02

start_server() {
    "$BIN" --urls "$BASE" >>"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 150); do
        curl -sf "$BASE/health/ready" >/dev/null && return 0
        sleep 0.1
    done
    return 1
}

"$BIN" company create --name "Crash Law" --slug crash >/dev/null 2>>"$WORK/cli.err"
TOKEN=$("$BIN" token create --company crash --name crash 2>>"$WORK/cli.err")
start_server || { fail "crash test: server starts"; exit 1; }
auth=(-H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json")
curl -sf -X PUT "${auth[@]}" "$BASE/partner/v2/contacts" \
    -d '{"externalId":"c1","firstName":"Ann","lastName":"Lee","phone":"+15551234567"}' >/dev/null
curl -sf -X PUT "${auth[@]}" "$BASE/partner/v2/projects" \
    -d '{"externalId":"p1","name":"Lee","partnerPhaseName":"Intake","clients":["c1"],"partnerProjectTypeName":"PI","milestonesEnabled":false,"status":"In Progress"}' >/dev/null

mkdir -p "$WORK/r"
auth_header="Authorization: Bearer $TOKEN"
export WORK BASE auth_header
# shellcheck disable=SC2016
seq 300 | xargs -P 8 -I{} bash -c 'curl -s -o "$WORK/r/body.{}" -w "%{http_code}" -X POST -H "$auth_header" -H "Content-Type: application/json" "$BASE/partner/v2/send-message" -d "{\"projectId\":\"p1\",\"text\":\"crash test message {}\"}" >"$WORK/r/code.{}" 2>/dev/null' &
SENDERS=$!

# Kill -9 once about half the requests were accepted.
for _ in $(seq 600); do
    accepted=$(grep -l '^202$' "$WORK"/r/code.* 2>/dev/null | wc -l)
    ((accepted >= 150)) && break
    sleep 0.02
done
kill -9 "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=
wait "$SENDERS" 2>/dev/null
accepted_at_kill=$accepted

ids=()
for code in "$WORK"/r/code.*; do
    [[ "$(cat "$code")" == 202 ]] || continue
    id=$(grep -o '"id":[0-9]*' "${code/code./body.}" | head -n 1 | cut -d: -f2)
    [[ -n "$id" ]] && ids+=("$id")
done
echo "crash test: ${#ids[@]} of 300 requests got 202 (≈$accepted_at_kill when the server was killed)"

start_server || { fail "crash test: server restarts after kill -9"; exit 1; }
missing=${#ids[@]}
for _ in $(seq 200); do
    missing=0
    for id in "${ids[@]}"; do
        grep -q "\"messageId\":$id," "$WORK/sink.jsonl" 2>/dev/null || { missing=$((missing + 1)); }
    done
    ((missing == 0)) && break
    sleep 0.1
done

if ((${#ids[@]} > 0 && ${#ids[@]} < 300)); then
    pass "crash test: the server was killed mid-load (${#ids[@]} of 300 accepted)"
else
    fail "crash test: the server was killed mid-load (${#ids[@]} of 300 accepted)"
fi
if ((missing == 0)); then
    pass "crash test: every message that got a 202 was sent after kill -9 and restart"
else
    fail "crash test: every message that got a 202 was sent after kill -9 and restart ($missing missing)"
fi
duplicates=$(grep -o '"messageId":[0-9]*' "$WORK/sink.jsonl" | sort | uniq -d | wc -l)
if ((duplicates == 0)); then
    pass "crash test: no message was sent twice"
else
    fail "crash test: no message was sent twice ($duplicates sent more than once)"
fi
