import { FileOutlined } from '@ant-design/icons';
import { formatBytes } from '@/lib/format';
import type { ChatMessage } from '../types';
import { AuthImage } from './auth-image';
import { openImageViewer } from './image-viewer';

export function AttachmentView({ message }: { message: ChatMessage }) {
  const name = message.attachment_name ?? 'attachment';
  if (message.type === 'image') return <ImagePreview message={message} name={name} />;
  if (message.type === 'file' || message.attachment_url) {
    const chip = (
      <span style={{ display: 'inline-flex', alignItems: 'center', gap: 8, padding: '6px 10px', border: '1px solid #d9d9d9', borderRadius: 6, background: '#fafafa', marginTop: 4, maxWidth: '100%' }}>
        <FileOutlined aria-hidden />
        <span className="sb-prewrap">{name}</span>
        <span style={{ color: '#888', fontSize: 12 }}>{formatBytes(message.attachment_size)}</span>
      </span>
    );
    return message.attachment_url ? (
      <a href={message.attachment_url} download={name} target="_blank" rel="noopener noreferrer" aria-label={`Download ${name}`} style={{ display: 'table' }}>
        {chip}
      </a>
    ) : (
      chip
    );
  }
  return null;
}

/** A sized preview with the file's name and size; a click opens the full picture in a viewer. */
function ImagePreview({ message, name }: { message: ChatMessage; name: string }) {
  const src = message.local_preview_url ?? message.thumbnail_url ?? message.attachment_url;
  if (!src) return null;
  const caption = `${name}${message.attachment_size ? ` · ${formatBytes(message.attachment_size)}` : ''}`;
  return (
    <figure style={{ margin: '4px 0 0', display: 'table' }}>
      <button type="button" className="sb-image-button" onClick={() => message.attachment_url && openImageViewer({ url: message.attachment_url, name, caption })} aria-label={`View image ${name}`} disabled={!message.attachment_url}>
        {message.local_preview_url ? (
          <img src={src} alt={name} style={{ maxWidth: 'min(320px, 100%)', maxHeight: 240, borderRadius: 6, display: 'block', opacity: 0.7 }} />
        ) : (
          <AuthImage src={src} alt={name} />
        )}
      </button>
      <figcaption className="sb-image-caption">{caption}</figcaption>
    </figure>
  );
}
