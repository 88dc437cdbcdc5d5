import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { App } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { json, signedInFetch } from '@/testing/api';
import { ChangePasswordForm } from './change-password-form';
import { SessionsList } from './sessions-list';

function renderWith(ui: React.ReactNode) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter>
        <App>{ui}</App>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

// Ant Design forms render slowly in jsdom on a busy machine.
describe('the sessions page', { timeout: 30_000 }, () => {
  const fetchMock = signedInFetch();
  afterEach(cleanup);

  it('lists the sessions with the current one marked', async () => {
    fetchMock.mockResolvedValueOnce(
      json(200, [
        { id: 1, created_at: '2026-11-30T10:00:00Z', last_used_at: '2026-11-30T12:00:00Z', user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36', ip: '10.0.0.1', current: true },
        { id: 2, created_at: '2026-11-29T10:00:00Z', last_used_at: null, user_agent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1', ip: '10.0.0.2', current: false },
      ]),
    );
    renderWith(<SessionsList />);
    const current = await screen.findByRole('listitem', { name: 'Chrome on Linux (this session)' }, { timeout: 10_000 });
    expect(within(current).getByText('This session')).toBeTruthy();
    expect(within(current).getByRole('button', { name: 'Sign out of this session' })).toBeTruthy();
    const other = screen.getByRole('listitem', { name: 'Safari on iOS' });
    expect(within(other).getByRole('button', { name: 'Sign out Safari on iOS, session 2' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign out everywhere' })).toBeTruthy();
  });

  it('shows the server’s errors beside the password fields they are about', async () => {
    fetchMock.mockResolvedValueOnce(
      json(400, { status: 400, title: 'Invalid', detail: 'Check the fields.', errors: { current_password: ['The current password is wrong.'] } }),
    );
    renderWith(<ChangePasswordForm />);
    fireEvent.change(screen.getByLabelText('Current password'), { target: { value: 'not-it-123' } });
    fireEvent.change(screen.getByLabelText('New password'), { target: { value: 'brand-new-pass' } });
    fireEvent.change(screen.getByLabelText('Repeat new password'), { target: { value: 'brand-new-pass' } });
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    await screen.findByText('The current password is wrong.', undefined, { timeout: 10_000 });
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/api/auth/password/');
    expect(JSON.parse(init.body as string)).toEqual({ current_password: 'not-it-123', new_password: 'brand-new-pass' });
    // The message sits with its field, which is marked invalid for screen readers.
    await waitFor(() => expect(screen.getByLabelText('Current password').getAttribute('aria-invalid')).toBe('true'));
  });

  it('checks the repeated password before asking the server', async () => {
    renderWith(<ChangePasswordForm />);
    fireEvent.change(screen.getByLabelText('Current password'), { target: { value: 'old-pass-123' } });
    fireEvent.change(screen.getByLabelText('New password'), { target: { value: 'brand-new-pass' } });
    fireEvent.change(screen.getByLabelText('Repeat new password'), { target: { value: 'brand-new-typo' } });
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    await screen.findByText('The two passwords differ', undefined, { timeout: 10_000 });
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
