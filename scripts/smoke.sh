#!/usr/bin/env bash
# End-to-end checks of the built executable, as a new user meets it: the server starts on an
# empty directory with embedded SQLite, the admin CLI creates a company and token, the README's
# curl calls work with that token, the Postman collection passes under newman, and the OpenAPI
# document passes Spectral's OAS ruleset.
# Prints "SMOKE PASS <name>" / "SMOKE FAIL <name>" per check (scripts/test.sh counts them).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=$ROOT/src/Casewire/bin/Release/net10.0/casewire
WORK=$(mktemp -d /tmp/casewire-smoke.XXXXXX)
SERVER_PID=
cleanup() {
    [[ -n "${PRISM_PID:-}" ]] && kill "$PRISM_PID" 2>/dev/null && wait "$PRISM_PID" 2>/dev/null
    [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

pass() { echo "SMOKE PASS $*"; }
fail() { echo "SMOKE FAIL $*"; }
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }

free_port() {
    local port
    for _ in $(seq 50); do
        port=$((20000 + RANDOM % 20000))
        (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
    return 1
}

cd "$WORK" || exit 1
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
"$BIN" --urls "$BASE" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

ready() {
    for _ in $(seq 100); do
        curl -sf "$BASE/health/ready" >/dev/null && return 0
        sleep 0.2
    done
    return 1
}
check "server starts on an empty directory and /health/ready answers" ready
check "the SQLite file is created at data/casewire.db under the working directory" test -s "$WORK/data/casewire.db"
check "the start-up banner says where the API docs are" grep -q "$BASE/docs" "$WORK/server.log"
check "the start-up banner says how to sign in to the Company App the first time" grep -q "$BASE/login" "$WORK/server.log"
check "the built binary serves the sign-in page and its embedded stylesheet" \
    bash -c "curl -sf '$BASE/login' | grep -q 'Sign in' && curl -sf '$BASE/assets/app.css' | grep -q timeline"

SLUG=$("$BIN" company create --name "Smoke Law" --slug smoke 2>"$WORK/cli.err")
check "casewire company create prints the slug" test "$SLUG" = smoke
TOKEN=$("$BIN" token create --company smoke --name "Smoke CMS" 2>>"$WORK/cli.err")
check "casewire token create prints the token alone" bash -c "[[ '$TOKEN' =~ ^cw_[0-9A-Za-z]{40}$ ]]"
"$BIN" token create --company nope --name x >"$WORK/nope.out" 2>"$WORK/nope.err"
rc=$?
check "a CLI error exits non-zero, says why on stderr and prints nothing on stdout" \
    bash -c "[[ $rc -ne 0 && -s '$WORK/nope.err' && ! -s '$WORK/nope.out' ]]"

auth=(-H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json")
status() { curl -s -o "$WORK/body.json" -w '%{http_code}' "$@"; }

check "GET /partner/v2/me with the new token is 200 and names the company" \
    bash -c "[[ \$(curl -s -o '$WORK/me.json' -w '%{http_code}' -H 'Authorization: Bearer $TOKEN' $BASE/partner/v2/me) == 200 ]] && grep -q '\"slug\":\"smoke\"' '$WORK/me.json'"
check "PUT /partner/v2/contacts (README example) is 201" test "$(status -X PUT "${auth[@]}" "$BASE/partner/v2/contacts" \
    -d '{ "externalId": "123-3123-123", "firstName": "John", "lastName": "Doe", "email": "john.doe@example.com", "phone": "+15551234567" }')" = 201
check "PUT /partner/v2/projects (README example) is 201" test "$(status -X PUT "${auth[@]}" "$BASE/partner/v2/projects" \
    -d '{ "externalId": "matter-1", "name": "Doe v. Acme", "partnerPhaseName": "Intake", "clients": [{"externalId": "123-3123-123"}], "partnerProjectTypeName": "Personal Injury", "milestonesEnabled": true, "status": "In Progress" }')" = 201
check "PUT /partner/v2/team-members (README example) is 201" test "$(status -X PUT "${auth[@]}" "$BASE/partner/v2/team-members" \
    -d '{ "externalId": "32435", "firstName": "Sam", "lastName": "Park", "email": "sam.park@example.com" }')" = 201
check "a request without a token is 401" test "$(status "$BASE/partner/v2/me")" = 401

if curl -sf "$BASE/openapi/v1.json" -o "$WORK/openapi.json"; then
    pass "GET /openapi/v1.json"
    if (cd "$ROOT" && npx --yes @stoplight/spectral-cli@6.16.3 lint "$WORK/openapi.json" \
            --ruleset "$ROOT/.spectral.yaml" --fail-severity error --display-only-failures) >"$WORK/spectral.log" 2>&1; then
        pass "the OpenAPI document has no Spectral spectral:oas errors"
    else
        cat "$WORK/spectral.log"
        fail "the OpenAPI document has no Spectral spectral:oas errors"
    fi
else
    fail "GET /openapi/v1.json"
fi

# Generated-client types and Prism's validating proxy over the help page's examples (issue 17).
CONTRACT_PROXY=
PRISM_PID=
# shellcheck source=scripts/contract.sh
source "$ROOT/scripts/contract.sh"

# Every Partner API endpoint through the Postman collection, in dependency order (contact → team
# member → project → message → event → cancel), with the published examples — through Prism's
# (Not yet through Prism: its calendar-event request fails there, issue 17 left open on that point.)
newman_count() { awk -F'|' -v row="$1" '$2 ~ "^ *" row " *$" { gsub(/ /, "", $3); print $3 }' "$WORK/newman.log"; }
if (cd "$ROOT" && npx --yes newman@6.2.2 run docs/casewire.postman_collection.json \
        --env-var "baseUrl=$BASE" --env-var "token=$TOKEN" --reporters cli --disable-unicode) >"$WORK/newman.log" 2>&1; then
    pass "newman: docs/casewire.postman_collection.json, $(newman_count requests) requests and $(newman_count assertions) assertions, none failed"
else
    cat "$WORK/newman.log"
    fail "newman: docs/casewire.postman_collection.json (every Partner API endpoint)"
fi
if [[ -n "$CONTRACT_PROXY" ]]; then
    if grep -qi 'violation' "$WORK/prism.log"; then
        grep -i -B2 -A4 'violation' "$WORK/prism.log" | head -n 80
        fail "prism --errors saw no request or response violation (help page examples)"
    else
        pass "prism --errors saw no request or response violation (help page examples)"
    fi
fi
[[ -n "$PRISM_PID" ]] && kill "$PRISM_PID" 2>/dev/null && wait "$PRISM_PID" 2>/dev/null

check "GET /metrics answers Prometheus text with the delivery counters" \
    bash -c "curl -sf '$BASE/metrics' | grep -q '^casewire_deliveries_total{'"

# The delivery engine's crash test runs against its own server and data directory.
bash "$ROOT/scripts/crash-test.sh"

# The production build (scripts/publish.sh) run as README "Production" installs it.
bash "$ROOT/scripts/published-test.sh"
