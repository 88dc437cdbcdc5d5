#!/usr/bin/env bash
# The WebSocket benchmark: starts a throwaway PostgreSQL and Redis, the server (Release) on
# PostgreSQL with Redis fan-out, and runs the load generator over several shapes. Results are
# printed and appended to bench/results/realtime-<date>.txt.
#   bench/realtime/run.sh            all shapes
#   SHAPES="100x10" SECONDS_PER_SHAPE=10 bench/realtime/run.sh
#   SHAPES="100x10@200 u1000x10of100@200" IDLE=0 bench/realtime/run.sh     per-room sockets vs user sockets
# A shape is ROOMSxMEMBERS@RATE (one /ws/chat/ socket per member and room), or
# uUSERSxKofROOMS@RATE (USERS users, each in K of ROOMS rooms, one /ws/ user socket each).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. scripts/lib.sh
ensure_packages postgresql:"$(pg_bin)/initdb" redis-server:redis-server

work=$(mktemp -d /tmp/switchboard-bench.XXXXXX)
chmod 755 "$work"
pg_port=$(free_port); redis_port=$(free_port); app_port=$(free_port)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  stop_redis "$work/redis" "$redis_port"; stop_postgres "$work/pg"; rm -rf "$work"
}
trap cleanup EXIT INT TERM

start_postgres "$work/pg" "$pg_port"
"$(pg_bin)/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres switchboard
start_redis "$work/redis" "$redis_port"
dotnet publish src/Switchboard/Switchboard.csproj -c Release -o "$work/app" -nologo -v q
dotnet build bench/realtime/Switchboard.Bench.Realtime.csproj -c Release -o "$work/gen" -nologo -v q

ulimit -n 65536 2>/dev/null || true
mkdir -p "$work/data" bench/results
(cd "$work/data" && exec dotnet "$work/app/Switchboard.dll" --urls "http://127.0.0.1:$app_port" --DataDir "$work/data" \
   --Database:Provider Postgres --ConnectionStrings:Database "Host=127.0.0.1;Port=$pg_port;Database=switchboard;Username=postgres;Maximum Pool Size=100" \
   --Redis:Configuration "127.0.0.1:$redis_port" --RateLimits:AuthPermitLimit 1000000 --RateLimits:ChatBurst 1000000 --RateLimits:ChatPerSecond 1000000 --Jwt:AccessTokenMinutes 600 \
   --Logging:LogLevel:Default Warning >"$work/server.log" 2>&1) &
server_pid=$!
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$app_port/health/ready" >/dev/null && break; sleep 0.2; done

out="bench/results/realtime-$(date +%Y%m%d-%H%M%S).txt"
seconds=${SECONDS_PER_SHAPE:-20}
run() { dotnet "$work/gen/Switchboard.Bench.Realtime.dll" --url "http://127.0.0.1:$app_port" --server-pid "$server_pid" --users-file "$work/users.tsv" "$@" | tee -a "$out"; echo | tee -a "$out"; }
{ echo "# $(date -u +%FT%TZ) $(nproc) cores, server on PostgreSQL + Redis"; echo; } | tee "$out"
# A few seconds at a moderate rate first, so that the first measured shape does not pay for the
# server's cold start (JIT, growing the PostgreSQL pool); not a result.
warm_up() { dotnet "$work/gen/Switchboard.Bench.Realtime.dll" --url "http://127.0.0.1:$app_port" --server-pid "$server_pid" \
  --users-file "$work/users.tsv" --rooms 100 --members 10 --rate 200 --seconds 10 >/dev/null 2>&1 || true; }

[ "${WARMUP:-1}" = 0 ] || warm_up
for shape in ${SHAPES:-100x10@500 10x100@50 1x1000@5 1x1000@100 100x10@200 u1000x10of100@200 10x100@200}; do
  if [ "${shape#u}" != "$shape" ]; then
    rest=${shape#u}; users=${rest%%x*}; rest=${rest#*x}; per=${rest%%of*}; rest=${rest#*of}; rooms=${rest%@*}; rate=${rest#*@}
    run --user-socket --users "$users" --rooms-per-user "$per" --rooms "$rooms" --rate "$rate" --seconds "$seconds" || true
  else
    rooms=${shape%%x*}; rest=${shape#*x}; members=${rest%@*}; rate=${rest#*@}
    run --rooms "$rooms" --members "$members" --rate "$rate" --seconds "$seconds" || true
  fi
done
# Side by side: one line per shape.
{ echo "side by side:"; grep '^summary:' "$out" | sed 's/^summary: /  /'; echo; } | tee -a "$out"
idle=${IDLE:-10000}
gcdump=$(command -v dotnet-gcdump || ls "$HOME/.dotnet/tools/dotnet-gcdump" 2>/dev/null || true)
heap_mb() { "$gcdump" collect -p "$server_pid" -o "$work/heap.gcdump" >/dev/null 2>&1 &&
  "$gcdump" report "$work/heap.gcdump" | awk '/GC Heap bytes/ {gsub(",", "", $1); printf "%.1f", $1 / 1048576}'; }
if [ -n "$gcdump" ] && [ "$idle" -gt 0 ]; then
  # With dotnet-gcdump (dotnet tool install -g dotnet-gcdump) the idle run also reports the live
  # managed heap per socket: a dump forces a full collection, so garbage does not count.
  BENCH_IDLE_HOLD=20 run --idle "$idle" &
  idle_pid=$!
  for _ in $(seq 1 300); do grep -q "^server rss" "$out" 2>/dev/null && break; sleep 1; done
  with=$(heap_mb)
  wait "$idle_pid" || true
  sleep 3
  without=$(heap_mb)
  python3 -c "print(f'live managed heap after a full GC: {$with} MB with the sockets, {$without} MB after they closed: {($with - $without) * 1048576 / $idle / 1024:.1f} KB per idle connection')" | tee -a "$out"
elif [ "$idle" -gt 0 ]; then
  run --idle "$idle" || true
fi
echo "Results in $out"
