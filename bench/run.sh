#!/usr/bin/env bash
# Benchmarks of Casewire against the real Release server binary (sink providers), on SQLite and on
# a throwaway PostgreSQL (scripts/pg.sh). Each benchmark rewrites its own section of bench/RESULTS.md.
#
#   bash bench/run.sh                    # delivery, reminders, load, scale, coldstart, mass, groupcommit (≈ 28 min)
#   bash bench/run.sh soak               # the 10-minute soak (SQLite; BENCH_DATABASES=Sqlite,Postgres for both)
#   bash bench/run.sh load reminders     # some of them
#   BENCH_QUICK=1 bash bench/run.sh      # everything scaled down, a few minutes: a quick look, not numbers to keep
#
# Knobs (environment): BENCH_DATABASES=Sqlite (skip PostgreSQL); delivery: BENCH_ITEMS, BENCH_LATE_ITEMS;
# reminders: BENCH_REMINDERS; load (wrk -t2 -c32, each row also against the bare stack): BENCH_WRK_SECONDS,
# BENCH_WRK_WARMUP_SECONDS, BENCH_CONNECTIONS; scale: BENCH_SCALE_ROWS;
# coldstart: BENCH_COLD_RUNS; mass: BENCH_MASS_RECIPIENTS; groupcommit (SQLite only): BENCH_GROUP_COMMIT_CONTACTS; soak: BENCH_SOAK_MINUTES, BENCH_SOAK_RATE. Server settings pass through
# as environment variables, e.g. Delivery__BatchSize=500 bash bench/run.sh delivery.
#
# Everything is bounded: every phase has its own timeout, and every server and PostgreSQL started
# here is stopped on the way out, on failure or Ctrl-C too.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# shellcheck source=scripts/pg.sh
source scripts/pg.sh
trap 'pg_stop' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PHASES=("$@")
((${#PHASES[@]})) || PHASES=(delivery reminders load scale coldstart mass groupcommit)
for phase in "${PHASES[@]}"; do
    case $phase in
    delivery | reminders | load | scale | coldstart | soak | mass | groupcommit) ;;
    *)
        echo "unknown benchmark '$phase': delivery, reminders, load, scale, coldstart, mass, groupcommit or soak" >&2
        exit 2
        ;;
    esac
done

QUICK=${BENCH_QUICK:-}
if [[ " ${PHASES[*]} " == *" soak "* && -z ${BENCH_DATABASES:-} ]]; then
    DATABASES=Sqlite # the soak alone takes 10 minutes per database
else
    DATABASES=${BENCH_DATABASES:-Sqlite,Postgres}
fi
# The command as run, with the knobs that change the numbers, for RESULTS.md.
KNOBS=$(env | grep -E '^(Delivery__|BENCH_)' | sort | tr '\n' ' ' || true)
COMMAND="${KNOBS}bash bench/run.sh${*:+ $*}"

echo "==== build (Release) ===="
dotnet build Casewire.slnx -c Release -nologo -v quiet

# wrk drives the load, scale and soak benchmarks (Debian's package; this runs as root on CI and here).
if ! command -v wrk >/dev/null 2>&1; then
    echo "==== installing wrk ===="
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq wrk </dev/null >/dev/null 2>&1 ||
        { apt-get update -qq </dev/null && apt-get install -y -qq wrk </dev/null; }
fi

if [[ $DATABASES == *Postgres* ]]; then
    echo "==== PostgreSQL (throwaway) ===="
    pg_start
fi

bench() { # bench NAME TIMEOUT [options…]: one benchmark, bounded; --foreground lets Ctrl-C reach it so it stops its servers
    local name=$1 limit=$2
    shift 2
    echo "==== $name: $DATABASES ===="
    timeout --foreground --kill-after=30s "$limit" \
        dotnet bench/Casewire.Bench/bin/Release/net10.0/Casewire.Bench.dll "$name" \
        --server src/Casewire/bin/Release/net10.0/casewire \
        --scripts bench/wrk \
        --databases "$DATABASES" \
        --results bench/RESULTS.md \
        --command "$COMMAND" \
        "$@"
}

FAILED=()
for phase in "${PHASES[@]}"; do
    case $phase in
    delivery) bench delivery 20m --items "${BENCH_ITEMS:-${QUICK:+20000}}" --late-items "${BENCH_LATE_ITEMS:-${QUICK:+2000}}" ;;
    reminders) bench reminders 30m --reminders "${BENCH_REMINDERS:-${QUICK:+2000}}" ;;
    load) bench load 20m --wrk-seconds "${BENCH_WRK_SECONDS:-${QUICK:+3}}" --wrk-warmup-seconds "${BENCH_WRK_WARMUP_SECONDS:-${QUICK:+3}}" --connections "${BENCH_CONNECTIONS:-32}" --wrk-threads 2 ;;
    scale) bench scale 25m --rows "${BENCH_SCALE_ROWS:-${QUICK:+100000}}" --connections "${BENCH_CONNECTIONS:-8}" ;;
    coldstart) bench coldstart 10m --runs "${BENCH_COLD_RUNS:-${QUICK:+2}}" ;;
    mass) bench mass 25m --recipients "${BENCH_MASS_RECIPIENTS:-${QUICK:+1000}}" ;;
    groupcommit) bench groupcommit 10m --contacts "${BENCH_GROUP_COMMIT_CONTACTS:-${QUICK:+3200}}" ;;
    soak)
        minutes=${BENCH_SOAK_MINUTES:-${QUICK:+2}}
        bench soak "$((${minutes:-10} * 3 + 10))m" --minutes "${minutes:-10}" --rate "${BENCH_SOAK_RATE:-150}" \
            --connections "${BENCH_CONNECTIONS:-8}" --limit-minutes "$((${minutes:-10} * 3 + 5))"
        ;;
    esac || FAILED+=("$phase")
done

if ((${#FAILED[@]})); then
    echo "benchmarks that did not complete: ${FAILED[*]} (see their output above)" >&2
    exit 1
fi
echo "all done: bench/RESULTS.md"
