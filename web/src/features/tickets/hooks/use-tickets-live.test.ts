import { describe, expect, it } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import type { Paginated } from '@/types/api';
import { ticketKeys } from '../api/tickets';
import type { Ticket } from '../types';
import { applyTicketFrame, catchUpTopics } from './use-tickets-live';

const ticket = (id: number, extra: Partial<Ticket> = {}) => ({ id, project: 1, key: `T-${id}`, title: `t${id}`, status: 'open', ...extra }) as Ticket;
const page = (results: Ticket[]): Paginated<Ticket> => ({ count: results.length, next: null, previous: null, results });

describe('applyTicketFrame', () => {
  function setup() {
    const qc = new QueryClient();
    const board = ticketKeys.list({ project: '1' });
    qc.setQueryData(board, page([ticket(1), ticket(2)]));
    qc.setQueryData(ticketKeys.byKey('T-1'), ticket(1));
    return { qc, board };
  }

  it('moves an updated ticket at once in every list and on its page', () => {
    const { qc, board } = setup();
    applyTicketFrame(qc, { type: 'ticket_updated', ticket: ticket(1, { status: 'in_progress' }) });
    expect(qc.getQueryData<Paginated<Ticket>>(board)!.results.map((t) => t.status)).toEqual(['in_progress', 'open']);
    expect(qc.getQueryData<Ticket>(ticketKeys.byKey('T-1'))!.status).toBe('in_progress');
    // ...and asks the server again which filters it still matches.
    expect(qc.getQueryState(board)!.isInvalidated).toBe(true);
  });

  it('takes a deleted ticket off the lists', () => {
    const { qc, board } = setup();
    applyTicketFrame(qc, { type: 'ticket_deleted', ticket: ticket(2) });
    const data = qc.getQueryData<Paginated<Ticket>>(board)!;
    expect(data.results.map((t) => t.id)).toEqual([1]);
    expect(data.count).toBe(1);
  });

  it('refetches the comments and history of a ticket someone commented on', () => {
    const { qc } = setup();
    qc.setQueryData(ticketKeys.comments(1), []);
    qc.setQueryData(ticketKeys.history(1), []);
    qc.setQueryData(ticketKeys.comments(2), []);
    applyTicketFrame(qc, { type: 'comment_added', ticket_id: 1, comment: { id: 9 } as never });
    expect(qc.getQueryState(ticketKeys.comments(1))!.isInvalidated).toBe(true);
    expect(qc.getQueryState(ticketKeys.history(1))!.isInvalidated).toBe(true);
    expect(qc.getQueryState(ticketKeys.comments(2))!.isInvalidated).toBe(false);
  });

  it('does not make up a page for a ticket nobody has open', () => {
    const { qc } = setup();
    applyTicketFrame(qc, { type: 'ticket_updated', ticket: ticket(5) });
    expect(qc.getQueryData(ticketKeys.byKey('T-5'))).toBeUndefined();
  });
});

describe('catchUpTopics', () => {
  it('reads a ticket again once its topic is subscribed, so a change made before that is not missed', () => {
    const qc = new QueryClient();
    qc.setQueryData(ticketKeys.byKey('T-1'), ticket(1));
    qc.setQueryData(ticketKeys.byKey('T-2'), ticket(2));
    qc.setQueryData(ticketKeys.comments(1), []);
    qc.setQueryData(ticketKeys.history(1), []);
    qc.setQueryData(ticketKeys.comments(2), []);
    catchUpTopics(qc, ['ticket:1']);
    expect(qc.getQueryState(ticketKeys.byKey('T-1'))!.isInvalidated).toBe(true);
    expect(qc.getQueryState(ticketKeys.comments(1))!.isInvalidated).toBe(true);
    expect(qc.getQueryState(ticketKeys.history(1))!.isInvalidated).toBe(true);
    expect(qc.getQueryState(ticketKeys.byKey('T-2'))!.isInvalidated).toBe(false);
    expect(qc.getQueryState(ticketKeys.comments(2))!.isInvalidated).toBe(false);
  });

  it("reads a project's ticket lists again once its topic is subscribed", () => {
    const qc = new QueryClient();
    const board = ticketKeys.list({ project: '1' });
    qc.setQueryData(board, page([ticket(1)]));
    catchUpTopics(qc, ['project:1']);
    expect(qc.getQueryState(board)!.isInvalidated).toBe(true);
  });
});
