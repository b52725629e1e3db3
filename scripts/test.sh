#!/usr/bin/env bash
# The one test command (CI runs it through .ci/run).
#
# Builds the solution, runs the test suite on SQLite and again on a throwaway
# PostgreSQL, runs scripts/smoke.sh if it exists, and ends with exactly one
# line "N passed, M failed". Exit 0 only when nothing failed.
#
# Knobs: CASEWIRE_SKIP_POSTGRES=1 skips the PostgreSQL run.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
SOLUTION=Casewire.slnx
RESULTS=$ROOT/artifacts/test-results

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

PASSED=0
FAILED=0

section() { printf '\n==== %s ====\n' "$*"; }

# The closing line must be the last thing printed, so PostgreSQL is stopped
# (quietly) before it, and the EXIT trap below has nothing left to say.
finish() {
    if declare -F pg_stop >/dev/null; then
        pg_stop >/dev/null 2>&1 || true
    fi
    if declare -F s3_stop >/dev/null; then
        s3_stop >/dev/null 2>&1 || true
    fi
    # CI waits for every process holding its output pipe: don't leave
    # MSBuild/compiler servers behind there.
    if [[ -n "${CI:-}" ]]; then
        dotnet build-server shutdown >/dev/null 2>&1 || true
    fi
    echo "$PASSED passed, $FAILED failed"
    if ((FAILED == 0)); then exit 0; else exit 1; fi
}

