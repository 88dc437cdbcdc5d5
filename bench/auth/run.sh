#!/usr/bin/env bash
# What the session check costs per request: GET /api/auth/me/ on a server that checks every
# bearer token against the in-memory list of ended sessions, and on the same server built without
# the check (-p:BenchNoRevocationCheck=true, never for production). The list holds $ENDED ended
# sessions, as after a busy quarter of an hour. The two builds take turns ($ROUNDS rounds of
# $DURATION each, after a warm-up), so drift on a shared machine hits both alike.
# Usage: bench/auth/run.sh   (DURATION=5s ROUNDS=3 CLIENTS=16 ENDED=200 to change)
# Embedded SQLite, no Redis: the check is the same dictionary lookup either way.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

duration=${DURATION:-5s}
rounds=${ROUNDS:-3}
clients=${CLIENTS:-16}
ended=${ENDED:-200}
work=$(mktemp -d /tmp/switchboard-bench-auth.XXXXXX)
port=$(free_port)
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""; fi
}
cleanup() { stop_server; rm -rf "$work"; }
trap cleanup EXIT INT TERM

ensure_packages hey:hey
echo "== Building both servers (Release)"
dotnet publish src/Switchboard/Switchboard.csproj -c Release -o "$work/checked" -nologo -v q >/dev/null
dotnet publish src/Switchboard/Switchboard.csproj -c Release -o "$work/unchecked" -nologo -v q \
  -p:BenchNoRevocationCheck=true -p:IntermediateOutputPath="$work/obj-unchecked/" >/dev/null
mkdir -p "$work/data"

start_server() {
  (cd "$work/data" && exec dotnet "$work/$1/Switchboard.dll" --urls "http://127.0.0.1:$port" --DataDir "$work/data" \
    --Logging:LogLevel:Default Warning --RateLimits:AuthPermitLimit 1000000 --Jwt:SigningKey "bench-signing-key-bench-signing-key-0123456789" \
    >>"$work/server.log" 2>&1) &
  server_pid=$!
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && return 0; sleep 0.2; done
  echo "server did not start"; cat "$work/server.log"; exit 1
}

api() { curl -sf -H 'Content-Type: application/json' "$@"; }
login() {
  api -X POST "http://127.0.0.1:$port/api/auth/token/" -d '{"username":"bencher","password":"bench-passphrase-1"}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access"])'
}

start_server checked
api -X POST "http://127.0.0.1:$port/api/auth/register/" \
  -d '{"username":"bencher","email":"bencher@example.com","password":"bench-passphrase-1"}' >/dev/null
echo "== Ending $ended sessions"
for _ in $(seq 1 "$ended"); do
  curl -sf -o /dev/null -X POST -H "Authorization: Bearer $(login)" "http://127.0.0.1:$port/api/auth/logout/"
done
token=$(login)
stop_server

run() { # name
  start_server "$1"
  hey -z 3s -c "$clients" -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/auth/me/" >/dev/null
  hey -z "$duration" -c "$clients" -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/auth/me/" >"$work/out"
  stop_server
  local rps p50 p99 codes
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/out")
  p50=$(awk '$1 == "50%" && $2 == "in" {print $3 * 1000}' "$work/out")
  p99=$(awk '$1 == "99%" && $2 == "in" {print $3 * 1000}' "$work/out")
  codes=$(awk '/Status code distribution/ {f=1; next} f && NF {printf "%s ", $0}' "$work/out")
  printf '%-10s %10s req/s  p50 %6s ms  p99 %6s ms  %s\n' "$1" "$rps" "$p50" "$p99" "$codes"
  echo "$1 $rps $p50" >>"$work/results"
}

echo "== GET /api/auth/me/, $clients clients, $rounds rounds of $duration per build"
for _ in $(seq 1 "$rounds"); do
  run checked
  run unchecked
done
awk '{ rps[$1] += $2; p50[$1] += $3; n[$1]++ }
  END {
    c = rps["checked"] / n["checked"]; u = rps["unchecked"] / n["unchecked"];
    printf "mean: checked %.0f req/s, unchecked %.0f req/s; throughput ratio checked/unchecked = %.3f; p50 ratio = %.3f\n",
      c, u, c / u, (p50["checked"] / n["checked"]) / (p50["unchecked"] / n["unchecked"])
  }' "$work/results"
