// Two people in two browser contexts: the chat works live both ways, and a ticket moves on the board.
import { after, before, describe, it as nodeIt } from 'node:test';
import assert from 'node:assert/strict';
import { chooseOption, launch, makePng, newContext, screenshot, signUp, uniqueSuffix } from './helpers.mjs';

describe('chat between two people, then the board', () => {
  const id = uniqueSuffix();
  const alice = { username: `alice_${id}`, email: `alice_${id}@example.test`, password: 'alice-pass-123' };
  const bob = { username: `bob_${id}`, email: `bob_${id}@example.test`, password: 'bob-pass-123' };
  const projectKey = `E${id.replace(/[^a-z0-9]/gi, '').slice(-6).toUpperCase()}`.replace(/^E(\d)/, 'EX$1').slice(0, 10);
  const projectName = `E2E ${id}`;
  let browser;
  let ctxA;
  let ctxB;
  let a;
  let b;
  let projectId;

  const messagesOf = (page) => page.getByRole('log', { name: 'Messages' });
  const messageWith = (page, text) => messagesOf(page).getByRole('article').filter({ hasText: text });
  const send = async (page, text) => {
    const box = page.getByRole('textbox', { name: 'Message', exact: true });
    await box.fill(text);
    await box.press('Enter');
  };
  const roomButton = (page, name) => page.getByRole('navigation', { name: 'Chat rooms' }).getByRole('button', { name: new RegExp(`^${name}`) });

  // On failure, keep both screens for the post-mortem.
  const it = (name, fn) =>
    nodeIt(name, async () => {
      try {
        await fn();
      } catch (err) {
        const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40);
        await Promise.allSettled([screenshot(a, `failed-${slug}-alice.png`), screenshot(b, `failed-${slug}-bob.png`)]);
        throw err;
      }
    });

  before(async () => {
    browser = await launch();
    ctxA = await newContext(browser);
    ctxB = await newContext(browser);
    a = await ctxA.newPage();
    b = await ctxB.newPage();
  });

  after(async () => {
    await browser?.close();
  });

  it('both people sign up', async () => {
    await Promise.all([signUp(a, alice), signUp(b, bob)]);
  });

  it('Alice creates a project and adds Bob', async () => {
    await a.getByRole('button', { name: 'New project' }).click();
    const dialog = a.getByRole('dialog', { name: 'New project' });
    await dialog.getByLabel('Key').fill(projectKey);
    await dialog.getByLabel('Name', { exact: true }).fill(projectName);
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await a.getByRole('link', { name: `Members of ${projectName}` }).click();
    await a.waitForURL(/\/projects\/\d+\/settings/);
    projectId = Number(new URL(a.url()).pathname.split('/')[2]);
    assert.ok(projectId > 0);
    await chooseOption(a, a, 'Find a person to add', bob.username);
    await a.getByRole('button', { name: 'Add member' }).click();
    await a.getByText(bob.email).waitFor();
  });

  it('Alice opens a direct room with Bob and sends; Bob sees an unread badge', async () => {
    await a.goto(`/chat/${projectId}`);
    await a.getByRole('button', { name: 'New direct message' }).click();
    const dialog = a.getByRole('dialog', { name: 'New direct message' });
    await chooseOption(a, dialog, 'Person', bob.username);
    await dialog.getByRole('button', { name: 'Open conversation' }).click();
    await a.waitForURL(new RegExp(`/chat/${projectId}/\\d+`));
    await dialog.waitFor({ state: 'hidden' });
    await send(a, `hello bob ${id}`);
    await messageWith(a, `hello bob ${id}`).waitFor();

    await b.goto(`/chat/${projectId}`);
    // The room list is live over the user socket: the badge shows without a reload.
    await roomButton(b, alice.username).and(b.getByRole('button', { name: /1 unread/ })).waitFor({ timeout: 20_000 });
  });

  it('Bob opens the room and the unread badge clears', async () => {
    await roomButton(b, alice.username).click();
    await messageWith(b, `hello bob ${id}`).waitFor();
    // Give mark_read a moment, then reload the room list without a room open.
    await b.waitForTimeout(1_000);
    await b.goto(`/chat/${projectId}`);
    const room = roomButton(b, alice.username);
    await room.waitFor();
    // The unread count is part of the button's text for screen readers (and its badge).
    assert.doesNotMatch(`${(await room.getAttribute('aria-label')) ?? ''} ${await room.textContent()}`, /unread/);
    await room.click();
  });

  it('a message from Alice reaches Bob live, without a reload', async () => {
    await messageWith(b, `hello bob ${id}`).waitFor();
    await send(a, `live one ${id}`);
    await messageWith(b, `live one ${id}`).waitFor();
  });

  it('the typing indicator shows', async () => {
    await b.getByRole('textbox', { name: 'Message', exact: true }).pressSequentially('typing something', { delay: 20 });
    await a.getByText(`${bob.username} is typing…`).waitFor();
    await b.getByRole('textbox', { name: 'Message', exact: true }).fill('');
  });

  it('Bob reacts and Alice sees it', async () => {
    const msg = messageWith(b, `live one ${id}`);
    // Actions live in a toolbar that appears on hover or keyboard focus.
    await msg.hover();
    await msg.getByRole('button', { name: 'Add reaction' }).click();
    await b.getByRole('button', { name: 'React with 👍' }).click();
    await messageWith(b, `live one ${id}`).getByRole('button', { name: /👍 1/ }).waitFor();
    await messageWith(a, `live one ${id}`).getByRole('button', { name: /👍 1/ }).waitFor();
  });

  it('Alice edits and Bob sees the edit', async () => {
    const msg = messageWith(a, `live one ${id}`);
    await msg.hover();
    await msg.getByRole('button', { name: 'Edit message' }).click();
    const box = a.getByRole('textbox', { name: 'Edit message text' });
    await box.fill(`edited one ${id}`);
    await box.press('Enter');
    await messageWith(b, `edited one ${id}`).getByText('(edited)').waitFor();
  });

  it('Alice deletes and Bob sees it go', async () => {
    await send(a, `doomed ${id}`);
    await messageWith(b, `doomed ${id}`).waitFor();
    await messageWith(a, `doomed ${id}`).hover();
    await messageWith(a, `doomed ${id}`).getByRole('button', { name: 'Delete message' }).click();
    await a.getByRole('tooltip').getByRole('button', { name: 'Delete' }).click();
    await messageWith(a, `doomed ${id}`).waitFor({ state: 'detached' });
    await messageWith(b, `doomed ${id}`).waitFor({ state: 'detached' });
  });

  it('an image upload shows a preview on both sides', async () => {
    await a.getByLabel('Choose a file to send').setInputFiles({ name: `pixel-${id}.png`, mimeType: 'image/png', buffer: makePng() });
    await a.getByRole('button', { name: 'Send' }).click();
    const img = (page) => messagesOf(page).getByRole('img', { name: `pixel-${id}.png` });
    await img(a).waitFor();
    await img(b).waitFor();
    // The preview really loaded (not a broken image).
    await b.waitForFunction(
      (name) => [...document.querySelectorAll('img')].some((i) => i.alt === name && i.complete && i.naturalWidth > 0),
      `pixel-${id}.png`,
      { timeout: 15_000 },
    );
  });

  it('search finds a message and opens it in context', async () => {
    await send(a, `needle${id} in the haystack`);
    await messageWith(a, `needle${id}`).waitFor();
    const search = a.getByRole('searchbox', { name: 'Search messages' }).or(a.getByRole('textbox', { name: 'Search messages' }));
    await search.fill(`needle${id}`);
    await search.press('Enter');
    const results = a.getByRole('dialog', { name: /Search results/ });
    const hit = results.getByRole('button', { name: new RegExp(`needle${id}`) });
    await hit.click();
    await a.waitForURL(/[?&]m=\d+/);
    await messageWith(a, `needle${id}`).waitFor();
  });

  it('saves screenshots of the chat', async () => {
    await screenshot(a, 'chat-alice.png');
    await screenshot(b, 'chat-bob.png');
  });

  it('a ticket is created with the shortcut, dragged on the board and commented', async () => {
    await a.goto(`/board?project=${projectId}`);
    await a.getByRole('heading', { name: 'Board' }).waitFor();
    await a.locator('body').click({ position: { x: 5, y: 200 } });
    await a.keyboard.press('c');
    const dialog = a.getByRole('dialog', { name: 'Create ticket' });
    await dialog.getByLabel('Title').fill(`Printer on fire ${id}`);
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await a.waitForURL(new RegExp(`/tickets/${projectKey}-1$`));
    await a.getByRole('heading', { name: `Printer on fire ${id}` }).waitFor();

    await a.goto(`/board?project=${projectId}`);
    const card = a.getByRole('region', { name: 'Open column' }).getByLabel(`Ticket ${projectKey}-1: Printer on fire ${id}`);
    await card.waitFor();
    await card.dragTo(a.getByRole('region', { name: 'In progress column' }));
    await a.getByRole('region', { name: 'In progress column' }).getByLabel(`Ticket ${projectKey}-1: Printer on fire ${id}`).waitFor();
    // The card moves at once; the toast says the server has it (a reload before that would cancel the save).
    await a.getByText(`${projectKey}-1 moved to In progress`).waitFor();
    await screenshot(a, 'board.png');

    // The move was saved on the server: it survives a reload.
    await a.reload();
    await a.getByRole('region', { name: 'In progress column' }).getByLabel(`Ticket ${projectKey}-1: Printer on fire ${id}`).waitFor();

    await a.getByRole('link', { name: `${projectKey}-1` }).click();
    await a.getByRole('textbox', { name: 'Comment' }).fill(`On it ${id}`);
    await a.getByRole('button', { name: 'Add comment' }).click();
    await a.getByRole('region', { name: 'Comments' }).getByText(`On it ${id}`).waitFor();
  });

  it('made no request to another host', () => {
    assert.deepEqual(ctxA.foreignRequests, []);
    assert.deepEqual(ctxB.foreignRequests, []);
  });
});
