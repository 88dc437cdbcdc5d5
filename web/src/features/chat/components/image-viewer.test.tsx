import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { AttachmentView } from './attachment-view';
import { ImageViewerHost } from './image-viewer';
import type { ChatMessage } from '../types';

afterEach(cleanup);

const picture = {
  id: 7,
  room: 1,
  user: { id: 1, username: 'kim', display_name: '' },
  content: '',
  type: 'image',
  attachment_url: '/files/photo.png?sig=1',
  thumbnail_url: '/files/photo.png/thumbnail?sig=1',
  attachment_name: 'photo.png',
  attachment_size: 2048,
  reactions: [],
  created_at: '2026-11-30T10:00:00Z',
  updated_at: '2026-11-30T10:00:00Z',
  is_edited: false,
  edited_at: null,
} as unknown as ChatMessage;

describe('image viewer', () => {
  it('stays open when the message row that opened it is unmounted (a virtualized list does that)', async () => {
    const { rerender } = render(
      <MemoryRouter>
        <ImageViewerHost />
        <AttachmentView message={picture} />
      </MemoryRouter>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'View image photo.png' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('photo.png · 2.0 KB');
    rerender(
      <MemoryRouter>
        <ImageViewerHost />
      </MemoryRouter>,
    );
    expect(screen.getByRole('dialog')).toBeTruthy();
    expect(screen.getAllByRole('img', { name: 'photo.png' }).some((img) => img.getAttribute('src') === picture.attachment_url)).toBe(true);
    act(() => fireEvent.click(screen.getByRole('button', { name: 'Close image viewer' })));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });
});
