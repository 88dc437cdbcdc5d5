// Two people in one group room (two browser contexts): reply in thread with the summary arriving
// live on the other side, the Threads view, @ autocomplete and mention highlighting, "Seen by",
// "Mark unread", and the notification bell (live, click-through). axe on every new panel.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiUser, axe, launch, projectKey, rest, screenshot, signedInContext, twoInARoom, uniqueSuffix } from './helpers.mjs';

describe('threads, mentions, seen-by and notifications', () => {
  const id = uniqueSuffix();
  let ana;
  let ben;
  let project;
  let room;
  let browser;
  let pa;
  let pb;
  const roomUrl = () => `/chat/${project.id}/${room.id}`;
  const log = (page) => page.getByRole('log', { name: 'Messages' });
  const article = (page, text) => log(page).getByRole('article').filter({ hasText: text });

  before(async () => {
    ({ owner: ana, member: ben, project, room } = await twoInARoom(id, { names: ['ana', 'ben'], key: projectKey('T', id), projectName: `Threads ${id}`, roomName: `crew ${id}` }));
    browser = await launch();
    pa = await (await signedInContext(browser, ana)).newPage();
    pb = await (await signedInContext(browser, ben)).newPage();
  });

  after(async () => {
    if (pa && pb) {
      await screenshot(pa, 'threads-ana.png').catch(() => undefined);
      await screenshot(pb, 'threads-ben.png').catch(() => undefined);
    }
    await browser?.close();
  });

  it('replies in a thread; the other person sees the summary and the reply live', async () => {
    await rest('/api/chat/messages/', { token: ana.token, body: { room: room.id, content: `root question ${id}`, type: 'text' } });
    await pa.goto(roomUrl());
    await pb.goto(roomUrl());
    await article(pa, `root question ${id}`).waitFor();
    const root = article(pb, `root question ${id}`);
    await root.hover();
    await root.getByRole('button', { name: 'Reply in thread' }).click();
    const panelB = pb.getByRole('complementary', { name: 'Thread' });
    await panelB.getByText(`root question ${id}`).waitFor();
    await panelB.getByLabel('Reply in thread').fill(`thread answer ${id}`);
    await panelB.getByLabel('Reply in thread').press('Enter');
    await panelB.getByRole('log', { name: 'Thread messages' }).getByText(`thread answer ${id}`).waitFor();
    await panelB.getByRole('button', { name: 'Following' }).waitFor();
    await axe(pb);

    // Ana: the summary appears under her root without a reload, the reply stays out of the room.
    const summary = article(pa, `root question ${id}`).getByTestId('thread-summary');
    await summary.getByText('1 reply').waitFor();
    assert.equal(await log(pa).getByText(`thread answer ${id}`).count(), 0, 'a thread-only reply is not in the room timeline');
    await summary.click();
    const panelA = pa.getByRole('complementary', { name: 'Thread' });
    await panelA.getByText(`thread answer ${id}`).waitFor();
    // The root's author follows once someone replies.
    await panelA.getByRole('button', { name: 'Following' }).waitFor();

    // Ben's next reply, also sent to the room, arrives live in Ana's open panel and her room.
    await panelB.getByRole('checkbox', { name: 'Also send to room' }).check();
    await panelB.getByLabel('Reply in thread').fill(`second answer ${id}`);
    await panelB.getByLabel('Reply in thread').press('Enter');
    await panelA.getByText(`second answer ${id}`).waitFor();
    await article(pa, `second answer ${id}`).getByText('Replied in a thread').waitFor();
    await summary.getByText('2 replies').waitFor();
    await screenshot(pa, 'thread-panel.png');

    // Unfollow and follow again from the panel.
    await panelA.getByRole('button', { name: 'Following' }).click();
    await panelA.getByRole('button', { name: 'Follow', exact: true }).waitFor();
    await panelA.getByRole('button', { name: 'Follow', exact: true }).click();
    await panelA.getByRole('button', { name: 'Following' }).waitFor();
    await panelA.getByRole('button', { name: 'Close thread' }).click();
    await panelA.waitFor({ state: 'detached' });
  });

  it('lists threads across rooms in the Threads view and opens one', async () => {
    await pb.getByRole('button', { name: 'Close thread' }).click();
    await pb.getByTestId('threads-entry').click();
    const view = pb.getByRole('region', { name: 'Threads' });
    const item = view.getByRole('button').filter({ hasText: `root question ${id}` });
    await item.waitFor();
    await item.getByText('2 replies').waitFor();
    await axe(pb);
    await item.click();
    await pb.getByRole('complementary', { name: 'Thread' }).getByText(`thread answer ${id}`).waitFor();
    assert.match(pb.url(), new RegExp(`/chat/${project.id}/${room.id}\\?thread=\\d+`));
    await pb.getByRole('button', { name: 'Close thread' }).click();
  });

  it('autocompletes @ mentions and highlights them, the mentioned person\'s own most', async () => {
    const box = pb.getByLabel('Message', { exact: true });
    await box.click();
    await box.pressSequentially('hey @an');
    const list = pb.getByRole('listbox', { name: 'People to mention' });
    await list.getByRole('option', { name: new RegExp(`@${ana.username}`) }).waitFor();
    assert.equal(await list.getByRole('option', { name: new RegExp(`@${ben.username}`) }).count(), 0, 'the writer is not offered');
    await axe(pb, '.sb-template-list');
    await box.press('Enter');
    assert.equal(await box.inputValue(), `hey @${ana.username} `);
    await box.pressSequentially(`please look ${id}`);
    await box.press('Enter');

    const mine = article(pa, `please look ${id}`).locator('.sb-mention');
    await mine.waitFor();
    assert.equal(await mine.innerText(), `@${ana.username}`);
    assert.match((await mine.getAttribute('class')) ?? '', /sb-mention-me/);
    assert.match((await article(pa, `please look ${id}`).getAttribute('class')) ?? '', /sb-msg-mentions-me/, 'the message stands out for the person it mentions');
    const theirs = article(pb, `please look ${id}`).locator('.sb-mention');
    await theirs.waitFor();
    assert.doesNotMatch((await theirs.getAttribute('class')) ?? '', /sb-mention-me/);
  });

  it('asks before @room in a room of more than five people (axe on the question)', async () => {
    const extra = [];
    for (const n of ['cy', 'di', 'ed', 'fa']) extra.push(await apiUser(n, id));
    for (const u of extra) await rest(`/api/projects/${project.id}/members/`, { token: ana.token, body: { user_id: u.user.id, role: 'member' } });
    const big = await rest('/api/chat/rooms/', { token: ana.token, body: { type: 'group', name: `all hands ${id}`, project: project.id, participant_ids: [ben.user.id, ...extra.map((u) => u.user.id)] } });
    await pb.goto(`/chat/${project.id}/${big.id}`);
    const box = pb.getByLabel('Message', { exact: true });
    await box.fill(`@room standup in five ${id}`);
    await box.press('Enter');
    const question = pb.getByRole('dialog').filter({ hasText: 'Notify everyone in this room?' });
    await question.getByText('@room and @here notify up to 5 people.').waitFor();
    await axe(pb, '.ant-modal');
    await question.getByRole('button', { name: 'Keep editing' }).click();
    await question.waitFor({ state: 'hidden' });
    assert.equal(await box.inputValue(), `@room standup in five ${id}`, 'the draft stays');
    await box.press('Enter');
    await pb.getByRole('button', { name: 'Send and notify' }).click();
    await article(pb, `standup in five ${id}`).waitFor();
    await pb.goto(roomUrl());
  });

  it('shows "Seen by" on my message once the other person has read it, and marks unread', async () => {
    const box = pa.getByLabel('Message', { exact: true });
    await box.fill(`did you see this ${id}`);
    await box.press('Enter');
    await article(pb, `did you see this ${id}`).waitFor();
    const seen = article(pa, `did you see this ${id}`).getByTestId('seen-by');
    await seen.waitFor({ timeout: 20_000 });
    assert.match(await seen.innerText(), new RegExp(`Seen by.*${ben.username}`));

    // Ben marks Ana's message unread: his room list shows it unread once he is elsewhere.
    const msg = article(pb, `did you see this ${id}`);
    await msg.hover();
    await msg.getByRole('button', { name: 'Mark unread' }).click();
    await pb.getByText('Marked unread from here').waitFor();
    const res = await rest(`/api/chat/rooms/${room.id}/`, { token: ben.token });
    assert.ok(res.unread_count >= 1, `unread again (${res.unread_count})`);
  });

  it('rings the bell live and opens the message from the notification', async () => {
    await pa.goto('/projects');
    const bell = pa.getByTestId('notification-bell');
    await bell.waitFor();
    await rest('/api/chat/messages/', { token: ben.token, body: { room: room.id, content: `@${ana.username} bell check ${id}`, type: 'text' } });
    await pa.getByRole('button', { name: /^Notifications, \d+ unread$/ }).waitFor();
    await bell.click();
    const drawer = pa.getByRole('dialog', { name: 'Notifications' });
    const item = drawer.getByRole('button').filter({ hasText: `bell check ${id}` });
    await item.waitFor();
    await item.getByText(`${ben.username} mentioned you`).or(item.getByText(/mentioned you/)).first().waitFor();
    await drawer.getByRole('button', { name: 'Turn on' }).waitFor();
    await axe(pa, '.ant-drawer');
    await screenshot(pa, 'notifications-panel.png');
    await item.click();
    await pa.waitForURL(new RegExp(`/chat/${project.id}/${room.id}\\?m=\\d+`));
    const target = article(pa, `bell check ${id}`);
    await target.waitFor();
    assert.match((await target.getAttribute('class')) ?? '', /sb-message-highlight/);

    // A thread reply notifies the root's author; the bell leads into the thread.
    const rootMsg = (await rest(`/api/chat/messages/?room=${room.id}&search=${encodeURIComponent('question')}`, { token: ana.token })).results.find((m) => m.content === `root question ${id}`);
    await pa.goto('/projects');
    await rest('/api/chat/messages/', { token: ben.token, body: { room: room.id, content: `third answer ${id}`, type: 'text', thread_root_id: rootMsg.id } });
    await pa.getByRole('button', { name: /^Notifications, \d+ unread$/ }).waitFor();
    await pa.getByTestId('notification-bell').click();
    await pa.getByRole('dialog', { name: 'Notifications' }).getByRole('button').filter({ hasText: `third answer ${id}` }).click();
    await pa.waitForURL(new RegExp(`\\?thread=${rootMsg.id}`));
    await pa.getByRole('complementary', { name: 'Thread' }).getByText(`third answer ${id}`).waitFor();
  });

  it('shows a desktop notification only once allowed, and only while the tab is in the background', async () => {
    // Stand-ins for the browser's Notification and focus (a headless page cannot lose focus).
    await pa.evaluate(() => {
      window.__shown = [];
      window.__asked = 0;
      class Recorder {
        constructor(title, options) {
          window.__shown.push({ title, body: options?.body });
        }
        close() {}
      }
      Recorder.permission = 'default';
      Recorder.requestPermission = async () => {
        window.__asked++;
        Recorder.permission = 'granted';
        return 'granted';
      };
      window.Notification = Recorder;
      window.__focused = false;
      document.hasFocus = () => window.__focused;
    });
    const send = (text) => rest('/api/chat/messages/', { token: ben.token, body: { room: room.id, content: `@${ana.username} ${text} ${id}`, type: 'text' } });
    const count = () => pa.evaluate(() => window.__shown.length);

    // Not allowed yet: nothing is shown and nothing was asked.
    await pa.getByRole('button', { name: 'Close thread' }).click();
    await pa.getByRole('link', { name: 'Projects' }).click();
    await send('before allowing');
    await pa.getByTestId('notification-bell').click();
    const drawer = pa.getByRole('dialog', { name: 'Notifications' });
    await drawer.getByRole('button').filter({ hasText: `before allowing ${id}` }).waitFor();
    assert.equal(await count(), 0);
    assert.equal(await pa.evaluate(() => window.__asked), 0, 'never asked without the button');

    await drawer.getByRole('button', { name: 'Turn on' }).click();
    await drawer.getByRole('button', { name: 'Turn on' }).waitFor({ state: 'detached' });
    assert.equal(await pa.evaluate(() => window.__asked), 1);
    await drawer.getByRole('button', { name: 'Close notifications' }).click();

    await send('in the background');
    await pa.waitForFunction(() => window.__shown.length > 0);
    const [shown] = await pa.evaluate(() => window.__shown);
    assert.match(shown.title, /mentioned you/);
    assert.match(shown.body, new RegExp(`in the background ${id}`));

    // In front again: the bell counts it, no desktop notification.
    await pa.evaluate(() => (window.__focused = true));
    await send('in front');
    await pa.getByTestId('notification-bell').click();
    await drawer.getByRole('button').filter({ hasText: `in front ${id}` }).waitFor();
    assert.equal(await count(), 1);
  });
});
