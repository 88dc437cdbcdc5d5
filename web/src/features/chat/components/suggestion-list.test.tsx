import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState, type KeyboardEvent } from 'react';
import { SuggestionList, suggestionKey } from './suggestion-list';

const items = [
  { id: 4, name: 'alpha' },
  { id: 9, name: 'beta' },
  { id: 12, name: 'gamma' },
];

function Harness({ onPick, onDismiss }: { onPick: (name: string) => void; onDismiss: () => void }) {
  const [active, setActive] = useState(0);
  const onKeyDown = (e: KeyboardEvent) => {
    if (!suggestionKey(e, items.length, { setActive, pick: () => onPick(items[active].name), dismiss: onDismiss })) onPick(`untouched ${e.key}`);
  };
  return (
    <div onKeyDown={onKeyDown}>
      <textarea aria-label="Message" aria-activedescendant={`list-${items[active].id}`} />
      <SuggestionList id="list" label="Things" items={items} active={active} optionKey={(t) => t.id} onPick={(t) => onPick(t.name)}>
        {(t) => <span>{t.name}</span>}
      </SuggestionList>
    </div>
  );
}

describe('SuggestionList and suggestionKey', () => {
  afterEach(cleanup);

  it('names the list, marks the active option and gives each option the id the text box points at', () => {
    render(<Harness onPick={() => undefined} onDismiss={() => undefined} />);
    const list = screen.getByRole('listbox', { name: 'Things' });
    const options = screen.getAllByRole('option');
    expect(list.id).toBe('list');
    expect(options.map((o) => o.id)).toEqual(['list-4', 'list-9', 'list-12']);
    expect(options.map((o) => o.getAttribute('aria-selected'))).toEqual(['true', 'false', 'false']);
    expect(screen.getByRole('textbox', { name: 'Message' }).getAttribute('aria-activedescendant')).toBe('list-4');
  });

  it('moves round the list with the arrows, picks with Enter or Tab and closes with Escape', () => {
    const onPick = vi.fn();
    const onDismiss = vi.fn();
    render(<Harness onPick={onPick} onDismiss={onDismiss} />);
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.keyDown(box, { key: 'ArrowUp' });
    expect(box.getAttribute('aria-activedescendant')).toBe('list-12');
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(box.getAttribute('aria-activedescendant')).toBe('list-9');
    fireEvent.keyDown(box, { key: 'Enter' });
    fireEvent.keyDown(box, { key: 'Tab' });
    expect(onPick.mock.calls).toEqual([['beta'], ['beta']]);
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    fireEvent.keyDown(box, { key: 'x' });
    expect(onPick.mock.calls.slice(2)).toEqual([['untouched Enter'], ['untouched x']]);
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(onDismiss).toHaveBeenCalledOnce();
  });

  it('picks on mousedown without taking the focus from the text box', () => {
    const onPick = vi.fn();
    render(<Harness onPick={onPick} onDismiss={() => undefined} />);
    const event = fireEvent.mouseDown(screen.getByRole('option', { name: 'gamma' }));
    expect(event).toBe(false); // default prevented
    expect(onPick).toHaveBeenCalledWith('gamma');
  });
});