# Safety net for failures and interrupts: always tear PostgreSQL down,
# silently. INT/TERM/HUP go through exit so the EXIT trap runs.
# shellcheck disable=SC2317 # called from the trap
on_exit() {
    if declare -F pg_stop >/dev/null; then
        pg_stop >/dev/null 2>&1 || true
    fi
    if declare -F s3_stop >/dev/null; then
        s3_stop >/dev/null 2>&1 || true
    fi
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Value of one numeric attribute in a <Counters .../> element; 0 if absent.
# The leading space keeps "passed" from matching "passedButRunAborted".
trx_attr() {
    local value
    value=$(sed -n "s/.*[[:space:]]$2=[\"']\([0-9][0-9]*\)[\"'].*/\1/p" <<<"$1")
    echo "${value:-0}"
}

# Add one run's TRX counters to the totals. A run that wrote no TRX (test
# host crash, build of the test project missing...) or that exited non-zero
# without any recorded failure counts as one failure, so M is never 0 when
# something went wrong.
tally_run() {
    local name=$1 dir=$2 rc=$3 f counters attr passed=0 failed=0
    local files=()
    if [[ -d "$dir" ]]; then
        while IFS= read -r -d '' f; do files+=("$f"); done \
            < <(find "$dir" -maxdepth 1 -name '*.trx' -print0)
    fi
    if ((${#files[@]} == 0)); then
        echo "[$name] no TRX file written (dotnet test exit $rc): counting 1 failure"
        FAILED=$((FAILED + 1))
        return
    fi
    for f in "${files[@]}"; do
        # TRX is XML: the element may wrap; flatten before matching.
        counters=$(tr '\r\n' '  ' <"$f" | grep -o '<Counters[[:space:]][^>]*>' | head -n 1 || true)
        if [[ -z "$counters" ]]; then
            echo "[$name] $(basename "$f") has no <Counters> element: counting 1 failure"
            failed=$((failed + 1))
            continue
        fi
        passed=$((passed + $(trx_attr "$counters" passed)))
        for attr in failed error timeout aborted; do
            failed=$((failed + $(trx_attr "$counters" "$attr")))
        done
    done
    if ((rc != 0 && failed == 0)); then
        echo "[$name] dotnet test exited $rc but no test failed in TRX: counting 1 failure"
        failed=1
    fi
    echo "[$name] passed=$passed failed=$failed (${#files[@]} TRX file(s) in ${dir#"$ROOT"/})"
    PASSED=$((PASSED + passed))
    FAILED=$((FAILED + failed))
}

# One pass of the whole suite. LogFilePrefix rather than LogFileName: with
# several test projects, a fixed LogFileName is overwritten by each project
# in turn; the prefix gives one file per project in the run's own directory.
run_suite() {
    local name=$1 dir=$RESULTS/$1 rc=0
    section "tests: $name"
    mkdir -p "$dir"
    dotnet test "$SOLUTION" -c Release --no-build \
        --logger "trx;LogFilePrefix=$name" --results-directory "$dir" || rc=$?
    tally_run "$name" "$dir" "$rc"
}

rm -rf "$RESULTS"
mkdir -p "$RESULTS"

section "restore"
if ! dotnet restore "$SOLUTION"; then
    echo "restore failed"
    FAILED=$((FAILED + 1))
    finish
fi

section "build (Release, warnings as errors)"
if ! dotnet build "$SOLUTION" -c Release --no-restore -warnaserror; then
    echo "build failed"
    FAILED=$((FAILED + 1))
    finish
fi

# The browser tests drive Debian's Chromium (never a downloaded browser: the network may be closed).
section "chromium (browser tests)"
if [[ -n "${CASEWIRE_CHROMIUM:-}" || -x /usr/bin/chromium ]]; then
    echo "chromium: ${CASEWIRE_CHROMIUM:-/usr/bin/chromium}"
elif [[ $EUID -eq 0 ]]; then
    echo "chromium not found; installing it with apt-get (takes a minute)"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } </dev/null >"$RESULTS/apt-chromium.log" 2>&1; then
        tail -n 20 "$RESULTS/apt-chromium.log"
        echo "chromium could not be installed: the browser tests will fail and say so"
    fi
else
    echo "chromium not found and not root: install it (sudo apt-get install chromium) or set CASEWIRE_CHROMIUM"
fi

# The S3 storage tests run against a real S3-compatible server (s3rver from npm), for both databases.
section "s3: starting throwaway S3-compatible server"
# shellcheck source=scripts/s3.sh
source "$ROOT/scripts/s3.sh"
if s3_start; then
    export CASEWIRE_TEST_S3
else
    echo "[s3] could not start the S3-compatible server: the S3 storage tests will fail and say so"
fi

run_suite sqlite

if [[ "${CASEWIRE_SKIP_POSTGRES:-}" == 1 ]]; then
    section "tests: postgres SKIPPED (CASEWIRE_SKIP_POSTGRES=1)"
else
    section "postgres: starting throwaway server"
    # shellcheck source=scripts/pg.sh
    source "$ROOT/scripts/pg.sh"
    if pg_start; then
        export CASEWIRE_TEST_POSTGRES
        run_suite postgres
    else
        echo "[postgres] could not start PostgreSQL: counting 1 failure"
        FAILED=$((FAILED + 1))
    fi
    pg_stop
fi

if [[ -f "$ROOT/scripts/smoke.sh" ]]; then
    section "smoke: scripts/smoke.sh"
    smoke_log=$RESULTS/smoke.log
    # tee so the output is seen live and counted afterwards; PIPESTATUS
    # holds smoke.sh's own exit code.
    set +e
    bash "$ROOT/scripts/smoke.sh" </dev/null 2>&1 | tee "$smoke_log"
    smoke_rc=${PIPESTATUS[0]}
    set -e
    smoke_pass=$(grep -cE '^[[:space:]]*SMOKE PASS([[:space:]]|$)' "$smoke_log" || true)
    smoke_fail=$(grep -cE '^[[:space:]]*SMOKE FAIL([[:space:]]|$)' "$smoke_log" || true)
    if ((smoke_rc != 0 && smoke_fail == 0)); then
        echo "[smoke] smoke.sh exited $smoke_rc without a SMOKE FAIL line: counting 1 failure"
        smoke_fail=1
    fi
    echo "[smoke] passed=$smoke_pass failed=$smoke_fail"
    PASSED=$((PASSED + smoke_pass))
    FAILED=$((FAILED + smoke_fail))
fi

finish
