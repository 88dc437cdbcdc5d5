import { describe, expect, it } from 'vitest';
import { applyFormat, insertAt, link, type Edit } from './text-format';

// A compact way to write a textarea state: [ and ] mark the selection.
function parse(s: string): Edit {
  const start = s.indexOf('[');
  const end = s.indexOf(']') - 1;
  return { value: s.replace('[', '').replace(']', ''), start, end };
}
function show(e: Edit): string {
  return e.value.slice(0, e.start) + '[' + e.value.slice(e.start, e.end) + ']' + e.value.slice(e.end);
}

describe('applyFormat', () => {
  it.each([
    ['bold wraps the selection', 'say [hi] now', 'bold', 'say **[hi]** now'],
    ['bold on a bold selection removes it', 'say **[hi]** now', 'bold', 'say [hi] now'],
    ['bold with nothing selected leaves the cursor between the markers', 'a []b', 'bold', 'a **[]**b'],
    ['italic', '[x]', 'italic', '_[x]_'],
    ['strikethrough', '[x]', 'strike', '~~[x]~~'],
    ['inline code', '[npm ci]', 'code', '`[npm ci]`'],
    ['code block on its own lines', 'see [a = 1] ok', 'codeblock', 'see \n```\n[a = 1]\n```\n ok'],
    ['list prefixes every selected line', '[one\ntwo]', 'list', '- [one\n- two]'],
    ['list again removes the prefixes', '- [one\n- two]', 'list', '[one\ntwo]'],
    ['quote prefixes the line the cursor is on', 'first\nsec[]ond', 'quote', 'first\n> sec[]ond'],
    ['link selects the URL to type over', 'read [docs] first', 'link', 'read [docs]([https://]) first'],
  ] as const)('%s', (_name, before, format, after) => {
    expect(show(applyFormat(parse(before), format))).toBe(after);
  });

  it('link over a selected URL makes it the target and puts the cursor in the text', () => {
    const e = applyFormat({ value: 'x https://example.com y', start: 2, end: 21 }, 'link');
    expect(e.value).toBe('x [](https://example.com) y');
    expect(e.start).toBe(3);
  });

  it('a pasted URL over selected text makes a link and puts the cursor after it', () => {
    const e = link({ value: 'see the docs', start: 8, end: 12 }, 'https://example.com/d');
    expect(e.value).toBe('see the [docs](https://example.com/d)');
    expect(e.start).toBe(e.value.length);
  });

  it('insertAt keeps the draft around the cursor', () => {
    expect(insertAt({ value: 'Hello , bye', start: 6, end: 6 }, 'Ann')).toEqual({ value: 'Hello Ann, bye', start: 9, end: 9 });
  });
});
