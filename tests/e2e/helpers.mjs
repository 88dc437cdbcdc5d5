// Shared set-up for the browser tests: Debian's Chromium through playwright-core.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import assert from 'node:assert/strict';

export const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:8000').replace(/\/$/, '');
export const ARTIFACTS_DIR = resolve(process.env.ARTIFACTS_DIR ?? './artifacts');
mkdirSync(ARTIFACTS_DIR, { recursive: true });

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A context whose pages fail the test on any request to a host other than the app's. */
export async function newContext(browser, opts = {}) {
  const context = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1280, height: 800 }, ...opts });
  context.setDefaultTimeout(15_000);
  const appOrigin = new URL(BASE_URL).origin;
  const foreign = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const local = url.origin === appOrigin || url.protocol === 'data:' || url.protocol === 'blob:';
    if (!local) {
      foreign.push(url.href);
      return route.abort();
    }
    return route.continue();
  });
  context.foreignRequests = foreign;
  return context;
}

export function uniqueSuffix() {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
}

export async function screenshot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS_DIR, name), fullPage: false });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Servers rate-limit sign-up and sign-in per address (the C# default is 10 a minute). The app
 * shows "Try again in N s"; the tests wait that long and go on rather than fail.
 */
async function waitOutRateLimit(page) {
  const alert = page.getByRole('alert').filter({ hasText: /too many attempts/i });
  if (!(await alert.count())) return false;
  const seconds = Number((await alert.first().innerText()).match(/(\d+)\s*s/)?.[1] ?? 60);
  await sleep(Math.min(seconds + 1, 70) * 1000);
  return true;
}

export async function signUp(page, { username, email, password }) {
  await page.goto('/register');
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.getByRole('button', { name: 'Sign up' }).click();
    const done = page.getByRole('heading', { name: 'Projects' });
    const failed = page.getByRole('alert');
    await done.or(failed).first().waitFor({ timeout: 20_000 });
    if (await done.isVisible()) return;
    if (await page.getByText(/already exists|already taken/i).count()) {
      // The account was made but signing in was rate-limited: sign in now.
      return signIn(page, { username, password }, { expectProjects: true });
    }
    if (!(await waitOutRateLimit(page))) break;
  }
  await page.getByRole('heading', { name: 'Projects' }).waitFor();
}

export async function signIn(page, { username, password }, { expectProjects = false } = {}) {
  await page.goto('/login');
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (!expectProjects) return;
  for (let attempt = 0; attempt < 3; attempt++) {
    const done = page.getByRole('heading', { name: 'Projects' });
    await done.or(page.getByRole('alert')).first().waitFor({ timeout: 20_000 });
    if (await done.isVisible()) return;
    if (!(await waitOutRateLimit(page))) break;
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await page.getByRole('heading', { name: 'Projects' }).waitFor();
}

/** Starts a context already signed in (tokens from the API), sparing the rate-limited sign-in. */
export async function signedInContext(browser, tokens, opts = {}) {
  const context = await newContext(browser, opts);
  await context.addInitScript((pair) => {
    if (!window.localStorage.getItem('switchboard.tokens')) window.localStorage.setItem('switchboard.tokens', JSON.stringify(pair));
  }, { access: tokens.token, refresh: tokens.refresh });
  return context;
}

/** Types into an Ant Design select (by its accessible name) and picks the option showing `text`. */
export async function chooseOption(page, scope, comboboxName, search, optionText = search) {
  const box = scope.getByRole('combobox', { name: comboboxName });
  await box.click();
  if (search) await box.fill(search);
  // Ant Design renders the visible options outside the combobox, in a popup on the page.
  const option = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: optionText }).first();
  await option.waitFor({ state: 'visible' });
  await option.click();
}

let crcTable;
function crc32(buf) {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const b of buf) crc = crcTable[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A real PNG (solid colour, RGB) made in memory, so uploads pass a server's byte sniffing. */
export function makePng(width = 16, height = 16, rgb = [220, 40, 60]) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Calls the API directly (for test set-up that is not what the test is about). */
export async function rest(path, { token, body, method } = {}) {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${BASE_URL}${path}`, {
      method: method ?? (body ? 'POST' : 'GET'),
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (res.status === 429 && attempt < 3) {
      await sleep(Math.min(Number(res.headers.get('retry-after') ?? 30) + 1, 70) * 1000);
      continue;
    }
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? null : res.json();
  }
}

/** Registers a user over the API and returns {user, token}. */
export async function apiUser(prefix, id) {
  const creds = { username: `${prefix}_${id}`, email: `${prefix}_${id}@example.test`, password: `${prefix}-pass-123` };
  const user = await rest('/api/auth/register/', { body: creds });
  const { access, refresh } = await rest('/api/auth/token/', { body: { username: creds.username, password: creds.password } });
  return { ...creds, user, token: access, refresh };
}

/** A project key of its own for this run: `prefix` and the last six letters or digits of `id`. */
export function projectKey(prefix, id) {
  return `${prefix}${id.replace(/[^a-z0-9]/gi, '').slice(-6).toUpperCase()}`;
}

/**
 * Two people over the API: the first owns a project the second is a member of, and a room of that
 * project with both in it: a group room named `roomName`, or their direct room when `roomName` is
 * left out. `names` are the two users' prefixes. Returns {owner, member, project, room}.
 */
export async function twoInARoom(id, { names: [ownerName, memberName], key, projectName, roomName }) {
  const [owner, member] = await Promise.all([apiUser(ownerName, id), apiUser(memberName, id)]);
  const project = await rest('/api/projects/', { token: owner.token, body: { key, name: projectName } });
  await rest(`/api/projects/${project.id}/members/`, { token: owner.token, body: { user_id: member.user.id, role: 'member' } });
  const kind = roomName === undefined ? { type: 'direct' } : { type: 'group', name: roomName };
  const room = await rest('/api/chat/rooms/', { token: owner.token, body: { ...kind, project: project.id, participant_ids: [member.user.id] } });
  return { owner, member, project, room };
}

/** axe on the page (or the part `include` selects): WCAG 2.1 A and AA, serious and critical findings fail. */
export async function axe(page, include) {
  // A dialog that is still fading in has text at part opacity, which axe rightly counts as low
  // contrast: check the page once its animations have finished.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity));
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 4).join(' | ')}`),
    [],
  );
}
