#!/usr/bin/env bash
# Message rendering cost in headless Chromium: 200 Markdown-heavy vs 200 plain messages.
# `run.sh scroll`: scrolling a 5,000-message room instead (frame times, long tasks).
# Needs Debian's chromium (apt-get install -y chromium) and about 30 s.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
(cd "$root/web" && [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error)
(cd "$root/tests/e2e" && [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error)
# Built with the web app's own Vite and packages (run from web/, and linked here for main.tsx).
ln -sfn "$root/web/node_modules" "$root/bench/web-render/node_modules"
(cd "$root/web" && B="$root/bench/web-render" node --input-type=module -e "
  import { build } from 'vite';
  import react from '@vitejs/plugin-react';
  const b = process.env.B;
  await build({ root: b, logLevel: 'warn', plugins: [react()], resolve: { alias: { '@': process.cwd() + '/src' } },
    build: { outDir: b + '/dist', emptyOutDir: true } });
")
if [ "${1:-}" = scroll ]; then
  node "$root/bench/web-render/scroll.mjs" | tee "$root/bench/results/web-scroll-$(date -u +%Y%m%d-%H%M%S).txt"
else
  node "$root/bench/web-render/run.mjs" | tee "$root/bench/results/web-render-$(date -u +%Y%m%d-%H%M%S).txt"
fi
