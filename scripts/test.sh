#!/usr/bin/env bash
# Runs every test of the project: the API integration tests on SQLite and on a real PostgreSQL
# (with a real Redis, and a three-shard Redis Cluster for sharded fan-out), the web app's unit tests, a lint of the OpenAPI document, and the browser
# tests against the real server.
# Installs PostgreSQL, Redis and Chromium from Debian packages when missing (as root), starts
# throwaway servers on free ports, stops them on exit, and ends with "N passed, M failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

work=$(mktemp -d /tmp/switchboard-test.XXXXXX)
chmod 755 "$work"
mkdir -p artifacts
pg_port=$(free_port)
redis_port=$(free_port)
cluster_ports=("$(free_cluster_port)" "$(free_cluster_port)" "$(free_cluster_port)")
server_pid=""

cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  stop_postgres "$work/pg"
  stop_redis "$work/redis" "$redis_port"
  stop_turnserver "$work/turn"
  stop_redis_cluster "$work/redis-cluster" "${cluster_ports[@]}"
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

passed=0
failed=0
add_counts() { passed=$((passed + $1)); failed=$((failed + $2)); }

ensure_packages postgresql:"$(pg_bin)/initdb" redis-server:redis-server chromium:chromium fonts-noto-color-emoji:/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf python3-aiosmtpd:/usr/lib/python3/dist-packages/aiosmtpd ffmpeg:ffmpeg coturn:turnserver

echo "== Starting PostgreSQL on $pg_port and Redis on $redis_port"
start_postgres "$work/pg" "$pg_port" || { echo "PostgreSQL failed to start"; cat "$work/pg/"*.log; exit 1; }
start_redis "$work/redis" "$redis_port" || exit 1
echo "== Starting a three-shard Redis Cluster on ${cluster_ports[*]}"
start_redis_cluster "$work/redis-cluster" "${cluster_ports[@]}" || exit 1
export SWITCHBOARD_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres"
export SWITCHBOARD_TEST_REDIS="127.0.0.1:$redis_port"
SWITCHBOARD_TEST_REDIS_CLUSTER=$(printf '127.0.0.1:%s,' "${cluster_ports[@]}")
export SWITCHBOARD_TEST_REDIS_CLUSTER=${SWITCHBOARD_TEST_REDIS_CLUSTER%,}

echo "== API integration tests (SQLite and PostgreSQL)"
results="$work/results"
dotnet test tests/Switchboard.Tests/Switchboard.Tests.csproj -nologo \
  --logger "trx;LogFileName=api.trx" --results-directory "$results" \
  --logger "console;verbosity=minimal"
