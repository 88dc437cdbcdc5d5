import { Loading } from '@/components/loading';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Button, Typography } from 'antd';
import { Virtuoso, type IndexLocationWithAlign, type VirtuosoHandle } from 'react-virtuoso';
import type { RoomPeople } from '../hooks/mention-lookup';
import { buildTimeline, type ReadMark, type TimelineRow } from '../hooks/timeline';
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

/** What the list's header and footer show; passed through Virtuoso's `context`. */
interface Edges {
  hasOlder: boolean;
  olderBusy: boolean;
  loadOlder: () => void;
  showStart: boolean;
  hasNewer: boolean;
  newerBusy: boolean;
  loadNewer: () => void;
}

const NEAR_BOTTOM_PX = 80;
/**
 * Virtuoso keeps the view still when rows are prepended if `firstItemIndex` drops by as many rows.
 * The first message the list ever showed is the anchor: its row always has this index, so the rows
 * before it count down from here. Large enough for any history a person can scroll through.
 */
const ANCHOR_INDEX = 1_000_000_000;

function Header({ context }: { context?: Edges }) {
  if (!context) return null;
  if (context.hasOlder) {
    return (
      <div style={{ textAlign: 'center', padding: 8 }}>
        {context.olderBusy ? <Loading size="small" label="Loading older messages" /> : <Button size="small" onClick={context.loadOlder}>Load older messages</Button>}
      </div>
    );
  }
  return context.showStart ? (
    <Typography.Text type="secondary" style={{ display: 'block', textAlign: 'center', fontSize: 12, padding: 8 }}>
      Start of the conversation
    </Typography.Text>
  ) : (
    <div style={{ height: 8 }} />
  );
}

function Footer({ context }: { context?: Edges }) {
  if (!context?.hasNewer) return <div style={{ height: 8 }} />;
  return (
    <div style={{ textAlign: 'center', padding: 8 }}>
      <Button size="small" loading={context.newerBusy} onClick={context.loadNewer}>
        Load newer messages
      </Button>
    </div>
  );
}

/** Stands in for a row while the list is flung faster than rows can be drawn (scroll seek). */
function Placeholder({ height }: { height: number }) {
  return (
    <div style={{ height, padding: '6px 16px 2px 62px', boxSizing: 'border-box' }} aria-hidden>
      <div className="sb-msg-placeholder" />
    </div>
  );
}

const components = { Header, Footer, ScrollSeekPlaceholder: Placeholder };

/**
 * Flung faster than about 6,000 px/s, rows are shown as placeholders (no Markdown to render) until
 * the list slows down: fast scrolling stays smooth however heavy the messages are.
 */
const scrollSeek = { enter: (velocity: number) => Math.abs(velocity) > 100, exit: (velocity: number) => Math.abs(velocity) < 20 };

/**
 * The room's history, virtualized (react-virtuoso): only the rows near the viewport are mounted,
 * whatever their heights, so a room of thousands of messages costs what a screenful does. Loads
 * older pages at the top, keeps the view still when they arrive, follows new messages while the
 * reader is at the bottom, opens at the "New messages" line or at a linked message.
 */
