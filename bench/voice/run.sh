#!/usr/bin/env bash
# The server-side cost of a voice message's check and measurement against a plain 1 MB upload, in
# one short run (under a minute): 5-minute Ogg/Opus, WebM/Opus and MP4/AAC recordings made by
# ffmpeg, each against the same 1 MiB file. Writes bench/results/voice-<time>.txt.
# Usage: bench/voice/run.sh [ROUNDS]   (default 20 rounds of each, twice, alternated)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. scripts/lib.sh
ensure_packages ffmpeg:ffmpeg
rounds=${1:-20}
work=$(mktemp -d /tmp/switchboard-voice-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
ffmpeg -v error -y -f lavfi -i sine=frequency=440:duration=300 -c:a libopus "$work/five.ogg"
ffmpeg -v error -y -f lavfi -i sine=frequency=440:duration=300 -c:a libopus "$work/five.webm"
ffmpeg -v error -y -f lavfi -i sine=frequency=440:duration=300 -c:a aac "$work/five.m4a"
head -c 1048576 /dev/urandom >"$work/plain.bin"
dotnet build bench/voice -c Release -nologo -v q >/dev/null
mkdir -p bench/results
out="bench/results/voice-$(date -u +%Y%m%d-%H%M%S).txt"
{
  echo "# voice upload cost, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  for f in five.ogg five.webm five.m4a; do
    dotnet bench/voice/bin/Release/net10.0/Switchboard.Bench.Voice.dll bench "$work/$f" "$work/plain.bin" "$rounds"
    echo
  done
} | tee "$out"
echo "Results: $out"
