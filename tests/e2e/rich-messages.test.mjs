// Markdown in the browser: hostile messages run nothing, formatting renders, the composer stays
// in view in a long room, and the chat page is clean under axe (WCAG 2.1 A and AA).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { axe, launch, makePng, projectKey, rest, screenshot, signedInContext, twoInARoom, uniqueSuffix } from './helpers.mjs';

const PAYLOADS = [
  '<img src=x onerror="window.__pwned = \'img onerror\'">',
  '<script>window.__pwned = "script"</script>',
  '[click me](javascript:window.__pwned=%22link%22)',
  '<a href="javascript:window.__pwned=\'raw link\'">raw link</a>',
  '<svg onload="window.__pwned = \'svg\'"><circle r="4"/></svg>',
  '<div onmouseover="window.__pwned = \'event attribute\'" style="position:fixed;inset:0">cover</div>',
  '![svg](data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0id2luZG93Ll9fcHduZWQ9J2RhdGEgc3ZnJyIvPg==)',
  '[data link](data:text/html;base64,PHNjcmlwdD53aW5kb3cub3BlbmVyLl9fcHduZWQ9MTwvc2NyaXB0Pg==)',
  '<iframe src="javascript:parent.__pwned=\'iframe\'"></iframe>',
  '![x](https://tracker.invalid/pixel.gif)',
];

const RICH = [
  '| Plan | Price |',
  '|------|------:|',
  '| Basic | 10 |',
  '| Pro | 25 |',
  '',
  '```js',
  'function greet(name) { return `hi ${name}`; }',
  '```',
  '',
  '- [x] **bold** and _italic_ and ~~gone~~',
  '- [ ] `inline` and https://example.com/docs',
  '',
  '> quoted',
].join('\n');

