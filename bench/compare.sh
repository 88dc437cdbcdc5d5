#!/usr/bin/env bash
# Side by side: the same workloads, in one run, on the reference's own stack (Django + Channels +
# Daphne + PostgreSQL + Redis) and on Switchboard (the embedded default on SQLite, and PostgreSQL +
# Redis), driven by one neutral load generator that speaks only the public contract.
#
#   PEERS_DIR=/path/to/peers bench/compare.sh          # the full run (about 15-20 minutes)
#   QUICK=1 PEERS_DIR=/path/to/peers bench/compare.sh  # every workload for a few seconds (about 6 minutes)
#
# PEERS_DIR is the folder that holds the peers' code, which this repository does not contain:
#   seed_django/  the reference's stack (run.sh / stop.sh start and stop it)
#   loadgen/      the neutral load generator (copied to a temporary folder and built there)
# Results: bench/results/compare-<timestamp>.md (the table) and .jsonl (every raw result line).
# Other knobs: STACKS="reference sqlite postgres" (a subset), MESSAGES (history/search corpus, 100000),
# FANOUT_RATES (messages/s over 10 rooms x 10 members; "150 500 2000" = 1,500, 5,000 and 20,000
# deliveries/s), DURATION / WARMUP (seconds per fan-out and HTTP workload), IDLE_SOCKETS ("1000 10000"),
# PARTS (what each of our stacks runs: "cold http fanout idle floors"; the floor stack runs only its fan-out),
# FLOOR_RATE (deliveries/s for the floor comparison, 5000), FLOOR_WARMUP (seconds of warm-up before the floor
# shapes are measured, 25, QUICK too: long enough for the tiered JIT to settle), CORPUS_VACUUM (1: VACUUM ANALYZE the
# PostgreSQL corpora after seeding; 0: ANALYZE only).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ -z "${PEERS_DIR:-}" ] || [ ! -x "${PEERS_DIR}/seed_django/run.sh" ] || [ ! -f "${PEERS_DIR}/loadgen/LoadGen.csproj" ]; then
  cat >&2 <<'EOF'
bench/compare.sh needs PEERS_DIR: the folder holding the peers' code, which is not part of this
repository: seed_django/ (the reference's stack, with run.sh and stop.sh) and loadgen/ (the neutral
load generator, LoadGen.csproj). Ask whoever runs the benchmarks for that folder, then:
    PEERS_DIR=/path/to/peers bench/compare.sh        (QUICK=1 for a short end-to-end check)
EOF
  exit 64
fi
PEERS_DIR=$(cd "$PEERS_DIR" && pwd)

. scripts/lib.sh
ensure_packages postgresql:"$(pg_bin)/initdb" redis-server:redis-server hey:hey sqlite3:sqlite3 curl:curl

quick=${QUICK:-0}
if [ "$quick" = 1 ]; then
  duration=${DURATION:-5}; warmup=${WARMUP:-2}; drain=5; messages=${MESSAGES:-20000}
  idle_sockets=${IDLE_SOCKETS:-1000}; fanout_rates=${FANOUT_RATES:-150 500 2000}; settle=20
else
  duration=${DURATION:-15}; warmup=${WARMUP:-5}; drain=10; messages=${MESSAGES:-100000}
  idle_sockets=${IDLE_SOCKETS:-1000 10000}; fanout_rates=${FANOUT_RATES:-150 500 2000}; settle=60
