import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newContext, signIn, signUp, uniqueSuffix } from './helpers.mjs';

describe('account', () => {
  let browser;
  let context;
  let page;
  const id = uniqueSuffix();
  const user = { username: `carol_${id}`, email: `carol_${id}@example.test`, password: 'correct-horse-42' };

  before(async () => {
    browser = await launch();
    context = await newContext(browser);
    page = await context.newPage();
  });
  after(async () => {
    await browser?.close();
  });

  it('signs up and lands on the projects page', async () => {
    await signUp(page, user);
    assert.match(new URL(page.url()).pathname, /^\/projects/);
  });

  it('keeps the session across a reload', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'Projects' }).waitFor();
  });

  it('signs out', async () => {
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });

  it('shows a clear message for a wrong password', async () => {
    await signIn(page, { username: user.username, password: 'not-the-password' });
    await page.getByRole('alert').filter({ hasText: /wrong username or password|too many attempts/i }).waitFor();
  });

  it('signs in again', async () => {
    await signIn(page, user);
    await page.getByRole('heading', { name: 'Projects' }).waitFor();
  });

  it('shows server field errors on the form (duplicate username)', async () => {
    const other = await (await newContext(browser)).newPage();
    await other.goto('/register');
    await other.getByLabel('Username', { exact: true }).fill(user.username);
    await other.getByLabel('Email', { exact: true }).fill(`x_${user.email}`);
    await other.getByLabel('Password', { exact: true }).fill(user.password);
    await other.getByRole('button', { name: 'Sign up' }).click();
    // 409 carries no field errors in every server: accept the message on the field or in the alert.
    await other.getByText(/already|exists|taken|conflict/i).first().waitFor();
  });

  it('made no request to another host', () => {
    assert.deepEqual(context.foreignRequests, []);
  });
});
