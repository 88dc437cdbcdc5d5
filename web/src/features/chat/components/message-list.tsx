import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Button, Spin, Typography } from 'antd';
import type { RoomPeople } from '../hooks/mention-lookup';
import type { ChatMessage } from '../types';
import { MessageItem } from './message-item';

interface Props {
  messages: ChatMessage[];
  hasOlder: boolean;
  loading: boolean;
  myUserId: number | null;
  people: RoomPeople;
  highlightId: number | null;
  onLoadOlder: () => Promise<unknown>;
  onToggleReaction: (m: ChatMessage, emoji: string, reacted: boolean) => void;
  onEdit: (m: ChatMessage, content: string) => Promise<void>;
  onDelete: (m: ChatMessage) => void;
  onRetry: (m: ChatMessage) => void;
}

const NEAR_BOTTOM_PX = 80;

/** Scrollable history: loads older pages at the top, stays pinned to the bottom for new messages. */
export function MessageList({ messages, hasOlder, loading, myUserId, people, highlightId, onLoadOlder, ...handlers }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const loadingOlder = useRef(false);
  const [olderBusy, setOlderBusy] = useState(false);
  const anchor = useRef<{ height: number; top: number } | null>(null);
  const firstId = messages[0]?.id;
  const last = messages[messages.length - 1];

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

  // Follow new messages while pinned, and always after my own send.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || highlightId) return;
    if (pinned.current || (last && last.user.id === myUserId && last.id <= 0)) {
      el.scrollTop = el.scrollHeight;
    }
  }, [last?.id, last?.client_id, messages.length, myUserId, last, highlightId]);

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

  // Bring a search hit into view.
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

  return (
    <div
      ref={ref}
      role="log"
      aria-label="Messages"
      aria-live="polite"
      aria-relevant="additions"
      tabIndex={0}
      onScroll={onScroll}
      style={{ flex: 1, overflowY: 'auto', minHeight: 0, padding: '8px 0' }}
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
      {messages.map((m) => (
        <MessageItem key={m.id > 0 ? m.id : `local-${m.client_id}`} message={m} myUserId={myUserId} people={people} highlighted={m.id === highlightId} {...handlers} />
      ))}
    </div>
  );
}
