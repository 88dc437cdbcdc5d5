import { useEffect, useState } from 'react';
import { fetchBlob } from '@/lib/api-client';

/**
 * An image that first tries its URL directly (signed links) and falls back to fetching it
 * with the bearer token when the server wants authentication.
 */
export function AuthImage({ src, alt, full = false }: { src: string; alt: string; full?: boolean }) {
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
      // The list's previews load as they scroll into view; the viewer's picture was asked for.
      loading={full ? 'eager' : 'lazy'}
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

