#!/usr/bin/env bash
# Chat benchmark: a throwaway PostgreSQL with 1,000,000 messages in 1,000 rooms, the server in
# Release on it, then 32 concurrent clients for 30 s each against a history page and a search,
# and the same search as ILIKE '%word%' in SQL for comparison. Usage: bench/chat/run.sh
# Needs root (or sudo) once to install PostgreSQL and hey from Debian packages when missing.
# DURATION=30s CLIENTS=32 WARMUP=20s to change; HOLD=1 keeps it running afterwards (for profiling).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/bench/chat"
cd "$root"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

duration=${DURATION:-30s}
clients=${CLIENTS:-32}
warmup=${WARMUP:-20s}
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

ensure_packages postgresql:"$(pg_bin)/initdb" hey:hey
echo "== PostgreSQL on $pg_port"
start_postgres "$work/pg" "$pg_port"
psql_db() { psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d bench "$@"; }
psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "CREATE DATABASE bench"

echo "== Building the server (Release)"
dotnet publish src/Switchboard/Switchboard.csproj -c Release -o "$work/app" -nologo -v q >/dev/null
mkdir -p "$work/data"
(cd "$work/data" && exec dotnet "$work/app/Switchboard.dll" --urls "http://127.0.0.1:$app_port" --DataDir "$work/data" \
  --Database:Provider Postgres --ConnectionStrings:Database "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=bench;Maximum Pool Size=64" \
  --Logging:LogLevel:Default Warning --RateLimits:AuthPermitLimit 1000 >"$work/server.log" 2>&1) &
server_pid=$!
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$app_port/health/ready" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$app_port/health/ready" >/dev/null || { echo "server did not start"; cat "$work/server.log"; exit 1; }

