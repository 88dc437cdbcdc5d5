// Group rooms and their participants panel, and paging back through a long history.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiUser, launch, rest, signedInContext, uniqueSuffix } from './helpers.mjs';

describe('group rooms and long history', () => {
  const id = uniqueSuffix();
  let hal;
  let ivy;
  let project;
  let browser;
  let h;
  let i;

  before(async () => {
    hal = await apiUser('hal', id);
    ivy = await apiUser('ivy', id);
    project = await rest('/api/projects/', { token: hal.token, body: { key: `G${id.replace(/[^a-z0-9]/gi, '').slice(-6).toUpperCase()}`, name: `Groups ${id}` } });
    await rest(`/api/projects/${project.id}/members/`, { token: hal.token, body: { user_id: ivy.user.id, role: 'member' } });
    browser = await launch();
    h = await (await signedInContext(browser, hal)).newPage();
    i = await (await signedInContext(browser, ivy)).newPage();
  });

  after(async () => {
    await browser?.close();
  });

  it('creates a group room, the other member leaves it from the participants panel', async () => {
    await h.goto(`/chat/${project.id}`);
    await h.getByRole('button', { name: 'New group' }).click();
    const dialog = h.getByRole('dialog', { name: 'New group room' });
    await dialog.getByLabel('Room name').fill(`Team ${id}`);
    const box = dialog.getByRole('combobox', { name: 'Participants' });
    await box.click();
    await box.fill(ivy.username);
    await h.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: ivy.username }).click();
    await h.keyboard.press('Escape');
    await dialog.getByRole('button', { name: 'Create room' }).click();
    await h.getByRole('heading', { name: `Team ${id}` }).waitFor();

    await i.goto(`/chat/${project.id}`);
    const rooms = i.getByRole('navigation', { name: 'Chat rooms' });
    await rooms.getByRole('button', { name: new RegExp(`^Team ${id}`) }).click();
    await i.getByRole('button', { name: 'Participants' }).click();
    const panel = i.getByRole('dialog', { name: `People in Team ${id}` });
    await panel.getByText(`${hal.username}`).first().waitFor();
    await panel.getByRole('button', { name: 'Leave' }).click();
    await i.getByRole('tooltip').getByRole('button', { name: 'OK' }).click();
    await i.waitForURL(new RegExp(`/chat/${project.id}$`));
    await rooms.getByRole('button', { name: new RegExp(`^Team ${id}`) }).waitFor({ state: 'detached' });

    // Hal sees Ivy gone from the room.
    await h.getByRole('button', { name: 'Participants' }).click();
    const hp = h.getByRole('dialog', { name: `People in Team ${id}` });
    await hp.getByText(`${hal.username} (you)`).waitFor();
    await hp.getByText(ivy.username).waitFor({ state: 'detached', timeout: 15_000 });
  });

  it('pages back through a long history when scrolled to the top, and walks it by keyboard', async () => {
    const room = await rest('/api/chat/rooms/', { token: hal.token, body: { type: 'direct', project: project.id, participant_ids: [ivy.user.id] } });
    for (let n = 1; n <= 120; n++) {
      await rest('/api/chat/messages/', { token: ivy.token, body: { room: room.id, content: `history ${n} of ${id}`, type: 'text' } });
    }
    // Read already: the room opens at its end (unread, it would open at the "New messages" line).
    await rest(`/api/chat/rooms/${room.id}/mark_read/`, { token: hal.token, body: {} });
    await h.goto(`/chat/${project.id}/${room.id}`);
    const log = h.getByRole('log', { name: 'Messages' });
    await log.getByText(`history 120 of ${id}`, { exact: true }).waitFor();
    // Pinned to the bottom: the newest is in view.
    await log.getByText(`history 120 of ${id}`, { exact: true }).isVisible();
    for (let tries = 0; tries < 10; tries++) {
      if (await log.getByText(`history 1 of ${id}`, { exact: true }).count()) break;
      await log.evaluate((el) => {
        el.scrollTop = 0;
      });
      await h.waitForTimeout(500);
    }
    await log.getByText(`history 1 of ${id}`, { exact: true }).waitFor();
    await log.getByText('Start of the conversation').waitFor();
    // The list is virtualized: only rows near the view are in the page, yet scrolling down from
    // the start passes every one of the 120 messages, each once, in order.
    const mounted = await log.getByRole('article').count();
    if (mounted >= 120) throw new Error(`expected a virtualized list, saw all ${mounted} messages mounted`);
    const seen = [];
    for (let step = 0; step < 200; step++) {
      const { texts, atEnd } = await log.evaluate((el) => ({
        texts: Array.from(el.querySelectorAll('article [data-testid="message-content"]'), (c) => c.textContent),
        atEnd: el.scrollTop + el.clientHeight >= el.scrollHeight - 2,
      }));
      for (const t of texts) if (!seen.includes(t)) seen.push(t);
      if (atEnd && seen.includes(`history 120 of ${id}`)) break;
      await log.evaluate((el) => el.scrollBy(0, el.clientHeight / 2));
      // Sample once the list has drawn rows for the new position (a row across the view's top edge):
      // a fixed pause read a half-drawn view under load and skipped rows that were there.
      await log.evaluate(
        (el) =>
          new Promise((resolve) => {
            const drawn = () => {
              const top = el.getBoundingClientRect().top;
              return Array.from(el.querySelectorAll('article')).some((a) => {
                const r = a.getBoundingClientRect();
                return r.top <= top + 1 && r.bottom > top;
              });
            };
            const check = (frames) => (drawn() || frames > 120 ? resolve() : requestAnimationFrame(() => check(frames + 1)));
            requestAnimationFrame(() => check(0));
          }),
      );
    }
    const expected = Array.from({ length: 120 }, (_, i) => `history ${i + 1} of ${id}`);
    assert.deepEqual(seen.filter((t) => t.startsWith('history ')), expected);

    // By keyboard: Up from the list reaches the last message, and further Ups walk back through
    // rows that were not in the page when the walk started.
    await log.focus();
    await h.keyboard.press('ArrowUp');
    const focused = () => h.evaluate(() => document.activeElement?.querySelector('[data-testid="message-content"]')?.textContent);
    // The row is brought into view first and focused after it is drawn.
    const focusOn = (t) => h.waitForFunction((text) => document.activeElement?.querySelector('[data-testid="message-content"]')?.textContent === text, t);
    await focusOn(`history 120 of ${id}`);
    assert.equal(await focused(), `history 120 of ${id}`);
    for (let n = 0; n < 80; n++) await h.keyboard.press('ArrowUp');
    await h.waitForFunction((t) => document.activeElement?.textContent?.includes(t), `history 40 of ${id}`);
    assert.equal(await focused(), `history 40 of ${id}`);
    await h.keyboard.press('ArrowDown');
    await focusOn(`history 41 of ${id}`);
    assert.equal(await focused(), `history 41 of ${id}`);
  });
});
