#!/usr/bin/env bash
# Builds the single download: one self-contained file per platform with the .NET runtime and the
# web app inside, into dist/<rid>/switchboard (switchboard.exe on Windows). No .NET needed to run it.
#
#   scripts/package.sh                      linux-x64 linux-arm64 osx-arm64 win-x64
#   RIDS="linux-x64" scripts/package.sh     only some
#   SKIP_WEB=1 scripts/package.sh           the web app is already built into src/Switchboard/wwwroot
#   scripts/package.sh --check              also starts the linux-x64 build on a free port: --help,
#                                           time to the first 200, the web app served; prints
#                                           "N passed, M failed"
#
# The web app and appsettings.json travel inside the file and are unpacked on first start under
# DOTNET_BUNDLE_EXTRACT_BASE_DIR (default ~/.net): give a service without a home that variable.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

check=""
[ "${1:-}" = "--check" ] && check=1
rids=${RIDS:-linux-x64 linux-arm64 osx-arm64 win-x64}

if [ -z "${SKIP_WEB:-}" ] && [ -f web/package.json ]; then
  echo "== Building the web app"
  (cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run build --silent) || exit 1
fi

built=()
failed_rids=()
for rid in $rids; do
  echo "== $rid"
  out="dist/$rid"
  rm -rf "$out"
  # ReadyToRun as scripts/run.sh builds it: the app and its libraries start precompiled instead of
  # being compiled at every start (docs/decisions/1410-start-up-profile.md).
  if dotnet publish src/Switchboard/Switchboard.csproj -c Release -r "$rid" --self-contained true -nologo -v q \
      -p:PublishReadyToRun=true -p:PublishSingleFile=true -p:IncludeAllContentForSelfExtract=true -p:StaticWebAssetsEnabled=false -p:DebugType=none -o "$out"; then
    exe=Switchboard; name=switchboard
    case "$rid" in win-*) exe=Switchboard.exe; name=switchboard.exe ;; esac
    mv "$out/$exe" "$out/$name"
    ls -l "$out"
    built+=("$rid")
  else
    # Cross-platform builds need that platform's runtime packs from NuGet
    # (Microsoft.NETCore.App.Runtime.<rid>, Microsoft.AspNetCore.App.Runtime.<rid>, Microsoft.NETCore.App.Host.<rid>).
    echo "FAILED: $rid (see above: a runtime pack that did not restore names itself there)"
    failed_rids+=("$rid")
  fi
done
echo "Built: ${built[*]:-none}. Failed: ${failed_rids[*]:-none}."

[ -z "$check" ] && { [ ${#failed_rids[@]} -eq 0 ]; exit $?; }

# --check: the linux-x64 file answers on a free port, on the embedded default, from an empty folder.
passed=0; failed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }
bin="$root/dist/linux-x64/switchboard"
if [ ! -x "$bin" ]; then
  fail "dist/linux-x64/switchboard was built"
  echo "$passed passed, $failed failed"; exit 1
fi
work=$(mktemp -d /tmp/switchboard-package.XXXXXX)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
export DOTNET_BUNDLE_EXTRACT_BASE_DIR="$work/extract"

help=$("$bin" --help)
if grep -q "switchboard backup <dir>" <<<"$help" && grep -q "Metrics:Enabled" <<<"$help"; then ok "--help lists the commands and configuration"; else fail "--help lists the commands and configuration"; fi

# Sets port, ms (start to first 200) and pid.
measure_start() {
  local t0
  port=$(free_port)
  rm -rf "$work/data"; mkdir -p "$work/data"
  t0=$(date +%s%N)
  (cd "$work/data" && exec "$bin" --urls "http://127.0.0.1:$port" --DataDir "$work/data" >"$work/server.log" 2>&1) &
  pid=$!
  for _ in $(seq 1 1200); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready" && break
    sleep 0.01
  done
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}
# The first start also unpacks the bundle; the second is what every later start costs.
measure_start
if curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; then ok "first start (unpacking included) answers 200 after ${ms} ms"; else fail "first start answers"; cat "$work/server.log"; fi
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
measure_start
if curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; then ok "start to first 200: ${ms} ms"; else fail "second start answers"; fi
if [ -f src/Switchboard/wwwroot/index.html ]; then
  if curl -sf "http://127.0.0.1:$port/" | grep -qi "<html"; then ok "the web app is served from inside the file"; else fail "the web app is served from inside the file"; fi
fi
if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/auth/me/")" = 401 ]; then
  ok "the API answers (401 without a token)"
else
  fail "the API answers (401 without a token)"
fi
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=""
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
