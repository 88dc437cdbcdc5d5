import { createContext, useContext } from 'react';
import type { ChatMessage } from '../types';
import type { TicketSource } from './ticket-suggestions';

/**
 * What a room offers its messages and composers for tickets: "Create ticket" (null where the
 * reader may not write tickets) and the search behind `#` suggestions. A context, so the thread
 * panel's messages and composer get the same without props passed through.
 */
export interface TicketLinks {
  createTicket: ((m: ChatMessage) => void) | null;
  source?: TicketSource;
}

export const TicketLinksContext = createContext<TicketLinks>({ createTicket: null });

export function useTicketLinks(): TicketLinks {
  return useContext(TicketLinksContext);
}
