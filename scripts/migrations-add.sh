#!/usr/bin/env bash
# Adds a migration with the same name to both providers' migration sets, so they stay in step.
# Usage: scripts/migrations-add.sh AddTickets
set -euo pipefail
name=${1:?usage: scripts/migrations-add.sh MigrationName}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dotnet tool restore >/dev/null
proj=src/Switchboard/Switchboard.csproj
dotnet build "$proj" -v q -nologo >/dev/null
for provider in Sqlite Postgres; do
  dotnet ef migrations add "$name" --no-build -p "$proj" -s "$proj" \
    --context "${provider}AppDbContext" -o "Data/Migrations/$provider"
done
echo "Added $name to Data/Migrations/Sqlite and Data/Migrations/Postgres."
