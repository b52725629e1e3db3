#!/usr/bin/env bash
# Generated clients for tests/Casewire.ClientTests (issue 17), as an integrator makes them: the built
# server is started on an empty directory, its /openapi/v1.json saved, and a Kiota C# client and
# NSwag C# clients (System.Text.Json, and Newtonsoft.Json) generated from that document into
# tests/Casewire.ClientTests/Generated/ (ignored by git). scripts/test.sh runs this after building
# Casewire.slnx and before building the ClientTests project, which compiles what is generated here.
# The generators are the local tools pinned in dotnet-tools.json. Exit 0 only when all of it worked.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${CASEWIRE_BIN:-$ROOT/src/Casewire/bin/Release/net10.0/casewire}
OUT=$ROOT/tests/Casewire.ClientTests/Generated
WORK=$(mktemp -d /tmp/casewire-clients.XXXXXX)
SERVER_PID=
cleanup() {
    if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
# (Kiota also asks GitHub for a newer release on each run and logs a warning when it cannot: harmless, its log is shown
# only when generation fails.)
export KIOTA_CLI_TELEMETRY_OPTOUT=true DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

[[ -x "$BIN" ]] || { echo "clients: $BIN is not built (dotnet build Casewire.slnx -c Release first)" >&2; exit 1; }
(cd "$ROOT" && dotnet tool restore >"$WORK/tools.log" 2>&1) || { cat "$WORK/tools.log" >&2; exit 1; }

port=
for _ in $(seq 50); do
    port=$((20000 + RANDOM % 20000))
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
done
BASE=http://127.0.0.1:$port
(cd "$WORK" && exec "$BIN" --urls "$BASE" >"$WORK/server.log" 2>&1) &
SERVER_PID=$!
for _ in $(seq 150); do
    curl -sf "$BASE/health/ready" >/dev/null && break
    sleep 0.2
done
rm -rf "$OUT"
mkdir -p "$OUT"
if ! curl -sf "$BASE/openapi/v1.json" -o "$OUT/openapi.json"; then
    cat "$WORK/server.log" >&2
    echo "clients: GET $BASE/openapi/v1.json failed" >&2
    exit 1
fi
kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
SERVER_PID=

cd "$ROOT"
# The commands of README "Generated clients", with the tests' namespaces.
if ! dotnet kiota generate -l CSharp -d "$OUT/openapi.json" -o "$OUT/Kiota" -c CasewireClient \
        -n Casewire.ClientTests.Kiota --clean-output --log-level Warning >"$WORK/kiota.log" 2>&1; then
    cat "$WORK/kiota.log" >&2
    exit 1
fi
if ! dotnet nswag openapi2csclient /input:"$OUT/openapi.json" /output:"$OUT/NSwag/CasewireClient.cs" \
        /namespace:Casewire.ClientTests.NSwag /className:CasewireClient /jsonLibrary:SystemTextJson \
        /generateOptionalPropertiesAsNullable:true >"$WORK/nswag.log" 2>&1; then
    cat "$WORK/nswag.log" >&2
    exit 1
fi
# The same with NSwag's default JSON library, Newtonsoft.Json (README: it leaves unset fields out by itself).
if ! dotnet nswag openapi2csclient /input:"$OUT/openapi.json" /output:"$OUT/NSwagNewtonsoft/CasewireClient.cs" \
        /namespace:Casewire.ClientTests.NSwagNewtonsoft /className:CasewireClient /jsonLibrary:NewtonsoftJson \
        /generateOptionalPropertiesAsNullable:true >"$WORK/nswag-newtonsoft.log" 2>&1; then
    cat "$WORK/nswag-newtonsoft.log" >&2
    exit 1
fi
echo "clients: Kiota ($(find "$OUT/Kiota" -name '*.cs' | wc -l) files) and NSwag (System.Text.Json, Newtonsoft.Json) clients generated from $BASE/openapi.json into ${OUT#"$ROOT"/}"