fi
stacks=${STACKS:-reference floor sqlite postgres}
parts=${PARTS:-cold http fanout idle floors}
floor_rate=${FLOOR_RATE:-5000}
# The floors compare steady-state cost per delivery: the tiered JIT keeps recompiling a workload's
# hot code (ReadyToRun -> instrumented -> optimized) for 20-30 s after it starts, and a few seconds
# of warm-up would bill that to whichever stack has more code (ours, not the bare broadcast).
floor_warmup=${FLOOR_WARMUP:-25}
# The PostgreSQL corpora are vacuumed after seeding (as autovacuum would, in time): GIN pending lists
# and visibility maps then look like a settled database's. CORPUS_VACUUM=0 only analyzes them.
corpus_vacuum=$([ "${CORPUS_VACUUM:-1}" = 0 ] && echo ANALYZE || echo "VACUUM ANALYZE")
has_part() { case " $parts " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
word=zebrafinch            # the search word: 1 message in 20 holds it, as a whole word
users=20                   # bench users per stack, reused by every workload (each run logs them all in: a password hash each)
http_clients=8

stamp=$(date -u +%Y%m%d-%H%M%S)
mkdir -p bench/results
jsonl="$root/bench/results/compare-$stamp.jsonl"
report="$root/bench/results/compare-$stamp.md"
: > "$jsonl"

work=$(mktemp -d /tmp/switchboard-compare.XXXXXX)
chmod 755 "$work"
pg_port=$(free_port); redis_port=$(free_port); ref_port=$(free_port); app_port=$(free_port)
server_pid=""
log() { printf '[compare %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
stop_ours() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""; fi
}
stop_reference() { PORT=$ref_port STATE_DIR="$work/seed" "$PEERS_DIR/seed_django/stop.sh" >/dev/null 2>&1 || true; }
cleanup() {
  stop_ours; stop_reference
  stop_redis "$work/redis" "$redis_port"; stop_postgres "$work/pg"
  [ "${KEEP:-0}" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ulimit -n 65536 2>/dev/null || true

# --- build -----------------------------------------------------------------------------------
log "building the load generator (a copy in $work) and publishing the server"
cp -r "$PEERS_DIR/loadgen" "$work/loadgen-src"
dotnet build "$work/loadgen-src/LoadGen.csproj" -c Release -o "$work/loadgen" -nologo -v q >"$work/loadgen-build.log" 2>&1 \
  || { cat "$work/loadgen-build.log" >&2; exit 1; }
publish_server "$work/app"
# The floor: a bare ASP.NET Core WebSocket broadcast (bench/floor), no database, no auth.
dotnet publish bench/floor/Switchboard.Bench.Floor.csproj -c Release -o "$work/floor" -nologo -v q >"$work/floor-build.log" 2>&1 \
  || { cat "$work/floor-build.log" >&2; exit 1; }
loadgen="$work/loadgen/loadgen"

# --- one PostgreSQL cluster and one Redis for both stacks -------------------------------------
# PostgreSQL's own defaults (fsync and synchronous commits on), as the reference's run.sh uses them;
# each stack has its own database, and only one stack is under load at a time.
start_postgres "$work/pg" "$pg_port" durable
start_redis "$work/redis" "$redis_port"
pg_pid=$(head -1 "$work/pg/data/postmaster.pid")
redis_pid=$(cat "$work/redis/redis.pid")
aux="$pg_pid,$redis_pid"
psql_() { "$(pg_bin)/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
psql_ -d postgres -c "CREATE DATABASE switchboard" >/dev/null

# --- helpers ----------------------------------------------------------------------------------
now_ms() { date +%s%3N; }
# fact STACK WORKLOAD JSON-FIELDS: one result line that did not come from the load generator.
fact() { printf '{"stack":"%s","workload":"%s",%s}\n' "$1" "$2" "$3" >> "$jsonl"; }
# lg STACK WORKLOAD BASE SERVER_PID loadgen-args...: one load generator run; its JSON line is kept.
lg() {
  local stack=$1 workload=$2 base=$3 pid=$4; shift 4
  log "$stack: $workload"
  local out="$work/lg-$stack-$workload.json"
  "$loadgen" --base "$base" --server-pid "$pid" --aux-pid "$aux" --settle "$settle" --label "$stack|$workload" \
    --user-prefix "cmp$stack" --json-out "$out" "$@" >"$work/lg-$stack-$workload.log" 2>&1 || true
  if [ -s "$out" ]; then
    python3 -c 'import json,sys; r=json.loads(open(sys.argv[1]).readline()); r["stack"]=sys.argv[2]; r["workload"]=sys.argv[3]; print(json.dumps(r))' \
      "$out" "$stack" "$workload" >> "$jsonl"
    grep -E "^(throughput|delivered|latency|server) " "$work/lg-$stack-$workload.log" | sed "s/^/    /" >&2 || true
  else
    # The load generator stops without its JSON line when not one delivery arrived in the window
    # (a server that collapsed); what it printed before that is kept.
    log "$stack: $workload produced no result line"
    python3 - "$work/lg-$stack-$workload.log" "$stack" "$workload" >> "$jsonl" <<'PY'
import json, re, sys
text = open(sys.argv[1], errors="replace").read()
r = {"stack": sys.argv[2], "workload": sys.argv[3], "valid": False, "saturated": True, "error": "no result line from the load generator"}
m = re.search(r"delivered\s+(\d+)/(\d+) \(ratio ([\d.]+)\), ([\d.]+) deliveries/s", text)
if m:
    r.update(received_deliveries=int(m.group(1)), expected_deliveries=int(m.group(2)),
             delivered_ratio=float(m.group(3)), deliveries_per_s=float(m.group(4)))
m = re.search(r"failed to connect[^\n]*", text)
if m:
    r["error"] = m.group(0)
print(json.dumps(r))
PY
    grep -E "^(delivered|loadgen:)" "$work/lg-$stack-$workload.log" | sed "s/^/    /" >&2 || true
  fi
}
token() {   # BASE USERNAME -> an access token
  curl -sf -X POST "$1/api/auth/token/" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$2\",\"password\":\"LoadGen-pass-2025!\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access"])'
}
cpu_ms() { awk '{print ($14 + $15) * 10}' "/proc/$1/stat" 2>/dev/null || echo 0; }   # user + system CPU so far
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# first_200 BASE START_MS: polls a login until it answers 200; prints the milliseconds since START_MS.
first_200() {
  local base=$1 t0=$2 code
  for _ in $(seq 1 3000); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/api/auth/token/" -H 'Content-Type: application/json' \
      -d '{"username":"cmpcold","password":"LoadGen-pass-2025!"}' 2>/dev/null || true)
    [ "$code" = 200 ] && { echo $(( $(now_ms) - t0 )); return 0; }
    sleep 0.01
  done
  echo -1
}
register_cold_user() {
  curl -s -o /dev/null -X POST "$1/api/auth/register/" -H 'Content-Type: application/json' \
    -d '{"username":"cmpcold","email":"cmpcold@example.com","password":"LoadGen-pass-2025!"}' || true
}

# The history/search corpus: MESSAGES messages in one room whose participants are the stack's
# HTTP bench users (made by a short load-generator run), 1 in 20 holding the search word as a
# whole word, so the reference's substring scan and our full-text search find the same messages.
corpus_room_users() { echo "cmp$1"; }
seed_reference() {   # ROOM
  psql_ -d seed -v room="$1" -v n="$messages" -v word="$word" -v vacuum="$corpus_vacuum" <<'SQL'
INSERT INTO chat_chatmessage (room_id, user_id, content, type, attachment, attachment_name, attachment_size,
                              created_at, updated_at, is_edited, edited_at, client_id)
SELECT :room, u.ids[1 + i % cardinality(u.ids)],
       CASE WHEN i % 20 = 0 THEN 'corpus message ' || i || ': the ' || :'word' || ' report is ready, please review'
            ELSE 'corpus message ' || i || ': lorem ipsum dolor sit amet consectetur adipiscing elit' END,
       'text', NULL, '', NULL, now() - make_interval(secs => (:n - i) / 100.0), now() - make_interval(secs => (:n - i) / 100.0),
       false, NULL, NULL
FROM generate_series(1, :n) i,
     (SELECT array_agg(user_id ORDER BY user_id) ids FROM chat_chatparticipant WHERE room_id = :room) u;
:vacuum chat_chatmessage;
SQL
}
seed_postgres() {   # ROOM
  psql_ -d switchboard -v room="$1" -v n="$messages" -v word="$word" -v vacuum="$corpus_vacuum" <<'SQL'
INSERT INTO chat_messages ("RoomId", "UserId", "Content", "Type", "CreatedAt", "UpdatedAt", "IsEdited")
SELECT :room, u.ids[1 + i % cardinality(u.ids)],
       CASE WHEN i % 20 = 0 THEN 'corpus message ' || i || ': the ' || :'word' || ' report is ready, please review'
            ELSE 'corpus message ' || i || ': lorem ipsum dolor sit amet consectetur adipiscing elit' END,
       'text', now() - make_interval(secs => (:n - i) / 100.0), now() - make_interval(secs => (:n - i) / 100.0), false
FROM generate_series(1, :n) i,
     (SELECT array_agg("UserId" ORDER BY "UserId") ids FROM chat_participants WHERE "RoomId" = :room) u;
:vacuum chat_messages;
SQL
}
seed_sqlite() {   # DBFILE ROOM (the FTS5 index follows through the insert trigger)
  sqlite3 "$1" >/dev/null <<SQL
PRAGMA busy_timeout = 10000;
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $messages),
     u AS (SELECT "UserId" id, row_number() OVER (ORDER BY "UserId") - 1 k, count(*) OVER () n FROM chat_participants WHERE "RoomId" = $2)
INSERT INTO chat_messages ("RoomId", "UserId", "Content", "Type", "CreatedAt", "UpdatedAt", "IsEdited")
SELECT $2, u.id,
       CASE WHEN i % 20 = 0 THEN 'corpus message ' || i || ': the $word report is ready, please review'
            ELSE 'corpus message ' || i || ': lorem ipsum dolor sit amet consectetur adipiscing elit' END,
       'text', strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || (($messages - i) / 100.0) || ' seconds'),
       strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || (($messages - i) / 100.0) || ' seconds'), 0
