#!/usr/bin/env bash
# Makes the upgrade fixtures: a database written by an older release of Casewire, with data in it and
# outbox items still pending, for UpgradeTests to open with today's build.
#
#   git worktree add /tmp/release ada04e1            # the release to upgrade from (26 Nov 2026)
#   dotnet publish /tmp/release/src/Casewire -c Release -o /tmp/release/out
#   bash tests/Casewire.Tests/Upgrade/make-fixtures.sh /tmp/release/out/casewire ada04e1
#
# Writes Fixtures/release-<name>.db (SQLite) and Fixtures/release-<name>.postgres.sql (the same data
# on PostgreSQL, as a data-only dump; the test applies that release's migrations first), and beside
# each the firm's API token (.token), which the test signs in with after the upgrade. The firm
# is in Tokyo, so on a weekday evening in UTC its welcome and phase-change texts wait for Monday's
# window, and its calendar event's reminders are weeks ahead: both stay pending in the outbox.
set -euo pipefail

BINARY=${1:?usage: make-fixtures.sh PATH/TO/casewire RELEASE-NAME}
NAME=${2:?usage: make-fixtures.sh PATH/TO/casewire RELEASE-NAME}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT="$HERE/Fixtures"
WORK=$(mktemp -d)
PORT=5391
BASE="http://127.0.0.1:$PORT"
mkdir -p "$OUT"

run_release() { # provider connection-string token-file
    export Database__Provider=$1 ConnectionStrings__Casewire=$2
    "$BINARY" migrate >/dev/null
    "$BINARY" company create --name "Upgrade Law" --slug upgrade --timezone Asia/Tokyo --region US >/dev/null
    "$BINARY" company create --name "Other Firm" --slug other >/dev/null
    "$BINARY" user create --company upgrade --email admin@upgrade.example --role admin >/dev/null
    local token other
    token=$("$BINARY" token create --company upgrade --name "CMS sync")
    other=$("$BINARY" token create --company other --name "CMS sync")
    echo "$token" >"$3" # a test token of a throwaway database: the test signs in with it after the upgrade

    "$BINARY" --urls "$BASE" >"$WORK/server.log" 2>&1 &
    local server=$!
    for _ in $(seq 1 100); do curl -sf "$BASE/health/ready" >/dev/null && break; sleep 0.2; done

    api() { # method path token [body]
        curl -sf -X "$1" "$BASE/partner/v2/$2" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' ${4:+-d "$4"} >/dev/null
    }
    api PUT contacts "$token" '{ "externalId": "c-1", "firstName": "Ana", "lastName": "Ruiz", "email": "ana@example.com", "phone": "+15551230001" }'
    api PUT contacts "$token" '{ "externalId": "c-2", "firstName": "Ben", "lastName": "Cole", "email": "ben@example.com" }'
    api PUT contacts "$token" '{ "externalId": "c-3", "firstName": "Cara", "lastName": "Diaz", "phone": "+15551230003" }'
    api PUT team-members "$token" '{ "externalId": "u-1", "firstName": "Dana", "lastName": "Lee", "email": "dana@upgrade.example" }'
    api PUT projects "$token" '{ "externalId": "m-1", "name": "Ruiz v. Acme", "partnerPhaseName": "Intake", "clients": ["c-1", "c-2"], "partnerProjectTypeName": "Personal Injury", "milestonesEnabled": true, "status": "In Progress" }'
    api PUT projects "$token" '{ "externalId": "m-1", "name": "Ruiz v. Acme", "partnerPhaseName": "Discovery", "clients": ["c-1", "c-2"], "partnerProjectTypeName": "Personal Injury", "milestonesEnabled": true, "status": "In Progress" }'
    api PUT projects "$token" '{ "externalId": "m-2", "name": "Diaz estate", "partnerPhaseName": "Intake", "clients": [{ "externalId": "c-3" }], "partnerProjectTypeName": "Probate", "milestonesEnabled": true, "status": "Not Started" }'
    api POST send-message "$token" '{ "projectId": "m-1", "text": "We received your documents.", "authorId": "u-1" }'
    api POST send-message "$token" '{ "phoneNumber": "+15551230009", "text": "Our office moves on Monday." }'
    api POST calendar-event "$token" '{ "id": "e-1", "projectId": "m-1", "title": "Deposition", "attendees": ["c-1", "c-2"], "teamMembers": ["u-1"], "startTime": "2026-12-21 10:00:00", "timezone": "Asia/Tokyo", "location": "Room 4", "reminders": [{ "unit": "day", "amount": 1 }, { "unit": "hour", "amount": 2 }], "notify": true }'
    api POST calendar-event "$token" '{ "id": "e-2", "projectId": "m-2", "title": "Hearing", "attendees": ["c-3"], "startTime": "2026-12-22 09:00:00", "timezone": "Asia/Tokyo", "reminders": [{ "unit": "day", "amount": 2 }] }'
    curl -sf -X DELETE "$BASE/partner/v2/project/m-2/calendar-event/e-2?notify=true" -H "Authorization: Bearer $token" >/dev/null
    api PUT contacts "$other" '{ "externalId": "c-1", "firstName": "Olga", "lastName": "Other", "phone": "+15551239999" }'
    api PUT projects "$other" '{ "externalId": "m-1", "name": "Other matter", "partnerPhaseName": "Open", "clients": ["c-1"], "partnerProjectTypeName": "General", "milestonesEnabled": true, "status": "In Progress" }'
    sleep 3 # the dispatcher sends what is due now (explicit messages, notices, the other firm's welcome)
    kill -TERM "$server"
    wait "$server" || true
    unset Database__Provider ConnectionStrings__Casewire
}

rm -f "$OUT/release-$NAME.db"
run_release Sqlite "Data Source=$WORK/casewire.db" "$OUT/release-$NAME.db.token"
cp "$WORK/casewire.db" "$OUT/release-$NAME.db"
[[ ! -s "$WORK/casewire.db-wal" ]] || { echo "the release left a write-ahead log: the fixture would miss rows" >&2; exit 1; }

source "$(git -C "$HERE" rev-parse --show-toplevel)/scripts/pg.sh"
pg_start
run_release Postgres "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=postgres;Database=upgrade" "$OUT/release-$NAME.postgres.token"
# Data only: the test applies the release's own migrations, then these rows. psql meta-commands dropped.
"$PG_BIN/pg_dump" -h 127.0.0.1 -p "$PG_PORT" -U postgres --data-only --column-inserts --no-owner --no-privileges \
    --exclude-table-data='"__EFMigrationsHistory"' upgrade | grep -v '^\\' >"$OUT/release-$NAME.postgres.sql"
pg_stop
rm -rf "$WORK"
echo "wrote $OUT/release-$NAME.db and $OUT/release-$NAME.postgres.sql"
