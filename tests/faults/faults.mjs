// Clients that chat all the time through nginx while faults are injected one after another (by
// tests/faults/run.sh's control commands). Each client behaves as the web app does: it sends with
// a client_id, treats its own message_new as the acknowledgement, resends what was not
// acknowledged (same client_id), and on any close reconnects and catches up with ?after=.
// At the end every acknowledged message must exist exactly once and have reached every client.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync, mkdirSync } from 'node:fs';

const BASE = process.env.BASE_URL;
const CTL = process.env.CTL;
const OUT = process.env.OUT_DIR ?? 'artifacts';
const CLIENTS = 6;
const SEND_EVERY_MS = 300; // per client: 6 clients => about 20 messages/s
const RESEND_AFTER_MS = 3000;
const MAX_PENDING = 5;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();

const counters = { sends: 0, resends: 0, acks: 0, errors: {}, closes: {}, reconnects: 0, catchUps: 0, rest: {} };
const bump = (map, key) => { map[key] = (map[key] ?? 0) + 1; };
// Which fault was under way when each client_id was first sent, to attribute any loss to it.
let phase = 'warm-up';
const phaseOf = new Map();

async function api(method, path, token, body) {
  const started = now();
  let res;
  try {
    res = await fetch(BASE + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(60000),
    });
  } catch (e) {
    bump(counters.rest, 'network');
    return { status: 0, ms: now() - started, json: null, headers: new Headers() };
  }
  bump(counters.rest, res.status);
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: res.status, ms: now() - started, json, headers: res.headers };
}

// Asynchronous, so that the clients keep running (and answer close frames) while a fault is injected.
async function ctl(...args) {
  const started = now();
  const { stdout } = await promisify(execFile)(CTL, ['ctl', ...args], { encoding: 'utf8' });
  console.log(`  ctl ${args.join(' ')}: ${Math.round(now() - started)} ms`);
  return stdout.trim();
}
const DEBUG = !!process.env.FAULTS_DEBUG;
const t0 = now();
const debug = (...a) => { if (DEBUG) console.log(`[${Math.round(now() - t0)}]`, ...a); };

class Client {
  constructor(name, user, token, roomId) {
    Object.assign(this, { name, user, token, roomId });
    this.received = new Set(); // message ids seen live or by catch-up
    this.lastId = 0;
    this.pending = new Map(); // client_id -> { content, sentAt, firstSentAt }
    this.acked = new Map(); // client_id -> message id
    this.seq = 0;
    this.ws = null;
    this.open = false;
    this.stopped = false;
    this.probes = new Map(); // content -> resolve
  }

  connect() {
    const url = BASE.replace(/^http/, 'ws') + `/ws/chat/${this.roomId}/?token=${encodeURIComponent(this.token)}`;
    const ws = new WebSocket(url);
    this.ws = ws;
    debug(this.name, 'connecting');
    // A handshake that hangs (an instance going away mid-handshake) is given up and retried.
    // (Node's WebSocket fires no close event for a socket closed while connecting: start over here.)
    const handshake = setTimeout(() => {
      if (ws.readyState !== 0) return;
      debug(this.name, 'handshake timeout');
      ws.onopen = ws.onclose = ws.onmessage = ws.onerror = null;
      try { ws.close(); } catch { /* already failing */ }
      bump(counters.closes, 'handshake timeout');
      counters.reconnects++;
      if (!this.stopped) this.connect();
    }, 10000);
    ws.onopen = async () => {
      clearTimeout(handshake);
      debug(this.name, 'open');
      this.open = true;
      // Subscribed before the handshake completed: catching up from the last id seen before this
      // socket opened leaves no gap. The cursor is taken now, since live frames move lastId on.
      const cursor = this.lastId;
      while (!this.stopped && ws === this.ws && !(await this.catchUp(cursor))) await sleep(500);
      // Ids are taken at insert, not at commit: a message committed just after a higher id was seen
      // is below the cursor. The newest page (what a chat view shows anyway) fills that gap.
      const newest = await api('GET', `/api/chat/messages/?room=${this.roomId}&page_size=200`, this.token);
      if (newest.status === 200) for (const m of newest.json.results) this.see(m, m.client_id);
      for (const [clientId, p] of this.pending) this.sendFrame(clientId, p.content, true);
    };
    ws.onmessage = (ev) => this.onFrame(JSON.parse(ev.data));
    ws.onclose = (ev) => {
      clearTimeout(handshake);
      debug(this.name, 'close', ev.code);
      this.open = false;
      bump(counters.closes, ev.code);
      if (this.stopped) return;
      counters.reconnects++;
      setTimeout(() => this.connect(), 100 + Math.random() * 400);
    };
    ws.onerror = () => { /* onclose follows */ };
  }

