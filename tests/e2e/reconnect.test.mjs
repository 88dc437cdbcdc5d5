// The socket drops; the app shows "Reconnecting…", comes back, and catches up on what it missed.
// The outage is made in the browser: Playwright routes the page's sockets to the real server and
// can cut them, and refuse new ones for a while, as a network drop would.
import { after, before, describe, it } from 'node:test';
import { apiUser, launch, rest, signedInContext, uniqueSuffix } from './helpers.mjs';

describe('reconnect and catch-up', () => {
  const id = uniqueSuffix();
  let fay;
  let browser;
  let page;
  let room;
  let gusToken;
  let refuseUntil = 0;
  const live = new Set();

  function dropSockets(refuseMs) {
    refuseUntil = Date.now() + refuseMs;
    for (const ws of live) ws.close({ code: 1011, reason: 'test outage' });
    live.clear();
  }

  before(async () => {
    fay = await apiUser('fay', id);
    const gus = await apiUser('gus', id);
    const access = fay.token;
    const gusUser = gus.user;
    gusToken = gus.token;
    const project = await rest('/api/projects/', { token: access, body: { key: `R${id.replace(/[^a-z0-9]/gi, '').slice(-6).toUpperCase()}`, name: `Reconnect ${id}` } });
    await rest(`/api/projects/${project.id}/members/`, { token: access, body: { user_id: gusUser.id, role: 'member' } });
    room = await rest('/api/chat/rooms/', { token: access, body: { type: 'direct', project: project.id, participant_ids: [gusUser.id] } });
    browser = await launch();
    const context = await signedInContext(browser, fay);
    await context.routeWebSocket(/\/ws\//, (ws) => {
      if (Date.now() < refuseUntil) {
        ws.close({ code: 1011, reason: 'test outage' });
        return;
      }
      ws.connectToServer();
      live.add(ws);
    });
    page = await context.newPage();
  });

  after(async () => {
    await browser?.close();
  });

  it('shows the banner while offline and catches up after reconnecting', async () => {
    await page.goto(`/chat/${room.project}/${room.id}`);
    const log = page.getByRole('log', { name: 'Messages' });
    await rest('/api/chat/messages/', { token: gusToken, body: { room: room.id, content: `before the outage ${id}`, type: 'text' } });
    await log.getByText(`before the outage ${id}`).waitFor();

    dropSockets(3000);
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