describe('rich messages', () => {
  const id = uniqueSuffix();
  let kim;
  let lou;
  let project;
  let room;
  let browser;
  let page;

  before(async () => {
    ({ owner: kim, member: lou, project, room } = await twoInARoom(id, { names: ['kim', 'lou'], key: projectKey('R', id), projectName: `Rich ${id}`, roomName: `Rich room ${id}` }));
    browser = await launch();
    const context = await signedInContext(browser, kim);
    // Anything that runs sets window.__pwned (or the opener's): collect dialogs too.
    page = await context.newPage();
    page.on('dialog', (d) => {
      page.__dialogs = (page.__dialogs ?? 0) + 1;
      return d.dismiss();
    });
  });

  after(async () => {
    await browser?.close();
  });

  it('runs nothing from hostile messages and shows raw HTML as text', async () => {
    for (const content of PAYLOADS) {
      await rest('/api/chat/messages/', { token: lou.token, body: { room: room.id, content, type: 'text' } });
    }
    await page.goto(`/chat/${project.id}/${room.id}`);
    const log = page.getByRole('log', { name: 'Messages' });
    await log.getByText('<script>window.__pwned = "script"</script>').waitFor();
    await log.getByText('<img src=x onerror="window.__pwned = \'img onerror\'">').waitFor();
    // Point at and click everything the messages became, then give timers a moment.
    for (const link of await log.locator('a').all()) await link.hover().catch(() => undefined);
    await log.getByText('click me').click();
    await log.getByText('cover').hover();
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(page.__dialogs ?? 0, 0);
    assert.equal(await log.locator('script, svg:not([aria-hidden]) circle, iframe').count(), 0);
    assert.equal(await log.locator('[onerror], [onload], [onmouseover]').count(), 0);
    assert.equal(await log.locator('a[href^="javascript:" i], a[href^="data:" i], img[src^="data:" i]').count(), 0);
    assert.equal(await log.locator('img[src*="tracker.invalid"]').count(), 0);
    await log.getByText('[image: x]').waitFor();
  });

  it('renders Markdown: a table, a highlighted code block, a task list and links to a new tab', async () => {
    await rest('/api/chat/messages/', { token: lou.token, body: { room: room.id, content: RICH, type: 'text' } });
    const log = page.getByRole('log', { name: 'Messages' });
    const msg = log.getByRole('article').filter({ hasText: 'Plan' });
    await msg.getByRole('table').getByRole('cell', { name: '25' }).waitFor();
    await msg.locator('pre code .hljs-keyword').first().waitFor();
    assert.equal(await msg.locator('pre code').innerText(), 'function greet(name) { return `hi ${name}`; }');
    await msg.getByRole('checkbox', { name: 'Done', exact: true }).waitFor();
    assert.equal(await msg.locator('del').innerText(), 'gone');
    const link = msg.getByRole('link', { name: 'https://example.com/docs' });
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
    await screenshot(page, 'chat-markdown.png');
  });

  it('formats from the composer and previews before sending', async () => {
    const box = page.getByRole('textbox', { name: 'Message', exact: true });
    await box.fill(`ship it ${id}`);
    await box.press('Shift+Home');
    await box.press('Control+b');
    assert.equal(await box.inputValue(), `**ship it ${id}**`);
    await page.getByText('Preview', { exact: true }).click();
    await page.getByRole('region', { name: 'Message preview' }).locator('strong').getByText(`ship it ${id}`).waitFor();
    await page.getByText('Write', { exact: true }).click();
    await page.getByRole('textbox', { name: 'Message', exact: true }).press('Enter');
    await page.getByRole('log', { name: 'Messages' }).locator('strong', { hasText: `ship it ${id}` }).waitFor();
  });

  it('keeps the composer in view at 1280x800 after 30 messages, and the page itself never scrolls', async () => {
    for (let n = 1; n <= 30; n++) {
      await rest('/api/chat/messages/', { token: lou.token, body: { room: room.id, content: `line ${n} of ${id}\nsecond line`, type: 'text' } });
    }
    await page.reload();
    const log = page.getByRole('log', { name: 'Messages' });
    await log.getByText(`line 30 of ${id}`).waitFor();
    const box = page.getByRole('textbox', { name: 'Message', exact: true });
    const rect = await box.boundingBox();
    assert.ok(rect && rect.y >= 0 && rect.y + rect.height <= 800, `composer at ${JSON.stringify(rect)}`);
    const overflow = await page.evaluate(() => document.scrollingElement.scrollHeight - window.innerHeight);
    assert.ok(overflow <= 1, `the page scrolls by ${overflow}px`);
    const inner = await log.evaluate((el) => el.scrollHeight > el.clientHeight);
    assert.ok(inner, 'the message list scrolls inside its pane');
    await screenshot(page, 'chat-long-room.png');
  });

  it('is clean under axe on the chat page, with a message toolbar open', async () => {
    const msg = page.getByRole('log', { name: 'Messages' }).getByRole('article').filter({ hasText: `line 30 of ${id}` });
    await msg.hover();
    await msg.getByRole('toolbar', { name: 'Message actions' }).waitFor();
    await axe(page);
  });

  it('reaches a message toolbar by keyboard alone', async () => {
    const log = page.getByRole('log', { name: 'Messages' });
    await log.focus();
    await page.keyboard.press('ArrowUp');
    const focused = log.locator('article:focus');
    await focused.waitFor();
    await page.keyboard.press('Tab');
    const active = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    assert.equal(active, 'Add reaction');
  });

  it('shows an image as a sized preview with its name and size, and opens it full size', async () => {
    await page.getByLabel('Choose a file to send').setInputFiles({ name: `photo-${id}.png`, mimeType: 'image/png', buffer: makePng(600, 400) });
    await page.getByRole('button', { name: 'Send' }).click();
    const log = page.getByRole('log', { name: 'Messages' });
    const view = log.getByRole('button', { name: `View image photo-${id}.png` });
    await view.waitFor();
    await log.getByText(new RegExp(`photo-${id}\\.png · \\d`)).waitFor();
    await view.click();
    const dialog = page.getByRole('dialog', { name: new RegExp(`photo-${id}`) });
    await dialog.getByRole('img', { name: `photo-${id}.png` }).waitFor();
    await dialog.getByRole('link', { name: 'Download' }).waitFor();
    await axe(page);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('shows earlier versions when "edited" is clicked', async () => {
    const m = await rest('/api/chat/messages/', { token: kim.token, body: { room: room.id, content: `first draft ${id}`, type: 'text' } });
    await rest(`/api/chat/messages/${m.id}/`, { token: kim.token, method: 'PATCH', body: { content: `second take ${id}` } });
    const msg = page.getByRole('log', { name: 'Messages' }).locator(`#msg-${m.id}`);
    await msg.getByText(`second take ${id}`).waitFor();
    await msg.getByRole('button', { name: 'Edited: show earlier versions' }).click();
    const versions = page.getByRole('list', { name: 'Versions, oldest first' });
    await versions.getByText(`first draft ${id}`).waitFor();
    await versions.getByText(`second take ${id}`).waitFor();
    await axe(page);
  });
});
