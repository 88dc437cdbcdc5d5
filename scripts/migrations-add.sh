#!/usr/bin/env bash
# Adds a migration with the same name to both providers' migration sets, so they stay in step.
# Usage: scripts/migrations-add.sh AddTickets
# Then regenerates the compiled models (scripts/compiled-model.sh), which follow the same model.
set -euo pipefail
name=${1:?usage: scripts/migrations-add.sh MigrationName}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dotnet tool restore >/dev/null
proj=src/Switchboard/Switchboard.csproj
# A compiled model that no longer matches the entities may not compile: it is regenerated below.
rm -rf src/Switchboard/Data/CompiledModels
dotnet build "$proj" -v q -nologo >/dev/null
for provider in Sqlite Postgres; do
  dotnet ef migrations add "$name" --no-build -p "$proj" -s "$proj" \
    --context "${provider}AppDbContext" -o "Data/Migrations/$provider"
done
echo "Added $name to Data/Migrations/Sqlite and Data/Migrations/Postgres."
scripts/compiled-model.sh
