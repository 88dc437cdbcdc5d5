#!/usr/bin/env bash
# Tickets in chat, two measurements on two server instances (Release) sharing a throwaway
# PostgreSQL and Redis:
#  1. history pages: the newest 50 messages of a room where each message refers to 3 tickets, and
#     of a room of 50 plain messages, in the same run, alternating (hey, CLIENTS clients, DURATION
#     each, ROUNDS rounds); the ratio of requests/s (refs / plain).
#  2. sync latency: a comment posted on instance A until its reply reaches a user socket on
#     instance B (SAMPLES comments, one at a time): p50 / p99.
# Usage: bench/tickets-in-chat/run.sh        (DURATION=8s CLIENTS=8 ROUNDS=2 SAMPLES=200 to change)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/bench/tickets-in-chat"
cd "$root"
. scripts/lib.sh
ensure_packages postgresql:"$(pg_bin)/initdb" redis-server:redis-server hey:hey

duration=${DURATION:-8s}; clients=${CLIENTS:-8}; rounds=${ROUNDS:-2}; samples=${SAMPLES:-200}
work=$(mktemp -d /tmp/switchboard-bench.XXXXXX)
chmod 755 "$work"
pg_port=$(free_port); redis_port=$(free_port); port_a=$(free_port); port_b=$(free_port)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_redis "$work/redis" "$redis_port"; stop_postgres "$work/pg"; rm -rf "$work"
}
trap cleanup EXIT INT TERM

start_postgres "$work/pg" "$pg_port"
"$(pg_bin)/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres switchboard
start_redis "$work/redis" "$redis_port"
dotnet publish src/Switchboard/Switchboard.csproj -c Release -o "$work/app" -nologo -v q >/dev/null
key=$(head -c 48 /dev/urandom | base64 -w0)
start_instance() {
  mkdir -p "$work/data-$1"
  (cd "$work/data-$1" && exec dotnet "$work/app/Switchboard.dll" --urls "http://127.0.0.1:$2" --DataDir "$work/data-$1" \
     --Database:Provider Postgres --ConnectionStrings:Database "Host=127.0.0.1;Port=$pg_port;Database=switchboard;Username=postgres;Maximum Pool Size=50" \
     --Redis:Configuration "127.0.0.1:$redis_port" --Jwt:SigningKey "$key" --RateLimits:AuthPermitLimit 1000000 \
     --RateLimits:ChatBurst 1000000 --RateLimits:ChatPerSecond 1000000 --Logging:LogLevel:Default Warning >"$work/server-$1.log" 2>&1) &
  pids+=($!)
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$2/health/ready" >/dev/null && return; sleep 0.2; done
  echo "instance $1 did not start"; cat "$work/server-$1.log"; exit 1
}
start_instance a "$port_a"   # applies the migrations
start_instance b "$port_b"

# Users, a project, 10 tickets, two rooms of 50 messages, and a ticket's discussion: over the API.
node "$here/client.mjs" seed "http://127.0.0.1:$port_a" >"$work/seed.env"
. "$work/seed.env"

out="bench/results/tickets-in-chat-$(date +%Y%m%d-%H%M%S).txt"
mkdir -p bench/results
{ echo "# $(date -u +%FT%TZ) $(nproc) cores, two instances on PostgreSQL + Redis, load average $(cut -d' ' -f1-3 /proc/loadavg)"; echo; } | tee "$out"
rps() {
  hey -z "$duration" -c "$clients" -H "Authorization: Bearer $TOKEN" "$1" >"$work/hey.txt"
  awk '/Requests\/sec/ {print $2}' "$work/hey.txt"
}
# Warm both paths (JIT, pools) before measuring.
hey -z 3s -c "$clients" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port_a/api/chat/messages/?room=$REFS_ROOM" >/dev/null
hey -z 3s -c "$clients" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port_a/api/chat/messages/?room=$PLAIN_ROOM" >/dev/null
plain_sum=0; refs_sum=0
for round in $(seq 1 "$rounds"); do
  p=$(rps "http://127.0.0.1:$port_a/api/chat/messages/?room=$PLAIN_ROOM")
  r=$(rps "http://127.0.0.1:$port_a/api/chat/messages/?room=$REFS_ROOM")
  echo "round $round: plain $p req/s, 3 refs per message $r req/s" | tee -a "$out"
  plain_sum=$(python3 -c "print($plain_sum + $p)"); refs_sum=$(python3 -c "print($refs_sum + $r)")
done
python3 -c "print(f'history page of 50, {$clients} clients: plain {$plain_sum/$rounds:.0f} req/s, with 3 ticket refs each {$refs_sum/$rounds:.0f} req/s, ratio {$refs_sum/$plain_sum:.2f} (target >= 0.8)')" | tee -a "$out"

ALICE_TOKEN=$ALICE_TOKEN BOB_TOKEN=$BOB_TOKEN TICKET=$TICKET DISCUSS_ROOM=$DISCUSS_ROOM node --experimental-websocket --no-warnings "$here/client.mjs" latency "http://127.0.0.1:$port_a" "http://127.0.0.1:$port_b" "$samples" | tee -a "$out"
echo "results: $out"
