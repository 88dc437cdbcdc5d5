// The API side of bench/tickets-in-chat/run.sh (Node 20, no packages).
//   node client.mjs seed URL_A                       -> prints shell variables
//   node --experimental-websocket client.mjs latency URL_A URL_B SAMPLES
const [mode, urlA, urlB, samplesText] = process.argv.slice(2);

async function api(base, path, token, body, method) {
  const response = await fetch(base + path, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method ?? 'POST'} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

async function user(base, name) {
  const password = 'bench-passphrase-1';
  const created = await api(base, '/api/auth/register/', null, { username: name, email: `${name}@example.com`, password });
  const tokens = await api(base, '/api/auth/token/', null, { username: name, password });
  return { id: created.id, token: tokens.access };
}

if (mode === 'seed') {
  const suffix = Date.now().toString(36);
  const alice = await user(urlA, `alice${suffix}`);
  const bob = await user(urlA, `bob${suffix}`);
  const project = await api(urlA, '/api/projects/', alice.token, { key: 'BENCH', name: 'Bench' });
  await api(urlA, `/api/projects/${project.id}/members/`, alice.token, { user_id: bob.id, role: 'member' });
  const tickets = [];
  for (let i = 0; i < 10; i++) {
    tickets.push(await api(urlA, '/api/tickets/', alice.token, { project: project.id, title: `Ticket ${i}`, assignee_id: bob.id }));
  }
  const room = async (name) => (await api(urlA, '/api/chat/rooms/', alice.token, { name, type: 'group', project: project.id, participant_ids: [bob.id] })).id;
  const refs = await room('refs');
  const plain = await room('plain');
  for (let i = 0; i < 50; i++) {
    const keys = [0, 1, 2].map((j) => tickets[(i + j) % tickets.length].key);
    // The same length of text in both rooms, so that only the references differ.
    await api(urlA, '/api/chat/messages/', alice.token, { room: refs, type: 'text', content: `see ${keys.join(' and ')} for message ${i}` });
    await api(urlA, '/api/chat/messages/', alice.token, { room: plain, type: 'text', content: `see ${keys.map(() => 'ABCDE+99').join(' and ')} for message ${i}` });
  }
  console.log(`TOKEN=${bob.token}`);
  console.log(`REFS_ROOM=${refs}`);
  console.log(`PLAIN_ROOM=${plain}`);
  console.log(`ALICE_TOKEN=${alice.token}`);
  console.log(`BOB_TOKEN=${bob.token}`);
  console.log(`DISCUSS_ROOM=${refs}`);
  console.log(`TICKET=${tickets[0].id}`);
} else if (mode === 'latency') {
  const samples = Number(samplesText ?? 200);
  const aliceToken = process.env.ALICE_TOKEN, bobToken = process.env.BOB_TOKEN;
  const ticket = Number(process.env.TICKET), room = Number(process.env.DISCUSS_ROOM);
  const linked = await api(urlA, `/api/tickets/${ticket}/discussion/`, aliceToken, { room });
  const root = linked.discussion.root_id;
  const socket = new WebSocket(`${urlB.replace('http', 'ws')}/ws/?token=${encodeURIComponent(bobToken)}`);
  const waiting = new Map();
  socket.addEventListener('message', (event) => {
    const frame = JSON.parse(event.data);
    if (frame.type === 'message_new' && frame.message.thread_root_id === root) {
      waiting.get(frame.message.content)?.();
    }
  });
  socket.addEventListener('close', (event) => console.error(`user socket on B closed: ${event.code} ${event.reason}`));
  await new Promise((resolve, reject) => { socket.addEventListener('open', resolve); socket.addEventListener('error', reject); });
  // The hello frame says the socket is registered for the user's rooms.
  await new Promise((resolve) => socket.addEventListener('message', (event) => { if (JSON.parse(event.data).type === 'hello') resolve(); }));
  const latencies = [];
  for (let i = 0; i < samples + 10; i++) {
    const body = `sync sample ${i}`;
    const arrived = new Promise((resolve) => waiting.set(body, resolve));
    const start = performance.now();
    await api(urlA, `/api/tickets/${ticket}/comments/`, aliceToken, { body });
    await Promise.race([arrived, new Promise((_, reject) => setTimeout(() => reject(new Error(`no reply frame in 30 s for sample ${i}`)), 30_000))]);
    if (i >= 10) latencies.push(performance.now() - start); // the first ten warm the path up
    waiting.delete(body);
  }
  socket.close();
  latencies.sort((a, b) => a - b);
  const at = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  console.log(`sync latency, comment POSTed on instance A to its thread reply on a user socket of instance B, ${samples} sequential samples: `
    + `p50 ${at(50).toFixed(1)} ms, p99 ${at(99).toFixed(1)} ms, max ${latencies.at(-1).toFixed(1)} ms`);
}
