#!/usr/bin/env bash
# The OpenAPI document as integrators use it (issue 17), against a running server: sourced by scripts/smoke.sh after
# it has BASE (the server), TOKEN, WORK and the pass/fail helpers. Tools are pinned in tests/contract/package.json.
#  - openapi-typescript types from the served document, and tsc over the help page's examples;
#  - Prism's validating proxy (--errors) in front of the server, replaying every example of the help page:
#    no request or response violation. CONTRACT_PROXY is left set for the Postman collection to run through it too.
CONTRACT=$ROOT/tests/contract
contract_started=$SECONDS

if ! (cd "$CONTRACT" && npm ci --no-audit --no-fund --loglevel=error) >"$WORK/contract-npm.log" 2>&1; then
    cat "$WORK/contract-npm.log"
    fail "contract tools install (npm ci in tests/contract)"
    return 0
fi

curl -sf "$BASE/openapi/v1.json" -o "$WORK/contract-openapi.json"
if (cd "$CONTRACT" && node_modules/.bin/openapi-typescript "$WORK/contract-openapi.json" -o casewire.d.ts \
        && node_modules/.bin/tsc -p tsconfig.json) >"$WORK/contract-tsc.log" 2>&1; then
    pass "openapi-typescript types from /openapi/v1.json accept the help page's examples (tsc --noEmit) and refuse what the server refuses"
else
    cat "$WORK/contract-tsc.log"
    fail "openapi-typescript + tsc over tests/contract/help-page-examples.ts"
fi

PRISM_PORT=$(free_port)
PROXY=http://127.0.0.1:$PRISM_PORT
"$CONTRACT/node_modules/.bin/prism" proxy "$WORK/contract-openapi.json" "$BASE" --errors -h 127.0.0.1 -p "$PRISM_PORT" \
    >"$WORK/prism.log" 2>&1 &
PRISM_PID=$!
for _ in $(seq 150); do
    curl -s -o /dev/null "$PROXY/health/live" && break
    sleep 0.2
done

# One help page example through the proxy: the status the server answers, and no violation Prism reports.
through_prism() {
    local name=$1 expected=$2 method=$3 path=$4 body=${5:-} code
    if [[ -n "$body" ]]; then
        code=$(curl -s -o "$WORK/prism-body.json" -w '%{http_code}' -X "$method" "${auth[@]}" "$PROXY$path" -d "$body")
    else
        code=$(curl -s -o "$WORK/prism-body.json" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $TOKEN" "$PROXY$path")
    fi
    if [[ "$code" =~ ^($expected)$ ]] && ! grep -q 'sl-violations' "$WORK/prism-body.json"; then
        pass "prism --errors: help page $name answers $code with no violation"
    else
        echo "status $code, body:"; cat "$WORK/prism-body.json"; echo
        fail "prism --errors: help page $name (status $code, expected $expected)"
    fi
}
through_prism "PUT /contacts" '200|201' PUT /partner/v2/contacts \
    '{ "externalId": "123-1231", "firstName": "John", "lastName": "Doe", "email": "john.doe@example.com", "phone": "+15551234567" }'
through_prism "PUT /projects" '200|201' PUT /partner/v2/projects \
    '{ "externalId": "1234", "name": "New Project", "partnerPhaseName": "Intake", "clients": [{"externalId": "123-1231"}], "partnerProjectTypeName": "Web Dev", "milestonesEnabled": true, "status": "Not Started" }'
through_prism "POST /send-message (projectId)" 202 POST /partner/v2/send-message \
    '{ "projectId": "1234", "text": "New Project", "authorId": "32435" }'
through_prism "POST /send-message (phoneNumber)" 202 POST /partner/v2/send-message \
    '{ "phoneNumber": "+15551234567", "text": "Your documents are ready." }'
through_prism "POST /calendar-event" '200|201' POST /partner/v2/calendar-event \
    '{ "id": "XYZ124", "projectId": "1234", "title": "Jane Smith Desposition", "attendees": ["john.doe@example.com"], "teamMembers": ["sam.park@example.com"], "otherMembers": ["lee.chan@example.com"], "startTime": "2031-01-01 08:00:00", "endTime": "2031-01-01 08:30:00", "timezone": "EST", "location": "1234 courtroom road, new york", "description": "this is a description", "reminders": [{"unit": "day", "amount": "1"}], "notify": true }'
through_prism "POST /calendar-event (no optional fields)" '200|201' POST /partner/v2/calendar-event \
    '{ "id": "XYZ124", "projectId": "1234", "title": "Call", "startTime": "2031-01-02 08:00:00", "timezone": "America/New_York" }'
through_prism "DELETE /project/:projectId/calendar-event/:eventId?notify=true" 204 DELETE \
    '/partner/v2/project/1234/calendar-event/XYZ124?notify=true'
through_prism "a read of an unknown project (404 problem)" 404 GET /partner/v2/projects/no-such-project

CONTRACT_PROXY=$PROXY
echo "contract steps took $((SECONDS - contract_started)) s"
