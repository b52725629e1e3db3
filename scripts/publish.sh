#!/usr/bin/env bash
# Builds the production executable: one self-contained file, `casewire`, with appsettings.json beside it.
#
#   bash scripts/publish.sh                       # linux-x64 into artifacts/publish/linux-x64
#   bash scripts/publish.sh --runtime linux-arm64 # any .NET runtime identifier: linux-arm64, linux-musl-x64, osx-arm64, win-x64
#   bash scripts/publish.sh --output /tmp/cw      # somewhere else
#
# Self-contained: the target machine needs no .NET installed. The database, the Data Protection keys and
# the uploaded files live in the working directory's data/ (README "Production"), never beside the binary.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
RUNTIME=linux-x64
OUTPUT=
while (($#)); do
    case $1 in
        --runtime | -r) RUNTIME=${2:?--runtime needs a runtime identifier, e.g. linux-x64}; shift 2 ;;
        --output | -o) OUTPUT=${2:?--output needs a folder}; shift 2 ;;
        -h | --help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "publish.sh: unknown option '$1' (use --runtime RID, --output DIR)" >&2; exit 2 ;;
    esac
done
OUTPUT=${OUTPUT:-artifacts/publish/$RUNTIME}

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet publish src/Casewire/Casewire.csproj -c Release --runtime "$RUNTIME" --self-contained \
    -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:DebugType=none \
    --output "$OUTPUT" >&2

# Only the executable and its settings are the product; nothing else needs copying to the server.
ls -l "$OUTPUT" >&2
echo "$OUTPUT"
