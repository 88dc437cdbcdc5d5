import { createContext, useContext } from 'react';
import type { User } from '@/types/api';
import type { ChatMessage } from '../types';

/**
 * What a message needs from the room around it for threads and read marks. A context rather than
 * props, so the message list passes nothing new through: only the components that use a value
 * re-render when it changes.
 */
export interface MessageActions {
  /** Opens the message's thread in the panel beside the room (absent inside the panel itself). */
  openThread?: (root: ChatMessage) => void;
  /** Moves the caller's read mark back to just before the message. */
  markUnread?: (m: ChatMessage) => void;
  /** Inside the thread panel: the root is also in the room, so the panel's copies get no element ids. */
  inThreadPanel?: boolean;
}

export const MessageActionsContext = createContext<MessageActions>({});

export function useMessageActions(): MessageActions {
  return useContext(MessageActionsContext);
}

export interface SeenState {
  /** The caller's newest message, the one that shows "Seen by". */
  lastOwnId: number | null;
  /** Who has read up to a message. */
  readers: (m: ChatMessage) => User[];
  /** Participants other than the caller. */
  others: number;
}

export const SeenContext = createContext<SeenState | null>(null);
