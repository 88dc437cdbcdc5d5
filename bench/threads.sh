#!/usr/bin/env bash
# Threads, mentions and read receipts at scale: one room of PARTICIPANTS (1,000) people, each with
# a user socket open. Measures (a) a plain message, (b) an @room message and (c) a thread reply
# (time until every participant has its frames, p50/p99, server CPU per message, and the ratios
# b/a and c/a from the same run), then the read-receipt load (everyone marks read once a second:
# server CPU and database writes per second). Runs on the embedded default (SQLite) and on
# PostgreSQL + Redis, one after the other, and writes bench/results/threads-<time>.md.
#   bench/threads.sh                               both stacks, about 3-4 minutes
#   STACKS=sqlite ROUNDS=3 RECEIPT_SECONDS=10 bench/threads.sh
#   APP_DIR=/tmp/app bench/threads.sh              reuse a server published before
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib.sh
ensure_packages postgresql:"$(pg_bin)/initdb" redis-server:redis-server sqlite3:sqlite3

participants=${PARTICIPANTS:-1000}
rounds=${ROUNDS:-5}
receipt_seconds=${RECEIPT_SECONDS:-20}
followers=${FOLLOWERS:-100}
work=$(mktemp -d /tmp/switchboard-threads.XXXXXX)
chmod 755 "$work"
server_pid=""
pg_port=""; redis_port=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [ -n "$redis_port" ] && stop_redis "$work/redis" "$redis_port"
  [ -n "$pg_port" ] && stop_postgres "$work/pg"
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# APP_DIR: a server published before (publish_server), to spare a rerun the publishing.
app="${APP_DIR:-$work/app}"
[ -n "${APP_DIR:-}" ] || publish_server "$app"
dotnet build bench/threads/Switchboard.Bench.Threads.csproj -c Release -o "$work/gen" -nologo -v q >/dev/null
signing_key=$(head -c 48 /dev/urandom | base64 | tr -d '\n')
metrics_token=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
ulimit -n 65536 2>/dev/null || true
mkdir -p bench/results
stamp=$(date +%Y%m%d-%H%M)
out="bench/results/threads-$stamp.md"
{
  echo "# Threads, mentions and read receipts: $participants participants in one room"
  echo
  echo "$(date -u +%FT%TZ), $(nproc) cores, load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "$rounds rounds of each message kind after one warm-up of each; read-receipt load for $receipt_seconds s."
  echo "The server is published as for production (Release, ReadyToRun); the load generator (bench/threads/) runs on the same cores."
} >"$out"

