#!/usr/bin/env bash
# Starts a two-instance Switchboard cluster on this machine to try scale-out: PostgreSQL, Redis,
# two server instances (ports 8001 and 8002) and nginx in front on http://127.0.0.1:8080.
# Ctrl+C (or SIGTERM) stops everything it started. Installs postgresql, redis-server and nginx
# from Debian packages when missing (as root).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib.sh

ensure_packages postgresql:"$(pg_bin)/initdb" redis-server:redis-server nginx:nginx

work=$(mktemp -d /tmp/switchboard-cluster.XXXXXX)
chmod 755 "$work"
pg_port=$(free_port)
redis_port=$(free_port)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  stop_redis "$work/redis" "$redis_port"
  stop_postgres "$work/pg"
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "Starting PostgreSQL on $pg_port and Redis on $redis_port..."
start_postgres "$work/pg" "$pg_port"
"$(pg_bin)/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres switchboard
start_redis "$work/redis" "$redis_port"

if [ -f web/package.json ]; then
  (cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run build --silent)
fi
dotnet publish src/Switchboard/Switchboard.csproj -c Release -o "$work/app" -nologo -v q

export Database__Provider=Postgres
export ConnectionStrings__Database="Host=127.0.0.1;Port=$pg_port;Database=switchboard;Username=postgres"
export Redis__Configuration="127.0.0.1:$redis_port"
export Jwt__SigningKey
Jwt__SigningKey=$(head -c 48 /dev/urandom | base64)
mkdir -p "$work/shared-data"
for port in 8001 8002; do
  (cd "$work/shared-data" && exec dotnet "$work/app/Switchboard.dll" --urls "http://127.0.0.1:$port" --DataDir "$work/shared-data" \
     >"$work/instance-$port.log" 2>&1) &
  pids+=($!)
done
for port in 8001 8002; do
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.2; done
done

write_nginx_conf "$work" 8080 8001 8002
nginx -c "$work/nginx.conf" -p "$work"
echo "Switchboard cluster: http://127.0.0.1:8080 (instances on 8001 and 8002, logs in $work). Ctrl+C to stop."
wait "${pids[@]}"
