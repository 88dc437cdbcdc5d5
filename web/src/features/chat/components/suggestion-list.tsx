import type { Dispatch, KeyboardEvent, ReactNode, SetStateAction } from 'react';

interface ListProps<T> {
  id: string;
  /** The list's accessible name ("Templates", "Tickets", "People to mention"). */
  label: string;
  items: readonly T[];
  active: number;
  /** Each option's element id is `${id}-${optionKey(item, index)}`: the text box's aria-activedescendant points at it. */
  optionKey: (item: T, index: number) => string | number;
  onPick: (item: T) => void;
  children: (item: T) => ReactNode;
}

/** A list of suggestions under the composer's text box (templates, tickets, people to mention). */
export function SuggestionList<T>({ id, label, items, active, optionKey, onPick, children }: ListProps<T>) {
  return (
    <ul id={id} role="listbox" aria-label={label} className="sb-template-list">
      {items.map((item, i) => (
        <li
          key={optionKey(item, i)}
          id={`${id}-${optionKey(item, i)}`}
          role="option"
          aria-selected={i === active}
          className={i === active ? 'sb-template-active' : undefined}
          // mousedown, not click: the textarea must keep focus and its cursor.
          onMouseDown={(e) => {
            e.preventDefault();
            onPick(item);
          }}
        >
          {children(item)}
        </li>
      ))}
    </ul>
  );
}

/**
 * The keys an open suggestion list takes before the text box sees them (Enter must pick, not send):
 * the arrows move round the list, Enter or Tab picks the active item, Escape closes the list.
 * Returns true, with the event stopped, when it used the key.
 */
export function suggestionKey(e: KeyboardEvent, count: number, on: { setActive: Dispatch<SetStateAction<number>>; pick: () => void; dismiss: () => void }): boolean {
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') on.setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : count - 1)) % count);
  else if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey) on.pick();
  else if (e.key === 'Escape') on.dismiss();
  else return false;
  e.preventDefault();
  e.stopPropagation();
  return true;
}
