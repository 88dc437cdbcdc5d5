import { describe, expect, it } from 'vitest';
import { chatHref, excerpt } from './chat-links';

describe('excerpt', () => {
  it('is one line of plain text, keeping underscores in names', () => {
    expect(excerpt('## **Bold** move by ada_l\n> quoted `code`')).toBe('Bold move by ada_l quoted code');
  });

  it('shows a code block as [code] and links as their text', () => {
    expect(excerpt('see [the docs](https://x.test/a)\n```\nsecret\n```')).toBe('see the docs [code]');
  });

  it('cuts long text with an ellipsis', () => {
    const out = excerpt('a'.repeat(300), 20);
    expect(out).toHaveLength(20);
    expect(out.endsWith('…')).toBe(true);
  });
});

describe('chatHref', () => {
  it('opens a thread beside its room, or the room at a message', () => {
    expect(chatHref(3, 9, { thread: 40 })).toBe('/chat/3/9?thread=40');
    expect(chatHref(3, 9, { message: 41 })).toBe('/chat/3/9?m=41');
    expect(chatHref(3, 9)).toBe('/chat/3/9');
  });
});
