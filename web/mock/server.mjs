// An in-memory stand-in for the Switchboard API (CONTRACT.md), for developing and browser-testing
// the web app before or without the real server. Not a product: no persistence, no security.
//   node mock/server.mjs [port]   (serves ../src/Switchboard/wwwroot too)
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { acceptUpgrade } from './ws.mjs';

const PORT = Number(process.argv[2] ?? process.env.PORT ?? 8000);
const ROOT = resolve(import.meta.dirname, '../../src/Switchboard/wwwroot');
const ACCESS_TTL = Number(process.env.ACCESS_TTL ?? 300);
// Optional rate limit on sign-in and sign-up, like the real server's (per endpoint, fixed window).
const AUTH_LIMIT = Number(process.env.AUTH_LIMIT ?? 0);
const AUTH_WINDOW = Number(process.env.AUTH_WINDOW ?? 60);
const authWindows = new Map();
function throttle(key) {
  if (!AUTH_LIMIT) return;
  const now = Date.now() / 1000;
  let w = authWindows.get(key);
  if (!w || now - w.start >= AUTH_WINDOW) authWindows.set(key, (w = { start: now, count: 0 }));
  if (++w.count > AUTH_LIMIT) {
    const err = new Http(429, 'Too many attempts.');
    err.retryAfter = Math.max(1, Math.ceil(w.start + AUTH_WINDOW - now));
    throw err;
  }
}

const db = { users: [], passwords: new Map(), refresh: new Map(), projects: [], members: [], tickets: [], comments: [], history: [], attachments: [], watchers: [], rooms: [], participants: [], messages: [], reactions: [], files: new Map() };
const seq = {};
const nextId = (k) => (seq[k] = (seq[k] ?? 0) + 1);
const now = () => new Date().toISOString();
const sockets = new Map(); // roomId -> Set<{ws,user}>
let refuseSocketsUntil = 0; // test hook: simulate a network outage for sockets

class Http extends Error {
  constructor(status, detail, errors) {
    super(detail);
    this.status = status;
    this.errors = errors;
  }
}
const bad = (field, msg) => new Http(400, msg, { [field]: [msg] });

