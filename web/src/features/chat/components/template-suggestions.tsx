import { useEffect, useState } from 'react';
import { SuggestionList } from './suggestion-list';

export interface TemplateSuggestion {
  id: number;
  short_code: string;
  title: string;
}

export interface TemplateSource {
  search: (query: string) => Promise<TemplateSuggestion[]>;
  /** The template's text with its variables filled in for this room. */
  render: (id: number) => Promise<string>;
}

/** The `/code` being typed just before the cursor, if any: `/` at the start or after a space. */
export function slashToken(text: string, cursor: number): { start: number; query: string } | null {
  const m = /(^|\s)\/([a-z0-9_-]{0,32})$/.exec(text.slice(0, cursor));
  return m ? { start: m.index + m[1].length, query: m[2] } : null;
}

/** Searches as the short code is typed (briefly debounced); the newest answer wins. */
export function useTemplateSuggestions(source: TemplateSource | undefined, query: string | null) {
  const [items, setItems] = useState<TemplateSuggestion[]>([]);
  useEffect(() => {
    if (!source || query === null) {
      setItems([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      source
        .search(query)
        .then((r) => live && setItems(r.slice(0, 8)))
        .catch(() => live && setItems([]));
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [source, query]);
  return items;
}

export function TemplateList({ id, items, active, onPick }: { id: string; items: TemplateSuggestion[]; active: number; onPick: (t: TemplateSuggestion) => void }) {
  return (
    <SuggestionList id={id} label="Templates" items={items} active={active} optionKey={(t) => t.id} onPick={onPick}>
      {(t) => (
        <>
          <code>/{t.short_code}</code> <span>{t.title}</span>
        </>
      )}
    </SuggestionList>
  );
}
