import { useEffect, useId, useState, type KeyboardEvent, type ReactNode } from 'react';
import { statusLabel, type TicketRefData } from '@/lib/ticket-refs/store';
import { insertTicketKey, ticketToken, type TicketToken } from '../utils/ticket-token';
import { SuggestionList, suggestionKey } from './suggestion-list';
import { useTicketLinks } from './ticket-links-context';

export interface TicketSource {
  /** Keys of the projects the person is in (`SUP-` asks for suggestions only for these). */
  projectKeys: ReadonlySet<string>;
  /** Tickets matching the words or key typed; in the key's project, else the room's. */
  search: (query: string, projectKey: string | null) => Promise<TicketRefData[]>;
}

interface Options {
  text: string;
  cursor: number;
  /** Off in preview. (`/`, `@` and `#` tokens never match at once.) */
  enabled: boolean;
  /** Where to search; by default the room's (TicketLinksContext). */
  source?: TicketSource;
  onPick: (edit: { value: string; cursor: number }) => void;
}

const DEBOUNCE_MS = 150;

/**
 * `#` or a project key in the composer suggests tickets by key or title; Enter or Tab inserts the
 * key. The composer gives it the keys first (`onKey` returns true when it used one), shows `list`
 * under the text box and puts `inputProps` on the text box.
 */
export function useTicketSuggestions({ text, cursor, enabled, source: given, onPick }: Options) {
  const id = useId();
  const fromRoom = useTicketLinks().source;
  const source = given ?? fromRoom;
  const token = enabled && source ? ticketToken(text, cursor, source.projectKeys) : null;
  const tokenKey = token ? `#${token.start}:${token.query}` : null;
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [items, setItems] = useState<{ key: string | null; list: TicketRefData[] }>({ key: null, list: [] });
  const [active, setActive] = useState(0);
  const live = !!token && tokenKey !== dismissed;

  useEffect(() => {
    if (!source || !token || !live) return;
    let current = true;
    const timer = setTimeout(() => {
      source
        .search(token.query, token.projectKey)
        .then((list) => current && (setItems({ key: tokenKey, list: list.slice(0, 8) }), setActive(0)))
        .catch(() => current && setItems({ key: tokenKey, list: [] }));
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // Keyed on the token's text and place: a new token object each render is the same search.
  }, [source, tokenKey, live]);

  // Answers for an older token are not shown (the person typed on).
  const shown = live && items.key === tokenKey ? items.list : [];
  const open = shown.length > 0;
  const at = Math.min(active, shown.length - 1);

  const pick = (t: TicketRefData, tok: TicketToken | null = token) => {
    if (!tok) return;
    onPick(insertTicketKey(text, tok, cursor, t.key));
    setDismissed(null);
  };

  const onKey = (e: KeyboardEvent): boolean =>
    open && suggestionKey(e, shown.length, { setActive, pick: () => pick(shown[at]), dismiss: () => setDismissed(tokenKey) });

  const list: ReactNode = open ? <TicketList id={id} items={shown} active={at} onPick={(t) => pick(t)} /> : null;
  const inputProps = open ? { 'aria-controls': id, 'aria-activedescendant': `${id}-${shown[at].id}`, 'aria-autocomplete': 'list' as const } : {};
  return { open, onKey, list, inputProps };
}

function TicketList({ id, items, active, onPick }: { id: string; items: TicketRefData[]; active: number; onPick: (t: TicketRefData) => void }) {
  return (
    <SuggestionList id={id} label="Tickets" items={items} active={active} optionKey={(t) => t.id} onPick={onPick}>
      {(t) => (
        <>
          <span className={`sb-ticket-dot sb-ticket-status-${t.status}`} aria-hidden /> <code>{t.key}</code> <span>{t.title}</span>{' '}
          <span className="sb-visually-hidden">, {statusLabel(t.status)}</span>
        </>
      )}
    </SuggestionList>
  );
}
