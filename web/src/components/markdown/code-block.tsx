import { useEffect, useState, type ReactNode } from 'react';

type Highlighter = typeof import('./highlight');
let loading: Promise<Highlighter> | null = null;
const loadHighlighter = () => (loading ??= import('./highlight'));

/** A fenced code block: plain text at once, coloured when the highlighter has arrived. */
export function CodeBlock({ code, language }: { code: string; language: string | null }) {
  const [coloured, setColoured] = useState<ReactNode | null>(null);
  useEffect(() => {
    if (!language) return;
    let live = true;
    loadHighlighter()
      .then((h) => live && setColoured(h.highlight(code, language)))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [code, language]);
  return (
    // Focusable so a keyboard user can scroll a wide block sideways.
    <pre className="sb-code-block" data-language={language ?? undefined} tabIndex={0}>
      <code className={language ? `hljs language-${language}` : undefined}>{coloured ?? code}</code>
    </pre>
  );
}
