#!/usr/bin/env bash
# Fault tests: two Switchboard instances behind nginx, with PostgreSQL and Redis, and clients that
# send all the time (tests/faults/faults.mjs). The client injects one fault after another through
# this script's control commands (SIGKILL and SIGTERM of an instance, Redis and PostgreSQL
# restarts, a full upload disk), measures each and checks that nothing acknowledged was lost.
#
#   tests/faults/run.sh [APP_DIR]     APP_DIR: a `dotnet publish` output to reuse (else it publishes)
#
# Writes artifacts/faults.json and artifacts/faults.md and ends with "N passed, M failed".
# Needs root (installs postgresql, redis-server and nginx when missing; mounts a tmpfs).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

if [ "${1:-}" = "ctl" ]; then
  # Control commands, run by faults.mjs: state lives in $FAULT_WORK.
  shift
  work=$FAULT_WORK
  start_instance() {
    local name=$1 port
    port=$(cat "$work/$name.port")
    (cd "$work/data" && exec dotnet "$work/app/Switchboard.dll" --urls "http://127.0.0.1:$port" --DataDir "$work/data" \
        >>"$work/instance-$name.log" 2>&1) &
    echo $! >"$work/$name.pid"
    for _ in $(seq 1 600); do
      curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && return 0
      sleep 0.1
    done
    echo "instance $name did not become ready" >&2
    return 1
  }
  case "$1" in
    start) start_instance "$2" ;;
    kill9) kill -KILL "$(cat "$work/$2.pid")" ;;
    term)
      # Prints how long the instance took to exit, in milliseconds.
      pid=$(cat "$work/$2.pid")
      t0=$(date +%s%N)
      kill -TERM "$pid"
      for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
      kill -0 "$pid" 2>/dev/null && { echo "still running" >&2; exit 1; }
      echo $(( ($(date +%s%N) - t0) / 1000000 )) ;;
    redis-stop) redis-cli -p "$(cat "$work/redis.port")" shutdown nosave >/dev/null 2>&1 || true ;;
    redis-start) start_redis "$work/redis" "$(cat "$work/redis.port")" ;;
    pg-stop)
      run=(); [ "$(id -u)" = 0 ] && run=(runuser -u postgres --)
      "${run[@]}" "$(pg_bin)/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null ;;
    pg-start)
      run=(); [ "$(id -u)" = 0 ] && run=(runuser -u postgres --)
      "${run[@]}" "$(pg_bin)/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w -t 60 \
        -o "-p $(cat "$work/pg.port") -k $work/pg -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=400" start >/dev/null ;;
    disk-full) mount -t tmpfs -o size=256k tmpfs "$work/data/uploads" ;;
    disk-free) umount "$work/data/uploads" ;;
    *) echo "unknown control command $1" >&2; exit 2 ;;
  esac
  exit $?
fi

ensure_packages postgresql:"$(pg_bin)/initdb" redis-server:redis-server nginx:nginx

work=$(mktemp -d /tmp/switchboard-faults.XXXXXX)
chmod 755 "$work"
mkdir -p artifacts "$work/data/uploads"
export FAULT_WORK=$work
free_port >"$work/pg.port"
free_port >"$work/redis.port"
free_port >"$work/a.port"
free_port >"$work/b.port"
nginx_port=$(free_port)

cleanup() {
  for name in a b; do [ -f "$work/$name.pid" ] && kill -KILL "$(cat "$work/$name.pid")" 2>/dev/null; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  mountpoint -q "$work/data/uploads" && umount "$work/data/uploads"
  stop_redis "$work/redis" "$(cat "$work/redis.port")"
  stop_postgres "$work/pg"
  cp "$work"/instance-*.log "$work/nginx-error.log" artifacts/ 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

if [ -n "${1:-}" ] && [ -f "$1/Switchboard.dll" ]; then
  cp -r "$1" "$work/app"
else
  echo "== Publishing the server"
  dotnet publish src/Switchboard/Switchboard.csproj -c Release -o "$work/app" -nologo -v q || { echo "0 passed, 1 failed"; exit 1; }
fi

echo "== Starting PostgreSQL, Redis, two instances and nginx"
start_postgres "$work/pg" "$(cat "$work/pg.port")" || { echo "PostgreSQL failed to start"; echo "0 passed, 1 failed"; exit 1; }
"$(pg_bin)/createdb" -h 127.0.0.1 -p "$(cat "$work/pg.port")" -U postgres switchboard
start_redis "$work/redis" "$(cat "$work/redis.port")" || { echo "0 passed, 1 failed"; exit 1; }

export Database__Provider=Postgres
export ConnectionStrings__Database="Host=127.0.0.1;Port=$(cat "$work/pg.port");Database=switchboard;Username=postgres"
export Redis__Configuration="127.0.0.1:$(cat "$work/redis.port"),connectTimeout=2000"
export RateLimits__AuthPermitLimit=10000 RateLimits__ChatBurst=10000 RateLimits__ChatPerSecond=10000
Jwt__SigningKey=$(head -c 48 /dev/urandom | base64)
export Jwt__SigningKey
"$0" ctl start a || { echo "0 passed, 1 failed"; exit 1; }
"$0" ctl start b || { echo "0 passed, 1 failed"; exit 1; }
write_nginx_conf "$work" "$nginx_port" "$(cat "$work/a.port")" "$(cat "$work/b.port")"
nginx -c "$work/nginx.conf" -p "$work" || { echo "0 passed, 1 failed"; exit 1; }

echo "== Faults under load (through nginx on $nginx_port)"
BASE_URL="http://127.0.0.1:$nginx_port" CTL="$0" OUT_DIR="$root/artifacts" \
  node --experimental-websocket --no-warnings tests/faults/faults.mjs
status=$?
if [ ! -f artifacts/faults.json ]; then
  echo "the fault client produced no results (exit $status)"
  echo "0 passed, 1 failed"
  exit 1
fi
# Socket URLs carry access tokens (?token=): after killing instances under sockets, nginx's
# error log must still hold none of them.
leaks=$(grep -c 'token=' "$work/nginx-error.log" 2>/dev/null || true)
[ "${leaks:-0}" -gt 0 ] && echo "nginx's error log holds $leaks lines with a token"
node -e 'const r=require("./artifacts/faults.json"); const leak=Number(process.argv[1])>0 ? 1 : 0;
  console.log(`${r.passed + 1 - leak} passed, ${r.failed + leak} failed`); process.exit(r.failed + leak ? 1 : 0)' "${leaks:-0}"
