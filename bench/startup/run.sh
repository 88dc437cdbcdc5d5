#!/usr/bin/env bash
# Start-up: wall time from launching the process to its first 200, for the server on the embedded
# default (an existing data folder, as after a restart; and a fresh one) and for an empty ASP.NET
# Core app published the same way (ReadyToRun), taking turns so that both see the same machine.
# RUNS=5 by default. Prints medians and the ratio server / bare; about a minute after publishing.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. scripts/lib.sh
runs=${RUNS:-5}
work=$(mktemp -d /tmp/switchboard-startup.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "== Publishing the server and the bare app (Release, ReadyToRun)"
publish_server "$work/server"
rid=$(dotnet --info 2>/dev/null | awk '/^ *RID:/ {print $2; exit}')
dotnet publish bench/startup/bare/Switchboard.Bench.Bare.csproj -c Release -o "$work/bare" -nologo -v q \
  ${rid:+-r "$rid" --self-contained false -p:PublishReadyToRun=true}

# first_200 NAME DIR DLL ARGS...: milliseconds from exec to the first 200 of /health/live.
first_200() {
  local dir=$1 dll=$2 port start pid ms
  shift 2
  port=$(free_port)
  start=$(date +%s%N)
  (cd "$dir" && MALLOC_ARENA_MAX=2 exec dotnet "$dll" --urls "http://127.0.0.1:$port" "$@" >/dev/null 2>&1) &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health/live"; do sleep 0.01; done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$ms"
}

mkdir -p "$work/data"
# One start creates the database (migrations); the measured "restart" runs reuse it.
first_200 "$work/data" "$work/server/Switchboard.dll" --DataDir "$work/data" >/dev/null
server=() fresh=() bare=()
for i in $(seq 1 "$runs"); do
  bare+=("$(first_200 "$work" "$work/bare/Switchboard.Bench.Bare.dll")")
  server+=("$(first_200 "$work/data" "$work/server/Switchboard.dll" --DataDir "$work/data")")
  rm -rf "$work/fresh"; mkdir -p "$work/fresh"
  fresh+=("$(first_200 "$work/fresh" "$work/server/Switchboard.dll" --DataDir "$work/fresh")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
b=$(median "${bare[@]}"); s=$(median "${server[@]}"); f=$(median "${fresh[@]}")
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bare ASP.NET Core:           ${bare[*]} ms (median $b)"
echo "server, restart (SQLite):    ${server[*]} ms (median $s)"
echo "server, fresh data folder:   ${fresh[*]} ms (median $f)"
awk -v s="$s" -v f="$f" -v b="$b" 'BEGIN { printf "ratio server / bare: restart %.2fx, fresh %.2fx\n", s / b, f / b }'
