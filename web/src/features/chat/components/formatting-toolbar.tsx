import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Button, Tooltip } from 'antd';
import { BoldOutlined, CodeFilled, CodeOutlined, ItalicOutlined, LinkOutlined, StrikethroughOutlined, UnorderedListOutlined } from '@ant-design/icons';
import type { Format } from '../utils/text-format';

const MOD = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? 'Cmd' : 'Ctrl';

const TOOLS: { format: Format; label: string; icon: ReactNode; key?: string }[] = [
  { format: 'bold', label: 'Bold', icon: <BoldOutlined />, key: 'B' },
  { format: 'italic', label: 'Italic', icon: <ItalicOutlined />, key: 'I' },
  { format: 'strike', label: 'Strikethrough', icon: <StrikethroughOutlined /> },
  { format: 'code', label: 'Code', icon: <CodeOutlined />, key: 'E' },
  { format: 'codeblock', label: 'Code block', icon: <CodeFilled /> },
  { format: 'link', label: 'Link', icon: <LinkOutlined />, key: 'K' },
  { format: 'list', label: 'Bulleted list', icon: <UnorderedListOutlined /> },
  { format: 'quote', label: 'Quote', icon: <span aria-hidden style={{ fontWeight: 700, fontSize: 16, lineHeight: 1 }}>❝</span> },
];

/** One tab stop; arrow keys move between the buttons (the ARIA toolbar pattern). */
export function FormattingToolbar({ onFormat, disabled, children }: { onFormat: (f: Format) => void; disabled?: boolean; children?: ReactNode }) {
  const [active, setActive] = useState(0);
  const refs = useRef<(HTMLElement | null)[]>([]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const move = { ArrowRight: 1, ArrowLeft: -1, Home: -active, End: TOOLS.length - 1 - active }[e.key];
    if (move === undefined || !(e.target instanceof HTMLButtonElement)) return;
    e.preventDefault();
    const next = (active + move + TOOLS.length) % TOOLS.length;
    setActive(next);
    refs.current[next]?.focus();
  };

  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 4, flexWrap: 'wrap' }}>
      <div role="toolbar" aria-label="Formatting" onKeyDown={onKeyDown} style={{ display: 'flex', gap: 2 }}>
        {TOOLS.map((t, i) => (
          <Tooltip key={t.format} title={t.key ? `${t.label} (${MOD}+${t.key})` : t.label} mouseEnterDelay={0.4}>
            <Button
              ref={(el) => {
                refs.current[i] = el;
              }}
              size="small"
              type="text"
              icon={t.icon}
              aria-label={t.label}
              aria-keyshortcuts={t.key ? `${MOD === 'Cmd' ? 'Meta' : 'Control'}+${t.key}` : undefined}
              tabIndex={i === active ? 0 : -1}
              disabled={disabled}
              // Keep the text selection: a mouse press would otherwise move focus off the textarea.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => {
                setActive(i);
                onFormat(t.format);
              }}
            />
          </Tooltip>
        ))}
      </div>
      {children}
    </div>
  );
}
