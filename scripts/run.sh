#!/usr/bin/env bash
# Builds the web app and the server, then starts Switchboard on the embedded default
# (SQLite, in-process fan-out, files under ./data) at http://127.0.0.1:8000.
# Extra arguments go to the server: ./scripts/run.sh --urls http://127.0.0.1:9000
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ -f web/package.json ]; then
  if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules ]; then
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
  fi
  (cd web && npm run build --silent)
fi

. scripts/lib.sh
publish_server .build/app
# glibc's allocator keeps up to 8 arenas per core for native allocations (SQLite's page cache,
# TLS); two are enough for this server and keep its resident memory lower (docs/deploy.md).
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
# The GC collects its youngest generation after 4 MB of allocations (hexadecimal) instead of a
# budget sized from the CPU cache (16 MB on this kind of host), so less garbage is resident
# between collections (docs/deploy.md). Only the environment can set it.
export DOTNET_GCgen0size=${DOTNET_GCgen0size:-0x400000}
urls=${ASPNETCORE_URLS:-http://127.0.0.1:8000}
exec dotnet .build/app/Switchboard.dll --urls "$urls" "$@"
