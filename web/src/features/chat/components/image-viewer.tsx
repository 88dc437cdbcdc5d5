import { useEffect, useSyncExternalStore } from 'react';
import { useLocation } from 'react-router-dom';
import { Modal } from 'antd';
import { AuthImage } from './auth-image';

/** What the viewer shows: the full picture, its name, and the caption (name and size). */
export interface ViewedImage {
  url: string;
  name: string;
  caption: string;
}

// The viewer lives outside the message list: a virtualized list may unmount and mount a row at
// any time (a new message, a re-measure), and a dialog kept in the row's state closed with it.
let current: ViewedImage | null = null;
const listeners = new Set<() => void>();

function set(next: ViewedImage | null): void {
  current = next;
  for (const l of listeners) l();
}

export function openImageViewer(image: ViewedImage): void {
  set(image);
}

/** Mounted once in the app's layout: the full-size picture of whatever image was clicked. */
export function ImageViewerHost() {
  // Going elsewhere (the browser's Back button) closes it.
  const { pathname } = useLocation();
  useEffect(() => () => set(null), [pathname]);
  const image = useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => current,
  );
  if (!image) return null;
  return (
    <Modal
      open
      title={image.caption}
      footer={
        <a href={image.url} download={image.name} target="_blank" rel="noopener noreferrer">
          Download
        </a>
      }
      onCancel={() => set(null)}
      width="min(1100px, 96vw)"
      centered
      closable={{ 'aria-label': 'Close image viewer' }}
    >
      <AuthImage src={image.url} alt={image.name} full />
    </Modal>
  );
}
