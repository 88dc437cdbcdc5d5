import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Composer } from './composer';

afterEach(cleanup);

function setup() {
  const onSend = vi.fn();
  const onTyping = vi.fn();
  const onPickFile = vi.fn();
  render(<Composer onSend={onSend} onTyping={onTyping} pendingFile={null} onPickFile={onPickFile} />);
  const box = screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
  return { onSend, onTyping, onPickFile, box };
}

describe('Composer', () => {
  it('sends on Enter and clears the box', () => {
    const { onSend, box } = setup();
    fireEvent.change(box, { target: { value: 'hello' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onSend).toHaveBeenCalledWith('hello', null);
    expect(box.value).toBe('');
  });

  it('does not send on Shift+Enter (a new line) nor for blank text', () => {
    const { onSend, box } = setup();
    fireEvent.change(box, { target: { value: 'line one' } });
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(onSend).not.toHaveBeenCalled();
    fireEvent.change(box, { target: { value: '   ' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onSend).not.toHaveBeenCalled();
  });

  it('has a Send button and reports typing start and stop', () => {
    const { onSend, onTyping, box } = setup();
    fireEvent.change(box, { target: { value: 'h' } });
    expect(onTyping).toHaveBeenLastCalledWith(true);
    fireEvent.click(screen.getByRole('button', { name: /Send/ }));
    expect(onSend).toHaveBeenCalledWith('h', null);
    expect(onTyping).toHaveBeenLastCalledWith(false);
  });

  it('takes a pasted file as the attachment', () => {
    const { onPickFile, box } = setup();
    const file = new File(['x'], 'shot.png', { type: 'image/png' });
    fireEvent.paste(box, { clipboardData: { files: [file], getData: () => '' } });
    expect(onPickFile).toHaveBeenCalledWith(file);
  });
});