FROM seq JOIN u ON u.k = seq.i % u.n;
ANALYZE;
SQL
}
newest_room() {   # STACK -> the id of the newest room (the corpus room just made by the setup run)
  case $1 in
    reference) psql_ -d seed -c "SELECT max(id) FROM chat_chatroom" ;;
    postgres) psql_ -d switchboard -c 'SELECT max("Id") FROM chat_rooms' ;;
    sqlite) sqlite3 "$work/data-sqlite/switchboard.db" 'SELECT max("Id") FROM chat_rooms' ;;
  esac
}

# --- the stacks ---------------------------------------------------------------------------------
start_reference() {
  PORT=$ref_port STATE_DIR="$work/seed" DB_PORT=$pg_port REDIS_PORT=$redis_port DAPHNE_VERBOSITY=0 \
    "$PEERS_DIR/seed_django/run.sh" >"$work/seed-run.log" 2>&1 || { cat "$work/seed-run.log" >&2; return 1; }
  server_ref_pid=$(cat "$work/seed/daphne.pid")
}
start_floor() {
  (MALLOC_ARENA_MAX=2 exec dotnet "$work/floor/Switchboard.Bench.Floor.dll" --urls "http://127.0.0.1:$app_port" >>"$work/server-floor.log" 2>&1) &
  server_pid=$!
}
# floor_fanout STACK BASE PID: the two shapes the floor is compared on, at the same offered rate:
# one room of 500 and 100 rooms of 10 (1,000 users, made once and reused by both). One room of 500,
# not 1,000: the load generator creates a room in one request, and a room is created with at most
# 500 participants (more are added one by one, which the generator does not do).
floor_fanout() {
  local stack=$1 base=$2 pid=$3
  lg "$stack" floor-1x500 "$base" "$pid" --rooms 1 --members 500 --users 1000 --rate $(( floor_rate / 500 )) \
    --duration "$duration" --warmup "$floor_warmup" --drain "$drain" --connect-concurrency 16 --user-prefix "flr$stack"
  lg "$stack" floor-100x10 "$base" "$pid" --rooms 100 --members 10 --users 1000 --rate $(( floor_rate / 10 )) \
    --duration "$duration" --warmup "$floor_warmup" --drain "$drain" --connect-concurrency 16 --user-prefix "flr$stack"
}
# history_sql ROOM USER_ID: the statements our history endpoint runs for the corpus room's newest
# page (read from EF Core's command log: access, the page, its count, the viewer's follows),
# replayed by pgbench with the same number of clients; the floor for history on PostgreSQL.
history_sql() {
  local room=$1 user=$2 roots script="$work/history.pgbench"
  roots=$(psql_ -d switchboard -c "SELECT string_agg(\"Id\"::text, ',') FROM (SELECT \"Id\" FROM chat_messages WHERE \"RoomId\" = $room ORDER BY \"Id\" DESC LIMIT 50) x")
  sed -e "s/:room/$room/g" -e "s/:user/$user/g" -e "s/:roots/$roots/g" "$root/bench/compare/history.pgbench" > "$script"
  log "postgres: history-sql (pgbench, $http_clients clients)"
  "$(pg_bin)/pgbench" -h 127.0.0.1 -p "$pg_port" -U postgres -n -c "$http_clients" -j 2 -T "$warmup" -f "$script" switchboard >/dev/null 2>&1 || true
  "$(pg_bin)/pgbench" -h 127.0.0.1 -p "$pg_port" -U postgres -n -c "$http_clients" -j 2 -T "$duration" -f "$script" switchboard \
    >"$work/pgbench.txt" 2>&1 || true
  local tps; tps=$(awk -F'= ' '/^tps/ {split($2, a, " "); print a[1]; exit}' "$work/pgbench.txt")
  fact postgres history-sql "\"requests_per_s\":${tps:-0},\"valid\":$([ -n "$tps" ] && echo true || echo false)"
  grep -E "^tps|latency average" "$work/pgbench.txt" | sed "s/^/    /" >&2 || true
}
start_ours() {   # sqlite|postgres
  local mode=$1 args=()
  if [ "$mode" = postgres ]; then
    args=(--Database:Provider Postgres --ConnectionStrings:Database "Host=127.0.0.1;Port=$pg_port;Database=switchboard;Username=postgres"
          --Redis:Configuration "127.0.0.1:$redis_port")
  fi
  mkdir -p "$work/data-$mode"
  # The contract's per-user limits (5 messages/s, 10 logins a minute) are lifted: the reference has none,
  # and the load generator's users send up to 20 messages/s each at the highest rate.
  # MALLOC_ARENA_MAX and DOTNET_GCgen0size as scripts/run.sh and docs/deploy.md set them.
  (cd "$work/data-$mode" && MALLOC_ARENA_MAX=2 DOTNET_GCgen0size=0x400000 exec dotnet "$work/app/Switchboard.dll" --urls "http://127.0.0.1:$app_port" --DataDir "$work/data-$mode" \
     --RateLimits:AuthPermitLimit 1000000 --RateLimits:ChatBurst 1000000 --RateLimits:ChatPerSecond 1000000 \
     --Jwt:AccessTokenMinutes 600 --Logging:LogLevel:Default Warning "${args[@]}" >>"$work/server-$mode.log" 2>&1) &
  server_pid=$!
}
# restart_ours STACK: a fresh server (stopping the running one, if any), once it answers ready.
restart_ours() {
  stop_ours; start_ours "$1"
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$app_port/health/ready" >/dev/null && break; sleep 0.1; done
}

