import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { ticketRefs } from '@/lib/ticket-refs/live';
import { Markdown, type TicketRef } from './markdown/markdown';

afterEach(() => {
  cleanup();
  ticketRefs.clear();
});

const tickets = new Map<string, TicketRef>([
  ['SUP-42', { id: 42, key: 'SUP-42', title: 'Printer on fire', status: 'open', priority: 'high', assignee: { id: 7, username: 'ada', display_name: 'Ada Lovelace' } }],
]);

function show(content: string) {
  const { container } = render(
    <MemoryRouter>
      <Markdown content={content} tickets={tickets} />
    </MemoryRouter>,
  );
  return container;
}

describe('ticket chips', () => {
  it('shows key, title, status and the assignee, linking to the ticket', () => {
    const chip = show('see SUP-42 now').querySelector('a.sb-ticket-chip') as HTMLAnchorElement;
    expect(chip.getAttribute('href')).toBe('/tickets/SUP-42');
    expect(chip.dataset.status).toBe('open');
    expect(chip.textContent).toContain('SUP-42');
    expect(chip.textContent).toContain('Printer on fire');
    // The status is in the text for screen readers, not only in the colour.
    expect(chip.textContent).toContain('Open');
    expect(chip.textContent).toContain('AL');
  });

  it('follows the ticket live, and turns into text when it is deleted', () => {
    const root = show('see SUP-42');
    act(() => {
      ticketRefs.applyFrame({ type: 'ticket_updated', ticket: { id: 42, key: 'SUP-42', title: 'Printer fixed', status: 'resolved', priority: 'high', assignee: null } });
    });
    const chip = root.querySelector('a.sb-ticket-chip') as HTMLAnchorElement;
    expect(chip.dataset.status).toBe('resolved');
    expect(chip.className).toContain('sb-ticket-status-resolved');
    expect(chip.textContent).toContain('Printer fixed');
    expect(chip.textContent).not.toContain('AL');
    act(() => {
      ticketRefs.applyFrame({ type: 'ticket_deleted', ticket: { id: 42, key: 'SUP-42', title: 'Printer fixed', status: 'resolved' } });
    });
    expect(root.querySelector('.sb-ticket-chip')).toBeNull();
    expect(root.textContent).toContain('see SUP-42');
  });

  it('finds keys whose project key ends in a digit', () => {
    const withDigit = new Map<string, TicketRef>([['WEB2-7', { id: 9, key: 'WEB2-7', title: 'Two', status: 'closed' }]]);
    const { container } = render(
      <MemoryRouter>
        <Markdown content="fixed in WEB2-7." tickets={withDigit} />
      </MemoryRouter>,
    );
    expect(container.querySelector('a.sb-ticket-chip')?.getAttribute('data-status')).toBe('closed');
  });

  it('leaves keys inside code alone', () => {
    expect(show('`SUP-42` and\n\n```\nSUP-42\n```').querySelector('.sb-ticket-chip')).toBeNull();
  });
});
