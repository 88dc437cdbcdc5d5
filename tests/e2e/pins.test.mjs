// Pins: the pinned bar and panel, pinning from a message's toolbar, and jumping to a pinned
// message far back in history (loaded around it, not by paging through everything after it).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launch, projectKey, rest, signedInContext, twoInARoom, uniqueSuffix } from './helpers.mjs';

describe('pins', () => {
  const id = uniqueSuffix();
  let mia;
  let ned;
  let project;
  let room;
  let oldOne;
  let browser;
  let page;

  before(async () => {
    ({ owner: mia, member: ned, project, room } = await twoInARoom(id, { names: ['mia', 'ned'], key: projectKey('P', id), projectName: `Pins ${id}` }));
    // Six pages of history; two senders, because sends are rate limited per person.
    for (let n = 1; n <= 300; n++) {
      const who = n % 2 ? ned : mia;
      const m = await rest('/api/chat/messages/', { token: who.token, body: { room: room.id, content: `old ${n} of ${id}`, type: 'text' } });
      if (n === 3) oldOne = m;
    }
    await rest(`/api/chat/messages/${oldOne.id}/pin/`, { token: ned.token, body: {} });
    browser = await launch();
    page = await (await signedInContext(browser, mia)).newPage();
  });

  after(async () => {
    await browser?.close();
  });

  it('shows the pinned bar and jumps to a pin far back, then back to the present', async () => {
    const requests = [];
    page.on('request', (r) => r.url().includes('/api/chat/messages') && requests.push(r.url()));
    await page.goto(`/chat/${project.id}/${room.id}`);
    const bar = page.getByRole('region', { name: 'Pinned messages' });
    await bar.getByText(`old 3 of ${id}`).waitFor();
    await bar.getByRole('button', { name: '1 pinned' }).click();
    const panel = page.getByRole('dialog', { name: 'Pinned messages' });
    await panel.getByRole('link', { name: `Jump to the message: old 3 of ${id}` }).click();
    const log = page.getByRole('log', { name: 'Messages' });
    const target = log.locator(`#msg-${oldOne.id}`);
    await target.waitFor();
    assert.match((await target.getAttribute('class')) ?? '', /sb-message-highlight/);
    assert.ok(await target.isVisible());
    await page.getByText('You are viewing older messages.').waitFor();
    assert.ok(requests.some((u) => u.includes(`around=${oldOne.id}`)), 'loaded with the around cursor');
    assert.ok(requests.filter((u) => u.includes('before=')).length <= 4, 'did not page through the whole history');
    await page.getByRole('button', { name: 'Jump to present' }).click();
    await log.getByText(`old 300 of ${id}`, { exact: true }).waitFor();
    await page.getByText('You are viewing older messages.').waitFor({ state: 'detached' });
  });

  it('pins from the message toolbar and unpins from the panel', async () => {
    const log = page.getByRole('log', { name: 'Messages' });
    const msg = log.getByRole('article').filter({ hasText: `old 300 of ${id}` });
    await msg.hover();
    await msg.getByRole('button', { name: 'Pin message' }).click();
    const bar = page.getByRole('region', { name: 'Pinned messages' });
    await bar.getByRole('button', { name: '2 pinned' }).waitFor();
    await bar.getByText(`old 300 of ${id}`).waitFor();
    await msg.getByText('Pinned', { exact: true }).waitFor();
    await bar.getByRole('button', { name: '2 pinned' }).click();
    const panel = page.getByRole('dialog', { name: 'Pinned messages' });
    await panel.getByRole('button', { name: `Unpin: old 300 of ${id}` }).click();
    await bar.getByRole('button', { name: '1 pinned' }).waitFor();
  });

  it('shows pins put up and taken down by someone else live, without a reload', async () => {
    const other = await (await signedInContext(browser, ned)).newPage();
    try {
      await rest(`/api/chat/rooms/${room.id}/mark_read/`, { token: ned.token, body: {} });
      await other.goto(`/chat/${project.id}/${room.id}`);
      const bar = other.getByRole('region', { name: 'Pinned messages' });
      await bar.getByRole('button', { name: '1 pinned' }).waitFor();
      const m = await rest('/api/chat/messages/', { token: mia.token, body: { room: room.id, content: `live pin ${id}`, type: 'text' } });
      const msg = other.getByRole('log', { name: 'Messages' }).locator(`#msg-${m.id}`);
      await msg.waitFor();
      await rest(`/api/chat/messages/${m.id}/pin/`, { token: mia.token, body: {} });
      await bar.getByRole('button', { name: '2 pinned' }).waitFor();
      await bar.getByText(`live pin ${id}`).waitFor();
      await msg.getByText('Pinned', { exact: true }).waitFor();
      await rest(`/api/chat/messages/${m.id}/unpin/`, { token: mia.token, body: {} });
      await bar.getByRole('button', { name: '1 pinned' }).waitFor();
      await msg.getByText('Pinned', { exact: true }).waitFor({ state: 'detached' });
    } finally {
      await other.context().close();
    }
  });
});
