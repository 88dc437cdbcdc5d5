// Times the real message list rendering 200 Markdown-heavy vs 200 plain messages in headless
// Chromium, in the same run. Usage: bench/web-render/run.sh (builds, then runs this).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// playwright-core comes from the browser tests' packages (tests/e2e).
const { chromium } = createRequire(new URL('../../tests/e2e/package.json', import.meta.url))('playwright-core');

const dist = fileURLToPath(new URL('./dist', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 9);
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
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url);
  await page.waitForFunction(() => 'runBench' in window);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const fmt = (x) => `${x.toFixed(1)} ms`;
  for (const [mode, title] of [
    ['all', 'every MessageItem mounted (the cost of the messages themselves, as an unvirtualized list pays it)'],
    ['list', 'the real MessageList (virtualized: mounts what the 800 px pane shows)'],
  ]) {
    const out = await page.evaluate(([runs, m]) => window.runBench(runs, m), [RUNS, mode]);
    const p = median(out.plain.map((r) => r.painted));
    const m = median(out.markdown.map((r) => r.painted));
    const h = median(out.markdown.map((r) => r.highlighted));
    console.log(`200 messages, median of ${RUNS} alternating runs, ${title}:`);
    console.log(`  plain:                   ${fmt(p)}   (${out.plain[0].mounted} messages mounted)`);
    console.log(`  Markdown-heavy:          ${fmt(m)}   (${(m / p).toFixed(2)}x plain; ${out.markdown[0].mounted} mounted)`);
    console.log(`  Markdown, code coloured: ${fmt(h)}   (${(h / p).toFixed(2)}x plain)`);
  }
} finally {
  await browser.close();
  server.close();
}
