// Voice messages in Chromium with its fake microphone: one person records and sends, the other
// plays it (the position moves), changes the speed and seeks on the waveform; a denied
// microphone says so. axe (WCAG 2.1 A and AA) on the recorder and the player.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';
import { projectKey, rest, screenshot, signedInContext, twoInARoom, uniqueSuffix } from './helpers.mjs';

function launchWithFakeMedia() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

async function axe(page, include) {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity));
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).include(include).analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 4).join(' | ')}`), []);
}

describe('voice messages', () => {
  const id = uniqueSuffix();
  let ada;
  let bo;
  let project;
  let room;
  let browser;

  before(async () => {
    ({ owner: ada, member: bo, project, room } = await twoInARoom(id, { names: ['ada', 'bo'], key: projectKey('V', id), projectName: `Voice ${id}` }));
    browser = await launchWithFakeMedia();
  });

  after(async () => {
    await browser?.close();
  });

  it('records and sends a voice message that the other person plays', async () => {
    const adaPage = await (await signedInContext(browser, ada)).newPage();
    await adaPage.goto(`/chat/${project.id}/${room.id}`);
    await adaPage.getByRole('button', { name: 'Record voice message' }).click();
    const recording = adaPage.getByRole('group', { name: 'Voice recording' });
    await recording.waitFor();
    await adaPage.waitForFunction(() => /^0:0[3-9]$/.test(document.querySelector('[role="timer"]')?.textContent ?? ''));
    await axe(adaPage, '.ant-popover');
    await recording.getByRole('button', { name: 'Send voice message' }).click();
    const adaLog = adaPage.getByRole('log', { name: 'Messages' });
    await adaLog.getByRole('button', { name: 'Play voice message' }).waitFor();

    // What the server made of it: measured from the file, with the browser's waveform.
    const page = await rest(`/api/chat/messages/?room=${room.id}`, { token: bo.token });
    const voice = page.results.at(-1);
    assert.equal(voice.type, 'voice');
    // At least the 3 s waited for; a loaded machine may take a while to press Send.
    assert.ok(voice.duration_ms >= 2500 && voice.duration_ms <= 60_000, `duration ${voice.duration_ms}`);
    assert.equal(voice.waveform.length, 100);
    assert.match(voice.content, /^Voice message \(0:\d\d\)$/);

    const boPage = await (await signedInContext(browser, bo)).newPage();
    await boPage.goto(`/chat/${project.id}/${room.id}`);
    const message = boPage.getByRole('log', { name: 'Messages' }).getByRole('article').filter({ has: boPage.getByRole('slider', { name: 'Voice message position' }) });
    await message.waitFor();
    const slider = message.getByRole('slider', { name: 'Voice message position' });
    assert.match((await slider.getAttribute('aria-valuetext')) ?? '', /^0:00 of 0:\d\d$/);
    await message.getByRole('button', { name: 'Play voice message' }).click();
    await message.getByRole('button', { name: 'Pause voice message' }).waitFor();
    await boPage.waitForFunction(() => (document.querySelector('.sb-voice audio')?.currentTime ?? 0) > 0.5, null, { timeout: 10_000 });
    await message.getByRole('button', { name: /^Playback speed 1×/ }).click();
    await message.getByRole('button', { name: /^Playback speed 1\.5×/ }).waitFor();
    assert.equal(await boPage.evaluate(() => document.querySelector('.sb-voice audio').playbackRate), 1.5);
    await message.getByRole('button', { name: 'Pause voice message' }).click();
    // Seeking: a click near the end of the waveform moves the position there.
    const box = await slider.boundingBox();
    await boPage.mouse.click(box.x + box.width * 0.9, box.y + box.height / 2);
    const at = await boPage.evaluate(() => document.querySelector('.sb-voice audio').currentTime);
    assert.ok(at >= (voice.duration_ms / 1000) * 0.7, `seeked to ${at}`);
    await axe(boPage, '.sb-voice');
    await screenshot(boPage, 'voice-player.png');
  });

  it('says so when the microphone is refused', async () => {
    const context = await signedInContext(browser, ada);
    await context.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    });
    const page = await context.newPage();
    await page.goto(`/chat/${project.id}/${room.id}`);
    await page.getByRole('button', { name: 'Record voice message' }).click();
    await page.getByText(/Microphone access was denied/).waitFor();
    assert.equal(await page.getByRole('group', { name: 'Voice recording' }).count(), 0);
  });
});
