import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { TicketRefData } from '@/lib/ticket-refs/store';
import { Composer } from './composer';
import { TicketLinksContext } from './ticket-links-context';
import type { TicketSource } from './ticket-suggestions';

afterEach(cleanup);

const found: TicketRefData[] = [
  { id: 12, key: 'SUP-12', title: 'Login fails', status: 'open' },
  { id: 14, key: 'SUP-14', title: 'Login slow', status: 'resolved' },
];

function setup() {
  const search = vi.fn(async () => found);
  const source: TicketSource = { projectKeys: new Set(['SUP']), search };
  const onSend = vi.fn();
  render(
    <TicketLinksContext.Provider value={{ createTicket: null, source }}>
      <Composer onSend={onSend} onTyping={() => undefined} pendingFile={null} onPickFile={() => undefined} />
    </TicketLinksContext.Provider>,
  );
  const box = screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
  const type = (value: string) => fireEvent.change(box, { target: { value, selectionStart: value.length } });
  return { search, onSend, box, type };
}

describe('ticket suggestions in the composer', () => {
  it('suggests tickets after # and inserts the picked key instead of sending', async () => {
    const { search, onSend, box, type } = setup();
    type('see #log');
    const list = await screen.findByRole('listbox', { name: 'Tickets' }, { timeout: 5000 });
    expect(search).toHaveBeenLastCalledWith('log', null);
    expect(list.textContent).toContain('SUP-12');
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(box.value).toBe('see SUP-14 ');
    expect(onSend).not.toHaveBeenCalled();
    expect(screen.queryByRole('listbox', { name: 'Tickets' })).toBeNull();
  });

  it('searches the project whose key is typed', async () => {
    const { search, type } = setup();
    type('fixed by SUP-1');
    await screen.findByRole('listbox', { name: 'Tickets' }, { timeout: 5000 });
    expect(search).toHaveBeenLastCalledWith('SUP-1', 'SUP');
  });

  it('asks nothing for unknown keys, and Escape closes the list', async () => {
    const { search, box, type } = setup();
    type('ISO-8601');
    await new Promise((r) => setTimeout(r, 250));
    expect(search).not.toHaveBeenCalled();
    type('#lo');
    await screen.findByRole('listbox', { name: 'Tickets' }, { timeout: 5000 });
    fireEvent.keyDown(box, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('listbox', { name: 'Tickets' })).toBeNull(), { timeout: 5000 });
  });
});
