#!/usr/bin/env bash
# The signalling benchmark: two server instances (Release) sharing a throwaway PostgreSQL and Redis,
# and bench/calls/signalling.mjs timing call_offer from a socket on one instance to a socket on the
# other, PAIRS call setups at once. Results are printed and appended to bench/results/calls-<date>.txt.
#   bench/calls/run.sh                  100 pairs, 5 rounds
#   PAIRS=20 ROUNDS=2 bench/calls/run.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. scripts/lib.sh
ensure_packages postgresql:"$(pg_bin)/initdb" redis-server:redis-server

work=$(mktemp -d /tmp/switchboard-bench-calls.XXXXXX)
chmod 755 "$work"
pg_port=$(free_port); redis_port=$(free_port); a_port=$(free_port); b_port=$(free_port)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_redis "$work/redis" "$redis_port"; stop_postgres "$work/pg"; rm -rf "$work"
}
trap cleanup EXIT INT TERM

start_postgres "$work/pg" "$pg_port"
"$(pg_bin)/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres switchboard
start_redis "$work/redis" "$redis_port"
app=${APP_DIR:-}
if [ -z "$app" ]; then
  app="$work/app"
  dotnet publish src/Switchboard/Switchboard.csproj -c Release -o "$app" -nologo -v q
fi
key=$(od -An -N48 -tx1 /dev/urandom | tr -d ' \n')
for port in "$a_port" "$b_port"; do
  mkdir -p "$work/data-$port"
  (cd "$work/data-$port" && exec dotnet "$app/Switchboard.dll" --urls "http://127.0.0.1:$port" --DataDir "$work/data-$port" \
     --Database:Provider Postgres --ConnectionStrings:Database "Host=127.0.0.1;Port=$pg_port;Database=switchboard;Username=postgres" \
     --Redis:Configuration "127.0.0.1:$redis_port" --Jwt:SigningKey "$key" --Jwt:AccessTokenMinutes 600 \
     --RateLimits:AuthPermitLimit 1000000 --RateLimits:ChatBurst 1000000 --RateLimits:ChatPerSecond 1000000 \
     --Logging:LogLevel:Default Warning >"$work/server-$port.log" 2>&1) &
  pids+=($!)
  for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.2; done
done

mkdir -p bench/results
out="bench/results/calls-$(date +%Y%m%d-%H%M%S).txt"
{ echo "# $(date -u +%FT%TZ) $(nproc) cores, two instances on PostgreSQL + Redis"; \
  node --experimental-websocket bench/calls/signalling.mjs "http://127.0.0.1:$a_port" "http://127.0.0.1:$b_port" "${PAIRS:-100}" "${ROUNDS:-5}"; } 2>&1 | tee "$out"
