#!/usr/bin/env bash
# Server CPU time per request of one wrk script against a published Casewire, for A/B comparisons of two builds
# (e.g. the previous release and today's) run one after the other on the same machine:
#
#   git worktree add /tmp/release ada04e1 && dotnet publish /tmp/release/src/Casewire -c Release -o /tmp/release/out
#   dotnet publish src/Casewire -c Release -o /tmp/today/out
#   bash bench/cpu-per-request.sh /tmp/release/out put-projects.lua; bash bench/cpu-per-request.sh /tmp/today/out put-projects.lua
#
# Fresh SQLite database, a firm with immediate delivery, 1,000 contacts and 200 cases seeded through the API, 10 s of
# warm-up, then SECONDS (default 10) measured with CONNECTIONS (default 8). Prints one line: requests, req/s and the
# server's user+system CPU µs per request (the dispatcher's sending of what the requests queued included).
set -euo pipefail
OUT=${1:?usage: cpu-per-request.sh PUBLISH-DIR SCRIPT.lua [CONNECTIONS] [SECONDS]}
SCRIPT=${2:?usage: cpu-per-request.sh PUBLISH-DIR SCRIPT.lua [CONNECTIONS] [SECONDS]}
CONNECTIONS=${3:-8}
SECONDS_MEASURED=${4:-10}
WRK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/wrk" && pwd)
PORT=$((20000 + RANDOM % 10000))
WORK=$(mktemp -d)
export ConnectionStrings__Casewire="Data Source=$WORK/casewire.db" RateLimit__PermitsPerMinute=0 Logging__LogLevel__Default=Warning
cd "$WORK"
"$OUT/casewire" migrate >/dev/null 2>&1
"$OUT/casewire" company create --name "Bench Law" --slug bench --delivery-window immediate >/dev/null 2>&1
TOKEN=$("$OUT/casewire" token create --company bench --name bench 2>/dev/null | tail -1)
"$OUT/casewire" --urls "http://127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.2; done
export PORT TOKEN
for i in $(seq 1 1000); do printf '%d %07d\n' "$i" "$i"; done | xargs -P 8 -n 2 sh -c 'curl -sf -o /dev/null -X PUT "http://127.0.0.1:$PORT/partner/v2/contacts" -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" -d "{\"externalId\":\"seed-contact-$0\",\"firstName\":\"A\",\"lastName\":\"B\",\"email\":\"a$0@example.com\",\"phone\":\"+1555$1\"}"'
seq 1 200 | xargs -P 8 -I{} curl -sf -o /dev/null -X PUT "http://127.0.0.1:$PORT/partner/v2/projects" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"externalId":"seed-case-{}","name":"Case {}","partnerPhaseName":"Intake","clients":["seed-contact-{}"],"partnerProjectTypeName":"PI","milestonesEnabled":true,"status":"In Progress"}'
export BENCH_TOKEN=$TOKEN
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
BENCH_RUN=warm wrk -t1 -c"$CONNECTIONS" -d10s -s "$WRK_DIR/$SCRIPT" "http://127.0.0.1:$PORT" >/dev/null 2>&1
sleep 1
before=$(cpu_ticks)
BENCH_RUN=measured wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_MEASURED}s" -s "$WRK_DIR/$SCRIPT" "http://127.0.0.1:$PORT" >"$WORK/wrk.txt" 2>&1
sleep 1 # the dispatcher sends what the last requests queued
after=$(cpu_ticks)
requests=$(grep -oP '^\s*\K\d+(?= requests in)' "$WORK/wrk.txt")
rps=$(grep -oP 'Requests/sec:\s*\K[\d.]+' "$WORK/wrk.txt")
echo "$OUT $SCRIPT c=$CONNECTIONS requests=$requests req/s=$rps cpu_us_per_request=$(((after - before) * 1000000 / $(getconf CLK_TCK) / requests)) load=$(cut -d' ' -f1-3 /proc/loadavg)"
