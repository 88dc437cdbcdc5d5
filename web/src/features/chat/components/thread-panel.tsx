import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Spin, Tooltip, Typography } from 'antd';
import { BellFilled, BellOutlined, CloseOutlined } from '@ant-design/icons';
import { errorMessage } from '@/lib/api-client';
import type { User } from '@/types/api';
import { deleteMessage, editMessage } from '../api/chat';
import { followThread, loadOlderReplies, markThreadRead, sendReply, threadKeys, useThread } from '../api/threads';
import { addMessages, addThreadReplies, dropMessage, setFollowing, touchRoom } from '../hooks/cache-updates';
import { useToggleReaction } from '../hooks/use-toggle-reaction';
import { localId, newClientId } from '../hooks/message-merge';
import { mentionLookupFor, type RoomPeople } from '../hooks/mention-lookup';
import { repliesLabel } from '../utils/relative-time';
import type { ChatMessage, ChatRoom, ThreadMessages } from '../types';
import { Composer } from './composer';
import { MessageActionsContext, SeenContext } from './message-extras';
import { MessageItem } from './message-item';

interface Props {
  room: ChatRoom;
  me: User;
  rootId: number;
  people: RoomPeople;
  onClose: () => void;
}

const PANEL_ACTIONS = { inThreadPanel: true };

