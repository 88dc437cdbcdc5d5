#!/usr/bin/env bash
# Tickets benchmark: a throwaway PostgreSQL with 100,000 tickets over 20 projects, the server in
# Release on it, then 16 concurrent clients for 30 s each against a filtered list page, a search,
# and GET /health/live as the baseline. Prints p50, p99 and requests/s; needs hey (Debian package).
# Usage: bench/tickets/run.sh            (DURATION=30s CONCURRENCY=16 WARMUP=20s to change; HOLD=1 keeps it running)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
duration=${DURATION:-30s}
concurrency=${CONCURRENCY:-16}
warmup=${WARMUP:-20s}

ensure_packages postgresql:"$(pg_bin)/initdb" hey:hey
work=$(mktemp -d /tmp/switchboard-bench.XXXXXX)
chmod 755 "$work"
pg_port=$(free_port)
app_port=$(free_port)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  stop_postgres "$work/pg"
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "== PostgreSQL on $pg_port"
start_postgres "$work/pg" "$pg_port"
psql=("$(pg_bin)/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 -q)
"${psql[@]}" -d postgres -c "CREATE DATABASE bench"

echo "== Publishing the server (Release)"
dotnet publish src/Switchboard/Switchboard.csproj -c Release -o "$work/app" -nologo -v q >/dev/null
mkdir -p "$work/data"
(cd "$work/data" && exec dotnet "$work/app/Switchboard.dll" --urls "http://127.0.0.1:$app_port" \
  --DataDir "$work/data" --Database:Provider Postgres \
  --ConnectionStrings:Database "Host=127.0.0.1;Port=$pg_port;Database=bench;Username=postgres;Maximum Pool Size=64" \
  --RateLimits:AuthPermitLimit 1000 --Logging:LogLevel:Default Warning >"$work/server.log" 2>&1) &
server_pid=$!
base="http://127.0.0.1:$app_port"
for _ in $(seq 1 150); do curl -sf "$base/health/ready" >/dev/null && break; sleep 0.2; done
curl -sf "$base/health/ready" >/dev/null || { echo "server did not start"; cat "$work/server.log"; exit 1; }

echo "== Seeding 100,000 tickets"
curl -sf -X POST "$base/api/auth/register/" -H 'Content-Type: application/json' \
  -d '{"username":"bench","email":"bench@example.com","password":"bench-pass-123"}' >/dev/null
token=$(curl -sf -X POST "$base/api/auth/token/" -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"bench-pass-123"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access"])')
bench_id=$("${psql[@]}" -d bench -tA -c "SELECT \"Id\" FROM users WHERE \"Username\" = 'bench'")
started=$(date +%s)
"${psql[@]}" -d bench -v bench_id="$bench_id" -f bench/tickets/seed.sql
echo "seeded $("${psql[@]}" -d bench -tA -c 'SELECT count(*) FROM tickets') tickets in $(( $(date +%s) - started )) s"
assignee=$("${psql[@]}" -d bench -tA -c "SELECT \"Id\" FROM users WHERE \"Username\" = 'worker3'")

list="$base/api/tickets/?status=open&assignee=$assignee&ordering=-priority&page_size=50"
search="$base/api/tickets/?search=firewall%20rout&page_size=50"
for url in "$list" "$search"; do
  curl -sf -H "Authorization: Bearer $token" "$url" | python3 -c 'import json,sys; p=json.load(sys.stdin); print("  %s matches, %s on the page" % (p["count"], len(p["results"])))'
done

measure() {
  local name=$1 url=$2 out
  shift 2
  # A warm-up (tiered JIT needs tens of seconds of traffic to settle, connection pool, caches), then the measured run.
  hey -z "$warmup" -c "$concurrency" "$@" "$url" >/dev/null
  out=$(hey -z "$duration" -c "$concurrency" "$@" "$url")
  local rps p50 p99 codes
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '/ 50% in / {print $3 * 1000}')
  p99=$(echo "$out" | awk '/ 99% in / {print $3 * 1000}')
  codes=$(echo "$out" | awk '/Status code distribution/ {f=1; next} f && NF {printf "%s ", $0}')
  local ratio=""
  if [ -n "${baseline_p99:-}" ]; then
    ratio=$(python3 -c "print(f'p50 {$p50 / $baseline_p50:.1f}x, p99 {$p99 / $baseline_p99:.1f}x the baseline')")
  fi
  printf "%-34s p50 %7.2f ms   p99 %7.2f ms   %9.1f req/s   %s  %s\n" "$name" "$p50" "$p99" "$rps" "$codes" "$ratio"
  last_p50=$p50 last_p99=$p99
}

echo "== $concurrency clients, $duration each ($(nproc) cores)"
measure "baseline GET /health/live" "$base/health/live"
baseline_p50=$last_p50 baseline_p99=$last_p99
measure "filtered list (status+assignee)" "$list" -H "Authorization: Bearer $token"
measure "search (two words, prefix)" "$search" -H "Authorization: Bearer $token"

if [ -n "${HOLD:-}" ]; then
  # For profiling: keep everything running until interrupted.
  echo "== Holding: server $base (pid $server_pid), PostgreSQL port $pg_port"
  echo "export BASE=$base TOKEN=$token PG_PORT=$pg_port SERVER_PID=$server_pid" > "${HOLD_ENV:-/tmp/switchboard-bench.env}"
  wait "$server_pid"
fi
