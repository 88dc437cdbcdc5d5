// Markdown formatting of a textarea's selection, as pure functions of (text, selection) so the
// toolbar, the shortcuts and the tests share them.

export interface Edit {
  value: string;
  start: number;
  end: number;
}

export type Format = 'bold' | 'italic' | 'strike' | 'code' | 'codeblock' | 'link' | 'list' | 'quote';

const MARKERS: Partial<Record<Format, string>> = { bold: '**', italic: '_', strike: '~~', code: '`' };

/** Wraps the selection in a marker, or removes it when the selection is already wrapped. */
function wrap({ value, start, end }: Edit, marker: string): Edit {
  const n = marker.length;
  if (value.slice(start - n, start) === marker && value.slice(end, end + n) === marker) {
    return { value: value.slice(0, start - n) + value.slice(start, end) + value.slice(end + n), start: start - n, end: end - n };
  }
  const sel = value.slice(start, end);
  return { value: value.slice(0, start) + marker + sel + marker + value.slice(end), start: start + n, end: end + n };
}

function lineBounds(value: string, start: number, end: number) {
  const from = value.lastIndexOf('\n', start - 1) + 1;
  let to = value.indexOf('\n', end > start && value[end - 1] === '\n' ? end - 1 : end);
  if (to === -1) to = value.length;
  return { from, to };
}

/** Puts a prefix before every selected line, or takes it away when every line has it. */
function prefixLines({ value, start, end }: Edit, prefix: string): Edit {
  const { from, to } = lineBounds(value, start, end);
  const lines = value.slice(from, to).split('\n');
  const all = lines.every((l) => l.startsWith(prefix));
  const changed = lines.map((l) => (all ? l.slice(prefix.length) : prefix + l)).join('\n');
  const delta = all ? -prefix.length : prefix.length;
  return {
    value: value.slice(0, from) + changed + value.slice(to),
    start: Math.max(from, start + delta),
    end: end + delta * lines.length,
  };
}

function codeBlock({ value, start, end }: Edit): Edit {
  const sel = value.slice(start, end);
  const before = start > 0 && value[start - 1] !== '\n' ? '\n' : '';
  const after = end < value.length && value[end] !== '\n' ? '\n' : '';
  const open = `${before}\`\`\`\n`;
  const inserted = `${open}${sel}\n\`\`\`${after}`;
  return { value: value.slice(0, start) + inserted + value.slice(end), start: start + open.length, end: start + open.length + sel.length };
}

export function isUrl(text: string): boolean {
  return /^(https?:\/\/|mailto:)\S+$/i.test(text.trim());
}

/** `[text](url)`: the URL is selected so it can be typed over; a selected URL becomes the target. */
export function link({ value, start, end }: Edit, url?: string): Edit {
  const sel = value.slice(start, end);
  if (!url && isUrl(sel)) {
    const out = `[](${sel.trim()})`;
    return { value: value.slice(0, start) + out + value.slice(end), start: start + 1, end: start + 1 };
  }
  const text = sel || 'text';
  const target = url ?? 'https://';
  const out = `[${text}](${target})`;
  const urlStart = start + text.length + 3;
  return url
    ? { value: value.slice(0, start) + out + value.slice(end), start: start + out.length, end: start + out.length }
    : { value: value.slice(0, start) + out + value.slice(end), start: sel ? urlStart : start + 1, end: sel ? urlStart + target.length : start + 1 + text.length };
}

export function applyFormat(edit: Edit, format: Format): Edit {
  const marker = MARKERS[format];
  if (marker) return wrap(edit, marker);
  switch (format) {
    case 'codeblock':
      return codeBlock(edit);
    case 'link':
      return link(edit);
    case 'list':
      return prefixLines(edit, '- ');
    case 'quote':
      return prefixLines(edit, '> ');
    default:
      return edit;
  }
}

/** Inserts text at the cursor (replacing any selection), leaving the cursor after it. */
export function insertAt({ value, start, end }: Edit, text: string): Edit {
  return { value: value.slice(0, start) + text + value.slice(end), start: start + text.length, end: start + text.length };
}

/** The keyboard shortcuts, by the key pressed with Ctrl (or Cmd on a Mac). */
export const SHORTCUTS: Record<string, Format> = { b: 'bold', i: 'italic', e: 'code', k: 'link' };
