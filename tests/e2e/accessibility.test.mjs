// Every page and every dialog of the web app under axe (WCAG 2.1 A and AA: serious and critical
// findings fail), and the parts that must work by keyboard alone: the composer, the message
// toolbar, the emoji picker and the board's Move menu.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { launch, newContext, projectKey, rest, signedInContext, twoInARoom, uniqueSuffix } from './helpers.mjs';

/** Waits for animations (a dialog fading in has text at part opacity), then runs axe. */
async function axe(page, where) {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity));
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${where}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(' | ')}`),
    [],
  );
}

describe('accessibility', () => {
  const id = uniqueSuffix();
  let ada;
  let bo;
  let project;
  let room;
  let ticket;
  let edited;
  let browser;
  let page;

  before(async () => {
    ({ owner: ada, member: bo, project, room } = await twoInARoom(id, { names: ['ada', 'bo'], key: projectKey('A', id), projectName: `Access ${id}`, roomName: `Team ${id}` }));
    await rest('/api/chat/messages/', { token: bo.token, body: { room: room.id, content: `hello **there** ${id}`, type: 'text' } });
    edited = await rest('/api/chat/messages/', { token: ada.token, body: { room: room.id, content: `draft ${id}`, type: 'text' } });
    await rest(`/api/chat/messages/${edited.id}/`, { token: ada.token, method: 'PATCH', body: { content: `final ${id}` } });
    await rest(`/api/chat/messages/${edited.id}/pin/`, { token: ada.token, body: {} });
    await rest(`/api/chat/rooms/${room.id}/mark_read/`, { token: ada.token, body: {} });
    ticket = await rest('/api/tickets/', { token: ada.token, body: { project: project.id, title: `Printer on fire ${id}`, description: 'It *burns*.', type: 'bug', priority: 'high', assignee_id: bo.user.id } });
    await rest(`/api/tickets/${ticket.id}/comments/`, { token: bo.token, body: { body: 'On it.' } });
    browser = await launch();
    page = await (await signedInContext(browser, ada)).newPage();
  });

  after(async () => {
    await browser?.close();
  });

  it('sign-in and register pages', async () => {
    const anon = await (await newContext(browser)).newPage();
    try {
      await anon.goto('/login');
      await anon.getByRole('button', { name: 'Sign in' }).waitFor();
      await axe(anon, 'sign-in');
      // A failed sign-in shows its error message.
      await anon.getByLabel('Username').fill(`nobody${id}`);
      await anon.getByLabel('Password').fill('wrong password');
      await anon.getByRole('button', { name: 'Sign in' }).click();
      await anon.getByRole('alert').first().waitFor();
      await axe(anon, 'sign-in error');
      await anon.goto('/register');
      await anon.getByRole('button', { name: 'Sign up' }).waitFor();
      await axe(anon, 'register');
    } finally {
      await anon.context().close();
    }
  });

  it('projects, the new project dialog and project settings', async () => {
    await page.goto('/projects');
    await page.getByText(`Access ${id}`).first().waitFor();
    await axe(page, 'projects');
    await page.getByRole('button', { name: 'New project' }).click();
    await page.getByRole('dialog', { name: 'New project' }).waitFor();
    await axe(page, 'new project dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'New project' }).waitFor({ state: 'hidden' });
    await page.goto(`/projects/${project.id}/settings`);
    await page.getByRole('button', { name: 'Add member' }).waitFor();
    await axe(page, 'project settings and members');
  });

  it('tickets list, the create ticket dialog, the ticket page and the board', async () => {
    await page.goto(`/tickets?project=${project.id}`);
    await page.getByRole('link', { name: ticket.key }).waitFor();
    await axe(page, 'tickets list');
    await page.getByRole('button', { name: 'Create ticket' }).click();
    const dialog = page.getByRole('dialog').filter({ hasText: 'Title' });
    await dialog.waitFor();
    await axe(page, 'create ticket dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.goto(`/tickets/${ticket.key}`);
    await page.getByText('On it.').first().waitFor();
    await page.getByRole('region', { name: 'History' }).or(page.getByText('History', { exact: true })).first().waitFor();
    await axe(page, 'ticket page');
    await page.goto(`/board?project=${project.id}`);
    await page.getByRole('button', { name: `Move ${ticket.key}` }).waitFor();
    await axe(page, 'board');
  });

  it('moves a card on the board by keyboard alone, through its Move menu', async () => {
    await page.goto(`/board?project=${project.id}`);
    const move = page.getByRole('button', { name: `Move ${ticket.key}` });
    await move.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu').filter({ hasText: 'Move to' });
    await menu.waitFor();
    await axe(page, 'board Move menu');
    // Arrow keys reach the item; Enter picks it.
    const active = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        const ref = el?.getAttribute('aria-activedescendant');
        return (ref ? document.getElementById(ref) : el)?.textContent ?? '';
      });
    for (let n = 0; n < 5; n++) {
      if ((await active()).includes('Move to In progress')) break;
      await page.keyboard.press('ArrowDown');
    }
    assert.match(await active(), /Move to In progress/);
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      async ([tid, token]) => {
        const r = await fetch(`/api/tickets/${tid}/`, { headers: { Authorization: `Bearer ${token}` } });
        return (await r.json()).status === 'in_progress';
      },
      [ticket.id, ada.token],
    );
  });

  it('chat page, the new room dialog, search, participants, pins and edit history', async () => {
    await page.goto(`/chat/${project.id}/${room.id}`);
    const log = page.getByRole('log', { name: 'Messages' });
    await log.getByText(`final ${id}`).waitFor();
    await axe(page, 'chat');

    await page.getByRole('button', { name: 'New group' }).click();
    await page.getByRole('dialog').first().waitFor();
    await axe(page, 'new group room dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').first().waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'New direct message' }).click();
    await page.getByRole('dialog').first().waitFor();
    await axe(page, 'new direct message dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').first().waitFor({ state: 'hidden' });

    await page.getByRole('searchbox', { name: 'Search messages' }).fill(`there ${id}`);
    await page.keyboard.press('Enter');
    const results = page.getByRole('dialog', { name: /Search results/ });
    await results.waitFor();
    await results.getByText(/there/).first().waitFor();
    await axe(page, 'search drawer');
    await page.keyboard.press('Escape');
    await results.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Participants' }).click();
    const people = page.getByRole('dialog', { name: /People in/ });
    await people.waitFor();
    await axe(page, 'participants drawer');
    await page.keyboard.press('Escape');
    await people.waitFor({ state: 'hidden' });

    await page.getByRole('region', { name: 'Pinned messages' }).getByRole('button', { name: '1 pinned' }).click();
    const pins = page.getByRole('dialog', { name: 'Pinned messages' });
    await pins.waitFor();
    await axe(page, 'pins panel');
    await page.keyboard.press('Escape');
    await pins.waitFor({ state: 'hidden' });

    await log.locator(`#msg-${edited.id}`).getByRole('button', { name: 'Edited: show earlier versions' }).click();
    await page.getByRole('list', { name: 'Versions, oldest first' }).getByText(`draft ${id}`).waitFor();
    await axe(page, 'edit history');
    await page.keyboard.press('Escape');
  });

  it('uses the composer, a message toolbar and the emoji picker by keyboard alone', async () => {
    await page.goto(`/chat/${project.id}/${room.id}`);
    const log = page.getByRole('log', { name: 'Messages' });
    await log.getByText(`final ${id}`).waitFor();
    const composer = page.getByRole('textbox', { name: /message/i }).last();
    await composer.focus();
    await page.keyboard.type(`typed by keyboard ${id}`);
    await page.keyboard.press('Enter');
    const mine = log.getByRole('article').filter({ hasText: `typed by keyboard ${id}` });
    await mine.waitFor();
    // From the list: Up reaches the newest message, Tab its toolbar, and the reaction picker opens.
    await log.focus();
    await page.keyboard.press('ArrowUp');
    await page.waitForFunction((t) => document.activeElement?.textContent?.includes(t), `typed by keyboard ${id}`);
    let reached = false;
    for (let n = 0; n < 8 && !reached; n++) {
      await page.keyboard.press('Tab');
      reached = (await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))) === 'Add reaction';
    }
    assert.ok(reached, 'Tab from the message reaches "Add reaction"');
    await page.keyboard.press('Enter');
    const react = page.getByRole('button', { name: 'React with 👍' });
    await react.waitFor();
    await axe(page, 'reaction picker');
    await react.focus();
    await page.keyboard.press('Enter');
    await mine.getByRole('button', { name: /👍/ }).first().waitFor();
  });

  it('sessions, templates and profile pages', async () => {
    await page.goto('/account/sessions');
    await page.getByRole('button', { name: 'Sign out everywhere' }).waitFor();
    await axe(page, 'sessions');
    await page.goto('/templates');
    await page.getByRole('button', { name: 'New template' }).waitFor();
    await axe(page, 'templates');
    await page.goto('/profile');
    await page.getByRole('button', { name: 'Save' }).first().waitFor();
    await axe(page, 'profile');
  });
});