  async catchUp(cursor) {
    counters.catchUps++;
    let path = `/api/chat/messages/?room=${this.roomId}&after=${cursor}&page_size=200`;
    while (path) {
      const r = await api('GET', path, this.token);
      if (r.status !== 200) return false; // tried again from the same cursor
      for (const m of r.json.results) this.see(m, m.client_id);
      path = r.json.next ? r.json.next.replace(/^https?:\/\/[^/]+/, '') : null;
    }
    return true;
  }

  see(message, clientId) {
    this.received.add(message.id);
    if (message.id > this.lastId) this.lastId = message.id;
    if (message.user?.id === this.user && clientId && this.pending.has(clientId)) {
      this.pending.delete(clientId);
      this.acked.set(clientId, message.id);
      counters.acks++;
    }
    const probe = this.probes.get(message.content);
    if (probe) { this.probes.delete(message.content); probe(); }
  }

  onFrame(frame) {
    if (frame.type === 'message_new') this.see(frame.message, frame.client_id);
    else if (frame.type === 'error') bump(counters.errors, frame.code);
  }

  sendFrame(clientId, content, resend = false) {
    if (!this.open || this.ws.readyState !== 1) return;
    try {
      this.ws.send(JSON.stringify({ type: 'message_send', content, client_id: clientId }));
      if (resend) counters.resends++;
      const p = this.pending.get(clientId);
      if (p) p.sentAt = now();
    } catch { /* closing: the reconnect resends */ }
  }

  tick() {
    if (this.stopped) return;
    // A person waits for their messages to go through: at most a few unacknowledged at a time.
    if (this.open && this.pending.size < MAX_PENDING) {
      const clientId = `${this.name}-${++this.seq}`;
      const content = `${clientId} says hello`;
      this.pending.set(clientId, { content, sentAt: now(), firstSentAt: now() });
      phaseOf.set(clientId, phase);
      counters.sends++;
      this.sendFrame(clientId, content);
    }
    for (const [clientId, p] of this.pending) {
      if (now() - p.sentAt > RESEND_AFTER_MS) this.sendFrame(clientId, p.content, true);
    }
  }

  waitFor(content, ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.probes.delete(content); resolve(false); }, ms);
      this.probes.set(content, () => { clearTimeout(timer); resolve(true); });
    });
  }
}

async function register(name) {
  const username = `${name}_${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
  const password = 'Fault-test-pw-1234';
  const reg = await api('POST', '/api/auth/register/', null, { username, email: `${username}@example.com`, password });
  if (reg.status !== 201) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.json)}`);
  const tok = await api('POST', '/api/auth/token/', null, { username, password });
  return { id: reg.json.id, token: tok.json.access };
}

