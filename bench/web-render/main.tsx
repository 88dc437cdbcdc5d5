// Renders a history page of the real MessageList (the same components, CSS and Markdown
// pipeline as the app) with generated messages, and times it. Driven by run.mjs in Chromium.
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import { App as AntApp } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import { MessageItem } from '@/features/chat/components/message-item';
import { MessageList } from '@/features/chat/components/message-list';
import type { RoomPeople } from '@/features/chat/hooks/mention-lookup';
import type { ChatMessage } from '@/features/chat/types';
import '@/index.css';

const people: RoomPeople = new Map([['ann', { kind: 'user', id: 2, name: 'ann', title: 'Ann' }]]);
const users = [1, 2, 3].map((id) => ({ id, username: ['bob', 'ann', 'cy'][id - 1], email: '', first_name: '', last_name: '', display_name: ['Bob', 'Ann', 'Cy'][id - 1] }));

function heavy(i: number) {
  return [
    `**Deploy ${i}** failed on _staging_, see https://example.com/runs/${i} and ask @ann.`,
    '',
    '```ts',
    `export async function retry<T>(fn: () => Promise<T>, times = ${i % 5 + 2}): Promise<T> {`,
    '  for (let n = 0; ; n++) {',
    '    try { return await fn(); } catch (e) { if (n >= times) throw e; }',
    '  }',
    '}',
    '```',
    '',
    '| step | status | took |',
    '|------|--------|-----:|',
    `| build | ok | ${i % 60}s |`,
    '| test | ~~flaky~~ failed | 3m |',
    '',
    '- [x] rollback',
    '- [ ] postmortem',
  ].join('\n');
}

function plain(i: number) {
  return `Message number ${i}: the deploy went out fine and the dashboard looks green, thanks everyone for the quick review.`;
}

function messages(kind: 'plain' | 'markdown' | 'mixed', count = 200): ChatMessage[] {
  const start = Date.parse('2026-11-30T08:00:00Z') - (count > 200 ? count * 97_000 : 0);
  return Array.from({ length: count }, (_, i) => {
    const at = new Date(start + i * 97_000).toISOString();
    // A long room: one message in ten is Markdown-heavy, the rest plain.
    const content = kind === 'plain' || (kind === 'mixed' && i % 10 !== 0) ? plain(i) : heavy(i);
    return {
      id: i + 1, room: 1, user: users[i % 3], content, type: 'text',
      attachment_url: null, attachment_name: null, attachment_size: null, reactions: [],
      created_at: at, updated_at: at, is_edited: false, edited_at: null,
    } satisfies ChatMessage;
  });
}

const noop = () => undefined;
const handlers = { onToggleReaction: noop, onEdit: async () => undefined, onDelete: noop, onRetry: noop, linkTo: () => '' };
/** `list`: the real (virtualized) MessageList; `all`: every message's MessageItem mounted, as an unvirtualized list would. */
function Page({ list, mode = 'list' }: { list: ChatMessage[]; mode?: 'list' | 'all' }) {
  return (
    <AntApp style={{ height: '100%', display: 'flex', flexDirection: 'column' }}>
      <QueryClientProvider client={new QueryClient()}>
        <MemoryRouter>
          {mode === 'list' ? (
            <MessageList
              messages={list} hasOlder={false} loading={false} myUserId={1} people={people} highlightId={null} readMark={null}
              onLoadOlder={async () => undefined} {...handlers}
            />
          ) : (
            <div className="sb-message-list">
              {list.map((m) => <MessageItem key={m.id} message={m} compact={false} myUserId={1} people={people} highlighted={false} {...handlers} />)}
            </div>
          )}
        </MemoryRouter>
      </QueryClientProvider>
    </AntApp>
  );
}

let root: Root | null = null;
const data = { plain: messages('plain'), markdown: messages('markdown') };

/** Mounts a fresh page of 200 messages; returns ms to commit and lay out, and until code is coloured. */
async function renderOnce(kind: 'plain' | 'markdown', mode: 'list' | 'all') {
  root?.unmount();
  const el = document.getElementById('root')!;
  root = createRoot(el);
  const t0 = performance.now();
  flushSync(() => root!.render(<Page list={data[kind]} mode={mode} />));
  void el.offsetHeight;
  // The virtualized list measures its pane before it mounts rows: wait for them (checked after
  // each task, so the time includes its own work and little else).
  while (el.querySelectorAll('article').length === 0) await new Promise((r) => setTimeout(r, 0));
  void el.offsetHeight;
  const painted = performance.now() - t0;
  const mounted = el.querySelectorAll('article').length;
  if (kind === 'markdown') {
    while (el.querySelectorAll('pre code .hljs-keyword').length < el.querySelectorAll('pre code').length) await new Promise((r) => setTimeout(r, 0));
  }
  return { painted, highlighted: performance.now() - t0, mounted };
}

(window as unknown as { runBench: unknown }).runBench = async (runs: number, mode: 'list' | 'all') => {
  await renderOnce('markdown', mode); // warm up: loads the highlighter chunk and JIT-compiles
  await renderOnce('plain', mode);
  const out: Record<string, { painted: number; highlighted: number; mounted: number }[]> = { plain: [], markdown: [] };
  for (let i = 0; i < runs; i++) {
    for (const kind of ['plain', 'markdown'] as const) out[kind].push(await renderOnce(kind, mode));
  }
  return out;
};

/**
 * A 5,000-message room: mount it at the bottom, then scroll up by `step` px a frame for `frames`
 * frames (as a fast wheel or a dragged scrollbar does), recording every frame's duration and the
 * long tasks (> 50 ms) the main thread had; then append one message and time that render.
 */
(window as unknown as { runScroll: unknown }).runScroll = async (count: number, frames: number, step: number, mode: 'list' | 'all') => {
  root?.unmount();
  const el = document.getElementById('root')!;
  root = createRoot(el);
  const list = messages('mixed', count);
  const t0 = performance.now();
  flushSync(() => root!.render(<Page list={list} mode={mode} />));
  void el.offsetHeight;
  const mount = performance.now() - t0;
  const scroller = () => el.querySelector<HTMLElement>('.sb-message-list')!;
  if (mode === 'all') scroller().scrollTop = scroller().scrollHeight;
  // Let the list settle at the bottom (lazy highlighter, measurements).
  for (let i = 0; i < 30; i++) await new Promise((r) => requestAnimationFrame(r));
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((l) => l.getEntries().forEach((e) => longTasks.push(e.duration)));
  observer.observe({ type: 'longtask', buffered: false });
  const times: number[] = [];
  let last = performance.now();
  const startTop = scroller().scrollTop;
  for (let f = 0; f < frames; f++) {
    scroller().scrollTop -= step;
    await new Promise((r) => requestAnimationFrame(r));
    const now = performance.now();
    times.push(now - last);
    last = now;
  }
  const travelled = startTop - scroller().scrollTop;
  await new Promise((r) => setTimeout(r, 100));
  observer.disconnect();
  // One new message at the end of the room.
  const next = messages('plain', count + 1)[count];
  const t1 = performance.now();
  flushSync(() => root!.render(<Page list={[...list, next]} mode={mode} />));
  void el.offsetHeight;
  const append = performance.now() - t1;
  const domNodes = el.querySelectorAll('*').length;
  return { mount, times, longTasks, travelled, append, domNodes };
};