/** A thread beside its room: the root, its replies (live), follow/unfollow and a reply composer. */
export function ThreadPanel({ room, me, rootId, people, onClose }: Props) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const thread = useThread(rootId);
  const [alsoToRoom, setAlsoToRoom] = useState(false);
  const [olderBusy, setOlderBusy] = useState(false);
  const listRef = useRef<HTMLDivElement>(null);
  const root = thread.data?.root ?? null;
  const replies = thread.data?.replies ?? [];
  const lastReplyId = replies[replies.length - 1]?.id;
  const composerLookup = useCallback((name: string) => mentionLookupFor(people, {})(name), [people]);
  const onToggleReaction = useToggleReaction(room.id, me, rootId);

  // Reading the thread: on open, as replies arrive while the tab is visible, and on coming back to the tab.
  const loaded = !!thread.data?.root;
  useEffect(() => {
    if (!loaded) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = () => {
      if (document.visibilityState !== 'visible') return;
      clearTimeout(timer);
      timer = setTimeout(() => markThreadRead(rootId).catch(() => undefined), 300);
    };
    read();
    document.addEventListener('visibilitychange', read);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', read);
    };
  }, [rootId, lastReplyId, loaded]);

  // Stay at the newest reply.
  useLayoutEffect(() => {
    const el = listRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lastReplyId, replies.length]);

  const onSend = (content: string) => {
    const clientId = newClientId();
    const now = new Date().toISOString();
    const local: ChatMessage = {
      id: localId(),
      room: room.id,
      user: me,
      content,
      type: 'text',
      attachment_url: null,
      attachment_name: null,
      attachment_size: null,
      client_id: clientId,
      reactions: [],
      created_at: now,
      updated_at: now,
      is_edited: false,
      edited_at: null,
      thread_root_id: rootId,
      also_send_to_room: alsoToRoom,
      pending: true,
    };
    addThreadReplies(qc, rootId, [local]);
    sendReply({ room: room.id, rootId, content, alsoSendToRoom: alsoToRoom, client_id: clientId })
      .then((saved) => {
        addThreadReplies(qc, rootId, [{ ...saved, client_id: saved.client_id ?? clientId }]);
        if (saved.also_send_to_room) {
          addMessages(qc, room.id, [saved]);
          touchRoom(qc, room.project, saved);
        }
        // Replying makes the person follow.
        setFollowing(qc, room.id, rootId, true);
      })
      .catch((err) => {
        qc.setQueryData<ThreadMessages>(threadKeys.thread(rootId), (t) => (t ? { ...t, replies: t.replies.filter((m) => m.client_id !== clientId) } : t));
        message.error(`Reply not sent: ${errorMessage(err)}`);
      });
  };

  const toggleFollow = async () => {
    if (!root) return;
    const next = !root.is_following;
    try {
      const res = await followThread(rootId, next);
      setFollowing(qc, room.id, rootId, res.is_following);
    } catch (err) {
      message.error(errorMessage(err));
    }
  };

  const onEdit = async (m: ChatMessage, content: string) => {
    try {
      const saved = await editMessage(m.id, content);
      if (saved.id === rootId) qc.setQueryData<ThreadMessages>(threadKeys.thread(rootId), (t) => (t ? { ...t, root: saved } : t));
      else addThreadReplies(qc, rootId, [saved]);
      if (!saved.thread_root_id || saved.also_send_to_room) addMessages(qc, room.id, [saved]);
    } catch (err) {
      message.error(errorMessage(err));
      throw err;
    }
  };

  const onDelete = async (m: ChatMessage) => {
    try {
      await deleteMessage(m.id);
      dropMessage(qc, room.id, m.id);
      if (m.id === rootId && replies.length === 0) onClose();
    } catch (err) {
      message.error(errorMessage(err));
    }
  };

  const linkTo = (m: ChatMessage) => `${window.location.origin}/chat/${room.project}/${room.id}?thread=${rootId}&m=${m.id}`;
  const handlers = { onToggleReaction, onEdit, onDelete, onRetry: () => undefined, linkTo };
  const count = root?.reply_count ?? replies.filter((m) => m.id > 0).length;

  return (
    <aside className="sb-thread-panel" aria-labelledby={`thread-title-${rootId}`}>
      <header className="sb-thread-header">
        <Typography.Title level={2} id={`thread-title-${rootId}`} style={{ margin: 0, fontSize: 16, flex: 1 }}>
          Thread
        </Typography.Title>
        {root && !root.is_deleted && (
          <Tooltip title={root.is_following ? 'You hear about new replies' : 'Hear about new replies'}>
            <Button size="small" icon={root.is_following ? <BellFilled aria-hidden /> : <BellOutlined aria-hidden />} aria-pressed={!!root.is_following} onClick={() => void toggleFollow()}>
              {root.is_following ? 'Following' : 'Follow'}
            </Button>
          </Tooltip>
        )}
        <Button size="small" type="text" icon={<CloseOutlined />} aria-label="Close thread" onClick={onClose} />
      </header>
      {thread.isError && <Alert type="error" banner title={errorMessage(thread.error)} />}
      <MessageActionsContext.Provider value={PANEL_ACTIONS}>
        <SeenContext.Provider value={null}>
          <div ref={listRef} className="sb-thread-list" role="log" aria-label="Thread messages" tabIndex={0}>
            {thread.isLoading && <Spin style={{ margin: 24 }} aria-label="Loading thread" />}
            {root && <MessageItem message={root} compact={false} myUserId={me.id} people={people} highlighted={false} {...handlers} />}
            {root && (
              <div role="separator" className="sb-date-separator" aria-label={repliesLabel(count)}>
                <span>{repliesLabel(count)}</span>
              </div>
            )}
            {thread.data?.hasOlder && (
              <div style={{ textAlign: 'center', padding: 4 }}>
                <Button
                  size="small"
                  loading={olderBusy}
                  onClick={() => {
                    setOlderBusy(true);
                    void loadOlderReplies(qc, rootId).finally(() => setOlderBusy(false));
                  }}
                >
                  Load older replies
                </Button>
              </div>
            )}
            {replies.map((m) => (
              <MessageItem key={m.client_id && m.id <= 0 ? m.client_id : m.id} message={m} compact={false} myUserId={me.id} people={people} highlighted={false} {...handlers} />
            ))}
          </div>
        </SeenContext.Provider>
      </MessageActionsContext.Provider>
      {root && !root.is_deleted && (
        <Composer
          autoFocus
          label="Reply in thread"
          placeholder="Reply…"
          onSend={(content) => onSend(content)}
          onTyping={() => undefined}
          pendingFile={null}
          onPickFile={() => undefined}
          allowFiles={false}
          mentionLookup={composerLookup}
          participants={room.participants}
          myUserId={me.id}
          extra={
            <Checkbox checked={alsoToRoom} onChange={(e) => setAlsoToRoom(e.target.checked)} style={{ fontSize: 12 }}>
              Also send to room
            </Checkbox>
          }
        />
      )}
    </aside>
  );
}
