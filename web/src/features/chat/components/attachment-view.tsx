import { useEffect, useState } from 'react';
import { Modal } from 'antd';
import { FileOutlined } from '@ant-design/icons';
import { fetchBlob } from '@/lib/api-client';
import { formatBytes } from '@/lib/format';
import type { ChatMessage } from '../types';

/**
 * An image that first tries its URL directly (signed links) and falls back to fetching it
 * with the bearer token when the server wants authentication.
 */
function AuthImage({ src, alt, full = false }: { src: string; alt: string; full?: boolean }) {
  const [url, setUrl] = useState(src);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    setUrl(src);
    setFailed(false);
  }, [src]);
  useEffect(() => () => {
    if (url.startsWith('blob:') && url !== src) URL.revokeObjectURL(url);
  }, [url, src]);
  return (
    <img
      src={url}
      alt={alt}
      loading="lazy"
      style={full ? { maxWidth: '100%', maxHeight: '75vh', display: 'block', margin: '0 auto' } : { maxWidth: 'min(320px, 100%)', maxHeight: 240, borderRadius: 6, display: 'block' }}
      onError={() => {
        if (failed || url.startsWith('blob:')) return;
        setFailed(true);
        fetchBlob(src)
          .then((b) => {
            // An HTML error page is not a picture: leave the broken image and its alt text.
            if (b.type.startsWith('image/')) setUrl(URL.createObjectURL(b));
          })
          .catch(() => undefined);
      }}
    />
  );
}

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
  const [open, setOpen] = useState(false);
  const src = message.local_preview_url ?? message.thumbnail_url ?? message.attachment_url;
  if (!src) return null;
  const caption = `${name}${message.attachment_size ? ` · ${formatBytes(message.attachment_size)}` : ''}`;
  return (
    <figure style={{ margin: '4px 0 0', display: 'table' }}>
      <button type="button" className="sb-image-button" onClick={() => setOpen(true)} aria-label={`View image ${name}`} disabled={!message.attachment_url}>
        {message.local_preview_url ? (
          <img src={src} alt={name} style={{ maxWidth: 'min(320px, 100%)', maxHeight: 240, borderRadius: 6, display: 'block', opacity: 0.7 }} />
        ) : (
          <AuthImage src={src} alt={name} />
        )}
      </button>
      <figcaption className="sb-image-caption">{caption}</figcaption>
      {open && message.attachment_url && (
        <Modal
          open
          title={caption}
          footer={
            <a href={message.attachment_url} download={name} target="_blank" rel="noopener noreferrer">
              Download
            </a>
          }
          onCancel={() => setOpen(false)}
          width="min(1100px, 96vw)"
          centered
          closable={{ 'aria-label': 'Close image viewer' }}
        >
          <AuthImage src={message.attachment_url} alt={name} full />
        </Modal>
      )}
    </figure>
  );
}
