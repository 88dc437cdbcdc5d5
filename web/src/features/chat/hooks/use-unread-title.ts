import { useEffect } from 'react';

/** Shows the number of unread chat messages in the tab title, e.g. "(3) Switchboard". */
export function useUnreadTitle(unread: number) {
  useEffect(() => {
    const base = 'Switchboard';
    document.title = unread > 0 ? `(${unread > 99 ? '99+' : unread}) ${base}` : base;
    return () => {
      document.title = base;
    };
  }, [unread]);
}