const userOut = (u) => ({ id: u.id, username: u.username, email: u.email, first_name: u.first_name, last_name: u.last_name, display_name: [u.first_name, u.last_name].filter(Boolean).join(' ') || u.username });
const userById = (id) => db.users.find((u) => u.id === id);
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const makeAccess = (u) => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: String(u.id), exp: Math.floor(Date.now() / 1000) + ACCESS_TTL })}.mock`;
function issue(u) {
  const refresh = randomUUID();
  db.refresh.set(refresh, u.id);
  return { access: makeAccess(u), refresh };
}
function authUser(token) {
  if (!token) return null;
  try {
    const p = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    if (p.exp * 1000 < Date.now()) return null;
    return userById(Number(p.sub)) ?? null;
  } catch {
    return null;
  }
}

const roleOf = (pid, uid) => db.members.find((m) => m.project === pid && m.user === uid)?.role ?? null;
const projectOut = (p, uid) => ({ ...p, created_by: userOut(userById(p.created_by)), my_role: roleOf(p.id, uid), member_count: db.members.filter((m) => m.project === p.id).length });
const memberOut = (m) => ({ user: userOut(userById(m.user)), role: m.role, joined_at: m.joined_at });
const visibleProject = (pid, uid) => {
  const p = db.projects.find((x) => x.id === pid);
  if (!p || !roleOf(pid, uid)) throw new Http(404, 'Not found.');
  return p;
};
const ticketOut = (t) => ({ ...t, reporter: userOut(userById(t.reporter)), assignee: t.assignee ? userOut(userById(t.assignee)) : null, comment_count: db.comments.filter((c) => c.ticket === t.id).length });
const visibleTicket = (id, uid) => {
  const t = db.tickets.find((x) => x.id === id);
  if (!t || !roleOf(t.project, uid)) throw new Http(404, 'Not found.');
  return t;
};

const reactionOut = (r) => ({ id: r.id, user: userOut(userById(r.user)), emoji: r.emoji, created_at: r.created_at });
const messageOut = (m) => ({ ...m, user: userOut(userById(m.user)), reactions: db.reactions.filter((r) => r.message === m.id).map(reactionOut) });
const inRoom = (rid, uid) => db.participants.some((p) => p.room === rid && p.user === uid);
const visibleRoom = (rid, uid) => {
  const r = db.rooms.find((x) => x.id === rid);
  if (!r || !inRoom(rid, uid)) throw new Http(404, 'Not found.');
  return r;
};
function roomOut(r, uid) {
  const parts = db.participants.filter((p) => p.room === r.id);
  const mine = parts.find((p) => p.user === uid);
  const msgs = db.messages.filter((m) => m.room === r.id);
  const last = msgs.at(-1);
  const other = parts.find((p) => p.user !== uid);
  return {
    ...r,
    display_name: r.type === 'direct' ? (other ? userOut(userById(other.user)).display_name : 'Just you') : r.name,
    created_by: userOut(userById(r.created_by)),
    participants: parts.map((p) => ({ id: p.id, user: userOut(userById(p.user)), joined_at: p.joined_at, last_read_at: p.last_read_at })),
    last_message: last ? messageOut(last) : null,
    unread_count: msgs.filter((m) => m.user !== uid && (!mine?.last_read_at || m.created_at > mine.last_read_at)).length,
  };
}
function broadcast(rid, frame, exceptUser) {
  for (const s of sockets.get(rid) ?? []) if (s.user.id !== exceptUser) s.ws.send(JSON.stringify(frame));
}

function paginate(list, url, size = 50) {
  const pageSize = Math.min(Number(url.searchParams.get('page_size') ?? size) || size, 200);
  const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1);
  const start = (page - 1) * pageSize;
  const link = (p) => {
    const u = new URL(url);
    u.searchParams.set('page', String(p));
    return u.href;
  };
  return { count: list.length, next: start + pageSize < list.length ? link(page + 1) : null, previous: page > 1 ? link(page - 1) : null, results: list.slice(start, start + pageSize) };
}

function addHistory(t, actor, field, oldV, newV) {
  if (String(oldV ?? '') === String(newV ?? '')) return;
  db.history.push({ id: nextId('history'), ticket: t.id, actor, field, old_value: oldV == null ? null : String(oldV), new_value: newV == null ? null : String(newV), created_at: now() });
}

function createMessage(user, room, { content = '', type = 'text', client_id = null }, file) {
  if (client_id) {
    const dup = db.messages.find((m) => m.user === user.id && m.client_id === client_id);
    if (dup) return { message: dup, created: false };
  }
  if (type === 'text' && !String(content).trim()) throw bad('content', 'This field may not be blank.');
  const t = now();
  const m = { id: nextId('message'), room: room.id, user: user.id, content: String(content), type, attachment_url: null, attachment_name: null, attachment_size: null, thumbnail_url: null, client_id, created_at: t, updated_at: t, is_edited: false, edited_at: null };
  if (file) {
    const key = randomUUID();
    db.files.set(key, file);
    m.attachment_url = `/api/media/${key}`;
    m.attachment_name = file.name;
    m.attachment_size = file.data.length;
  }
  db.messages.push(m);
  room.updated_at = t;
  broadcast(room.id, { type: 'message_new', message: messageOut(m), client_id });
  return { message: m, created: true };
}

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks);
}

async function parseInput(req, raw) {
  const ct = req.headers['content-type'] ?? '';
  if (ct.startsWith('multipart/form-data')) {
    const form = await new Request('http://x/', { method: 'POST', headers: { 'content-type': ct }, body: raw }).formData();
    const out = {};
    let file = null;
    for (const [k, v] of form.entries()) {
      if (typeof v === 'string') out[k] = v;
      else file = { name: v.name, type: v.type || 'application/octet-stream', data: Buffer.from(await v.arrayBuffer()) };
    }
    return { body: out, file };
  }
  if (!raw.length) return { body: {}, file: null };
  try {
    return { body: JSON.parse(raw.toString()), file: null };
  } catch {
    throw new Http(400, 'Malformed JSON.');
  }
}

const routes = [];
const route = (method, pattern, handler, open = false) => routes.push({ method, re: new RegExp(`^${pattern.replace(/:(\w+)/g, '(?<$1>[^/]+)')}/?$`), handler, open });

// ---- auth & users ----
route('POST', '/api/auth/register', ({ body }) => {
  throttle('register');
  const { username = '', email = '', password = '' } = body;
  if (!/^[\w.@+-]{3,150}$/.test(username)) throw bad('username', 'Enter a valid username.');
  if (db.users.some((u) => u.username.toLowerCase() === username.toLowerCase())) throw new Http(409, 'A user with that username already exists.', { username: ['A user with that username already exists.'] });
  if (String(password).length < 8 || /^\d+$/.test(password)) throw bad('password', 'This password is too short or entirely numeric.');
  const u = { id: nextId('user'), username, email, first_name: body.first_name ?? '', last_name: body.last_name ?? '' };
  db.users.push(u);
  db.passwords.set(u.id, password);
  return [201, userOut(u)];
}, true);
route('POST', '/api/auth/token', ({ body }) => {
  throttle('login');
  const u = db.users.find((x) => x.username.toLowerCase() === String(body.username ?? '').toLowerCase());
  if (!u || db.passwords.get(u.id) !== body.password) throw new Http(401, 'No active account found with the given credentials.');
  return issue(u);
}, true);
route('POST', '/api/auth/token/refresh', ({ body }) => {
  const uid = db.refresh.get(body.refresh);
  if (!uid) throw new Http(401, 'Token is invalid or expired.');
  db.refresh.delete(body.refresh);
  return issue(userById(uid));
}, true);
route('GET', '/api/auth/me', ({ user }) => userOut(user));
route('GET', '/api/users', ({ url }) => {
  const q = (url.searchParams.get('search') ?? '').toLowerCase();
  return paginate(db.users.filter((u) => [u.username, u.email, u.first_name, u.last_name].some((f) => f.toLowerCase().includes(q))).map(userOut), url);
});

// ---- projects ----
route('GET', '/api/projects', ({ user, url }) => paginate(db.projects.filter((p) => roleOf(p.id, user.id)).map((p) => projectOut(p, user.id)), url));
route('POST', '/api/projects', ({ user, body }) => {
  if (!/^[A-Z][A-Z0-9]{1,9}$/.test(body.key ?? '')) throw bad('key', 'Key must be 2-10 characters: a capital letter then capitals or digits.');
  if (!String(body.name ?? '').trim()) throw bad('name', 'This field is required.');
  if (db.projects.some((p) => p.key === body.key)) throw new Http(409, 'Key already in use.', { key: ['A project with this key already exists.'] });
  const t = now();
  const p = { id: nextId('project'), key: body.key, name: body.name, description: body.description ?? '', created_by: user.id, created_at: t, updated_at: t };
  db.projects.push(p);
  db.members.push({ project: p.id, user: user.id, role: 'owner', joined_at: t });
  return [201, projectOut(p, user.id)];
});
route('GET', '/api/projects/:id', ({ user, params }) => projectOut(visibleProject(+params.id, user.id), user.id));
route('PATCH', '/api/projects/:id', ({ user, params, body }) => {
  const p = visibleProject(+params.id, user.id);
  Object.assign(p, { name: body.name ?? p.name, description: body.description ?? p.description, updated_at: now() });
  return projectOut(p, user.id);
});
route('GET', '/api/projects/:id/members', ({ user, params, url }) => {
  visibleProject(+params.id, user.id);
  return paginate(db.members.filter((m) => m.project === +params.id).map(memberOut), url);
});
route('POST', '/api/projects/:id/members', ({ user, params, body }) => {
  visibleProject(+params.id, user.id);
  if (!userById(body.user_id)) throw bad('user_id', 'Unknown user.');
  if (roleOf(+params.id, body.user_id)) throw new Http(409, 'Already a member.');
  const m = { project: +params.id, user: body.user_id, role: body.role ?? 'member', joined_at: now() };
  db.members.push(m);
  return [201, memberOut(m)];
});
route('PATCH', '/api/projects/:id/members/:uid', ({ user, params, body }) => {
  visibleProject(+params.id, user.id);
  const m = db.members.find((x) => x.project === +params.id && x.user === +params.uid);
  if (!m) throw new Http(404, 'Not found.');
  m.role = body.role;
  return memberOut(m);
});
route('DELETE', '/api/projects/:id/members/:uid', ({ user, params }) => {
  visibleProject(+params.id, user.id);
  db.members = db.members.filter((x) => !(x.project === +params.id && x.user === +params.uid));
  return [204];
});

// ---- tickets ----
route('GET', '/api/tickets', ({ user, url }) => {
  const q = url.searchParams;
  let list = db.tickets.filter((t) => roleOf(t.project, user.id));
  if (q.get('project')) list = list.filter((t) => t.project === +q.get('project'));
  for (const f of ['status', 'priority', 'type']) if (q.get(f)) list = list.filter((t) => q.get(f).split(',').includes(t[f]));
  if (q.get('assignee')) {
    const a = q.get('assignee');
    list = list.filter((t) => (a === 'none' ? !t.assignee : a === 'me' ? t.assignee === user.id : t.assignee === +a));
  }
  if (q.get('label')) list = list.filter((t) => t.labels.includes(q.get('label')));
  if (q.get('search')) {
    const s = q.get('search').toLowerCase();
    list = list.filter((t) => `${t.title} ${t.description} ${t.key}`.toLowerCase().includes(s));
  }
  const ord = q.get('ordering') ?? '-created_at';
  const field = ord.replace('-', '');
  const rank = { low: 0, medium: 1, high: 2, urgent: 3 };
  list = [...list].sort((x, y) => {
    const a = field === 'priority' ? rank[x.priority] : x[field] ?? '';
    const b = field === 'priority' ? rank[y.priority] : y[field] ?? '';
    return (a > b ? 1 : a < b ? -1 : x.id - y.id) * (ord.startsWith('-') ? -1 : 1);
  });
  return paginate(list.map(ticketOut), url);
});
route('POST', '/api/tickets', ({ user, body }) => {
  const p = visibleProject(+body.project, user.id);
  if (!String(body.title ?? '').trim()) throw bad('title', 'This field is required.');
  const number = db.tickets.filter((t) => t.project === p.id).length + 1;
  const t0 = now();
  const t = { id: nextId('ticket'), project: p.id, key: `${p.key}-${number}`, number, title: body.title, description: body.description ?? '', status: 'open', priority: body.priority ?? 'medium', type: body.type ?? 'task', reporter: user.id, assignee: body.assignee_id ?? null, labels: body.labels ?? [], due_date: body.due_date ?? null, created_at: t0, updated_at: t0, resolved_at: null };
  db.tickets.push(t);
  return [201, ticketOut(t)];
});
route('GET', '/api/tickets/by-key/:key', ({ user, params }) => {
  const t = db.tickets.find((x) => x.key === decodeURIComponent(params.key));
  if (!t) throw new Http(404, 'Not found.');
  return ticketOut(visibleTicket(t.id, user.id));
});
route('GET', '/api/tickets/:id', ({ user, params }) => ticketOut(visibleTicket(+params.id, user.id)));
route('PATCH', '/api/tickets/:id', ({ user, params, body }) => {
  const t = visibleTicket(+params.id, user.id);
  for (const f of ['title', 'description', 'status', 'priority', 'type', 'labels', 'due_date']) {
    if (f in body) {
      addHistory(t, user.id, f, Array.isArray(t[f]) ? t[f].join(',') : t[f], Array.isArray(body[f]) ? body[f].join(',') : body[f]);
      t[f] = body[f];
    }
  }
  if ('assignee_id' in body) {
    addHistory(t, user.id, 'assignee', t.assignee ? userById(t.assignee).username : null, body.assignee_id ? userById(body.assignee_id)?.username : null);
    t.assignee = body.assignee_id ?? null;
  }
  if ('status' in body) t.resolved_at = ['resolved', 'closed'].includes(t.status) ? t.resolved_at ?? now() : null;
  t.updated_at = now();
  return ticketOut(t);
});
route('DELETE', '/api/tickets/:id', ({ user, params }) => {
  visibleTicket(+params.id, user.id);
  db.tickets = db.tickets.filter((t) => t.id !== +params.id);
  return [204];
});
const commentOut = (c) => ({ ...c, author: userOut(userById(c.author)) });
route('GET', '/api/tickets/:id/comments', ({ user, params, url }) => {
  visibleTicket(+params.id, user.id);
  return paginate(db.comments.filter((c) => c.ticket === +params.id).map(commentOut), url);
});
route('POST', '/api/tickets/:id/comments', ({ user, params, body }) => {
  visibleTicket(+params.id, user.id);
  if (!String(body.body ?? '').trim()) throw bad('body', 'This field is required.');
  const t = now();
  const c = { id: nextId('comment'), ticket: +params.id, author: user.id, body: body.body, created_at: t, updated_at: t, is_edited: false };
  db.comments.push(c);
  return [201, commentOut(c)];
});
route('PATCH', '/api/tickets/:id/comments/:cid', ({ user, params, body }) => {
  visibleTicket(+params.id, user.id);
  const c = db.comments.find((x) => x.id === +params.cid && x.ticket === +params.id);
  if (!c) throw new Http(404, 'Not found.');
  Object.assign(c, { body: body.body, is_edited: true, updated_at: now() });
  return commentOut(c);
});
route('DELETE', '/api/tickets/:id/comments/:cid', ({ user, params }) => {
  visibleTicket(+params.id, user.id);
  db.comments = db.comments.filter((x) => x.id !== +params.cid);
  return [204];
});
route('GET', '/api/tickets/:id/history', ({ user, params, url }) => {
  visibleTicket(+params.id, user.id);
  return paginate(db.history.filter((h) => h.ticket === +params.id).map((h) => ({ ...h, actor: userOut(userById(h.actor)) })), url);
});
const attachmentOut = (a) => ({ ...a, uploaded_by: userOut(userById(a.uploaded_by)) });
route('GET', '/api/tickets/:id/attachments', ({ user, params, url }) => {
  visibleTicket(+params.id, user.id);
  return paginate(db.attachments.filter((a) => a.ticket === +params.id).map(attachmentOut), url);
});
route('POST', '/api/tickets/:id/attachments', ({ user, params, file }) => {
  visibleTicket(+params.id, user.id);
  if (!file) throw bad('file', 'No file was submitted.');
  const key = randomUUID();
  db.files.set(key, file);
  const a = { id: nextId('attachment'), ticket: +params.id, file_name: file.name, file_size: file.data.length, content_type: file.type, url: `/api/media/${key}`, thumbnail_url: null, uploaded_by: user.id, created_at: now() };
  db.attachments.push(a);
  return [201, attachmentOut(a)];
});
route('DELETE', '/api/tickets/:id/attachments/:aid', ({ user, params }) => {
  visibleTicket(+params.id, user.id);
  db.attachments = db.attachments.filter((a) => a.id !== +params.aid);
  return [204];
});
route('GET', '/api/tickets/:id/watchers', ({ user, params }) => {
  visibleTicket(+params.id, user.id);
  return [200, db.watchers.filter((w) => w.ticket === +params.id).map((w) => userOut(userById(w.user)))];
});
route('POST', '/api/tickets/:id/watch', ({ user, params }) => {
  visibleTicket(+params.id, user.id);
  if (!db.watchers.some((w) => w.ticket === +params.id && w.user === user.id)) db.watchers.push({ ticket: +params.id, user: user.id });
  return { watching: true };
});
route('POST', '/api/tickets/:id/unwatch', ({ user, params }) => {
  db.watchers = db.watchers.filter((w) => !(w.ticket === +params.id && w.user === user.id));
  return { watching: false };
});

// ---- chat ----
route('GET', '/api/chat/rooms', ({ user, url }) => {
  const pid = url.searchParams.get('project');
  const list = db.rooms
    .filter((r) => inRoom(r.id, user.id) && (!pid || r.project === +pid))
    .map((r) => roomOut(r, user.id))
    .sort((a, b) => (b.last_message?.created_at ?? b.updated_at).localeCompare(a.last_message?.created_at ?? a.updated_at));
  return paginate(list, url);
});
route('POST', '/api/chat/rooms', ({ user, body }) => {
  const p = visibleProject(+body.project, user.id);
  const ids = [...new Set((body.participant_ids ?? []).map(Number).filter((x) => x !== user.id))];
  for (const id of ids) if (!roleOf(p.id, id)) throw bad('participant_ids', 'All participants must be project members.');
  if (body.type === 'direct') {
    if (ids.length !== 1) throw bad('participant_ids', 'A direct room takes exactly one other user.');
    const existing = db.rooms.find((r) => r.type === 'direct' && r.project === p.id && inRoom(r.id, user.id) && inRoom(r.id, ids[0]));
    if (existing) return [200, roomOut(existing, user.id)];
  } else if (!String(body.name ?? '').trim()) throw bad('name', 'A group room needs a name.');
  const t = now();
  const r = { id: nextId('room'), name: body.type === 'direct' ? '' : body.name, type: body.type === 'direct' ? 'direct' : 'group', project: p.id, created_by: user.id, created_at: t, updated_at: t };
  db.rooms.push(r);
  for (const uid of [user.id, ...ids]) db.participants.push({ id: nextId('participant'), room: r.id, user: uid, joined_at: t, last_read_at: null });
  return [201, roomOut(r, user.id)];
});
route('GET', '/api/chat/rooms/:id', ({ user, params }) => roomOut(visibleRoom(+params.id, user.id), user.id));
route('POST', '/api/chat/rooms/:id/add_participant', ({ user, params, body }) => {
  const r = visibleRoom(+params.id, user.id);
  if (r.type === 'direct') throw new Http(400, 'Direct rooms have fixed participants.');
  if (!inRoom(r.id, body.user_id)) {
    db.participants.push({ id: nextId('participant'), room: r.id, user: body.user_id, joined_at: now(), last_read_at: null });
    broadcast(r.id, { type: 'user_joined', user: userOut(userById(body.user_id)) });
  }
  return roomOut(r, user.id);
});
route('POST', '/api/chat/rooms/:id/remove_participant', ({ user, params, body }) => {
  const r = visibleRoom(+params.id, user.id);
  if (r.type === 'direct') throw new Http(400, 'Direct rooms have fixed participants.');
  db.participants = db.participants.filter((p) => !(p.room === r.id && p.user === body.user_id));
  broadcast(r.id, { type: 'user_left', user: userOut(userById(body.user_id)) });
  for (const s of sockets.get(r.id) ?? []) if (s.user.id === body.user_id) s.ws.close(4403);
  return { ok: true };
});
route('POST', '/api/chat/rooms/:id/mark_read', ({ user, params }) => {
  visibleRoom(+params.id, user.id);
  const p = db.participants.find((x) => x.room === +params.id && x.user === user.id);
  p.last_read_at = now();
  return { last_read_at: p.last_read_at, unread_count: 0 };
});
route('GET', '/api/chat/messages', ({ user, url }) => {
  const q = url.searchParams;
  const size = Math.min(Number(q.get('page_size') ?? 50) || 50, 200);
  if (q.get('search')) {
    const words = q.get('search').toLowerCase().split(/\s+/).filter(Boolean);
    const list = db.messages
      .filter((m) => inRoom(m.room, user.id) && (!q.get('room') || m.room === +q.get('room')))
      .filter((m) => words.every((w) => m.content.toLowerCase().split(/\W+/).includes(w)))
      .reverse();
    return paginate(list.map(messageOut), url);
  }
  const room = visibleRoom(+q.get('room'), user.id);
  let list = db.messages.filter((m) => m.room === room.id);
  let page;
  if (q.get('after')) page = list.filter((m) => m.id > +q.get('after')).slice(0, size);
  else {
    if (q.get('before')) list = list.filter((m) => m.id < +q.get('before'));
    page = list.slice(-size);
  }
  // Like the real server: `previous` pages back (before=), `next` pages forward (after=).
  const all = db.messages.filter((m) => m.room === room.id);
  const older = page.length && all.some((m) => m.id < page[0].id);
  const newer = page.length && all.some((m) => m.id > page.at(-1).id);
  const link = (k, v) => `${url.origin}/api/chat/messages/?room=${room.id}&${k}=${v}`;
  return { count: all.length, next: newer ? link('after', page.at(-1).id) : null, previous: older ? link('before', page[0].id) : null, results: page.map(messageOut) };
});
route('POST', '/api/chat/messages', ({ user, body, file }) => {
  const room = visibleRoom(+body.room, user.id);
  if (body.type === 'image' && (!file || !/^image\/(png|jpeg|gif|webp)$/.test(file.type))) throw bad('attachment', 'Upload a valid image.');
  const { message, created } = createMessage(user, room, body, file);
  return [created ? 201 : 200, messageOut(message)];
});
const ownMessage = (id, user) => {
  const m = db.messages.find((x) => x.id === id);
  if (!m || !inRoom(m.room, user.id)) throw new Http(404, 'Not found.');
  return m;
};
route('PATCH', '/api/chat/messages/:id', ({ user, params, body }) => {
  const m = ownMessage(+params.id, user);
  if (m.user !== user.id) throw new Http(403, 'Only the author can edit.');
  Object.assign(m, { content: body.content, is_edited: true, edited_at: now(), updated_at: now() });
  broadcast(m.room, { type: 'message_edited', message: messageOut(m) });
  return messageOut(m);
});
route('DELETE', '/api/chat/messages/:id', ({ user, params }) => {
  const m = ownMessage(+params.id, user);
  db.messages = db.messages.filter((x) => x.id !== m.id);
  broadcast(m.room, { type: 'message_deleted', message_id: m.id });
  return [204];
});
route('POST', '/api/chat/messages/:id/add_reaction', ({ user, params, body }) => {
  const m = ownMessage(+params.id, user);
  let r = db.reactions.find((x) => x.message === m.id && x.user === user.id && x.emoji === body.emoji);
  if (!r) {
    r = { id: nextId('reaction'), message: m.id, user: user.id, emoji: body.emoji, created_at: now() };
    db.reactions.push(r);
    broadcast(m.room, { type: 'reaction_added', message_id: m.id, reaction: reactionOut(r) });
  }
  return reactionOut(r);
});
route('POST', '/api/chat/messages/:id/remove_reaction', ({ user, params, body }) => {
  const m = ownMessage(+params.id, user);
  const before = db.reactions.length;
  db.reactions = db.reactions.filter((x) => !(x.message === m.id && x.user === user.id && x.emoji === body.emoji));
  if (db.reactions.length !== before) broadcast(m.room, { type: 'reaction_removed', message_id: m.id, user_id: user.id, emoji: body.emoji });
  return [204];
});

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json' };

const server = createServer(async (req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  const send = (status, obj, type = 'application/json') => {
    res.writeHead(status, { 'Content-Type': type });
    res.end(obj === undefined ? undefined : typeof obj === 'string' || Buffer.isBuffer(obj) ? obj : JSON.stringify(obj));
  };
  try {
    if (url.pathname.startsWith('/health')) return send(200, { status: 'healthy' });
    if (url.pathname === '/__mock/drop-sockets' && req.method === 'POST') {
      // Test hook: cut every socket and refuse new ones for a while.
      const { refuse_ms = 0 } = (await parseInput(req, await readBody(req))).body;
      refuseSocketsUntil = Date.now() + Number(refuse_ms);
      for (const set of sockets.values()) for (const s of set) s.ws.socket.destroy();
      return send(200, { dropped: true });
    }
    if (url.pathname.startsWith('/api/media/')) {
      const f = db.files.get(url.pathname.slice(11));
      if (!f) return send(404, { status: 404, title: 'Not Found', detail: 'No such file.' });
      res.writeHead(200, { 'Content-Type': f.type, 'X-Content-Type-Options': 'nosniff', ...(f.type.startsWith('image/') ? {} : { 'Content-Disposition': `attachment; filename="${encodeURIComponent(f.name)}"` }) });
      return res.end(f.data);
    }
    if (url.pathname.startsWith('/api/')) {
      const r = routes.find((x) => x.method === req.method && x.re.test(url.pathname));
      if (!r) throw new Http(404, 'No such API endpoint.');
      const user = authUser((req.headers.authorization ?? '').replace(/^Bearer /, ''));
      if (!r.open && !user) throw new Http(401, 'Authentication credentials were not provided or are invalid.');
      const raw = await readBody(req);
      const { body, file } = await parseInput(req, raw);
      const out = await r.handler({ user, url, body, file, params: r.re.exec(url.pathname).groups ?? {} });
      const [status, data] = Array.isArray(out) ? out : [200, out];
      return send(status, data);
    }
    // the built web app, with an index.html fallback
    let file = join(ROOT, url.pathname);
    if (!file.startsWith(ROOT) || !existsSync(file) || statSync(file).isDirectory()) file = join(ROOT, 'index.html');
    if (!existsSync(file)) return send(404, 'Build the web app first (npm run build).', 'text/plain');
    return send(200, readFileSync(file), MIME[extname(file)] ?? 'application/octet-stream');
  } catch (err) {
    const status = err instanceof Http ? err.status : 500;
    if (status === 500) console.error(err);
    res.writeHead(status, { 'Content-Type': 'application/problem+json', ...(err.retryAfter ? { 'Retry-After': String(err.retryAfter) } : {}) });
    res.end(JSON.stringify({ status, title: status === 404 ? 'Not Found' : 'Error', detail: err.message, ...(err.errors ? { errors: err.errors } : {}) }));
  }
});

server.on('upgrade', (req, socket) => {
  if (Date.now() < refuseSocketsUntil) return socket.destroy();
  const url = new URL(req.url, `http://${req.headers.host}`);
  const m = /^\/ws\/chat\/(\d+)\/?$/.exec(url.pathname);
  const user = authUser(url.searchParams.get('token'));
  const ws = acceptUpgrade(req, socket);
  if (!m || !user) return ws.close(4401);
  const rid = Number(m[1]);
  const room = db.rooms.find((r) => r.id === rid);
  if (!room || !inRoom(rid, user.id)) return ws.close(4403);
  const entry = { ws, user: userOut(user) };
  if (!sockets.has(rid)) sockets.set(rid, new Set());
  sockets.get(rid).add(entry);
  ws.onclose = () => sockets.get(rid)?.delete(entry);
  ws.onmessage = (text) => {
    let f;
    try {
      f = JSON.parse(text);
    } catch {
      return ws.send(JSON.stringify({ type: 'error', code: 'bad_json', detail: 'Frames must be JSON.' }));
    }
    try {
      if (f.type === 'ping') return ws.send(JSON.stringify({ type: 'pong' }));
      if (f.type === 'auth') return; // a fresh token extends the session; the mock has no expiry on sockets
      if (f.type === 'typing') return broadcast(rid, { type: 'user_typing', user_id: user.id, is_typing: !!f.is_typing }, user.id);
      if (f.type === 'message_send') return void createMessage(user, room, { content: f.content, type: f.message_type ?? 'text', client_id: f.client_id ?? null });
      ws.send(JSON.stringify({ type: 'error', code: 'unknown_type', detail: `Unknown frame type ${f.type}.` }));
    } catch (err) {
      ws.send(JSON.stringify({ type: 'error', code: 'invalid', detail: err.message }));
    }
  };
});

server.listen(PORT, '127.0.0.1', () => console.log(`mock Switchboard API on http://127.0.0.1:${PORT}`));
