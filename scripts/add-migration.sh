#!/usr/bin/env bash
# Adds a migration named $1 for both providers from the same model (DESIGN.md: one migration set per provider).
# Usage: bash scripts/add-migration.sh AddReminders
set -euo pipefail
name=${1:?usage: scripts/add-migration.sh MigrationName}
cd "$(dirname "${BASH_SOURCE[0]}")/../src/Casewire"
dotnet tool restore >/dev/null
for provider in Sqlite Postgres; do
    dotnet ef migrations add "$name" --context "${provider}CasewireDb" \
        --output-dir "Data/Migrations/$provider" --namespace "Casewire.Data.Migrations.$provider"
    # (to undo one: dotnet ef migrations remove needs a reachable database for PostgreSQL; deleting the two
    #  files and restoring the snapshot from git is the offline way)
    # dotnet-ef derives the snapshot's folder from its namespace and lands it under Casewire/…; keep it beside its migrations.
    if [[ -f "Casewire/Data/Migrations/$provider/${provider}CasewireDbModelSnapshot.cs" ]]; then
        mv "Casewire/Data/Migrations/$provider/${provider}CasewireDbModelSnapshot.cs" "Data/Migrations/$provider/"
    fi
done
rm -rf Casewire
