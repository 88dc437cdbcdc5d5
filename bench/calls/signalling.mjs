// Signalling relay under load: PAIRS calls set up at the same moment, callers on instance A and
// callees on instance B. To keep the set-up short (a password hash per account), 10 callers and 10
// callees share the PAIRS calls: each pair of them has its own group room, so one person is in up
// to PAIRS/10 calls at once and their one socket carries all of them. Each setup is start (REST on A), join (REST on B), then a
// call_offer from the caller's socket on A; we time from that frame being sent to its arrival on
// the callee's socket on B (the relay: a membership check, then Redis to the other instance), and
// the answer's way back. Node 20: run with --experimental-websocket.
//   node --experimental-websocket bench/calls/signalling.mjs A_URL B_URL [PAIRS] [ROUNDS]
const [A, B] = [process.argv[2], process.argv[3]].map((u) => u.replace(/\/$/, ''));
const PAIRS = Number(process.argv[4] ?? 100);
const ROUNDS = Number(process.argv[5] ?? 5);
const tag = Date.now().toString(36);

async function rest(base, path, { token, body, method } = {}) {
  const res = await fetch(base + path, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method ?? 'POST'} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

async function user(i) {
  const username = `sig${tag}_${i}`;
  const me = await rest(A, '/api/auth/register/', { body: { username, email: `${username}@example.com`, password: 'signalling bench password' } });
  const pair = await rest(A, '/api/auth/token/', { body: { username, password: 'signalling bench password' } });
  return { id: me.id ?? me.user?.id, token: pair.access };
}

function socket(base, token) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ws/?token=${encodeURIComponent(token)}`);
    const waiters = [];
    ws.onmessage = (e) => {
      const f = JSON.parse(e.data);
      const i = waiters.findIndex((w) => w.match(f));
      if (i >= 0) waiters.splice(i, 1)[0].resolve(f);
      if (f.type === 'hello') resolve(conn);
    };
    ws.onerror = (e) => reject(new Error(`socket: ${e.message ?? 'error'}`));
    const conn = {
      send: (f) => ws.send(JSON.stringify(f)),
      next: (match) => new Promise((r) => waiters.push({ match, resolve: r })),
      close: () => ws.close(),
    };
  });
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const setupStart = performance.now();
const SIDE = Math.min(10, PAIRS);
const people = await Promise.all(Array.from({ length: SIDE * 2 }, (_, i) => user(i)));
const owner = people[0];
const project = await rest(A, '/api/projects/', { token: owner.token, body: { key: `S${tag.slice(-6).toUpperCase()}`, name: `Signalling ${tag}` } });
for (const p of people.slice(1)) await rest(A, `/api/projects/${project.id}/members/`, { token: owner.token, body: { user_id: p.id, role: 'member' } });
const callers = people.slice(0, SIDE);
const callees = people.slice(SIDE);
await Promise.all([...callers.map(async (p) => (p.socket = await socket(A, p.token))), ...callees.map(async (p) => (p.socket = await socket(B, p.token)))]);
const pairs = [];
for (let i = 0; i < PAIRS; i++) {
  const caller = callers[i % SIDE];
  const callee = callees[Math.floor(i / SIDE) % SIDE];
  const room = await rest(A, '/api/chat/rooms/', { token: caller.token, body: { type: 'group', name: `pair ${i}`, project: project.id, participant_ids: [callee.id] } });
  pairs.push({ caller, callee, room: room.id, a: caller.socket, b: callee.socket });
}
console.log(`set up ${PAIRS} pairs in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`);

const offer = [];
const answer = [];
const whole = [];
const sdp = `v=0\r\n${'a=x-padding:'.padEnd(4000, 'x')}\r\n`; // about the size of a real video offer
for (let round = 0; round < ROUNDS; round++) {
  await Promise.all(pairs.map(async (p) => {
    const t0 = performance.now();
    const call = await rest(A, `/api/chat/rooms/${p.room}/calls/`, { token: p.caller.token, body: { media: 'video' } });
    await rest(B, `/api/chat/calls/${call.id}/join/`, { token: p.callee.token, body: {} });
    const got = p.b.next((f) => f.type === 'call_offer' && f.call_id === call.id);
    const sent = performance.now();
    p.a.send({ type: 'call_offer', call_id: call.id, to_user_id: p.callee.id, sdp });
    await got;
    const arrived = performance.now();
    const back = p.a.next((f) => f.type === 'call_answer' && f.call_id === call.id);
    p.b.send({ type: 'call_answer', call_id: call.id, to_user_id: p.caller.id, sdp });
    await back;
    const done = performance.now();
    offer.push(arrived - sent);
    answer.push(done - arrived);
    whole.push(done - t0);
    await rest(A, `/api/chat/calls/${call.id}/leave/`, { token: p.caller.token, body: {} });
    await rest(B, `/api/chat/calls/${call.id}/leave/`, { token: p.callee.token, body: {} });
  }));
}
for (const p of people) p.socket.close();
const report = (name, xs) => {
  const s = [...xs].sort((x, y) => x - y);
  console.log(`${name.padEnd(34)} n=${s.length}  p50 ${pct(s, 50).toFixed(1)} ms  p90 ${pct(s, 90).toFixed(1)} ms  p99 ${pct(s, 99).toFixed(1)} ms  max ${s[s.length - 1].toFixed(1)} ms`);
};
console.log(`${PAIRS} concurrent call setups x ${ROUNDS} rounds`);
report('call_offer A -> B (relay)', offer);
report('call_answer B -> A (relay)', answer);
report('whole setup (start, join, offer, answer)', whole);
