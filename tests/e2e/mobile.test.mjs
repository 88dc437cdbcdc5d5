// The app at 375 px wide: the rooms list and the room are two screens, with a back button.
import { after, before, describe, it } from 'node:test';
import { apiUser, launch, rest, screenshot, signedInContext, uniqueSuffix } from './helpers.mjs';

describe('small screens', () => {
  const id = uniqueSuffix();
  let dana;
  let eve;
  let browser;
  let page;
  let projectId;

  before(async () => {
    // Set-up over the API; the browser part is what this test is about.
    dana = await apiUser('dana', id);
    eve = await apiUser('eve', id);
    const access = dana.token;
    const eveToken = eve.token;
    const eveUser = eve.user;
    const project = await rest('/api/projects/', { token: access, body: { key: `M${id.replace(/[^a-z0-9]/gi, '').slice(-6).toUpperCase()}`, name: `Mobile ${id}` } });
    projectId = project.id;
    await rest(`/api/projects/${projectId}/members/`, { token: access, body: { user_id: eveUser.id, role: 'member' } });
    const room = await rest('/api/chat/rooms/', { token: access, body: { type: 'direct', project: projectId, participant_ids: [eveUser.id] } });
    await rest('/api/chat/messages/', { token: eveToken, body: { room: room.id, content: `hi from a phone ${id}`, type: 'text' } });

    browser = await launch();
    const context = await signedInContext(browser, dana, { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    page = await context.newPage();
  });

  after(async () => {
    await browser?.close();
  });

  it('shows the rooms and the room as two screens, with a back button', async () => {
    await page.goto(`/chat/${projectId}`);
    const rooms = page.getByRole('navigation', { name: 'Chat rooms' });
    await rooms.getByRole('button', { name: new RegExp(`^${eve.username}\\s*, 1 unread`) }).click();
    await page.getByRole('log', { name: 'Messages' }).getByText(`hi from a phone ${id}`).waitFor();
    await page.getByRole('textbox', { name: 'Message', exact: true }).fill('replying from 375px');
    await page.getByRole('textbox', { name: 'Message', exact: true }).press('Enter');
    await page.getByRole('log', { name: 'Messages' }).getByText('replying from 375px').waitFor();
    await screenshot(page, 'chat-mobile.png');
    // The room is a screen of its own: no room list beside it.
    if (await page.getByRole('navigation', { name: 'Chat rooms' }).count()) throw new Error('the room list shows beside the room');
    await page.getByRole('button', { name: /^Back to rooms/ }).click();
    await page.getByRole('navigation', { name: 'Chat rooms' }).getByRole('button', { name: new RegExp(`^${eve.username}`) }).waitFor();
    if (await page.getByRole('log', { name: 'Messages' }).count()) throw new Error('the room still shows beside the room list');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 1) throw new Error(`page scrolls sideways by ${overflow}px`);
  });
});