const results = { passed: 0, failed: 0, checks: [], faults: [] };
function check(name, ok, detail) {
  results.checks.push({ name, ok: !!ok, detail });
  if (ok) results.passed++; else results.failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` (${detail})` : ''}`);
}

// A probe: one REST send by the owner, retried until it is stored, then seen live by every client.
// Its time from the fault is the time to recover; failed attempts are recorded with their status.
async function probe(owner, clients, label, started, limitMs = 60000) {
  const failures = [];
  let attempt = 0;
  while (now() - started < limitMs) {
    const content = `probe ${label} ${++attempt}`;
    const waits = clients.map((c) => c.waitFor(content, 4000));
    const r = await api('POST', '/api/chat/messages/', owner.token, { room: owner.roomId, content, type: 'text', client_id: `probe-${label}-${attempt}` });
    if (r.status !== 201) {
      failures.push({ status: r.status, ms: Math.round(r.ms), atMs: Math.round(now() - started), retryAfter: r.headers.get('retry-after') });
      clients.forEach((c) => c.probes.delete(content));
      await sleep(200);
      continue;
    }
    if ((await Promise.all(waits)).every(Boolean)) return { recoveredMs: Math.round(now() - started), failures };
  }
  return { recoveredMs: null, failures };
}

function snapshot(clients) {
  return {
    ...JSON.parse(JSON.stringify(counters)),
    inFlight: clients.reduce((n, c) => n + c.pending.size, 0),
  };
}

function diff(before, after) {
  const d = {};
  for (const k of ['sends', 'resends', 'acks', 'reconnects', 'catchUps']) d[k] = after[k] - before[k];
  for (const k of ['errors', 'closes', 'rest']) {
    d[k] = {};
    for (const [key, v] of Object.entries(after[k])) if (v - (before[k][key] ?? 0)) d[k][key] = v - (before[k][key] ?? 0);
  }
  return d;
}

async function main() {
  const ownerUser = await register('owner');
  const users = [];
  for (let i = 0; i < CLIENTS; i++) users.push(await register(`c${i}`));
  const project = await api('POST', '/api/projects/', ownerUser.token, { key: `F${Date.now().toString(36).toUpperCase().slice(-6)}`, name: 'Faults' });
  for (const u of users) await api('POST', `/api/projects/${project.json.id}/members/`, ownerUser.token, { user_id: u.id, role: 'member' });
  const room = await api('POST', '/api/chat/rooms/', ownerUser.token, { name: 'faults', type: 'group', project: project.json.id, participant_ids: users.map((u) => u.id) });
  const roomId = room.json.id;
  const owner = { token: ownerUser.token, roomId };

  // Pagination links keep nginx's port (Host is forwarded with it).
  const page = await api('GET', `/api/projects/${project.json.id}/members/?page_size=1`, ownerUser.token);
  const port = new URL(BASE).port;
  check('pagination links through nginx keep the port', page.json?.next?.includes(`:${port}/`), page.json?.next);

  const clients = users.map((u, i) => new Client(`c${i}`, u.id, u.token, roomId));
  clients.forEach((c) => c.connect());
  await sleep(1000);
  const ticker = setInterval(() => clients.forEach((c) => c.tick()), SEND_EVERY_MS);
  await sleep(3000);

  async function fault(name, inject, restore, extraChecks) {
    const before = snapshot(clients);
    phase = name;
    const started = now();
    let info = {};
    try {
      info = (await inject()) ?? {};
    } catch (e) {
      check(`${name}: the fault could be injected`, false, String(e).split('\n')[0]);
    }
    const recovery = await probe(owner, clients, name.replace(/\W+/g, '-'), started);
    try {
      if (restore) await restore();
    } catch (e) {
      check(`${name}: restored afterwards`, false, String(e).split('\n')[0]);
    }
    await sleep(1500);
    phase = `after ${name}`;
    const after = snapshot(clients);
    const entry = { name, inFlightAtFault: before.inFlight, ...info, recoveredMs: recovery.recoveredMs, probeFailures: recovery.failures, during: diff(before, after) };
    results.faults.push(entry);
    check(`${name}: service recovers for every client`, recovery.recoveredMs !== null, `${recovery.recoveredMs} ms`);
    check(`${name}: no 500 answer`, !after.rest[500] || after.rest[500] === before.rest[500], JSON.stringify(entry.during.rest));
    extraChecks?.(entry);
  }

  await fault('SIGKILL of instance a', async () => { await ctl('kill9', 'a'); }, () => ctl('start', 'a'), (e) => {
    check('SIGKILL: clients on the killed instance reconnected', (e.during.closes[1006] ?? 0) > 0, JSON.stringify(e.during.closes));
  });

  await fault('SIGTERM of instance b', async () => ({ exitMs: Number(await ctl('term', 'b')) }), () => ctl('start', 'b'), (e) => {
    check('SIGTERM: sockets closed with 1001', (e.during.closes[1001] ?? 0) > 0 && !e.during.closes[1006], JSON.stringify(e.during.closes));
    check('SIGTERM: exits within 10 s', e.exitMs < 10000, `${e.exitMs} ms`);
    check('SIGTERM: no request failed', e.probeFailures.length === 0 && !e.during.rest[502] && !e.during.rest[0], JSON.stringify(e.during.rest));
  });

  await fault('Redis restart', async () => { await ctl('redis-stop'); await sleep(3000); await ctl('redis-start'); }, null, (e) => {
    check('Redis: sockets told to catch up (1012)', (e.during.closes[1012] ?? 0) > 0, JSON.stringify(e.during.closes));
  });

  let readyDuringPg = null;
  await fault('PostgreSQL restart', async () => {
    await ctl('pg-stop');
    const ready = await fetch(BASE + '/health/ready').catch(() => null);
    readyDuringPg = ready?.status ?? 0;
    const t = now();
    const during = [];
    while (now() - t < 3000) { during.push(await api('GET', `/api/chat/messages/?room=${roomId}`, ownerUser.token)); await sleep(100); }
    await ctl('pg-start');
    return {
      readyWhileDown: readyDuringPg,
      requestsWhileDown: during.length,
      statusesWhileDown: [...new Set(during.map((r) => r.status))],
      slowestFailureMs: Math.round(Math.max(...during.map((r) => r.ms))),
      retryAfter: during[0]?.headers.get('retry-after'),
    };
  }, null, (e) => {
    check('PostgreSQL: readiness reports it (503)', e.readyWhileDown === 503, String(e.readyWhileDown));
    check('PostgreSQL: requests fail fast with 503 and Retry-After', e.statusesWhileDown.every((s) => s === 503) && e.slowestFailureMs < 5000 && e.retryAfter === '5',
      `${e.requestsWhileDown} requests, statuses ${e.statusesWhileDown}, slowest ${e.slowestFailureMs} ms`);
  });

  await fault('Full upload disk', async () => {
    await ctl('disk-full');
    const form = new FormData();
    form.append('room', String(roomId));
    form.append('type', 'file');
    form.append('content', '');
    form.append('attachment', new Blob([new Uint8Array(1024 * 1024)]), 'big.bin');
    const r = await fetch(BASE + '/api/chat/messages/', { method: 'POST', headers: { authorization: `Bearer ${ownerUser.token}` }, body: form });
    const body = await r.json().catch(() => ({}));
    return { uploadStatus: r.status, uploadTitle: body.title };
  }, () => ctl('disk-free'), (e) => {
    check('Full disk: the upload fails with 507', e.uploadStatus === 507, `${e.uploadStatus} ${e.uploadTitle}`);
  });

  // Quiesce: stop sending, let resends finish, then compare what everyone has with what is stored.
  clearInterval(ticker);
  const deadline = now() + 15000;
  while (now() < deadline && clients.some((c) => c.pending.size > 0)) {
    clients.forEach((c) => c.tick());
    await sleep(300);
  }
  // Then wait (at most 30 s) until what is stored has reached everyone live: a message that was
  // missed live without a reconnect never arrives, and is counted as lost below.
  let stored = [];
  const settle = now() + 30000;
  do {
    await sleep(1000);
    stored = await history();
  } while (now() < settle && clients.some((c) => c.pending.size > 0 || stored.some((m) => !c.received.has(m.id))));
  clients.forEach((c) => { c.stopped = true; c.ws.close(1000); });
  results.settleMs = Math.round(now() - (settle - 30000));

  async function history() {
    const all = [];
    let path = `/api/chat/messages/?room=${roomId}&after=0&page_size=200`;
    while (path) {
      const r = await api('GET', path, ownerUser.token);
      if (r.status !== 200) throw new Error(`history: ${r.status}`);
      all.push(...r.json.results);
      path = r.json.next ? r.json.next.replace(/^https?:\/\/[^/]+/, '') : null;
    }
    return all;
  }
  const byClientId = new Map();
  for (const m of stored) if (m.client_id) byClientId.set(m.client_id, (byClientId.get(m.client_id) ?? 0) + 1);
  const acked = clients.flatMap((c) => [...c.acked.keys()]);
  const lostAcked = acked.filter((id) => !byClientId.has(id));
  const duplicates = [...byClientId].filter(([, n]) => n > 1);
  const unacked = clients.reduce((n, c) => n + c.pending.size, 0);
  const missedMessages = clients.flatMap((c) => stored.filter((m) => !c.received.has(m.id)));
  const missed = clients.map((c) => stored.filter((m) => !c.received.has(m.id)).length);
  const lossByPhase = {};
  for (const id of lostAcked) bump(lossByPhase, phaseOf.get(id) ?? 'unknown');
  for (const m of missedMessages) bump(lossByPhase, phaseOf.get(m.client_id) ?? 'probe or unknown');
  results.lossByPhase = lossByPhase;
  const sent = clients.reduce((n, c) => n + c.seq, 0);
  results.totals = {
    messagesSent: sent, acknowledged: acked.length, stored: stored.length, unacknowledgedAtEnd: unacked,
    lostAcknowledged: lostAcked.length, duplicates: duplicates.length, missedPerClient: missed,
    lossCount: lostAcked.length + missed.reduce((a, b) => a + b, 0),
    counters,
  };
  check('every acknowledged message is stored', lostAcked.length === 0, `${acked.length} acknowledged, ${lostAcked.length} missing`);
  check('no message is stored twice', duplicates.length === 0, `${duplicates.length} duplicated client_ids`);
  check('every send was acknowledged in the end', unacked === 0, `${unacked} still pending of ${sent}`);
  check('every stored message reached every client (live or by catch-up)', missed.every((n) => n === 0), `missed per client: ${missed}`);

  mkdirSync(OUT, { recursive: true });
  writeFileSync(`${OUT}/faults.json`, JSON.stringify(results, null, 2));
  const lines = ['| Fault | In flight | Sends / acks | Failures seen | Closes | Recovered in | Loss |', '|---|---|---|---|---|---|---|'];
  for (const f of results.faults) {
    const failures = [
      ...Object.entries(f.during.errors).map(([k, v]) => `${v} socket ${k}`),
      ...Object.entries(f.during.rest).filter(([k]) => !k.startsWith('2')).map(([k, v]) => `${v} HTTP ${k === '0' ? 'network error' : k}`),
    ].join(', ') || 'none';
    lines.push(`| ${f.name} | ${f.inFlightAtFault} | ${f.during.sends} / ${f.during.acks} | ${failures} | ${JSON.stringify(f.during.closes)} | ${f.recoveredMs} ms | ${(lossByPhase[f.name] ?? 0) + (lossByPhase[`after ${f.name}`] ?? 0)} |`);
  }
  lines.push('', `Totals: ${sent} messages sent, ${acked.length} acknowledged, ${stored.length} stored, loss count ${results.totals.lossCount}.`);
  writeFileSync(`${OUT}/faults.md`, lines.join('\n') + '\n');
  console.log(lines.join('\n'));
  console.log('loss by phase:', JSON.stringify(lossByPhase), 'settled after', results.settleMs, 'ms');
  console.log(JSON.stringify(results.faults.map(({ during, ...rest }) => rest), null, 1));
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  results.failed++;
  mkdirSync(OUT, { recursive: true });
  writeFileSync(`${OUT}/faults.json`, JSON.stringify({ ...results, error: String(e) }, null, 2));
  process.exit(1);
});
