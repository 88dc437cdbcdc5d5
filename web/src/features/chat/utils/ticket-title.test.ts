import { describe, expect, it } from 'vitest';
import { titleFromMessage } from './ticket-title';

describe('titleFromMessage', () => {
  it('takes the first non-blank line', () => {
    expect(titleFromMessage('\n\nLogin fails on Safari\nsteps: open the page')).toBe('Login fails on Safari');
  });

  it('takes the Markdown marks off', () => {
    expect(titleFromMessage('## **Export** is _broken_ for `csv`')).toBe('Export is broken for csv');
    expect(titleFromMessage('- [ ] check the [docs](https://example.com/x)')).toBe('check the docs');
    expect(titleFromMessage('> ~~old~~ quote')).toBe('old quote');
  });

  it('keeps underscores inside words', () => {
    expect(titleFromMessage('rename snake_case_name please')).toBe('rename snake_case_name please');
  });

  it('skips a code block to the text after it', () => {
    expect(titleFromMessage('```\nstack trace\n```\nCrash on save')).toBe('Crash on save');
  });

  it('cuts a long line at a word, within the limit', () => {
    const long = 'word '.repeat(60).trim();
    const title = titleFromMessage(long);
    expect(title.length).toBeLessThanOrEqual(200);
    expect(title.endsWith('word…')).toBe(true);
  });

  it('gives an empty title for a message with no text', () => {
    expect(titleFromMessage('   ')).toBe('');
  });
});