run_stack() {
  local stack=$1 base pid t0 ms
  log "=== $stack"
  if [ "$stack" = floor ]; then
    base="http://127.0.0.1:$app_port"
    start_floor
    for _ in $(seq 1 300); do curl -s -o /dev/null "$base/api/auth/me/" && break; sleep 0.1; done
    floor_fanout floor "$base" "$server_pid"
    stop_ours
    return 0
  fi
  if [ "$stack" = reference ]; then
    base="http://127.0.0.1:$ref_port"
    # Cold start: run.sh checks the migrations (Django's migrate) and starts Daphne; on a database
    # that already has the schema, as a restart would.
    start_reference; register_cold_user "$base"; stop_reference
    t0=$(now_ms)
    PORT=$ref_port STATE_DIR="$work/seed" DB_PORT=$pg_port REDIS_PORT=$redis_port DAPHNE_VERBOSITY=0 \
      "$PEERS_DIR/seed_django/run.sh" >"$work/seed-run.log" 2>&1 &
    ms=$(first_200 "$base" "$t0")
    wait $! || { cat "$work/seed-run.log" >&2; return 1; }
    pid=$(cat "$work/seed/daphne.pid")
    fact "$stack" cold_start "\"first_200_ms\":$ms,\"cpu_ms\":$(cpu_ms "$pid"),\"valid\":$([ "$ms" -gt 0 ] && echo true || echo false)"
  else
    base="http://127.0.0.1:$app_port"
    restart_ours "$stack"
    register_cold_user "$base"; stop_ours
    # Cold start: a new process on the existing database (its migrations are checked at start).
    t0=$(now_ms); start_ours "$stack"; ms=$(first_200 "$base" "$t0")
    pid=$server_pid
    has_part cold && fact "$stack" cold_start "\"first_200_ms\":$ms,\"cpu_ms\":$(cpu_ms "$pid"),\"valid\":$([ "$ms" -gt 0 ] && echo true || echo false)"
  fi
  sleep 2
  fact "$stack" idle_0 "\"server\":{\"rss_mb\":$(awk "BEGIN{printf \"%.1f\", $(rss_kb "$pid")/1024}")},\"valid\":true"

  if has_part http; then
  # History and search on the same corpus. A short run makes the users, the project and the room.
  lg "$stack" corpus-setup "$base" "$pid" --mode history --concurrency "$http_clients" --seed-messages 1 --duration 1 --warmup 0
  local room; room=$(newest_room "$stack")
  log "$stack: seeding $messages messages into room $room"
  t0=$(now_ms)
  case $stack in
    reference) seed_reference "$room" ;;
    postgres) seed_postgres "$room" ;;
    sqlite) seed_sqlite "$work/data-sqlite/switchboard.db" "$room" ;;
  esac
  log "$stack: seeded in $(( $(now_ms) - t0 )) ms"
  # History of the corpus room (its newest page, with its count) through hey: the load generator
  # makes a new room for each run, so it cannot read this one.
  local tok; tok=$(token "$base" "cmp${stack}_0")
  local cpu0 cpu1
  hey_run() {   # WORKLOAD PATH
    log "$stack: $1 (hey, $http_clients clients)"
    hey -z "${warmup}s" -c "$http_clients" -H "Authorization: Bearer $tok" "$base$2" >/dev/null 2>&1 || true
    cpu0=$(awk '{print $14+$15}' "/proc/$pid/stat")
    local rmax=0 out="$work/hey-$stack-$1.txt"
    hey -z "${duration}s" -c "$http_clients" -H "Authorization: Bearer $tok" "$base$2" >"$out" 2>&1 &
    local hp=$!
    while kill -0 "$hp" 2>/dev/null; do r=$(rss_kb "$pid"); [ "$r" -gt "$rmax" ] && rmax=$r; sleep 0.5; done
    wait "$hp" || true
    cpu1=$(awk '{print $14+$15}' "/proc/$pid/stat")
    python3 "$root/bench/compare/hey2json.py" "$out" "$stack" "$1" "$duration" "$(( cpu1 - cpu0 ))" "$rmax" >> "$jsonl"
    grep -E "Requests/sec|99% in" "$out" | sed "s/^/    /" >&2 || true
  }
  hey_run history-corpus "/api/chat/messages/?room=$room"
  hey_run search-corpus "/api/chat/messages/?search=$word"
  if [ "$stack" = postgres ] && has_part floors; then
    history_sql "$room" "$(psql_ -d switchboard -c "SELECT \"Id\" FROM users WHERE \"Username\" = 'cmp${stack}_0'")"
  fi
  # The load generator's own history and search (its room gets 100 messages over REST; search spans
  # every room of the user, the corpus included).
  lg "$stack" history "$base" "$pid" --mode history --concurrency "$http_clients" --seed-messages 100 --duration "$duration" --warmup "$warmup"
  lg "$stack" search "$base" "$pid" --mode search --concurrency "$http_clients" --seed-messages 100 --search-word "$word" --duration "$duration" --warmup "$warmup"
  fi

  # Fan-out, 10 rooms x 10 members, at each rate (the reference collapses at the higher ones: last).
  has_part fanout && for rate in $fanout_rates; do
    lg "$stack" "fanout-$(( rate * 10 ))" "$base" "$pid" --rooms 10 --members 10 --users "$users" --rate "$rate" \
      --duration "$duration" --warmup "$warmup" --drain "$drain"
  done
  fact "$stack" after "\"server\":{\"rss_mb\":$(awk "BEGIN{printf \"%.1f\", $(rss_kb "$pid")/1024}")},\"valid\":true"
  # A fresh server for the sockets (the reference may not have recovered from the overload above).
  if [ "$stack" = reference ]; then stop_reference; start_reference; pid=$server_ref_pid
  else restart_ours "$stack"; pid=$server_pid; fi
  # Idle sockets: N sockets (20 users, rooms of 20) open and nearly silent (1 message/s); the server's peak RSS.
  has_part idle && for n in $idle_sockets; do
    lg "$stack" "idle-$n" "$base" "$pid" --rooms $(( n / users )) --members "$users" --users "$users" --rate 1 \
      --duration 5 --warmup 1 --drain 3 --connect-concurrency 16
  done
  # The floor shapes last, on a fresh server: their 1,000 users and 40 s of load must not change
  # what the workloads above see (the idle RSS, the database the history reads).
  if [ "$stack" != reference ] && has_part floors; then
    restart_ours "$stack"
    floor_fanout "$stack" "$base" "$server_pid"
  fi
  if [ "$stack" = reference ]; then stop_reference; else stop_ours; fi
}

log "stacks: $stacks; $( [ "$quick" = 1 ] && echo QUICK || echo full ): ${duration}s per workload, corpus $messages messages"
{ echo "{\"meta\":true,\"started_utc\":\"$(date -u +%FT%TZ)\",\"quick\":$quick,\"cores\":$(nproc),\"duration_s\":$duration,\"warmup_s\":$warmup,"
  echo "\"messages\":$messages,\"concurrency\":$http_clients,\"load_before\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"commit\":\"$(git rev-parse --short HEAD)$(git diff --quiet || echo +dirty)\"}"; } | tr -d '\n' >> "$jsonl"
echo >> "$jsonl"
for stack in $stacks; do run_stack "$stack" || log "$stack failed; going on"; done
echo "{\"meta_end\":true,\"ended_utc\":\"$(date -u +%FT%TZ)\",\"load_after\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >> "$jsonl"
python3 bench/compare/report.py "$jsonl" > "$report"
cat "$report"
log "results: $report (raw lines: $jsonl)"
