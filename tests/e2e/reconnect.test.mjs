// The socket drops; the app shows "Reconnecting…", comes back, and catches up on what it missed.
// Needs a server with a way to cut sockets: runs against web/mock (POST /__mock/drop-sockets), skipped elsewhere.
import { after, before, describe, it } from 'node:test';
import { BASE_URL, apiUser, launch, rest, signedInContext, uniqueSuffix } from './helpers.mjs';

describe('reconnect and catch-up', () => {
  const id = uniqueSuffix();
  let fay;
  let browser;
  let page;
  let room;
  let gusToken;
  let canDrop = false;

  before(async () => {
    canDrop = (await fetch(`${BASE_URL}/__mock/drop-sockets`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } })).ok;
    if (!canDrop) return;
    fay = await apiUser('fay', id);
    const gus = await apiUser('gus', id);
    const access = fay.token;
    const gusUser = gus.user;
    gusToken = gus.token;
    const project = await rest('/api/projects/', { token: access, body: { key: `R${id.replace(/[^a-z0-9]/gi, '').slice(-6).toUpperCase()}`, name: `Reconnect ${id}` } });
    await rest(`/api/projects/${project.id}/members/`, { token: access, body: { user_id: gusUser.id, role: 'member' } });
    room = await rest('/api/chat/rooms/', { token: access, body: { type: 'direct', project: project.id, participant_ids: [gusUser.id] } });
    browser = await launch();
    page = await (await signedInContext(browser, fay)).newPage();
  });

  after(async () => {
    await browser?.close();
  });

  it('shows the banner while offline and catches up after reconnecting', async (t) => {
    if (!canDrop) return t.skip('server has no /__mock/drop-sockets');
    await page.goto(`/chat/${room.project}/${room.id}`);
    const log = page.getByRole('log', { name: 'Messages' });
    await rest('/api/chat/messages/', { token: gusToken, body: { room: room.id, content: `before the outage ${id}`, type: 'text' } });
    await log.getByText(`before the outage ${id}`).waitFor();

    await rest('/__mock/drop-sockets', { body: { refuse_ms: 3000 } });
    await page.getByText('Reconnecting…').waitFor();
    // Sent while this browser has no socket: only the catch-up can bring it.
    await rest('/api/chat/messages/', { token: gusToken, body: { room: room.id, content: `during the outage ${id}`, type: 'text' } });
    await log.getByText(`during the outage ${id}`).waitFor({ timeout: 20_000 });
    await page.getByText('Reconnecting…').waitFor({ state: 'hidden' });

    // And live delivery works again on the new socket.
    await rest('/api/chat/messages/', { token: gusToken, body: { room: room.id, content: `after the outage ${id}`, type: 'text' } });
    await log.getByText(`after the outage ${id}`).waitFor();
  });
});
