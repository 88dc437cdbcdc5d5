import { describe, expect, it } from 'vitest';
import { insertTicketKey, ticketToken } from './ticket-token';

const keys = new Set(['SUP', 'WEB2']);
const at = (text: string) => ticketToken(text, text.length, keys);

describe('ticketToken', () => {
  it('starts at # at the start or after a space, and searches the words after it', () => {
    expect(at('#')).toEqual({ start: 0, query: '', projectKey: null });
    expect(at('see #login')).toEqual({ start: 4, query: 'login', projectKey: null });
    expect(at('(#crash')).toEqual({ start: 1, query: 'crash', projectKey: null });
  });

  it('ignores # inside a word and after the search ended with a space', () => {
    expect(at('C#')).toBeNull();
    expect(at('issue#4')).toBeNull();
    expect(at('#login ')).toBeNull();
  });

  it('takes the key of a project the person is in, with or without digits', () => {
    expect(at('about SUP-')).toEqual({ start: 6, query: 'SUP-', projectKey: 'SUP' });
    expect(at('SUP-4')).toEqual({ start: 0, query: 'SUP-4', projectKey: 'SUP' });
    expect(at('WEB2-12')).toEqual({ start: 0, query: 'WEB2-12', projectKey: 'WEB2' });
    expect(at('#SUP-4')).toEqual({ start: 0, query: 'SUP-4', projectKey: 'SUP' });
  });

  it('leaves unknown keys, lower case and keys inside words alone', () => {
    expect(at('ISO-8601')).toBeNull();
    expect(at('sup-4')).toBeNull();
    expect(at('XSUP-4')).toBeNull();
    expect(at('aSUP-4')).toBeNull();
  });

  it('looks only before the cursor', () => {
    expect(ticketToken('#login and more', 6, keys)).toEqual({ start: 0, query: 'login', projectKey: null });
    expect(ticketToken('#login and more', 15, keys)).toBeNull();
  });
});

describe('insertTicketKey', () => {
  it('replaces the token with the key and a space, keeping the rest', () => {
    const text = 'see #log please';
    const token = ticketToken(text, 8, keys)!;
    expect(insertTicketKey(text, token, 8, 'SUP-12')).toEqual({ value: 'see SUP-12 please', cursor: 10 });
    const end = 'fixed by SUP-';
    expect(insertTicketKey(end, at(end)!, end.length, 'SUP-3')).toEqual({ value: 'fixed by SUP-3 ', cursor: 15 });
  });
});
