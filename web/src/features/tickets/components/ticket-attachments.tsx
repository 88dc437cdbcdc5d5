import { useRef } from 'react';
import { App, Button, List, Popconfirm, Typography } from 'antd';
import { DeleteOutlined, PaperClipOutlined } from '@ant-design/icons';
import { errorMessage } from '@/lib/api-client';
import { formatBytes } from '@/lib/format';
import { userLabel } from '@/lib/shared-queries';
import { useAttachmentMutations, useAttachments } from '../api/tickets';

export function TicketAttachments({ ticketId }: { ticketId: number }) {
  const attachments = useAttachments(ticketId);
  const { upload, remove } = useAttachmentMutations(ticketId);
  const { message } = App.useApp();
  const input = useRef<HTMLInputElement>(null);

  const onFiles = async (files: FileList | null) => {
    for (const f of Array.from(files ?? [])) {
      try {
        await upload.mutateAsync(f);
      } catch (err) {
        message.error(`${f.name}: ${errorMessage(err)}`);
      }
    }
    if (input.current) input.current.value = '';
  };

  return (
    <section aria-label="Attachments">
      <Typography.Title level={5}>Attachments</Typography.Title>
      <input ref={input} type="file" multiple hidden aria-label="Choose files to attach" onChange={(e) => void onFiles(e.target.files)} />
      <Button icon={<PaperClipOutlined />} onClick={() => input.current?.click()} loading={upload.isPending}>
        Attach file
      </Button>
      <List
        size="small"
        dataSource={attachments.data ?? []}
        locale={{ emptyText: 'No attachments' }}
        renderItem={(a) => (
          <List.Item
            actions={[
              <Popconfirm key="d" title={`Delete ${a.file_name}?`} onConfirm={() => remove.mutateAsync(a.id).catch((e) => message.error(errorMessage(e)))}>
                <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={`Delete attachment ${a.file_name}`} />
              </Popconfirm>,
            ]}
          >
            <List.Item.Meta
              avatar={a.thumbnail_url || a.content_type?.startsWith('image/') ? <img src={a.thumbnail_url ?? a.url} alt={a.file_name} style={{ width: 48, height: 48, objectFit: 'cover', borderRadius: 4 }} /> : <PaperClipOutlined />}
              title={
                <a href={a.url} target="_blank" rel="noopener noreferrer" download={a.file_name}>
                  {a.file_name}
                </a>
              }
              description={`${formatBytes(a.file_size)} · ${userLabel(a.uploaded_by)}`}
            />
          </List.Item>
        )}
      />
    </section>
  );
}
