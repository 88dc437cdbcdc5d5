import { useRef, useState, type ClipboardEvent } from 'react';
import { Button, Input, Space, Tag, Tooltip } from 'antd';
import { PaperClipOutlined, SendOutlined } from '@ant-design/icons';
import { formatBytes } from '@/lib/format';

interface Props {
  disabled?: boolean;
  autoFocus?: boolean;
  onSend: (content: string, file: File | null) => void;
  onTyping: (isTyping: boolean) => void;
  pendingFile: File | null;
  onPickFile: (f: File | null) => void;
}

const TYPING_REPEAT_MS = 3_000;
const TYPING_IDLE_MS = 4_000;

/** Enter sends, Shift+Enter adds a line. Files come from the button, a drop on the room, or a paste. */
export function Composer({ disabled, autoFocus, onSend, onTyping, pendingFile, onPickFile }: Props) {
  const [text, setText] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const lastTypingSent = useRef(0);
  const idleTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

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

  const submit = () => {
    const content = text.trim();
    if (!content && !pendingFile) return;
    onSend(content, pendingFile);
    setText('');
    onPickFile(null);
    stopTyping();
  };

  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const file = Array.from(e.clipboardData.files)[0];
    if (file) {
      e.preventDefault();
      onPickFile(file);
    }
  };

  return (
    <div style={{ borderTop: '1px solid #f0f0f0', padding: 8, background: '#fff' }}>
      {pendingFile && (
        <Tag closable onClose={() => onPickFile(null)} style={{ marginBottom: 6 }} closeIcon={<span aria-label="Remove attachment">×</span>}>
          📎 {pendingFile.name} ({formatBytes(pendingFile.size)})
        </Tag>
      )}
      <Space.Compact style={{ width: '100%', alignItems: 'flex-end' }}>
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
        <Tooltip title="Attach a file or image">
          <Button icon={<PaperClipOutlined />} aria-label="Attach file" onClick={() => fileInput.current?.click()} disabled={disabled} />
        </Tooltip>
        <Input.TextArea
          aria-label="Message"
          autoFocus={autoFocus}
          placeholder="Write a message…"
          value={text}
          disabled={disabled}
          autoSize={{ minRows: 1, maxRows: 6 }}
          maxLength={10_000}
          onChange={(e) => {
            setText(e.target.value);
            if (e.target.value) noteTyping();
            else stopTyping();
          }}
          onPaste={onPaste}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              submit();
            }
          }}
        />
        <Button type="primary" icon={<SendOutlined />} onClick={submit} disabled={disabled || (!text.trim() && !pendingFile)}>
          Send
        </Button>
      </Space.Compact>
    </div>
  );
}
