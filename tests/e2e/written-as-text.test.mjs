// What people write shows as text everywhere outside message bodies: room names, project names,
// ticket titles and descriptions, comments, file names and the pinned excerpt. Markup in them must
// neither run nor become elements.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, apiUser, launch, rest, signedInContext, uniqueSuffix } from './helpers.mjs';

// File names lose everything up to their last "/" on the server, so theirs has no closing tags.
const fileName = (what) => `<img src=x onerror="window.__pwned='${what}'"><b>${what}<b>.txt`;
const payload = (what) => `<img src=x onerror="window.__pwned='${what}'"><b>${what}</b><script>window.__pwned='${what} script'</script>`;

async function upload(path, token, field, name, extra = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(extra)) form.append(k, v);
  form.append(field, new Blob(['plain text\n'], { type: 'text/plain' }), name);
  const res = await fetch(`${BASE_URL}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Nothing ran, no element came from the payload, and `text` shows literally. */
async function shownAsText(page, text) {
  await page.getByText(text, { exact: false }).first().waitFor();
  const found = await page.evaluate(() => ({
    pwned: window.__pwned ?? null,
    imgs: document.querySelectorAll('img[src="x"]').length,
    bolds: Array.from(document.querySelectorAll('b')).filter((b) => /room|project|title|description|comment|file|pin/.test(b.textContent ?? '')).length,
  }));
  assert.deepEqual(found, { pwned: null, imgs: 0, bolds: 0 });
}

describe('what people write renders as text', () => {
  const id = uniqueSuffix();
  let eve;
  let fay;
  let project;
  let room;
  let ticket;
  let browser;
  let page;

  before(async () => {
    eve = await apiUser('eve', id);
    fay = await apiUser('fay', id);
    project = await rest('/api/projects/', {
      token: eve.token,
      body: { key: `W${id.replace(/[^a-z0-9]/gi, '').slice(-6).toUpperCase()}`, name: `Proj ${payload('project')}`, description: payload('project description') },
    });
    await rest(`/api/projects/${project.id}/members/`, { token: eve.token, body: { user_id: fay.user.id, role: 'member' } });
    room = await rest('/api/chat/rooms/', { token: eve.token, body: { type: 'group', project: project.id, name: `Room ${payload('room')}`, participant_ids: [fay.user.id] } });
    const file = await upload('/api/chat/messages/', fay.token, 'attachment', fileName('file'), { room: String(room.id), type: 'file', content: '' });
    await rest(`/api/chat/messages/${file.id}/pin/`, { token: fay.token, body: {} });
    await rest(`/api/chat/rooms/${room.id}/mark_read/`, { token: eve.token, body: {} });
    ticket = await rest('/api/tickets/', { token: eve.token, body: { project: project.id, title: `Title ${payload('title')}`, description: `Description ${payload('description')}`, type: 'task', priority: 'medium' } });
    await rest(`/api/tickets/${ticket.id}/comments/`, { token: fay.token, body: { body: `Comment ${payload('comment')}` } });
    await upload(`/api/tickets/${ticket.id}/attachments/`, eve.token, 'file', fileName('ticket file'));
    browser = await launch();
    page = await (await signedInContext(browser, eve)).newPage();
  });

  after(async () => {
    await browser?.close();
  });

  it('on the projects page', async () => {
    await page.goto('/projects');
    await shownAsText(page, '<b>project</b>');
  });

  it('in the room list, the room header, a file message and the pinned bar', async () => {
    await page.goto(`/chat/${project.id}/${room.id}`);
    await shownAsText(page, '<b>room</b>');
    await page.getByRole('log', { name: 'Messages' }).getByText('<b>file<b>', { exact: false }).first().waitFor();
    await page.getByRole('region', { name: 'Pinned messages' }).getByText('<b>file<b>', { exact: false }).waitFor();
    await shownAsText(page, '<b>file<b>');
  });

  it('in the ticket list, on the board and on the ticket page (title, description, comment, attachment, history)', async () => {
    await page.goto(`/tickets?project=${project.id}`);
    await shownAsText(page, '<b>title</b>');
    await page.goto(`/board?project=${project.id}`);
    await shownAsText(page, '<b>title</b>');
    await page.goto(`/tickets/${ticket.key}`);
    await shownAsText(page, '<b>title</b>');
    await shownAsText(page, '<b>comment</b>');
    await shownAsText(page, '<b>ticket file<b>');
  });
});
