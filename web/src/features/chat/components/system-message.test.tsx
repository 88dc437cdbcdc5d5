import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import type { ChatMessage } from '../types';
import { eventTicketId, SystemMessage } from './system-message';

afterEach(cleanup);

const user = { id: 1, username: 'ada', email: '', first_name: '', last_name: '', display_name: 'Ada' };

function message(over: Partial<ChatMessage>): ChatMessage {
  return {
    id: 10, room: 2, user, content: 'Ada created SUP-4 from this message', type: 'system', attachment_url: null, attachment_name: null, attachment_size: null,
    reactions: [], created_at: '2026-11-30T10:00:00Z', updated_at: '2026-11-30T10:00:00Z', is_edited: false, edited_at: null, ...over,
  };
}

function show(m: ChatMessage) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <MemoryRouter>
        <SystemMessage message={m} />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('SystemMessage', () => {
  it('shows the text as an event line with the ticket its event names as a live chip', () => {
    const { container } = show(message({ event: { kind: 'ticket_created', ticket_id: 4 }, tickets: [{ id: 4, key: 'SUP-4', title: 'Crash', status: 'open' }] }));
    const note = screen.getByRole('note');
    expect(note.textContent).toMatch(/^Ada created SUP-4Crash, Open from this message/);
    expect(container.querySelector('a.sb-ticket-chip')?.getAttribute('href')).toBe('/tickets/SUP-4');
    expect(container.querySelector('[data-event-kind="ticket_created"]')).not.toBeNull();
    // No edit, reactions or other toolbar on an event.
    expect(screen.queryByRole('toolbar')).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('puts the chip where the text names the ticket, not inside a longer key', () => {
    const { container } = show(message({ content: 'SUP-41 and SUP-4 done', event: { kind: 'ticket_created', ticket_id: 4 }, tickets: [{ id: 4, key: 'SUP-4', title: 'Crash', status: 'open' }] }));
    const text = container.querySelector('.sb-system-text') as HTMLElement;
    expect(text.firstChild?.textContent).toBe('SUP-41 and ');
    expect(text.querySelectorAll('a.sb-ticket-chip')).toHaveLength(1);
    expect(text.lastChild?.textContent).toBe(' done');
  });

  it('links a discussion root to its thread', () => {
    show(message({ id: 12, content: 'Discussion of SUP-4: Crash', event: { kind: 'ticket_discussion', ticket_id: 4 } }));
    expect(screen.getByRole('link', { name: 'Open the discussion' }).getAttribute('href')).toBe('/?thread=12');
  });

  it('reads the ticket id only when it is a positive number', () => {
    expect(eventTicketId({ kind: 'x', ticket_id: 3 })).toBe(3);
    expect(eventTicketId({ kind: 'x', ticket_id: '3' as unknown as number })).toBeNull();
    expect(eventTicketId(null)).toBeNull();
  });
});
