import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App } from 'antd';
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

  it('bolds the selection from the toolbar and from Ctrl+B, and toggles it off again', () => {
    const { box } = setup();
    fireEvent.change(box, { target: { value: 'say hi now' } });
    box.setSelectionRange(4, 6);
    fireEvent.click(screen.getByRole('button', { name: 'Bold' }));
    expect(box.value).toBe('say **hi** now');
    expect([box.selectionStart, box.selectionEnd]).toEqual([6, 8]);
    fireEvent.keyDown(box, { key: 'b', ctrlKey: true });
    expect(box.value).toBe('say hi now');
  });

  it('has shortcuts for italic, code and link', () => {
    const { box } = setup();
    fireEvent.change(box, { target: { value: 'x' } });
    box.setSelectionRange(0, 1);
    fireEvent.keyDown(box, { key: 'i', metaKey: true });
    expect(box.value).toBe('_x_');
    box.setSelectionRange(1, 2);
    fireEvent.keyDown(box, { key: 'e', ctrlKey: true });
    expect(box.value).toBe('_`x`_');
    box.setSelectionRange(2, 3);
    fireEvent.keyDown(box, { key: 'k', ctrlKey: true });
    expect(box.value).toBe('_`[x](https://)`_');
  });

  it('names every toolbar button', () => {
    setup();
    const toolbar = screen.getByRole('toolbar', { name: 'Formatting' });
    const names = Array.from(toolbar.querySelectorAll('button')).map((b) => b.getAttribute('aria-label'));
    expect(names).toEqual(['Bold', 'Italic', 'Strikethrough', 'Code', 'Code block', 'Link', 'Bulleted list', 'Quote']);
  });

  it('makes a link when a URL is pasted over selected text', () => {
    const { box } = setup();
    fireEvent.change(box, { target: { value: 'read the docs' } });
    box.setSelectionRange(9, 13);
    fireEvent.paste(box, { clipboardData: { files: [], getData: () => 'https://example.com/docs' } });
    expect(box.value).toBe('read the [docs](https://example.com/docs)');
  });

  it('leaves an ordinary paste alone', () => {
    const { box } = setup();
    fireEvent.change(box, { target: { value: 'abc' } });
    box.setSelectionRange(0, 3);
    const event = fireEvent.paste(box, { clipboardData: { files: [], getData: () => 'not a url' } });
    expect(event).toBe(true);
    expect(box.value).toBe('abc');
  });

  it('previews the Markdown and keeps the draft', () => {
    const { box } = setup();
    fireEvent.change(box, { target: { value: '**loud** <b>x</b>' } });
    fireEvent.click(screen.getByText('Preview'));
    const preview = screen.getByRole('region', { name: 'Message preview' });
    expect(preview.querySelector('strong')?.textContent).toBe('loud');
    expect(preview.querySelector('b')).toBeNull();
    fireEvent.click(screen.getByText('Write'));
    expect((screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement).value).toBe('**loud** <b>x</b>');
  });

  it('suggests templates after / and inserts the rendered text at the cursor, keeping the draft', async () => {
    const search = vi.fn(async (q: string) => [{ id: 7, short_code: 'thanks', title: 'Thank you' }].filter((t) => t.short_code.startsWith(q)));
    const renderT = vi.fn(async () => 'Thanks, Ann!');
    render(<Composer onSend={vi.fn()} onTyping={vi.fn()} pendingFile={null} onPickFile={vi.fn()} templates={{ search, render: renderT }} />);
    const box = screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: 'Hi. /tha See you', selectionStart: 8, selectionEnd: 8 } });
    const option = await screen.findByRole('option', { name: /thanks/ });
    expect(search).toHaveBeenLastCalledWith('tha');
    expect(box.getAttribute('aria-activedescendant')).toBe(option.id);
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(box.value).toBe('Hi. Thanks, Ann! See you'));
    expect(renderT).toHaveBeenCalledWith(7);
    expect(option.isConnected).toBe(false);
  });

  it('takes a pasted file as the attachment', () => {
    const { onPickFile, box } = setup();
    const file = new File(['x'], 'shot.png', { type: 'image/png' });
    fireEvent.paste(box, { clipboardData: { files: [file], getData: () => '' } });
    expect(onPickFile).toHaveBeenCalledWith(file);
  });
});

describe('Composer mentions', () => {
  const person = (id: number, username: string) => ({ id, joined_at: '', last_read_at: null, user: { id, username, display_name: username, email: '', first_name: '', last_name: '' } });

  function setupPeople(count: number) {
    const onSend = vi.fn();
    const participants = [person(1, 'me'), person(2, 'ana'), person(3, 'andre'), ...Array.from({ length: count - 3 }, (_, i) => person(10 + i, `p${i}`))];
    render(
      <App>
        <Composer onSend={onSend} onTyping={vi.fn()} pendingFile={null} onPickFile={vi.fn()} participants={participants} myUserId={1} />
      </App>,
    );
    const box = screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
    return { onSend, box };
  }

  it('offers the matching people after @ and inserts the one picked with the keyboard', () => {
    const { box, onSend } = setupPeople(3);
    fireEvent.change(box, { target: { value: 'hi @an' } });
    const list = screen.getByRole('listbox', { name: 'People to mention' });
    expect(Array.from(list.querySelectorAll('[role=option]')).map((o) => o.textContent)).toEqual(['@ana ana', '@andre andre']);
    expect(box.getAttribute('aria-activedescendant')).toBe(list.querySelector('[aria-selected=true]')!.id);
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(box.value).toBe('hi @andre ');
    expect(onSend).not.toHaveBeenCalled();
    expect(screen.queryByRole('listbox', { name: 'People to mention' })).toBeNull();
  });

  it('closes the list on Escape so Enter sends', () => {
    const { box, onSend } = setupPeople(3);
    fireEvent.change(box, { target: { value: '@an' } });
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(screen.queryByRole('listbox', { name: 'People to mention' })).toBeNull();
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onSend).toHaveBeenCalledWith('@an', null);
  });

  it('asks before @room in a room of more than five people, and keeps the draft when told no', async () => {
    const { box, onSend } = setupPeople(7);
    fireEvent.change(box, { target: { value: '@room standup now' } });
    fireEvent.keyDown(box, { key: 'Escape' });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect((await screen.findAllByText('Notify everyone in this room?')).length).toBeGreaterThan(0);
    expect(onSend).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Keep editing' }));
    await waitFor(() => expect(box.value).toBe('@room standup now'));
    expect(onSend).not.toHaveBeenCalled();
    fireEvent.keyDown(box, { key: 'Enter' });
    // The first dialog may still be fading out: the newest one is last.
    fireEvent.click((await screen.findAllByRole('button', { name: 'Send and notify' })).at(-1)!);
    await waitFor(() => expect(onSend).toHaveBeenCalledWith('@room standup now', null));
  });

  it('does not ask in a small room', () => {
    const { box, onSend } = setupPeople(5);
    fireEvent.change(box, { target: { value: 'hello @here' } });
    fireEvent.keyDown(box, { key: 'Escape' });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onSend).toHaveBeenCalledWith('hello @here', null);
  });
});
