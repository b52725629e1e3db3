#!/usr/bin/env bash
# Benchmarks of the delivery engine (SPEC §7) against the real server process with the sink
# provider: drain rate (100,000 due items) and lateness (10,000 items due within 3 s), on SQLite
# and on a throwaway PostgreSQL (scripts/pg.sh). Rewrites the delivery section of bench/RESULTS.md.
#
#   bash bench/run.sh
#   Delivery__BatchSize=500 Delivery__MaxParallelSends=32 bash bench/run.sh   # server knobs pass through
#   BENCH_DATABASES=Sqlite BENCH_ITEMS=20000 bash bench/run.sh                # a quicker look
#
# Everything is bounded: each phase has its own timeout inside Casewire.Bench, the whole run 50 min.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# shellcheck source=scripts/pg.sh
source scripts/pg.sh
trap 'pg_stop' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

DATABASES=${BENCH_DATABASES:-Sqlite,Postgres}
# The command as run, with the knobs that change the numbers, for RESULTS.md.
KNOBS=$(env | grep -E '^(Delivery__|BENCH_)' | sort | tr '\n' ' ' || true)
COMMAND="${KNOBS}bash bench/run.sh"

echo "==== build (Release) ===="
dotnet build Casewire.slnx -c Release -nologo -v quiet

if [[ $DATABASES == *Postgres* ]]; then
    echo "==== PostgreSQL (throwaway) ===="
    pg_start
fi

echo "==== delivery engine: $DATABASES ===="
# --foreground: Ctrl-C still reaches the benchmark, which then stops its server itself.
timeout --foreground --kill-after=30s 50m \
    dotnet bench/Casewire.Bench/bin/Release/net10.0/Casewire.Bench.dll delivery \
    --server src/Casewire/bin/Release/net10.0/casewire \
    --databases "$DATABASES" \
    --items "${BENCH_ITEMS:-100000}" \
    --late-items "${BENCH_LATE_ITEMS:-10000}" \
    --results bench/RESULTS.md \
    --command "$COMMAND"
