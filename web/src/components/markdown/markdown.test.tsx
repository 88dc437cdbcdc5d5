import { describe, expect, it } from 'vitest';
import { render, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { Markdown, type MentionTarget, type TicketRef } from './markdown';

const people: Record<string, MentionTarget> = {
  alice: { kind: 'user', name: 'alice', title: 'Alice Liddell' },
  'bob.smith': { kind: 'user', name: 'bob.smith', title: 'Bob Smith', isMe: true },
  bob: { kind: 'user', name: 'bob' },
};
const lookup = (name: string) => people[name] ?? null;
const tickets = new Map<string, TicketRef>([['SUP-42', { key: 'SUP-42', title: 'Printer on fire', status: 'open' }]]);

function show(content: string) {
  const { container } = render(
    <MemoryRouter>
      <Markdown content={content} mentionLookup={lookup} tickets={tickets} />
    </MemoryRouter>,
  );
  return container.querySelector('.sb-md') as HTMLElement;
}

const EXECUTABLE_TAGS = 'script, style, svg, math, iframe, object, embed, frame, frameset, form, button, textarea, select, link, meta, base, video, audio, source';

/** Nothing in the output may run code or load a foreign thing, whatever the input was. */
function expectInert(root: HTMLElement) {
  expect(root.querySelectorAll(EXECUTABLE_TAGS)).toHaveLength(0);
  for (const el of Array.from(root.querySelectorAll('*'))) {
    for (const attr of Array.from(el.attributes)) {
      expect(attr.name.startsWith('on'), `${el.tagName} has ${attr.name}`).toBe(false);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'srcset', 'style'].includes(attr.name)) {
        expect(attr.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase()).not.toMatch(/^(javascript|data|vbscript|file):|expression\(|url\(/);
      }
    }
  }
  for (const img of Array.from(root.querySelectorAll('img'))) {
    expect(new URL(img.getAttribute('src')!, window.location.origin).origin).toBe(window.location.origin);
  }
  for (const a of Array.from(root.querySelectorAll('a[href]'))) {
    const href = a.getAttribute('href')!;
    if (/^(https?|mailto):/i.test(href)) expect(a.getAttribute('rel')).toBe('noopener noreferrer');
  }
}

interface Case {
  name: string;
  input: string;
  /** Selectors that must match, optionally with the text the first match must have. */
  must?: (string | [string, string])[];
  mustNot?: string[];
  /** Text the rendered message must show (raw HTML, for instance). */
  shows?: string[];
}

const cases: Case[] = [
  // What people write
  { name: 'paragraphs', input: 'one\n\ntwo', must: ['p + p'] },
  { name: 'a single newline is a line break', input: 'one\ntwo', must: ['p > br'] },
  { name: 'emphasis', input: '*it* and **bold**', must: [['em', 'it'], ['strong', 'bold']] },
  { name: 'strikethrough', input: '~~gone~~', must: [['del', 'gone']] },
  { name: 'inline code', input: 'run `npm ci` now', must: [['p > code', 'npm ci']], mustNot: ['pre'] },
  { name: 'fenced code keeps its text', input: '```js\nconst a = 1 < 2;\n```', must: [['pre code.language-js', 'const a = 1 < 2;']] },
  { name: 'bullet list', input: '- a\n- b', must: ['ul > li + li'] },
  { name: 'numbered list', input: '1. a\n2. b', must: ['ol > li + li'] },
  { name: 'task list', input: '- [x] done\n- [ ] todo', must: ['li.task-list-item input[type=checkbox][disabled]', 'input:checked'] },
  { name: 'quote', input: '> wise words', must: [['blockquote p', 'wise words']] },
  { name: 'table', input: '| a | b |\n|---|---|\n| 1 | 2 |', must: [['table thead th', 'a'], ['table tbody td', '1']] },
  { name: 'link opens in a new tab', input: '[docs](https://example.com/docs)', must: ['a[href="https://example.com/docs"][target=_blank][rel="noopener noreferrer"]'] },
  { name: 'mailto link', input: '[mail](mailto:help@example.com)', must: ['a[href="mailto:help@example.com"]'] },
  { name: 'autolink of a URL', input: 'see https://example.com/x now', must: ['a[href="https://example.com/x"][target=_blank]'] },
  { name: 'autolink of www', input: 'see www.example.com', must: ['a[href="http://www.example.com"]'] },
  { name: 'image from this server', input: '![chart](/media/chat/abc.png)', must: ['img[src="/media/chat/abc.png"][alt=chart]'] },
  { name: 'image from elsewhere is not loaded', input: '![t](https://tracker.example/p.gif)', mustNot: ['img'], shows: ['[image: t]'] },
  { name: 'protocol-relative image is elsewhere', input: '![t](//tracker.example/p.gif)', mustNot: ['img'] },
  { name: 'mention of a participant', input: 'hi @alice!', must: [['span.sb-mention[data-mention=user]', '@alice']] },
  { name: 'mention takes the longest name, not the final dot', input: 'ask @bob.smith.', must: [['span.sb-mention.sb-mention-me', '@bob.smith']], shows: ['ask @bob.smith.'] },
  { name: 'mention is case-insensitive', input: '@ALICE look', must: [['span.sb-mention', '@ALICE']] },
  { name: 'room and here', input: '@room and @here', must: ['span[data-mention=room]', 'span[data-mention=here]'] },
  { name: 'an email address is not a mention', input: 'mail me@alice.example', mustNot: ['.sb-mention'] },
  { name: 'a stranger is not a mention', input: '@mallory hi', mustNot: ['.sb-mention'] },
  { name: 'no mentions inside code', input: '`@alice` and\n```\n@alice\n```', mustNot: ['.sb-mention'] },
  { name: 'ticket key the reader may see', input: 'see SUP-42.', must: [['a.sb-ticket-chip[href="/tickets/SUP-42"]', 'SUP-42']] },
  { name: 'unknown ticket key stays text', input: 'see SUP-43 and xSUP-42', mustNot: ['.sb-ticket-chip'] },
  // Raw HTML is text
  { name: 'inline HTML is shown as text', input: 'a <b>bold</b> move', mustNot: ['b'], shows: ['a <b>bold</b> move'] },
  { name: 'HTML block is shown as text', input: '<div align="center">\nhi\n</div>', mustNot: ['div[align]'], shows: ['<div align="center">'] },
  // Hostile input
  { name: 'script', input: '<script>window.__pwned = 1</script>', mustNot: ['script'], shows: ['<script>window.__pwned = 1</script>'] },
  { name: 'img onerror', input: '<img src=x onerror="window.__pwned=1">', mustNot: ['img'], shows: ['<img src=x onerror="window.__pwned=1">'] },
  { name: 'svg onload', input: '<svg onload="window.__pwned=1"><circle r=5 /></svg>', mustNot: ['svg', 'circle'] },
  { name: 'iframe', input: '<iframe src="https://evil.example"></iframe>', mustNot: ['iframe'] },
  { name: 'javascript: link', input: '[click](javascript:window.__pwned=1)', mustNot: ['a[href]'], shows: ['click'] },
  { name: 'javascript: link, mixed case and entities', input: '[click](JaVa&#x53;cript:alert(1))', mustNot: ['a[href]'] },
  { name: 'javascript: autolink', input: '<javascript:alert(1)>', mustNot: ['a[href]'] },
  { name: 'vbscript: link', input: '[v](vbscript:msgbox)', mustNot: ['a[href]'] },
  { name: 'data: link', input: '[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)', mustNot: ['a[href]'] },
  { name: 'data: image', input: '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)', mustNot: ['img'] },
  { name: 'svg image from elsewhere', input: '![x](https://evil.example/x.svg)', mustNot: ['img'] },
  { name: 'title cannot break out into an attribute', input: '[x](https://example.com "a\\" onmouseover=\\"window.__pwned=1")', must: ['a[title]'] },
  { name: 'reference link to javascript:', input: '[x][r]\n\n[r]: javascript:alert(1)', mustNot: ['a[href]'] },
  { name: 'raw anchor with javascript:', input: '<a href="javascript:alert(1)">x</a>', mustNot: ['a'] },
  { name: 'style tag', input: '<style>body{display:none}</style>', mustNot: ['style'] },
  { name: 'form', input: '<form action="https://evil.example"><input name=x></form>', mustNot: ['form', 'input'] },
  { name: 'HTML comment', input: 'a <!-- hidden --> b', shows: ['<!-- hidden -->'] },
];

describe('Markdown', () => {
  it.each(cases)('$name', ({ input, must = [], mustNot = [], shows = [] }) => {
    const root = show(input);
    for (const m of must) {
      const [selector, text] = Array.isArray(m) ? m : [m, undefined];
      const found = root.querySelector(selector);
      expect(found, `expected ${selector}`).not.toBeNull();
      if (text !== undefined) expect(found!.textContent).toBe(text);
    }
    for (const selector of mustNot) expect(root.querySelector(selector), `unexpected ${selector}`).toBeNull();
    for (const text of shows) expect(root.textContent).toContain(text);
    expectInert(root);
  });

  it('highlights a fenced block that names its language once the highlighter has loaded', async () => {
    const root = show('```ts\nconst answer: number = 42;\n```');
    await waitFor(() => expect(root.querySelector('pre code .hljs-keyword')).not.toBeNull());
    expect(root.querySelector('pre code')!.textContent).toBe('const answer: number = 42;');
    expectInert(root);
  });

  it('leaves a block without a language, or with an unknown one, as plain text', async () => {
    const root = show('```\nplain\n```\n\n```nosuchlang\nx = 1\n```');
    await new Promise((r) => setTimeout(r, 50));
    expect(root.querySelectorAll('pre code span')).toHaveLength(0);
  });
});
