// Scrolling a 5,000-message room in headless Chromium: frame times and long tasks while the list
// scrolls up a fixed distance, plus mount and append times. Usage: bench/web-render/run.sh scroll
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const { chromium } = createRequire(new URL('../../tests/e2e/package.json', import.meta.url))('playwright-core');

const dist = fileURLToPath(new URL('./dist', import.meta.url));
const COUNT = Number(process.env.COUNT ?? 5000);
const FRAMES = Number(process.env.FRAMES ?? 300);
const STEP = Number(process.env.STEP ?? 200);
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
const server = createServer(async (req, res) => {
  try {
    const path = req.url === '/' ? '/index.html' : req.url.split('?')[0];
    const body = await readFile(join(dist, path));
    res.writeHead(200, { 'Content-Type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => 'runScroll' in window);
  const fmt = (x) => `${x.toFixed(1)} ms`;
  console.log(`${COUNT} messages (1 in 10 Markdown-heavy), scrolled up ${STEP} px a frame for ${FRAMES} frames, in one page:`);
  for (const [mode, title] of [
    ['all', 'every row mounted (the list before virtualization)'],
    ['list', 'the real MessageList (virtualized)'],
  ]) {
    const r = await page.evaluate(([c, f, s, m]) => window.runScroll(c, f, s, m), [COUNT, FRAMES, STEP, mode]);
    const sorted = [...r.times].sort((a, b) => a - b);
    const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    const total = r.times.reduce((a, b) => a + b, 0);
    console.log(`${title}:`);
    console.log(`  mount at the bottom:     ${fmt(r.mount)}`);
    console.log(`  frame time p50/p95/max:  ${fmt(q(0.5))} / ${fmt(q(0.95))} / ${fmt(sorted[sorted.length - 1])}`);
    console.log(`  frames over 50 ms:       ${r.times.filter((t) => t > 50).length} of ${FRAMES}`);
    console.log(`  long tasks:              ${r.longTasks.length}, ${fmt(r.longTasks.reduce((a, b) => a + b, 0))} in all`);
    console.log(`  whole scroll:            ${fmt(total)} (${(FRAMES / (total / 1000)).toFixed(1)} frames/s, ${Math.round(r.travelled)} px)`);
    console.log(`  append one message:      ${fmt(r.append)}`);
    console.log(`  DOM elements afterwards: ${r.domNodes}`);
  }
} finally {
  await browser.close();
  server.close();
}