export function MessageList({ messages, hasOlder, hasNewer, onLoadNewer, loading, myUserId, people, highlightId, readMark, onLoadOlder, ...handlers }: Props) {
  const [newerBusy, setNewerBusy] = useState(false);
  const [olderBusy, setOlderBusy] = useState(false);
  const virtuoso = useRef<VirtuosoHandle>(null);
  const scroller = useRef<HTMLElement | null>(null);
  const atBottom = useRef(true);
  const loadingOlder = useRef(false);
  const rows = useMemo(() => buildTimeline(messages, readMark, myUserId), [messages, readMark, myUserId]);
  const last = messages[messages.length - 1];
  const lastRef = useRef(last);
  lastRef.current = last;
  const highlightRef = useRef(highlightId);
  highlightRef.current = highlightId;

  // The anchor row (see ANCHOR_INDEX). A window of history that no longer holds it starts afresh.
  const anchor = useRef<string | null>(null);
  let anchorAt = anchor.current ? rows.findIndex((r) => r.key === anchor.current) : -1;
  if (anchorAt < 0) {
    anchorAt = rows.findIndex((r) => r.kind === 'message');
    anchor.current = anchorAt >= 0 ? rows[anchorAt].key : null;
    anchorAt = Math.max(anchorAt, 0);
  }
  const firstItemIndex = ANCHOR_INDEX - anchorAt;

  const loadOlder = useCallback(async () => {
    if (loadingOlder.current || !hasOlder) return;
    loadingOlder.current = true;
    setOlderBusy(true);
    try {
      await onLoadOlder();
    } finally {
      loadingOlder.current = false;
      setOlderBusy(false);
    }
  }, [hasOlder, onLoadOlder]);

  const loadNewer = useCallback(() => {
    if (!onLoadNewer) return;
    setNewerBusy(true);
    void onLoadNewer().finally(() => setNewerBusy(false));
  }, [onLoadNewer]);

  const edges = useMemo<Edges>(
    () => ({
      hasOlder,
      olderBusy,
      loadOlder: () => void loadOlder(),
      showStart: !loading && messages.length > 0,
      hasNewer: !!hasNewer && !!onLoadNewer,
      newerBusy,
      loadNewer,
    }),
    [hasOlder, olderBusy, loadOlder, loading, messages.length, hasNewer, onLoadNewer, newerBusy, loadNewer],
  );

  const rowOf = useCallback((id: number) => rows.findIndex((r) => r.kind === 'message' && r.message.id === id), [rows]);

  // Where the list opens: at a linked message, else at the "New messages" line when there is one,
  // else at the end. Virtuoso reads it when it mounts: with its first rows, or for a new stretch
  // of history (see its key below).
  const listKey = hasNewer ? 'window' : 'live';
  const opening = useRef<{ key: string; at: IndexLocationWithAlign } | null>(null);
  const opened = useRef(false);
  if (rows.length === 0) opening.current = null;
  else if (opening.current?.key !== listKey) {
    const linked = highlightId ? rowOf(highlightId) : -1;
    // The "New messages" line only on first opening the room; back from old history, the end.
    const unread = opened.current ? -1 : rows.findIndex((r) => r.kind === 'unread');
    opened.current = true;
    const at: IndexLocationWithAlign =
      linked >= 0 ? { index: linked, align: 'center' } : unread >= 0 ? { index: unread, align: 'start', offset: -40 } : { index: 'LAST', align: 'end' };
    opening.current = { key: listKey, at };
  }

  // Bring a linked message into view (a jump within what is loaded, or once it has been loaded).
  useEffect(() => {
    if (!highlightId) return;
    const at = rowOf(highlightId);
    if (at >= 0) virtuoso.current?.scrollToIndex({ index: at, align: 'center' });
  }, [highlightId, rowOf]);

  // Leaving a linked message (Jump to present): follow the room's end again.
  const hadHighlight = useRef(highlightId);
  useEffect(() => {
    if (hadHighlight.current && !highlightId && rows.length > 0) {
      atBottom.current = true;
      virtuoso.current?.scrollToIndex({ index: 'LAST', align: 'end' });
    }
    hadHighlight.current = highlightId;
  }, [highlightId, rows.length]);

  // New rows at the end: follow them while at the bottom, and always after my own send.
  const followOutput = useCallback(
    (isAtBottom: boolean) => {
      if (highlightRef.current) return false;
      const m = lastRef.current;
      if (m && m.user.id === myUserId && m.id <= 0) return 'auto' as const;
      return isAtBottom ? ('auto' as const) : false;
    },
    [myUserId],
  );

  // Rows that grow after they are shown (images loading, code being coloured): stay at the bottom.
  const onHeightChange = useCallback(() => {
    if (atBottom.current && !highlightRef.current) virtuoso.current?.autoscrollToBottom();
  }, []);

  // A short first page may not fill the pane: fetch more so the user can scroll.
  useEffect(() => {
    const el = scroller.current;
    if (el && hasOlder && !loading && el.scrollHeight <= el.clientHeight + 10) void loadOlder();
  }, [hasOlder, loading, messages.length, loadOlder]);

  // Up and Down move between messages (scrolling rows into the DOM as needed); Tab from a message
  // reaches its action toolbar.
  const pendingFocus = useRef<number | null>(null);
  const [messageFocused, setMessageFocused] = useState(false);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    const el = scroller.current;
    const target = e.target as HTMLElement;
    if (!el || (target !== el && !target.matches('article.sb-msg'))) return;
    const focusable = (r: TimelineRow | undefined) => r?.kind === 'message' && r.message.id > 0;
    let at: number;
    if (target === el) {
      // From the list itself: the last message that is (at least partly) in view.
      const shown = Array.from(el.querySelectorAll<HTMLElement>('article.sb-msg[tabindex]'));
      const bottom = el.getBoundingClientRect().bottom;
      const inView = shown.filter((a) => a.getBoundingClientRect().top < bottom);
      const id = Number((inView[inView.length - 1] ?? shown[shown.length - 1])?.dataset.messageId);
      at = rowOf(id);
      if (at < 0) return;
    } else {
      // Keys pressed faster than rows mount step on from the row still waiting for focus.
      const from = pendingFocus.current ?? rowOf(Number(target.dataset.messageId));
      if (from < 0) return;
      const dir = e.key === 'ArrowUp' ? -1 : 1;
      at = from + dir;
      while (at >= 0 && at < rows.length && !focusable(rows[at])) at += dir;
      if (at < 0 || at >= rows.length) {
        e.preventDefault();
        return;
      }
    }
    e.preventDefault();
    const row = rows[at];
    if (row.kind !== 'message') return;
    const id = row.message.id;
    virtuoso.current?.scrollIntoView({ index: at, behavior: 'auto' });
    // The row may only be mounted after the scroll: focus it once it is there.
    let tries = 0;
    pendingFocus.current = at;
    const focus = () => {
      if (pendingFocus.current !== at) return;
      const node = el.querySelector<HTMLElement>(`#msg-${id}`);
      if (node || tries++ >= 20) pendingFocus.current = null;
      if (node) node.focus({ preventScroll: true });
      else if (pendingFocus.current !== null) requestAnimationFrame(focus);
    };
    focus();
  };

  // With rows mounted and unmounted as the reader scrolls, the list itself can't be a live region
  // (every scroll would read out "new" rows): new messages from others are announced here instead.
  const [announcement, setAnnouncement] = useState('');
  const announced = useRef<number | null>(null);
  useEffect(() => {
    if (!last || last.id <= 0) return;
    if (announced.current === null) {
      announced.current = last.id;
      return;
    }
    if (last.id <= announced.current) return;
    announced.current = last.id;
    if (last.user.id !== myUserId && !hasNewer) {
      const who = last.user.display_name || last.user.username;
      setAnnouncement(`${who}: ${(last.content || last.attachment_name || '').slice(0, 200)}`);
    }
  }, [last, myUserId, hasNewer]);

  const common = {
    role: 'log',
    'aria-label': 'Messages',
    'aria-live': 'off' as const,
    'aria-description': "Use the up and down arrow keys to move between messages, then Tab for a message's actions.",
    tabIndex: 0,
    className: 'sb-message-list',
  };

  if (rows.length === 0) {
    return (
      <div {...common}>
        {loading ? (
          <div style={{ textAlign: 'center', padding: 24 }}>
            <Loading label="Loading messages" />
          </div>
        ) : (
          <>
            <Header context={edges} />
            <Typography.Text type="secondary" style={{ display: 'block', textAlign: 'center', padding: 24 }}>
              No messages yet. Say hello!
            </Typography.Text>
          </>
        )}
      </div>
    );
  }

  return (
    <>
      <Virtuoso<TimelineRow, Edges>
        // A different stretch of history (a jump far back, or back to the present) starts afresh.
        key={listKey}
        ref={virtuoso}
        {...common}
        onKeyDown={onKeyDown}
        scrollerRef={(el) => {
          scroller.current = el instanceof HTMLElement ? el : null;
        }}
        data={rows}
        context={edges}
        components={components}
        firstItemIndex={firstItemIndex}
        initialTopMostItemIndex={opening.current?.at}
        computeItemKey={(_, row) => row.key}
        increaseViewportBy={{ top: 600, bottom: 600 }}
        atBottomThreshold={NEAR_BOTTOM_PX}
        atBottomStateChange={(bottom) => {
          atBottom.current = bottom;
        }}
        followOutput={followOutput}
        totalListHeightChanged={onHeightChange}
        startReached={() => void loadOlder()}
        // Placeholders would unmount the focused message and drop focus: not while one has it.
        scrollSeekConfiguration={messageFocused ? false : scrollSeek}
        onFocus={(e) => setMessageFocused(!!(e.target as HTMLElement).closest('article'))}
        onBlur={(e) => {
          if (!(e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget))) setMessageFocused(false);
        }}
        itemContent={(_, row) => (
          // flow-root: the rows' margins stay inside the measured box.
          <div style={{ display: 'flow-root' }}>
            {row.kind === 'date' ? (
              <div role="separator" aria-label={row.label} className="sb-date-separator">
                <span>{row.label}</span>
              </div>
            ) : row.kind === 'unread' ? (
              <div role="separator" aria-label="New messages" className="sb-unread-divider" data-unread-divider>
                <span>New messages</span>
              </div>
            ) : (
              <MessageItem message={row.message} compact={row.compact} myUserId={myUserId} people={people} highlighted={row.message.id === highlightId} {...handlers} />
            )}
          </div>
        )}
      />
      <div className="sb-visually-hidden" role="status" aria-live="polite">
        {announcement}
      </div>
    </>
  );
}
