import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { App } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { CreateProjectModal } from '@/features/projects/components/create-project-modal';
import { CreateTicketModal } from './create-ticket-modal';

afterEach(cleanup);

function renderBoth() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false, enabled: false } } });
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter>
        <App>
          {/* The projects page keeps the new-project form rendered while the ticket form is open. */}
          <CreateProjectModal open={false} onClose={() => undefined} />
          <CreateTicketModal open onClose={() => undefined} />
        </App>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return screen.getAllByRole('dialog', { hidden: true }).find((d) => d.textContent?.includes('Create ticket'))!;
}

describe('the ticket form', { timeout: 30_000 }, () => {
  it('gives every field a label of its own that a screen reader announces', () => {
    const dialog = renderBoth();
    for (const name of ['Project', 'Title', 'Description', 'Type', 'Priority', 'Assignee', 'Labels', 'Due date']) {
      const fields = within(dialog).getAllByLabelText(name, { exact: true });
      expect(fields.length, name).toBeGreaterThan(0);
      // The label points into this dialog, not at a field of the same name elsewhere on the page.
      for (const f of fields) expect(dialog.contains(f), name).toBe(true);
    }
    expect(within(dialog).getByLabelText('Description', { exact: true }).tagName).toBe('TEXTAREA');
  });
});
