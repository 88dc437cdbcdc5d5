// Renders a history page of the real MessageList (the same components, CSS and Markdown
// pipeline as the app) with generated messages, and times it. Driven by run.mjs in Chromium.
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import { App as AntApp } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
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

function messages(kind: 'plain' | 'markdown'): ChatMessage[] {
  const start = Date.parse('2026-11-30T08:00:00Z');
  return Array.from({ length: 200 }, (_, i) => {
    const at = new Date(start + i * 97_000).toISOString();
    return {
      id: i + 1, room: 1, user: users[i % 3], content: kind === 'plain' ? plain(i) : heavy(i), type: 'text',
      attachment_url: null, attachment_name: null, attachment_size: null, reactions: [],
      created_at: at, updated_at: at, is_edited: false, edited_at: null,
    } satisfies ChatMessage;
  });
}

const noop = () => undefined;
function Page({ list }: { list: ChatMessage[] }) {
  return (
    <AntApp style={{ height: '100%', display: 'flex', flexDirection: 'column' }}>
      <QueryClientProvider client={new QueryClient()}>
        <MemoryRouter>
          <MessageList
            messages={list} hasOlder={false} loading={false} myUserId={1} people={people} highlightId={null} readMark={null}
            onLoadOlder={async () => undefined} onToggleReaction={noop} onEdit={async () => undefined} onDelete={noop} onRetry={noop}
            linkTo={() => ''}
          />
        </MemoryRouter>
      </QueryClientProvider>
    </AntApp>
  );
}

let root: Root | null = null;
const data = { plain: messages('plain'), markdown: messages('markdown') };

/** Mounts a fresh page of 200 messages; returns ms to commit and lay out, and until code is coloured. */
async function renderOnce(kind: 'plain' | 'markdown') {
  root?.unmount();
  const el = document.getElementById('root')!;
  root = createRoot(el);
  const t0 = performance.now();
  flushSync(() => root!.render(<Page list={data[kind]} />));
  void el.offsetHeight;
  const painted = performance.now() - t0;
  if (kind === 'markdown') {
    while (el.querySelectorAll('pre code .hljs-keyword').length < 200) await new Promise((r) => setTimeout(r, 0));
  }
  return { painted, highlighted: performance.now() - t0 };
}

(window as unknown as { runBench: unknown }).runBench = async (runs: number) => {
  await renderOnce('markdown'); // warm up: loads the highlighter chunk and JIT-compiles
  await renderOnce('plain');
  const out: Record<string, { painted: number; highlighted: number }[]> = { plain: [], markdown: [] };
  for (let i = 0; i < runs; i++) {
    for (const kind of ['plain', 'markdown'] as const) out[kind].push(await renderOnce(kind));
  }
  return out;
};
