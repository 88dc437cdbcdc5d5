import { Loading } from '@/components/loading';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Popover } from 'antd';
import { useState } from 'react';
import { Markdown } from '@/components/markdown/markdown';
import { formatDateTime } from '@/lib/format';
import { errorMessage } from '@/lib/api-client';
import { fetchEditHistory } from '../api/chat';
import type { ChatMessage } from '../types';

/** "edited": a button that shows the earlier versions, oldest first, then the current one. */
export function EditedMarker({ message }: { message: ChatMessage }) {
  const [open, setOpen] = useState(false);
  const history = useQuery({
    queryKey: ['chat', 'history', message.id, message.edited_at],
    queryFn: () => fetchEditHistory(message.id),
    enabled: open && message.id > 0,
  });
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      destroyOnHidden
      title="Edit history"
      content={
        <div style={{ maxWidth: 420, maxHeight: 360, overflowY: 'auto' }}>
          {history.isLoading && <Loading size="small" label="Loading edit history" />}
          {history.isError && <Alert type="error" title={errorMessage(history.error)} />}
          {history.data && (
            <ol style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Versions, oldest first">
              {history.data.map((v, i) => (
                <li key={i} style={{ borderBottom: '1px solid #f0f0f0', padding: '6px 0' }}>
                  <div style={{ fontSize: 12, color: '#595959' }}>{i === 0 ? 'Original' : `Version ${i + 1}`} · {formatDateTime(v.edited_at)}</div>
                  <Markdown content={v.content} />
                </li>
              ))}
              <li style={{ padding: '6px 0' }}>
                <div style={{ fontSize: 12, color: '#595959' }}>Current · {formatDateTime(message.edited_at)}</div>
                <Markdown content={message.content} />
              </li>
            </ol>
          )}
        </div>
      }
    >
      <Button type="link" size="small" style={{ padding: 0, height: 'auto', fontSize: 12 }} aria-label="Edited: show earlier versions">
        (edited)
      </Button>
    </Popover>
  );
}