trx=$(ls "$results"/*.trx 2>/dev/null | head -1)
if [ -n "$trx" ]; then
  cp "$trx" artifacts/api-tests.trx
  counts=$(python3 - "$trx" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<Counters [^>]*', text)
get = lambda k: int(re.search(k + r'="(\d+)"', m.group(0)).group(1)) if m and re.search(k + r'="(\d+)"', m.group(0)) else 0
print(get("passed"), get("failed") + get("error") + get("timeout") + get("aborted"))
PY
)
  add_counts $counts
  echo "API tests: ${counts% *} passed, ${counts#* } failed"
else
  echo "API tests produced no results: counted as a failure"
  add_counts 0 1
fi

if [ -f web/package.json ]; then
  echo "== Web app unit tests (Vitest)"
  (cd web && npm ci --no-audit --no-fund --loglevel=error) || add_counts 0 1
  (cd web && npx vitest run --reporter=default --reporter=json --outputFile=.tmp/vitest.json)
  if [ -f web/.tmp/vitest.json ]; then
    counts=$(node -e 'const r=require("./web/.tmp/vitest.json"); console.log(r.numPassedTests, r.numFailedTests + (r.success||r.numFailedTests ? 0 : 1))')
    add_counts $counts
    echo "Web unit tests: ${counts% *} passed, ${counts#* } failed"
  else
    add_counts 0 1
  fi
fi

if [ -d tests/e2e ] && [ -f tests/e2e/package.json ] && [ -f web/package.json ]; then
  echo "== Browser tests (Playwright, headless Chromium) against the real server on the embedded default"
  (cd web && npm run build --silent) || add_counts 0 1
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error) || add_counts 0 1
  dotnet publish src/Switchboard/Switchboard.csproj -c Release -o "$work/app" -nologo -v q || add_counts 0 1
  app_port=$(free_port)
  # A real coturn with a shared secret: the browser test forces a call through it (TURN only).
  turn_port=$(free_port)
  turn_secret=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  turn_url=""
  if start_turnserver "$work/turn" "$turn_port" "$turn_secret"; then
    turn_url="turn:127.0.0.1:$turn_port?transport=udp"
  else
    cat "$work/turn/turnserver.log"
  fi
  mkdir -p "$work/e2e-data"
  (cd "$work/e2e-data" && exec dotnet "$work/app/Switchboard.dll" --urls "http://127.0.0.1:$app_port" \
      --DataDir "$work/e2e-data" --RateLimits:AuthPermitLimit 1000 \
      ${turn_url:+--Calls:TurnUrls:0 "$turn_url" --Calls:TurnSecret "$turn_secret"} >"$root/artifacts/e2e-server.log" 2>&1) &
  server_pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$app_port/health/ready" >/dev/null && break; sleep 0.2; done

  echo "== OpenAPI document: Redocly lint (recommended rules; errors fail, warnings are listed)"
  if curl -sf "http://127.0.0.1:$app_port/openapi/v1.json" -o artifacts/openapi.json \
      && (cd tests/openapi && npm ci --no-audit --no-fund --loglevel=error \
          && REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true npx redocly lint --config redocly.yaml "$root/artifacts/openapi.json" --format=summary); then
    add_counts 1 0
    echo "OpenAPI lint: 1 passed, 0 failed"
  else
    add_counts 0 1
    echo "OpenAPI lint: 0 passed, 1 failed"
  fi
  BASE_URL="http://127.0.0.1:$app_port" ARTIFACTS_DIR="$root/artifacts" TURN_URL="$turn_url" \
    node --test --test-reporter=tap --test-reporter-destination="$work/e2e.tap" --test-reporter=spec --test-reporter-destination=stdout tests/e2e/
  e2e_pass=$(grep -E '^# pass ' "$work/e2e.tap" | awk '{print $3}')
  e2e_fail=$(grep -E '^# fail ' "$work/e2e.tap" | awk '{print $3}')
  if [ -z "$e2e_pass" ]; then e2e_pass=0; e2e_fail=1; fi
  add_counts "$e2e_pass" "${e2e_fail:-0}"
  echo "Browser tests: $e2e_pass passed, ${e2e_fail:-0} failed"
  kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; server_pid=""
  # What coturn saw (ALLOCATE ... success for the TURN-only call): kept for whoever reads the run.
  cp "$work/turn/turnserver.log" artifacts/coturn.log 2>/dev/null || true
fi

# Stages that print their own "N passed, M failed" last line.
run_counted() {
  local name=$1 log="$work/$2.log"
  shift 2
  echo "== $name"
  "$@" 2>&1 | tee "$log"
  local counts
  counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
  if [ -n "$counts" ]; then
    add_counts "$(echo "$counts" | awk '{print $1}')" "$(echo "$counts" | awk '{print $3}')"
  else
    echo "$name produced no counts: counted as a failure"
    add_counts 0 1
  fi
}
# Fault tests: nginx, two instances, PostgreSQL, Redis, clients sending while faults are injected
# (reuses the build published for the browser tests).
run_counted "Fault tests (SIGKILL, SIGTERM, Redis and PostgreSQL restarts, full disk)" faults tests/faults/run.sh "$work/app"
# The single-file linux-x64 download starts on a free port and answers.
run_counted "Package (linux-x64 single file)" package env RIDS=linux-x64 SKIP_WEB=1 scripts/package.sh --check

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
