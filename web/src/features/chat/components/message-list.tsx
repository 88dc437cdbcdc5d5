import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Button, Spin, Typography } from 'antd';
import type { RoomPeople } from '../hooks/mention-lookup';
import { buildTimeline, type ReadMark } from '../hooks/timeline';
import type { ChatMessage } from '../types';
import { MessageItem, type MessageHandlers } from './message-item';

interface Props extends MessageHandlers {
  messages: ChatMessage[];
  hasOlder: boolean;
  loading: boolean;
  myUserId: number | null;
  people: RoomPeople;
  highlightId: number | null;
  /** Where the reader had read up to when they opened the room. */
  readMark: ReadMark | null;
  onLoadOlder: () => Promise<unknown>;
  /** Viewing a stretch of old history: more lies after it. */
  hasNewer?: boolean;
  onLoadNewer?: () => Promise<unknown>;
}

const NEAR_BOTTOM_PX = 80;

/** Scrollable history: loads older pages at the top, stays pinned to the bottom for new messages. */
export function MessageList({ messages, hasOlder, hasNewer, onLoadNewer, loading, myUserId, people, highlightId, readMark, onLoadOlder, ...handlers }: Props) {
  const [newerBusy, setNewerBusy] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const placed = useRef(false);
  const loadingOlder = useRef(false);
  const [olderBusy, setOlderBusy] = useState(false);
  const anchor = useRef<{ height: number; top: number } | null>(null);
  const firstId = messages[0]?.id;
  const last = messages[messages.length - 1];
  const rows = useMemo(() => buildTimeline(messages, readMark, myUserId), [messages, readMark, myUserId]);

  const loadOlder = useCallback(async () => {
    const el = ref.current;
    if (!el || loadingOlder.current || !hasOlder) return;
    loadingOlder.current = true;
    setOlderBusy(true);
    anchor.current = { height: el.scrollHeight, top: el.scrollTop };
    try {
      await onLoadOlder();
    } finally {
      loadingOlder.current = false;
      setOlderBusy(false);
    }
  }, [hasOlder, onLoadOlder]);

  // Keep the view still when older messages are prepended.
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && anchor.current) {
      el.scrollTop = anchor.current.top + (el.scrollHeight - anchor.current.height);
      anchor.current = null;
    }
  }, [firstId]);

  // Follow new messages while pinned, and always after my own send. On first showing a room
  // with unread messages, start at the "New messages" line instead of the bottom.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || highlightId || messages.length === 0) return;
    if (!placed.current) {
      placed.current = true;
      const divider = el.querySelector<HTMLElement>('[data-unread-divider]');
      if (divider && el.scrollHeight - divider.offsetTop > el.clientHeight) {
        el.scrollTop = divider.offsetTop - 40;
        pinned.current = false;
        return;
      }
    }
    if (pinned.current || (last && last.user.id === myUserId && last.id <= 0)) {
      el.scrollTop = el.scrollHeight;
    }
  }, [last?.id, last?.client_id, messages.length, myUserId, last, highlightId]);

  // Leaving a linked message (Jump to present): follow the room's end again.
  const hadHighlight = useRef(highlightId);
  useEffect(() => {
    const el = ref.current;
    if (hadHighlight.current && !highlightId && el) {
      pinned.current = true;
      el.scrollTop = el.scrollHeight;
    }
    hadHighlight.current = highlightId;
  }, [highlightId]);

  // Images change height after load: stay at the bottom if pinned.
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onLoad = () => {
      if (pinned.current && !highlightId) el.scrollTop = el.scrollHeight;
    };
    el.addEventListener('load', onLoad, true);
    return () => el.removeEventListener('load', onLoad, true);
  }, [highlightId]);

  // Bring a linked message into view.
  useEffect(() => {
    if (!highlightId) return;
    const node = ref.current?.querySelector(`#msg-${highlightId}`);
    if (node) {
      node.scrollIntoView({ block: 'center' });
      pinned.current = false;
    }
  }, [highlightId, messages.length]);

  // A short first page may not fill the pane: fetch more so the user can scroll.
  useEffect(() => {
    const el = ref.current;
    if (el && hasOlder && !loading && el.scrollHeight <= el.clientHeight + 10) void loadOlder();
  }, [hasOlder, loading, messages.length, loadOlder]);

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    if (el.scrollTop < 100) void loadOlder();
  };

  // Up and Down move between messages; Tab from a message reaches its action toolbar.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    const el = ref.current;
    const target = e.target as HTMLElement;
    if (!el || (target !== el && !target.matches('article.sb-msg'))) return;
    const items = Array.from(el.querySelectorAll<HTMLElement>('article.sb-msg[tabindex]'));
    if (items.length === 0) return;
    e.preventDefault();
    const at = items.indexOf(target);
    const next = at === -1 ? items.length - 1 : Math.min(items.length - 1, Math.max(0, at + (e.key === 'ArrowUp' ? -1 : 1)));
    items[next].focus();
    items[next].scrollIntoView({ block: 'nearest' });
  };

  return (
    <div
      ref={ref}
      role="log"
      aria-label="Messages"
      aria-live="polite"
      aria-relevant="additions"
      aria-description="Use the up and down arrow keys to move between messages, then Tab for a message's actions."
      tabIndex={0}
      onScroll={onScroll}
      onKeyDown={onKeyDown}
      className="sb-message-list"
    >
      {hasOlder ? (
        <div style={{ textAlign: 'center', padding: 8 }}>
          {olderBusy ? <Spin size="small" aria-label="Loading older messages" /> : <Button size="small" onClick={() => void loadOlder()}>Load older messages</Button>}
        </div>
      ) : (
        !loading &&
        messages.length > 0 && (
          <Typography.Text type="secondary" style={{ display: 'block', textAlign: 'center', fontSize: 12, padding: 8 }}>
            Start of the conversation
          </Typography.Text>
        )
      )}
      {loading && messages.length === 0 && (
        <div style={{ textAlign: 'center', padding: 24 }}>
          <Spin aria-label="Loading messages" />
        </div>
      )}
      {!loading && messages.length === 0 && (
        <Typography.Text type="secondary" style={{ display: 'block', textAlign: 'center', padding: 24 }}>
          No messages yet. Say hello!
        </Typography.Text>
      )}
      {rows.map((row) =>
        row.kind === 'date' ? (
          <div key={row.key} role="separator" aria-label={row.label} className="sb-date-separator">
            <span>{row.label}</span>
          </div>
        ) : row.kind === 'unread' ? (
          <div key={row.key} role="separator" aria-label="New messages" className="sb-unread-divider" data-unread-divider>
            <span>New messages</span>
          </div>
        ) : (
          <MessageItem key={row.key} message={row.message} compact={row.compact} myUserId={myUserId} people={people} highlighted={row.message.id === highlightId} {...handlers} />
        ),
      )}
      {hasNewer && onLoadNewer && (
        <div style={{ textAlign: 'center', padding: 8 }}>
          <Button
            size="small"
            loading={newerBusy}
            onClick={() => {
              setNewerBusy(true);
              void onLoadNewer().finally(() => setNewerBusy(false));
            }}
          >
            Load newer messages
          </Button>
        </div>
      )}
    </div>
  );
}
