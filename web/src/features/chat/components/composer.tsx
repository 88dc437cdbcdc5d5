import { useId, useLayoutEffect, useRef, useState, type ClipboardEvent, type KeyboardEvent, type ReactNode } from 'react';
import { App, Button, Segmented, Space, Tag, Tooltip } from 'antd';
import { PaperClipOutlined, SendOutlined } from '@ant-design/icons';
import { Markdown, type MentionTarget } from '@/components/markdown/markdown';
import { formatBytes } from '@/lib/format';
import type { ChatParticipant } from '../types';
import { CONFIRM_EVERYONE_ABOVE, insertMention, mentionCandidates, mentionsEveryone, mentionToken, type MentionCandidate } from '../utils/mention-autocomplete';
import { applyFormat, isUrl, link, SHORTCUTS, type Edit, type Format } from '../utils/text-format';
import { FormattingToolbar } from './formatting-toolbar';
import { VoiceRecorder, type VoiceClip } from './voice/voice-recorder';
import { slashToken, TemplateList, useTemplateSuggestions, type TemplateSource, type TemplateSuggestion } from './template-suggestions';
import { SuggestionList, suggestionKey } from './suggestion-list';
import { useTicketSuggestions } from './ticket-suggestions';

interface Props {
  disabled?: boolean;
  autoFocus?: boolean;
  onSend: (content: string, file: File | null) => void;
  onTyping: (isTyping: boolean) => void;
  pendingFile: File | null;
  onPickFile: (f: File | null) => void;
  /** For the preview's mention chips. */
  mentionLookup?: (lowerName: string) => MentionTarget | null;
  /** Templates offered after typing `/` and a short code. */
  templates?: TemplateSource;
  /** The room's people, offered after typing `@`; also how many an @room reaches. */
  participants?: readonly ChatParticipant[];
  myUserId?: number | null;
  /** The text box's accessible name and placeholder (a thread's composer differs from the room's). */
  label?: string;
  placeholder?: string;
  /** Shown beside the formatting toolbar (the thread's "Also send to room"). */
  extra?: ReactNode;
  /** Whether files can be attached (thread replies are text). */
  allowFiles?: boolean;
  /** Sends a recorded voice message; without it there is no microphone button. */
  onSendVoice?: (clip: VoiceClip) => Promise<void>;
}

const TYPING_REPEAT_MS = 3_000;
const TYPING_IDLE_MS = 4_000;

/**
 * Enter sends, Shift+Enter adds a line. Files come from the button, a drop on the room, or a
 * paste. Markdown comes from the toolbar, Ctrl/Cmd+B/I/E/K, or pasting a URL over selected text.
 */
