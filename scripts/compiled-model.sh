#!/usr/bin/env bash
# Regenerates the compiled EF Core models (src/Switchboard/Data/CompiledModels/{Sqlite,Postgres})
# that the server starts on instead of building its model at every start
# (docs/decisions/1410-start-up-profile.md). Run it after changing an entity or its configuration;
# scripts/migrations-add.sh runs it too. CompiledModelTests fails while a compiled model is stale.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dotnet tool restore >/dev/null
proj=src/Switchboard/Switchboard.csproj
# The old models go first: a stale one may no longer compile against the changed entities, and the
# build below must not need it (EF Core finds the compiled model by an assembly attribute).
rm -rf src/Switchboard/Data/CompiledModels
dotnet build "$proj" -v q -nologo >/dev/null
for provider in Sqlite Postgres; do
  dotnet ef dbcontext optimize --no-build -p "$proj" -s "$proj" --context "${provider}AppDbContext" \
    -o "Data/CompiledModels/$provider" -n "Switchboard.Data.CompiledModels.$provider" >/dev/null
done
echo "Regenerated Data/CompiledModels/Sqlite and Data/CompiledModels/Postgres."
