import { describe, expect, it, vi } from 'vitest';
import { TicketRefStore, type TicketRefData } from './store';

const ada = { id: 7, username: 'ada', display_name: 'Ada Lovelace', avatar_url: null };
const fromMessage: TicketRefData = { id: 42, key: 'SUP-42', title: 'Printer on fire', status: 'open', priority: 'high', assignee: null };

describe('TicketRefStore', () => {
  it('shows what the message said until a frame says more', () => {
    const store = new TicketRefStore();
    expect(store.resolve(fromMessage)).toEqual(fromMessage);
    store.applyFrame({ type: 'ticket_updated', ticket: { ...fromMessage, status: 'resolved', assignee: ada } });
    expect(store.resolve(fromMessage)).toMatchObject({ status: 'resolved', assignee: { id: 7 } });
  });

  it('keeps only what a chip shows of a full ticket', () => {
    const store = new TicketRefStore();
    store.applyFrame({ type: 'ticket_updated', ticket: { ...fromMessage, description: 'x'.repeat(5000), reporter: ada } as TicketRefData });
    expect(Object.keys(store.get(42)!).sort()).toEqual(['assignee', 'id', 'key', 'priority', 'status', 'title']);
  });

  it('tells its listeners about changes, and not about frames that change nothing', () => {
    const store = new TicketRefStore();
    const listener = vi.fn();
    const off = store.subscribe(listener);
    store.applyFrame({ type: 'ticket_updated', ticket: { ...fromMessage, status: 'in_progress' } });
    store.applyFrame({ type: 'ticket_updated', ticket: { ...fromMessage, status: 'in_progress' } });
    expect(listener).toHaveBeenCalledTimes(1);
    off();
    store.applyFrame({ type: 'ticket_updated', ticket: { ...fromMessage, status: 'closed' } });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('marks a deleted ticket so its chips turn back into text', () => {
    const store = new TicketRefStore();
    store.applyFrame({ type: 'ticket_deleted', ticket: fromMessage });
    expect(store.resolve(fromMessage).deleted).toBe(true);
  });

  it('ignores frames that are not about tickets, and creations of tickets not on screen', () => {
    const store = new TicketRefStore();
    expect(store.applyFrame({ type: 'comment_added', ticket: undefined })).toBe(false);
    expect(store.applyFrame({ type: 'message_new' })).toBe(false);
    store.applyFrame({ type: 'ticket_created', ticket: { ...fromMessage, id: 43, key: 'SUP-43' } });
    expect(store.get(43)).toBeUndefined();
  });
});