# One stack: start the server, make the room with SQL, run the generator, stop the server.
run_stack() {
  local stack=$1 app_port data sql db_args=() psql_args=""
  app_port=$(free_port)
  data="$work/data-$stack"
  mkdir -p "$data"
  if [ "$stack" = postgres ]; then
    pg_port=$(free_port); redis_port=$(free_port)
    start_postgres "$work/pg" "$pg_port" durable
    "$(pg_bin)/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres switchboard
    start_redis "$work/redis" "$redis_port"
    db_args=(--Database:Provider Postgres --ConnectionStrings:Database "Host=127.0.0.1;Port=$pg_port;Database=switchboard;Username=postgres;Maximum Pool Size=100"
             --Redis:Configuration "127.0.0.1:$redis_port")
    psql_args="-h 127.0.0.1 -p $pg_port -U postgres -d switchboard"
    sql() { psql $psql_args -v ON_ERROR_STOP=1 -qAt -F $'\t' -c "$1"; }
  else
    sql() { sqlite3 -cmd '.timeout 10000' -separator $'\t' "$data/switchboard.db" "$1"; }
  fi
  (cd "$data" && MALLOC_ARENA_MAX=2 exec dotnet "$app/Switchboard.dll" --urls "http://127.0.0.1:$app_port" --DataDir "$data" "${db_args[@]}" \
     --Jwt:SigningKey "$signing_key" --Jwt:AccessTokenMinutes 600 --Metrics:Enabled true --Metrics:BearerToken "$metrics_token" \
     --RateLimits:AuthPermitLimit 1000000 --RateLimits:ChatBurst 1000000 --RateLimits:ChatPerSecond 1000000 \
     --Logging:LogLevel:Default Warning >"$work/server-$stack.log" 2>&1) &
  server_pid=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$app_port/health/ready" >/dev/null && break; sleep 0.2; done
  local base="http://127.0.0.1:$app_port" token project room
  curl -sf -X POST "$base/api/auth/register/" -H 'Content-Type: application/json' \
    -d '{"username":"owner","email":"owner@bench.local","password":"bench-passphrase-1"}' >/dev/null
  token=$(curl -sf -X POST "$base/api/auth/token/" -H 'Content-Type: application/json' \
    -d '{"username":"owner","password":"bench-passphrase-1"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access"])')
  project=$(curl -sf -X POST "$base/api/projects/" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"key":"BENCH","name":"Bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  room=$(curl -sf -X POST "$base/api/chat/rooms/" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"name\":\"Everyone\",\"type\":\"group\",\"project\":$project,\"participant_ids\":[]}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  # The other participants: copies of the owner's row (same password hash), members of the project
  # and of the room. Written with SQL so that the setup costs no password hashing.
  sql "INSERT INTO users (\"Username\", \"NormalizedUsername\", \"Email\", \"FirstName\", \"LastName\", \"PasswordHash\", \"IsActive\", \"CreatedAt\", \"ShareReadReceipts\", \"EmailNotifications\")
       WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < $((participants - 1)))
       SELECT 'p' || n, 'P' || n, 'p' || n || '@bench.local', '', '', u.\"PasswordHash\", u.\"IsActive\", u.\"CreatedAt\", u.\"ShareReadReceipts\", u.\"EmailNotifications\"
       FROM g, users u WHERE u.\"Username\" = 'owner';"
  sql "INSERT INTO project_members (\"ProjectId\", \"UserId\", \"Role\", \"JoinedAt\")
       SELECT $project, \"Id\", 'member', \"CreatedAt\" FROM users WHERE \"Username\" LIKE 'p%';"
  sql "INSERT INTO chat_participants (\"RoomId\", \"UserId\", \"JoinedAt\")
       SELECT $room, \"Id\", \"CreatedAt\" FROM users WHERE \"Username\" LIKE 'p%';"
  sql "SELECT \"Id\", \"Username\" FROM users ORDER BY CASE WHEN \"Username\" = 'owner' THEN 0 ELSE 1 END, \"Id\";" >"$work/users-$stack.tsv"
  [ "$stack" = postgres ] && sql "VACUUM ANALYZE;" >/dev/null

  local label="SQLite (the embedded default)"
  [ "$stack" = postgres ] && label="PostgreSQL 15 (durable: fsync on) + Redis"
  { echo; echo "# $label"; echo; } >>"$out"
  dotnet "$work/gen/Switchboard.Bench.Threads.dll" --url "$base" --server-pid "$server_pid" --users "$work/users-$stack.tsv" \
    --signing-key "$signing_key" --room "$room" --rounds "$rounds" --followers "$followers" --receipt-seconds "$receipt_seconds" \
    --metrics-token "$metrics_token" ${psql_args:+--psql "$psql_args"} --out "$work/result-$stack.md"
  cat "$work/result-$stack.md" >>"$out"
  if [ "$stack" = sqlite ]; then
    echo "- SQLite: $(sql 'SELECT count(*) FROM chat_messages;') messages and $(sql 'SELECT count(*) FROM notifications;') notifications stored at the end" >>"$out"
  fi
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
}

for stack in ${STACKS:-sqlite postgres}; do
  run_stack "$stack"
done
echo >>"$out"
echo "Load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)." >>"$out"
echo "Results in $out"
