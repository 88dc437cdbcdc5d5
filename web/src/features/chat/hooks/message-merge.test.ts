import { describe, expect, it } from 'vitest';
import { markFailed, mergeMessages, newestServerId, oldestServerId, removeMessage } from './message-merge';
import type { ChatMessage } from '../types';
import type { User } from '@/types/api';

const alice: User = { id: 1, username: 'alice', email: 'a@x.test', first_name: '', last_name: '', display_name: 'alice' };

function msg(id: number, content = `m${id}`, extra: Partial<ChatMessage> = {}): ChatMessage {
  const t = new Date(Date.UTC(2025, 0, 1, 0, 0, id > 0 ? id : 100)).toISOString();
  return {
    id,
    room: 1,
    user: alice,
    content,
    type: 'text',
    attachment_url: null,
    attachment_name: null,
    attachment_size: null,
    client_id: null,
    reactions: [],
    created_at: t,
    updated_at: t,
    is_edited: false,
    edited_at: null,
    ...extra,
  };
}

const pending = (localId: number, clientId: string, content = 'hi') =>
  msg(localId, content, { client_id: clientId, pending: true, created_at: new Date(Date.UTC(2025, 0, 2, 0, 0, -localId)).toISOString() });

const ids = (list: ChatMessage[]) => list.map((m) => m.id);

describe('mergeMessages', () => {
  it('dedupes by id and sorts chronologically', () => {
    const merged = mergeMessages([msg(3), msg(1)], [msg(2), msg(3), msg(4)]);
    expect(ids(merged)).toEqual([1, 2, 3, 4]);
  });

  it('prepends an older REST page', () => {
    const current = [msg(51), msg(52), msg(53)];
    const older = [msg(48), msg(49), msg(50)];
    expect(ids(mergeMessages(current, older))).toEqual([48, 49, 50, 51, 52, 53]);
  });

  it('keeps pending messages after confirmed ones, in send order', () => {
    const merged = mergeMessages([msg(1), pending(-2, 'b'), pending(-1, 'a')], [msg(2)]);
    expect(ids(merged)).toEqual([1, 2, -1, -2]);
  });

  it('replaces a pending message when the socket echo arrives first', () => {
    const list = mergeMessages([msg(1)], [pending(-1, 'abc', 'hello')]);
    const afterSocket = mergeMessages(list, [msg(7, 'hello', { client_id: 'abc' })]);
    expect(ids(afterSocket)).toEqual([1, 7]);
    // then the REST response for the same send: still one copy
    const afterRest = mergeMessages(afterSocket, [msg(7, 'hello', { client_id: 'abc' })]);
    expect(ids(afterRest)).toEqual([1, 7]);
    expect(afterRest[1].pending).toBeFalsy();
  });

  it('replaces a pending message when the REST response arrives first, then ignores the socket echo', () => {
    let list = mergeMessages([], [pending(-1, 'x')]);
    list = mergeMessages(list, [msg(9, 'hi', { client_id: 'x' })]);
    list = mergeMessages(list, [msg(9, 'hi', { client_id: 'x' })]);
    expect(ids(list)).toEqual([9]);
  });

  it('never re-adds a pending copy once the server copy is known', () => {
    const list = mergeMessages([msg(9, 'hi', { client_id: 'x' })], [pending(-1, 'x')]);
    expect(ids(list)).toEqual([9]);
  });

  it('keeps the newer edit when the same message arrives twice', () => {
    const edited = msg(5, 'edited', { is_edited: true, edited_at: '2025-02-01T00:00:00Z', updated_at: '2025-02-01T00:00:00Z' });
    expect(mergeMessages([edited], [msg(5, 'original')])[0].content).toBe('edited');
    expect(mergeMessages([msg(5, 'original')], [edited])[0].content).toBe('edited');
  });

  it('merges socket messages with an overlapping catch-up page', () => {
    const live = mergeMessages([msg(1), msg(2)], [msg(5)]);
    const caughtUp = mergeMessages(live, [msg(3), msg(4), msg(5), msg(6)]);
    expect(ids(caughtUp)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('handles the empty cases', () => {
    expect(mergeMessages([], [])).toEqual([]);
    expect(ids(mergeMessages([], [msg(1)]))).toEqual([1]);
  });
});

describe('helpers', () => {
  it('finds newest and oldest server ids, ignoring pending', () => {
    const list = [msg(4), msg(9), pending(-1, 'a')];
    expect(newestServerId(list)).toBe(9);
    expect(oldestServerId(list)).toBe(4);
    expect(newestServerId([pending(-1, 'a')])).toBeNull();
  });

  it('marks a pending send failed and removes by id', () => {
    const list = markFailed([msg(1), pending(-1, 'a')], 'a');
    expect(list[1].failed).toBe(true);
    expect(list[1].pending).toBe(false);
    expect(ids(removeMessage(list, 1))).toEqual([-1]);
    // a failed message still survives a merge
    expect(ids(mergeMessages(list, [msg(2)]))).toEqual([1, 2, -1]);
  });
});