export function Composer({ disabled, autoFocus, onSend, onTyping, pendingFile, onPickFile, mentionLookup, templates, participants, myUserId = null, label = 'Message', placeholder = 'Write a message… (Markdown works)', extra, allowFiles = true, onSendVoice }: Props) {
  const { modal } = App.useApp();
  const [text, setText] = useState('');
  const [mode, setMode] = useState<'write' | 'preview'>('write');
  const fileInput = useRef<HTMLInputElement>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const selection = useRef<{ start: number; end: number } | null>(null);
  const lastTypingSent = useRef(0);
  const idleTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [cursor, setCursor] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [activeTemplate, setActiveTemplate] = useState(0);
  const listId = useId();
  // `#` or a project key suggests tickets of the room (ticket-suggestions.tsx).
  const ticketSuggest = useTicketSuggestions({ text, cursor, enabled: mode === 'write', onPick: (edit) => (commit({ value: edit.value, start: edit.cursor, end: edit.cursor }), setCursor(edit.cursor)) });
  const token = mode === 'write' ? slashToken(text, cursor) : null;
  const tokenKey = token ? `${token.start}:${token.query}` : null;
  const suggestions = useTemplateSuggestions(templates, token && tokenKey !== dismissed ? token.query : null);
  const suggesting = suggestions.length > 0 && !!token && tokenKey !== dismissed;
  const atToken = mode === 'write' && participants ? mentionToken(text, cursor) : null;
  const atKey = atToken ? `@${atToken.start}:${atToken.query}` : null;
  const people = atToken && atKey !== dismissed ? mentionCandidates(participants ?? [], atToken.query, myUserId) : [];
  const mentioning = people.length > 0 && !suggesting;
  const [activePerson, setActivePerson] = useState(0);
  const mentionListId = `${listId}-people`;

  // After a formatting change, put the selection back where the edit says (React resets it).
  useLayoutEffect(() => {
    const el = area.current;
    if (!el || !selection.current) return;
    el.focus();
    el.setSelectionRange(selection.current.start, selection.current.end);
    selection.current = null;
  }, [text, mode]);

  const stopTyping = () => {
    if (idleTimer.current) clearTimeout(idleTimer.current);
    idleTimer.current = null;
    if (lastTypingSent.current) {
      lastTypingSent.current = 0;
      onTyping(false);
    }
  };

  const noteTyping = () => {
    const now = Date.now();
    if (now - lastTypingSent.current > TYPING_REPEAT_MS) {
      lastTypingSent.current = now;
      onTyping(true);
    }
    if (idleTimer.current) clearTimeout(idleTimer.current);
    idleTimer.current = setTimeout(stopTyping, TYPING_IDLE_MS);
  };

  const current = (): Edit => {
    const el = area.current;
    return { value: text, start: el?.selectionStart ?? text.length, end: el?.selectionEnd ?? text.length };
  };

  const commit = (edit: Edit) => {
    selection.current = { start: edit.start, end: edit.end };
    setText(edit.value);
    if (edit.value) noteTyping();
  };

  // Grow with the text up to six lines, then scroll.
  useLayoutEffect(() => {
    const el = area.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight + 2, 148)}px`;
  }, [text, mode]);

  // Keys for the suggestion list, caught before the textarea sees them (Enter must pick, not send).
  const onSuggestionKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (mentioning) {
      const n = people.length;
      suggestionKey(e, n, { setActive: setActivePerson, pick: () => pickPerson(people[Math.min(activePerson, n - 1)]), dismiss: () => setDismissed(atKey) });
    } else if (suggesting) {
      const n = suggestions.length;
      suggestionKey(e, n, { setActive: setActiveTemplate, pick: () => void pickTemplate(suggestions[Math.min(activeTemplate, n - 1)]), dismiss: () => setDismissed(tokenKey) });
    }
  };

  const pickPerson = (c: MentionCandidate) => {
    if (!atToken) return;
    const next = insertMention(text, atToken, cursor, c.name);
    selection.current = { start: next.cursor, end: next.cursor };
    setText(next.value);
    setCursor(next.cursor);
    setActivePerson(0);
  };

  // The rendered text replaces only the `/code` typed; the rest of the draft stays.
  const pickTemplate = async (t: TemplateSuggestion) => {
    if (!token || !templates) return;
    const at = token;
    const end = cursor;
    setDismissed(tokenKey);
    try {
      const content = await templates.render(t.id);
      setText((now) => {
        const still = now.slice(at.start, end) === `/${at.query}`;
        const from = still ? at.start : end;
        selection.current = { start: from + content.length, end: from + content.length };
        return now.slice(0, from) + content + now.slice(end);
      });
    } catch {
      setDismissed(null);
    }
  };

  const format = (f: Format) => {
    if (mode !== 'write') setMode('write');
    commit(applyFormat(current(), f));
  };

  const submit = async () => {
    const content = text.trim();
    if (!content && !pendingFile) return;
    // @room and @here notify everyone: in a bigger room, ask first (the draft stays if not).
    const others = (participants?.length ?? 0) - 1;
    if (others + 1 > CONFIRM_EVERYONE_ABOVE && mentionsEveryone(content)) {
      const question = { title: 'Notify everyone in this room?', content: `@room and @here notify up to ${others} people.` };
      const ok = modal.confirm
        ? await modal.confirm({ ...question, okText: 'Send and notify', cancelText: 'Keep editing' })
        : window.confirm(`${question.title} ${question.content}`);
      if (!ok) return;
    }
    onSend(content, pendingFile);
    setText('');
    setMode('write');
    onPickFile(null);
    stopTyping();
  };

  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const file = Array.from(e.clipboardData.files)[0];
    if (file && allowFiles) {
      e.preventDefault();
      onPickFile(file);
      return;
    }
    const pasted = e.clipboardData.getData('text/plain');
    const edit = current();
    const selected = text.slice(edit.start, edit.end);
    if (selected.trim() && !isUrl(selected) && isUrl(pasted)) {
      e.preventDefault();
      commit(link(edit, pasted.trim()));
    }
  };

  return (
    <div style={{ borderTop: '1px solid #f0f0f0', padding: 8, background: '#fff' }} onKeyDownCapture={(e) => ticketSuggest.onKey(e) || onSuggestionKey(e)}>
      {pendingFile && (
        <Tag closable onClose={() => onPickFile(null)} style={{ marginBottom: 6 }} closeIcon={<span aria-label="Remove attachment">×</span>}>
          📎 {pendingFile.name} ({formatBytes(pendingFile.size)})
        </Tag>
      )}
      <FormattingToolbar onFormat={format} disabled={disabled}>
        {extra}
        <Segmented
          size="small"
          aria-label="Composer mode"
          value={mode}
          onChange={(v) => setMode(v as 'write' | 'preview')}
          options={[
            { label: 'Write', value: 'write' },
            { label: 'Preview', value: 'preview' },
          ]}
          style={{ marginLeft: 'auto' }}
        />
      </FormattingToolbar>
      <div style={{ position: 'relative' }}>{ticketSuggest.list}</div>
      {/* Outside the compact group: a child appearing before the textarea would remount it. */}
      <div style={{ position: 'relative' }}>
        {suggesting && <TemplateList id={listId} items={suggestions} active={activeTemplate} onPick={(t) => void pickTemplate(t)} />}
        {mentioning && <MentionList id={mentionListId} items={people} active={Math.min(activePerson, people.length - 1)} onPick={pickPerson} />}
      </div>
      <Space.Compact style={{ width: '100%', alignItems: 'flex-end', marginTop: 4 }}>
        <input
          ref={fileInput}
          type="file"
          hidden
          aria-label="Choose a file to send"
          data-testid="chat-file-input"
          onChange={(e) => {
            onPickFile(e.target.files?.[0] ?? null);
            e.target.value = '';
          }}
        />
        {allowFiles && (
          <Tooltip title="Attach a file or image">
            <Button icon={<PaperClipOutlined />} aria-label="Attach file" onClick={() => fileInput.current?.click()} disabled={disabled} />
          </Tooltip>
        )}
        {onSendVoice && <VoiceRecorder disabled={disabled} onSend={onSendVoice} />}
        {mode === 'preview' ? (
          <div
            role="region"
            aria-label="Message preview"
            tabIndex={0}
            style={{ flex: 1, minHeight: 32, maxHeight: 160, overflowY: 'auto', padding: '4px 11px', border: '1px solid #d9d9d9', borderRadius: 0 }}
          >
            {text.trim() ? <Markdown content={text} mentionLookup={mentionLookup} /> : <span style={{ color: '#595959' }}>Nothing to preview.</span>}
          </div>
        ) : (
          <textarea
            ref={area}
            className="ant-input ant-input-outlined sb-composer-input"
            aria-label={label}
            autoFocus={autoFocus}
            placeholder={placeholder}
            value={text}
            disabled={disabled}
            rows={1}
            maxLength={10_000}
            onChange={(e) => {
              setText(e.target.value);
              setCursor(e.target.selectionStart ?? e.target.value.length);
              setActiveTemplate(0);
              setActivePerson(0);
              if (e.target.value) noteTyping();
              else stopTyping();
            }}
            onSelect={(e) => setCursor(e.currentTarget.selectionStart ?? 0)}
            onPaste={onPaste}
            // A textbox with a suggestion list (not a combobox: it is first of all the message).
            aria-autocomplete={templates || participants ? 'list' : undefined}
            aria-controls={suggesting ? listId : mentioning ? mentionListId : undefined}
            aria-activedescendant={suggesting ? `${listId}-${suggestions[activeTemplate]?.id}` : mentioning ? `${mentionListId}-${Math.min(activePerson, people.length - 1)}` : undefined}
            onKeyDown={(e) => {
              const mod = (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey;
              const shortcut = mod ? SHORTCUTS[e.key.toLowerCase()] : undefined;
              if (shortcut) {
                e.preventDefault();
                format(shortcut);
              } else if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault();
                void submit();
              }
            }}
            {...ticketSuggest.inputProps}
          />
        )}
        <Button type="primary" icon={<SendOutlined />} onClick={() => void submit()} disabled={disabled || (!text.trim() && !pendingFile)}>
          Send
        </Button>
      </Space.Compact>
    </div>
  );
}

function MentionList({ id, items, active, onPick }: { id: string; items: MentionCandidate[]; active: number; onPick: (c: MentionCandidate) => void }) {
  return (
    <SuggestionList id={id} label="People to mention" items={items} active={active} optionKey={(_, i) => i} onPick={onPick}>
      {(c) => (
        <>
          <code>@{c.name}</code> <span>{c.label}</span>
        </>
      )}
    </SuggestionList>
  );
}
