// Templates: made in the manager, inserted in the composer with "/" and a short code (rendered
// for the room, at the cursor, keeping the draft). Profile: names and a picture. Axe on each.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { axe, launch, makePng, projectKey, rest, signedInContext, twoInARoom, uniqueSuffix } from './helpers.mjs';

describe('templates and profile', () => {
  const id = uniqueSuffix();
  let oli;
  let pam;
  let project;
  let room;
  let browser;
  let page;

  before(async () => {
    ({ owner: oli, member: pam, project, room } = await twoInARoom(id, { names: ['oli', 'pam'], key: projectKey('T', id), projectName: `Tmpl ${id}`, roomName: `Desk ${id}` }));
    browser = await launch();
    page = await (await signedInContext(browser, oli)).newPage();
  });

  after(async () => {
    await browser?.close();
  });

  it('makes a personal template in the manager', async () => {
    await page.goto('/templates');
    await page.getByRole('heading', { name: 'Templates' }).waitFor();
    await page.getByRole('button', { name: 'New template' }).click();
    const dialog = page.getByRole('dialog', { name: 'New template' });
    await dialog.getByLabel('Short code').fill('thx');
    await dialog.getByLabel('Title', { exact: true }).fill('Thanks');
    await dialog.getByLabel('Text (Markdown)').fill('Thanks from **{{room.name}}**!');
    await dialog.getByRole('region', { name: 'Template preview' }).locator('strong').waitFor();
    await axe(page);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: '/thx' }).waitFor();
    await axe(page);
  });

  it('inserts the rendered template at the cursor with / and the short code', async () => {
    await page.goto(`/chat/${project.id}/${room.id}`);
    const box = page.getByRole('textbox', { name: 'Message', exact: true });
    await box.fill('Hello. ');
    await box.press('End');
    await box.pressSequentially('/th');
    await page.getByRole('listbox', { name: 'Templates' }).getByRole('option', { name: /thx/ }).waitFor();
    await axe(page);
    await box.press('Enter');
    await page.waitForFunction(() => document.querySelector('textarea[aria-label="Message"]')?.value.includes('Thanks from'));
    assert.equal(await box.inputValue(), `Hello. Thanks from **Desk ${id}**!`);
    await box.press('Enter');
    await page.getByRole('log', { name: 'Messages' }).locator('strong', { hasText: `Desk ${id}` }).waitFor();
  });

  it('edits the profile and uploads a picture that shows on messages', async () => {
    await page.goto('/profile');
    await page.getByRole('heading', { name: 'Profile' }).waitFor();
    await page.getByLabel('First name').fill('Oliver');
    await page.getByLabel('Last name').fill('Quill');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Profile saved').waitFor();
    await page.getByLabel('Choose a picture').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: makePng(64, 64, [30, 120, 200]) });
    await page.getByRole('button', { name: 'Remove picture' }).waitFor();
    await axe(page);
    const me = await rest('/api/auth/me/', { token: oli.token });
    assert.equal(me.display_name, 'Oliver Quill');
    assert.ok(me.avatar_url);
    await page.goto(`/chat/${project.id}/${room.id}`);
    const msg = page.getByRole('log', { name: 'Messages' }).getByRole('article').filter({ hasText: 'Thanks from' });
    await msg.locator(`img[src="${me.avatar_url}"]`).waitFor();
  });
});
