// Calls in the browser: two people in a video call over Chromium's fake camera and microphone,
// connected peer to peer and then forced through the real coturn the test script starts (TURN
// only), with the media counted from each side's own statistics. The call UI is checked by axe.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';
import { apiUser, rest, screenshot, signedInContext, uniqueSuffix } from './helpers.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function launchWithMedia() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    ],
  });
}

/** A signed-in context whose pages keep every RTCPeerConnection they make (for getStats), optionally TURN only. */
async function callContext(browser, user, { relayOnly = false } = {}) {
  const context = await signedInContext(browser, user);
  await context.grantPermissions(['camera', 'microphone']);
  await context.addInitScript((relay) => {
    if (relay) window.localStorage.setItem('switchboard.call.iceTransportPolicy', 'relay');
    const Native = window.RTCPeerConnection;
    window.__pcs = [];
    window.RTCPeerConnection = class extends Native {
      constructor(...args) {
        super(...args);
        window.__pcs.push(this);
      }
    };
  }, relayOnly);
  return context;
}

const connected = (page) =>
  page.waitForFunction(() => window.__pcs?.some((pc) => pc.connectionState === 'connected'), null, { timeout: 30_000 });

/** Bytes received over RTP on the page's open connections, and the kinds of local candidates in use. */
function mediaStats(page) {
  return page.evaluate(async () => {
    let inbound = 0;
    const used = [];
    for (const pc of window.__pcs) {
      if (pc.connectionState !== 'connected') continue;
      const stats = await pc.getStats();
      const byId = new Map();
      stats.forEach((r) => byId.set(r.id, r));
      stats.forEach((r) => {
        if (r.type === 'inbound-rtp') inbound += r.bytesReceived ?? 0;
        if (r.type === 'transport' && r.selectedCandidatePairId) {
          const pair = byId.get(r.selectedCandidatePairId);
          used.push(byId.get(pair?.localCandidateId)?.candidateType);
        }
      });
      pc.getConfiguration().iceTransportPolicy === 'relay' && used.push('policy:relay');
    }
    return { inbound, used };
  });
}

async function assertMediaFlows(page, who) {
  const first = await mediaStats(page);
  await sleep(2000);
  const second = await mediaStats(page);
  assert.ok(second.inbound > first.inbound && first.inbound > 0, `${who} receives media: ${first.inbound} then ${second.inbound} bytes`);
  return second;
}

async function axe(page, include) {
  // The notice and the window slide in: wait for them to settle before measuring contrast.
  await sleep(400);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).include(include).analyze();
  assert.deepEqual(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), []);
}

describe('calls', () => {
  const id = uniqueSuffix();
  const key = `C${id.replace(/[^a-z0-9]/gi, '').slice(-6).toUpperCase()}`;
  let browser;
  let ada;
  let ben;
  let project;
  let direct;

  before(async () => {
    [ada, ben] = await Promise.all([apiUser('ada', id), apiUser('ben', id)]);
    project = await rest('/api/projects/', { token: ada.token, body: { key, name: `Calls ${id}` } });
    await rest(`/api/projects/${project.id}/members/`, { token: ada.token, body: { user_id: ben.user.id, role: 'member' } });
    direct = await rest('/api/chat/rooms/', { token: ada.token, body: { type: 'direct', project: project.id, participant_ids: [ben.user.id] } });
    browser = await launchWithMedia();
  });

  after(async () => {
    await browser?.close();
  });

  async function call({ relayOnly }) {
    const [ctxAda, ctxBen] = await Promise.all([callContext(browser, ada, { relayOnly }), callContext(browser, ben, { relayOnly })]);
    const [a, b] = await Promise.all([ctxAda.newPage(), ctxBen.newPage()]);
    // Ben is somewhere else in the app: the ring reaches him there.
    await Promise.all([a.goto(`/chat/${project.id}/${direct.id}`), b.goto('/projects')]);
    await a.getByRole('log', { name: 'Messages' }).waitFor();
    await b.getByRole('heading', { name: 'Projects' }).waitFor();

    await a.getByRole('button', { name: 'Start video call' }).click();
    await a.getByRole('region', { name: 'Call' }).waitFor();
    const ring = b.getByRole('alertdialog', { name: new RegExp(`Incoming video call from ${ada.username}`) });
    await ring.waitFor({ timeout: 15_000 });
    return { ctxAda, ctxBen, a, b, ring };
  }

  it('two people in a video call connect peer to peer and both receive media', async () => {
    const { ctxAda, ctxBen, a, b, ring } = await call({ relayOnly: false });
    await axe(b, '[role="alertdialog"]');
    await ring.getByRole('button', { name: 'Accept' }).click();
    await b.getByRole('region', { name: 'Call' }).waitFor();
    await Promise.all([connected(a), connected(b)]);
    await assertMediaFlows(a, 'Ada');
    await assertMediaFlows(b, 'Ben');
    await b.getByRole('region', { name: 'Call' }).getByText('Connected').waitFor();
    await axe(a, 'section[aria-label="Call"]');
    await screenshot(a, 'call-video.png');

    // Mute and camera are toggles that say so.
    const mute = a.getByRole('button', { name: 'Mute' });
    await mute.click();
    await a.getByRole('button', { name: 'Unmute' }).and(a.locator('[aria-pressed="true"]')).waitFor();
    await a.getByRole('button', { name: 'Camera off' }).click();
    await a.getByRole('button', { name: 'Camera on' }).waitFor();

    await b.getByRole('button', { name: 'Hang up' }).click();
    await a.getByRole('button', { name: 'Hang up' }).click();
    await a.getByRole('region', { name: 'Call' }).waitFor({ state: 'detached' });
    await a.getByRole('log', { name: 'Messages' }).getByText(/^Video call ended \(\d+:\d\d\)$/).waitFor({ timeout: 10_000 });
    assert.deepEqual(ctxAda.foreignRequests, []);
    await Promise.all([ctxAda.close(), ctxBen.close()]);
  });

  it('the same call forced through TURN only connects over the relay', async (t) => {
    const ice = await rest('/api/calls/ice_servers/', { token: ada.token });
    const turn = ice.ice_servers.find((s) => s.urls.some((u) => u.startsWith('turn:')));
    if (!process.env.TURN_URL) {
      t.skip('no TURN server given (TURN_URL); scripts/test.sh starts coturn and sets it');
      return;
    }
    assert.ok(turn?.username && turn.credential, 'the server hands out TURN credentials');
    assert.match(turn.username, new RegExp(`^\\d+:${ada.user.id}$`));

    const { ctxAda, ctxBen, a, b, ring } = await call({ relayOnly: true });
    await ring.getByRole('button', { name: 'Accept' }).click();
    await Promise.all([connected(a), connected(b)]);
    for (const [page, who] of [[a, 'Ada'], [b, 'Ben']]) {
      const { used } = await assertMediaFlows(page, who);
      assert.ok(used.includes('policy:relay'), `${who}'s connection is TURN only`);
      assert.ok(used.filter((u) => !u.startsWith('policy:')).every((u) => u === 'relay') && used.includes('relay'), `${who} sends through the relay: ${used}`);
    }
    await Promise.all([b.getByRole('button', { name: 'Hang up' }).click(), a.getByRole('button', { name: 'Hang up' }).click()]);
    await Promise.all([ctxAda.close(), ctxBen.close()]);
  });
});