api() { curl -sf -H 'Content-Type: application/json' "$@"; }
register() {
  api -X POST "http://127.0.0.1:$app_port/api/auth/register/" \
    -d "{\"username\":\"$1\",\"email\":\"$1@example.com\",\"password\":\"bench-passphrase-1\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}
bench_user=$(register bencher)
other_user=$(register other)
token=$(api -X POST "http://127.0.0.1:$app_port/api/auth/token/" -d '{"username":"bencher","password":"bench-passphrase-1"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access"])')

echo "== Seeding 1,000,000 messages in 1,000 rooms"
start=$(date +%s)
psql_db -v bench_user="$bench_user" -v other_user="$other_user" -f "$here/seed.sql"
echo "seeded in $(( $(date +%s) - start )) s"

room=$(psql_db -At -c 'SELECT "Id" FROM chat_rooms ORDER BY "Id" LIMIT 1 OFFSET 500')
word=$(psql_db -At -c "SELECT translate(substr(md5('42'), 1, 5 + 42 % 5), '0123456789', 'ghijklmnop')")
matches=$(psql_db -At -c "SELECT count(*) FROM chat_messages WHERE \"SearchVector\" @@ plainto_tsquery('simple', '$word')")
echo "room $room, search word '$word' ($matches matching messages)"

results="$work/results.txt"
: >"$results"
run_hey() {
  local name=$1 url=$2 concurrency=${3:-$clients} out="$work/run.txt"
  if [ "$concurrency" = 1 ]; then
    hey -n 300 -c 1 -H "Authorization: Bearer $token" "$url" >"$out"
  else
    hey -z "$duration" -c "$concurrency" -H "Authorization: Bearer $token" "$url" >"$out"
  fi
  local rps p50 p99 codes
  rps=$(awk '/Requests\/sec/ {print $2}' "$out")
  p50=$(awk '$1 == "50%" && $2 == "in" {print $3 * 1000}' "$out")
  p99=$(awk '$1 == "99%" && $2 == "in" {print $3 * 1000}' "$out")
  codes=$(awk '/Status code distribution/ {f=1; next} f && NF {printf "%s ", $0}' "$out")
  local ratio=""
  if [ -n "${baseline_p99:-}" ]; then
    ratio=$(python3 -c "print(f'p50 {$p50 / $baseline_p50:.1f}x, p99 {$p99 / $baseline_p99:.1f}x the baseline')")
  fi
  printf '%-22s p50 %7.2f ms   p99 %7.2f ms   %8.0f req/s   %s  %s\n' "$name" "$p50" "$p99" "$rps" "$codes" "$ratio" | tee -a "$results"
  last_p50=$p50 last_p99=$p99
}
# Warm up the JIT, the connection pool and PostgreSQL's caches.
# Tiered JIT needs tens of seconds of traffic to settle.
hey -z "$warmup" -c "$clients" -H "Authorization: Bearer $token" "http://127.0.0.1:$app_port/api/chat/messages/?room=$room" >/dev/null
hey -z "$warmup" -c "$clients" -H "Authorization: Bearer $token" "http://127.0.0.1:$app_port/api/chat/messages/?search=$word" >/dev/null

echo "== HTTP, $clients clients, $duration each"
# The baseline: a request that touches neither the database nor authentication, in the same run.
baseline_p50="" baseline_p99=""
run_hey "baseline /health/live" "http://127.0.0.1:$app_port/health/live"
baseline_p50=$last_p50 baseline_p99=$last_p99
run_hey "history page (50)" "http://127.0.0.1:$app_port/api/chat/messages/?room=$room"
run_hey "search (page 1 of 50)" "http://127.0.0.1:$app_port/api/chat/messages/?search=$word"

echo "== HTTP, one client, 300 requests each (the cost of a request without queueing)"
baseline_p50="" baseline_p99=""
run_hey "baseline, 1 client" "http://127.0.0.1:$app_port/health/live" 1
baseline_p50=$last_p50 baseline_p99=$last_p99
run_hey "history, 1 client" "http://127.0.0.1:$app_port/api/chat/messages/?room=$room" 1
run_hey "search, 1 client" "http://127.0.0.1:$app_port/api/chat/messages/?search=$word" 1

echo "== The same search in SQL: full-text (GIN) vs ILIKE '%word%' (median of 15 runs, count + first page)"
sql_time() {
  local where=$1
  local sql="SELECT count(*) FROM chat_messages m WHERE m.\"RoomId\" IN (SELECT \"RoomId\" FROM chat_participants WHERE \"UserId\" = $bench_user) AND $where;
SELECT m.\"Id\" FROM chat_messages m WHERE m.\"RoomId\" IN (SELECT \"RoomId\" FROM chat_participants WHERE \"UserId\" = $bench_user) AND $where ORDER BY m.\"Id\" DESC LIMIT 50;"
  for _ in $(seq 1 15); do
    { echo '\timing on'; echo "$sql"; } | psql_db -At | awk '/^Time:/ {t += $2} END {print t}'
  done | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
fts=$(sql_time "m.\"SearchVector\" @@ plainto_tsquery('simple', '$word')")
ilike=$(sql_time "m.\"Content\" ILIKE '%$word%'")
ratio=$(python3 -c "print(f'{$ilike / $fts:.1f}')")
printf 'full-text %.2f ms, ILIKE %.2f ms: full-text is %sx faster\n' "$fts" "$ilike" "$ratio" | tee -a "$results"
echo "== Load on this machine during the run: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)" | tee -a "$results"
echo "== Results"
cat "$results"

if [ -n "${HOLD:-}" ]; then
  # For profiling: keep everything running until interrupted.
  echo "== Holding: server http://127.0.0.1:$app_port (pid $server_pid), PostgreSQL port $pg_port, room $room, word $word"
  echo "export BASE=http://127.0.0.1:$app_port TOKEN=$token PG_PORT=$pg_port SERVER_PID=$server_pid ROOM=$room WORD=$word" \
    > "${HOLD_ENV:-/tmp/switchboard-bench.env}"
  wait "$server_pid"
fi
