// One socket for the whole app: what another person does shows up without a reload, and
// "sign out everywhere" reaches every browser at once. Two people, two browser contexts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiUser, launch, rest, screenshot, signedInContext, uniqueSuffix } from './helpers.mjs';

describe('live updates over the user socket', () => {
  const id = uniqueSuffix();
  const key = `L${id.replace(/[^a-z0-9]/gi, '').slice(-6).toUpperCase()}`;
  let browser;
  let ada;
  let ben;
  let project;
  let direct;
  let group;

  const roomButton = (page, name) => page.getByRole('navigation', { name: 'Chat rooms' }).getByRole('button', { name: new RegExp(`^${name}`) });

  before(async () => {
    [ada, ben] = await Promise.all([apiUser('ada', id), apiUser('ben', id)]);
    project = await rest('/api/projects/', { token: ada.token, body: { key, name: `Live ${id}` } });
    await rest(`/api/projects/${project.id}/members/`, { token: ada.token, body: { user_id: ben.user.id, role: 'member' } });
    direct = await rest('/api/chat/rooms/', { token: ada.token, body: { type: 'direct', project: project.id, participant_ids: [ben.user.id] } });
    group = await rest('/api/chat/rooms/', { token: ada.token, body: { type: 'group', name: `ops-${id}`, project: project.id, participant_ids: [ben.user.id] } });
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  it('a message in another room shows its badge without a reload, and presence follows', async () => {
    const context = await signedInContext(browser, ben);
    const page = await context.newPage();
    await page.goto(`/chat/${project.id}/${direct.id}`);
    await page.getByRole('log', { name: 'Messages' }).waitFor();
    const other = roomButton(page, `ops-${id}`);
    await other.waitFor();
    assert.doesNotMatch((await other.textContent()) ?? '', /unread/);

    await rest('/api/chat/messages/', { token: ada.token, body: { room: group.id, content: `in the other room ${id}`, type: 'text' } });
    await roomButton(page, `ops-${id}`).and(page.getByRole('button', { name: /1 unread/ })).waitFor({ timeout: 10_000 });
    await page.getByTestId('unread-badge').first().waitFor();

    // A room Ben is added to appears in his list as it happens.
    const third = await rest('/api/chat/rooms/', { token: ada.token, body: { type: 'group', name: `late-${id}`, project: project.id, participant_ids: [ben.user.id] } });
    await roomButton(page, `late-${id}`).waitFor({ timeout: 10_000 });
    await rest(`/api/chat/rooms/${third.id}/remove_participant/`, { token: ada.token, body: { user_id: ben.user.id } });
    await roomButton(page, `late-${id}`).waitFor({ state: 'detached', timeout: 10_000 });
    await screenshot(page, 'live-badge.png');

    // Presence: Ada has no app open, then opens one; the dot on her direct room follows.
    await roomButton(page, ada.username).and(page.getByRole('button', { name: /, offline\b/ })).waitFor({ timeout: 10_000 });
    const adaContext = await signedInContext(browser, ada);
    const adaPage = await adaContext.newPage();
    await adaPage.goto('/projects');
    await roomButton(page, ada.username).and(page.getByRole('button', { name: /, online\b/ })).waitFor({ timeout: 10_000 });
    await adaContext.close();
    assert.deepEqual(context.foreignRequests, []);
    await context.close();
  });

  it('a status change by one person moves the card on the other’s board without a reload', async () => {
    const ticket = await rest('/api/tickets/', { token: ada.token, body: { project: project.id, title: `Live card ${id}`, priority: 'high', due_date: '2030-01-15' } });
    const [ctxAda, ctxBen] = await Promise.all([signedInContext(browser, ada), signedInContext(browser, ben)]);
    const [a, b] = await Promise.all([ctxAda.newPage(), ctxBen.newPage()]);
    await Promise.all([a.goto(`/board?project=${project.id}`), b.goto(`/board?project=${project.id}`)]);
    const card = (page, column) => page.getByRole('region', { name: `${column} column` }).getByRole('group', { name: `Ticket ${ticket.key}: Live card ${id}` });
    await card(a, 'Open').waitFor();
    await card(b, 'Open').waitFor();
    // The card tells who, how urgent and by when.
    await card(b, 'Open').getByText('High').waitFor();
    await card(b, 'Open').getByText('15 Jan 2030').waitFor();

    await card(a, 'Open').getByRole('button', { name: `Move ${ticket.key}` }).click();
    await a.getByRole('menuitem', { name: 'Move to In progress' }).click();
    await card(a, 'In progress').waitFor();
    await card(b, 'In progress').waitFor({ timeout: 10_000 });
    assert.equal(await card(b, 'Open').count(), 0);

    // Assigned elsewhere (over the API): Ben's card shows the assignee, still without a reload.
    await rest(`/api/tickets/${ticket.id}/`, { token: ada.token, method: 'PATCH', body: { assignee_id: ben.user.id } });
    await card(b, 'In progress').getByLabel(`Assigned to ${ben.user.display_name}`).waitFor({ timeout: 10_000 });

    // The board remembers the project it showed last.
    await b.goto('/board');
    await card(b, 'In progress').waitFor();
    await screenshot(b, 'live-board.png');
    await Promise.all([ctxAda.close(), ctxBen.close()]);
  });

  it('the ticket page and the ticket list follow what someone else does', async () => {
    const ticket = await rest('/api/tickets/', { token: ada.token, body: { project: project.id, title: `Followed ${id}` } });
    const context = await signedInContext(browser, ben);
    const page = await context.newPage();
    // The change below must come after the page's subscription to the ticket's topic is answered.
    const subscribed = new Promise((resolve) => page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => {
      if (typeof payload === 'string' && payload.includes('"subscribed"') && payload.includes(`ticket:${ticket.id}"`)) resolve();
    })));
    await page.goto(`/tickets/${ticket.key}`);
    await page.getByRole('heading', { name: `Followed ${id}` }).waitFor();
    await subscribed;

    await rest(`/api/tickets/${ticket.id}/comments/`, { token: ada.token, body: { body: `Looking into it ${id}` } });
    await page.getByRole('region', { name: 'Comments' }).getByText(`Looking into it ${id}`).waitFor({ timeout: 10_000 });
    await rest(`/api/tickets/${ticket.id}/`, { token: ada.token, method: 'PATCH', body: { status: 'resolved', title: `Followed and fixed ${id}` } });
    await page.getByRole('heading', { name: `Followed and fixed ${id}` }).waitFor({ timeout: 10_000 });
    // Ant Design shows a select's value beside its combobox, not in it.
    await page.locator('.ant-select', { has: page.getByRole('combobox', { name: 'Status' }) }).getByText('Resolved').waitFor();
    const history = page.getByRole('region', { name: 'History' });
    await history.getByText('changed status from Open to Resolved').waitFor({ timeout: 10_000 });
    await history.getByText('commented').waitFor();

    await page.goto(`/tickets?project=${project.id}`);
    await page.getByRole('link', { name: `Followed and fixed ${id}` }).waitFor();
    await rest('/api/tickets/', { token: ada.token, body: { project: project.id, title: `Brand new ${id}` } });
    await page.getByRole('link', { name: `Brand new ${id}` }).waitFor({ timeout: 10_000 });
    await context.close();
  });

  it('"sign out everywhere" closes the other browser’s session', async () => {
    // Two sessions of the same person, as two browsers would have.
    const second = await rest('/api/auth/token/', { body: { username: ada.username, password: ada.password } });
    const [ctx1, ctx2] = await Promise.all([signedInContext(browser, ada), signedInContext(browser, { token: second.access, refresh: second.refresh })]);
    const [one, two] = await Promise.all([ctx1.newPage(), ctx2.newPage()]);
    await two.goto(`/chat/${project.id}/${direct.id}`);
    await two.getByRole('log', { name: 'Messages' }).waitFor();

    await one.goto('/projects');
    await one.getByRole('button', { name: 'Account menu' }).click();
    await one.getByRole('menuitem', { name: 'Sessions and password' }).click();
    await one.getByRole('heading', { name: 'Sessions' }).waitFor();
    const sessions = one.getByRole('listitem').filter({ has: one.getByRole('button', { name: /^Sign out/ }) });
    await sessions.filter({ hasText: 'This session' }).waitFor();
    assert.ok((await sessions.count()) >= 2, 'both sessions are listed');

    await one.getByRole('button', { name: 'Sign out everywhere' }).click();
    await one.getByRole('tooltip').getByRole('button', { name: 'Sign out everywhere' }).click();
    await one.getByRole('heading', { name: 'Sign in' }).waitFor();
    await one.getByRole('status').filter({ hasText: 'You signed out everywhere' }).waitFor();

    // The other browser is told by its socket (4401) and lands on sign-in without a reload.
    await two.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 10_000 });
    await two.getByRole('status').filter({ hasText: 'Your session has ended' }).waitFor();
    assert.equal(await two.evaluate(() => window.localStorage.getItem('switchboard.tokens')), null);
    // And its old tokens are dead on the server too.
    await assert.rejects(rest('/api/auth/me/', { token: second.access }), /401/);
    await screenshot(two, 'live-signed-out.png');
    await Promise.all([ctx1.close(), ctx2.close()]);
  });
});
