// Tickets and chat as one: live ticket chips, a ticket made from a message, a ticket's discussion
// that is both its comments and a chat thread, a room following a project's ticket events.
// Two people in two browser contexts wherever both take part.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { axe, chooseOption, launch, projectKey, rest, screenshot, signedInContext, twoInARoom, uniqueSuffix } from './helpers.mjs';

describe('tickets in chat', () => {
  const id = uniqueSuffix();
  const key = projectKey('T', id);
  let browser;
  let ada;
  let ben;
  let project;
  let room;

  const log = (page) => page.getByRole('log', { name: 'Messages', exact: true });
  const messageWith = (page, text) => log(page).locator('article', { hasText: text });
  const chip = (scope, ticket) => scope.locator(`a.sb-ticket-chip[data-ticket-id="${ticket.id}"]`);

  before(async () => {
    ({ owner: ada, member: ben, project, room } = await twoInARoom(id, { names: ['tada', 'tben'], key, projectName: `Chat tickets ${id}`, roomName: `triage-${id}` }));
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  it('a chip changes colour live when another person resolves the ticket', async () => {
    const ticket = await rest('/api/tickets/', { token: ada.token, body: { project: project.id, title: `Printer on fire ${id}`, priority: 'high', assignee_id: ada.user.id } });
    await rest('/api/chat/messages/', { token: ada.token, body: { room: room.id, content: `Can someone look at ${ticket.key}? Not \`${ticket.key}\` in code.`, type: 'text' } });

    const [ctxAda, ctxBen] = await Promise.all([signedInContext(browser, ada), signedInContext(browser, ben)]);
    const [a, b] = await Promise.all([ctxAda.newPage(), ctxBen.newPage()]);
    await b.goto(`/chat/${project.id}/${room.id}`);
    const onBen = chip(messageWith(b, 'Can someone look at'), ticket);
    await onBen.waitFor();
    // Only the reference outside the code span is a chip.
    assert.equal(await messageWith(b, 'Can someone look at').locator('a.sb-ticket-chip').count(), 1);
    assert.equal(await onBen.getAttribute('data-status'), 'open');
    assert.match((await onBen.textContent()) ?? '', new RegExp(`${ticket.key}.*Printer on fire ${id}.*Open`));
    const openColour = await onBen.evaluate((el) => getComputedStyle(el).borderColor);

    // The hover card: title, status, priority, assignee.
    await onBen.hover();
    const card = b.getByTestId('ticket-card');
    await card.waitFor();
    for (const text of [`Printer on fire ${id}`, 'Open', 'High', ada.username]) await card.getByText(text, { exact: false }).first().waitFor();
    await axe(b);
    await b.mouse.move(0, 0);

    // Ada resolves it on the ticket page; Ben's chip follows without a reload.
    await a.goto(`/tickets/${ticket.key}`);
    await chooseOption(a, a, 'Status', '', 'Resolved');
    await b.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-status') === 'resolved', `a.sb-ticket-chip[data-ticket-id="${ticket.id}"]`, { timeout: 10_000 });
    assert.notEqual(await onBen.evaluate((el) => getComputedStyle(el).borderColor), openColour);
    assert.match((await onBen.textContent()) ?? '', /Resolved/);
    await screenshot(b, 'tickets-chip-resolved.png');

    // Ada's ticket page lists where chat mentions it; the chip clicks through to the ticket.
    const mentioned = a.getByRole('region', { name: 'Mentioned in chat' });
    await mentioned.getByText('Can someone look at', { exact: false }).waitFor();
    await onBen.click();
    await b.waitForURL(`**/tickets/${ticket.key}`);
    await b.getByRole('heading', { name: `Printer on fire ${id}` }).waitFor();
    await axe(b);
    assert.deepEqual(ctxBen.foreignRequests, []);
    await Promise.all([ctxAda.close(), ctxBen.close()]);
  });

  it('# in the composer suggests tickets and inserts the key, which is sent as a chip', async () => {
    const ticket = await rest('/api/tickets/', { token: ada.token, body: { project: project.id, title: `Suggest me ${id}` } });
    const ctx = await signedInContext(browser, ben);
    const page = await ctx.newPage();
    await page.goto(`/chat/${project.id}/${room.id}`);
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('');
    await box.pressSequentially(`see #Suggest`);
    const list = page.getByRole('listbox', { name: 'Tickets' });
    await list.getByRole('option', { name: new RegExp(ticket.key) }).waitFor();
    await axe(page);
    await box.press('Enter');
    assert.equal(await box.inputValue(), `see ${ticket.key} `);
    await box.press('Enter');
    await chip(messageWith(page, 'see'), ticket).waitFor();
    await ctx.close();
  });

  it('creates a ticket from a message and lands on it', async () => {
    await rest('/api/chat/messages/', { token: ada.token, body: { room: room.id, content: `**Export** crashes on big files ${id}\nsteps: export 2 GB`, type: 'text' } });
    const ctx = await signedInContext(browser, ben);
    const page = await ctx.newPage();
    await page.goto(`/chat/${project.id}/${room.id}`);
    const msg = messageWith(page, `crashes on big files ${id}`);
    await msg.hover();
    await msg.getByRole('button', { name: 'Create ticket from message' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create ticket from message' });
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Title').inputValue(), `Export crashes on big files ${id}`);
    await chooseOption(page, dialog, 'Priority', '', 'Urgent');
    await chooseOption(page, dialog, 'Type', '', 'Bug');
    await axe(page, '.ant-modal');
    await dialog.getByRole('button', { name: 'Create ticket' }).click();

    await page.waitForURL(new RegExp(`/tickets/${key}-\\d+$`));
    await page.getByRole('heading', { name: `Export crashes on big files ${id}` }).waitFor();
    const ticketKey = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
    const ticket = await rest(`/api/tickets/by-key/${ticketKey}/`, { token: ben.token });
    assert.equal(ticket.priority, 'urgent');
    assert.equal(ticket.type, 'bug');
    assert.equal(ticket.reporter.id, ben.user.id);
    assert.match(ticket.description, /crashes on big files/);
    // The page links back to where it came from.
    await page.getByRole('link', { name: `Made from a message in triage-${id}` }).waitFor();
    await axe(page);
    await screenshot(page, 'tickets-from-message.png');
    await ctx.close();
  });

  it('a comment typed on the ticket page appears in the other person’s open thread without a reload', async () => {
    const ticket = await rest('/api/tickets/', { token: ada.token, body: { project: project.id, title: `Discuss me ${id}` } });
    const [ctxAda, ctxBen] = await Promise.all([signedInContext(browser, ada), signedInContext(browser, ben)]);
    const [a, b] = await Promise.all([ctxAda.newPage(), ctxBen.newPage()]);

    // Ada starts the discussion from the ticket page, in the room.
    await a.goto(`/tickets/${ticket.key}`);
    const panel = a.getByRole('region', { name: 'Discussed in' });
    await chooseOption(a, panel, 'Room for the discussion', '', `triage-${id}`);
    await panel.getByRole('button', { name: 'Start discussion' }).click();
    const open = panel.getByRole('link', { name: 'Open the thread in chat' });
    await open.waitFor();
    await axe(a);
    const { discussion } = await rest(`/api/tickets/${ticket.id}/`, { token: ada.token });
    assert.equal(discussion.room, room.id);
    assert.equal(new URL(await open.getAttribute('href'), 'http://x').search, `?thread=${discussion.root_id}`);

    // Ben has the thread open; Ada comments on the ticket page.
    await b.goto(`/chat/${project.id}/${room.id}?thread=${discussion.root_id}`);
    await log(b).waitFor();
    await b.getByText(`Discussion of ${ticket.key}`, { exact: false }).first().waitFor();
    // With the thread panel the reply must show there; a build without it shows live replies in the room.
    const threadLog = b.getByRole('log', { name: 'Thread messages', exact: true });
    const where = (await threadLog.count()) > 0 ? threadLog : log(b);
    const comment = `Reproduced on staging ${id}`;
    await a.getByRole('textbox', { name: 'Comment' }).fill(comment);
    await a.getByRole('button', { name: 'Add comment' }).click();
    await a.getByRole('region', { name: 'Comments' }).getByText(comment).waitFor();
    await where.locator('[data-testid="message-content"]', { hasText: comment }).first().waitFor({ timeout: 10_000 });
    assert.equal(await where.locator('[data-testid="message-content"]', { hasText: comment }).count(), 1);
    await screenshot(b, 'tickets-discussion-thread.png');
    await Promise.all([ctxAda.close(), ctxBen.close()]);
  });

  it('a room follows the project’s ticket events as system messages, until the feed stops', async () => {
    const ctx = await signedInContext(browser, ben);
    const page = await ctx.newPage();
    await page.goto(`/chat/${project.id}/${room.id}`);
    await page.getByRole('button', { name: 'Room settings', exact: true }).click();
    const drawer = page.getByRole('dialog', { name: `Settings of triage-${id}` });
    await drawer.waitFor();
    const events = drawer.getByRole('group', { name: 'Ticket events to post' });
    await events.getByRole('checkbox', { name: 'Status changes' }).uncheck();
    await drawer.getByRole('button', { name: 'Follow tickets' }).click();
    await drawer.getByText(`This room follows ${key}: New tickets.`, { exact: false }).waitFor();
    await axe(page, '.ant-drawer');
    await drawer.getByRole('button', { name: 'Close room settings' }).click();

    const ticket = await rest('/api/tickets/', { token: ada.token, body: { project: project.id, title: `Fed ${id}` } });
    const line = page.locator('[data-testid="system-message"]', { hasText: ticket.key }).first();
    await line.waitFor({ timeout: 10_000 });
    // Rendered as an event (centered, no toolbar), linking the ticket.
    assert.equal(await line.locator('..').getAttribute('data-event-kind'), 'ticket_feed_created');
    await line.hover();
    assert.equal(await page.getByRole('toolbar', { name: 'Message actions' }).count(), 0);
    await line.getByRole('link', { name: new RegExp(ticket.key) }).first().waitFor();

    await page.getByRole('button', { name: 'Room settings', exact: true }).click();
    await drawer.getByRole('button', { name: 'Stop feed' }).click();
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await drawer.getByRole('button', { name: 'Follow tickets' }).waitFor();
    const feed = await rest(`/api/chat/rooms/${room.id}/ticket_feed/`, { token: ben.token });
    assert.deepEqual(feed.events, []);
    await ctx.close();
  });
});
