import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { errorMessage } from '@/lib/api-client';
import { useProject, useProjects } from '@/lib/shared-queries';
import { listTemplates, renderTemplate } from '@/lib/templates';
import type { User } from '@/types/api';
import { chatKeys, deleteMessage, editMessage, ensureMessageLoaded, extendWindow, fetchAround, loadOlder, markRoomRead, pinMessage, sendMessage, useRoomMessages, type HistoryWindow } from '../api/chat';
import { markUnread } from '../api/threads';
import { addMessages, dropLocal, dropMessage, failPending, touchRoom } from '../hooks/cache-updates';
import { lastOwnMessageId, readersOf } from '../hooks/seen-by';
import { localId, newClientId, newestServerId } from '../hooks/message-merge';
import { mentionLookupFor, useRoomPeople } from '../hooks/mention-lookup';
import type { ReadMark } from '../hooks/timeline';
import { useRoomLive } from '../hooks/use-room-live';
import { useToggleReaction } from '../hooks/use-toggle-reaction';
import type { ChatMessage, ChatRoom, MessageType } from '../types';
import { searchTickets } from '../api/ticket-links';
import { Composer } from './composer';
import { MessageActionsContext, SeenContext, type MessageActions, type SeenState } from './message-extras';
import { MessageList } from './message-list';
import { ThreadPanel } from './thread-panel';
import { PinnedBar } from './pins';
import { useSendVoice } from './voice/use-send-voice';
import type { TemplateSource } from './template-suggestions';
import type { TicketSource } from './ticket-suggestions';
import { CreateTicketFromMessageModal } from './create-ticket-from-message';
import { TicketLinksContext, type TicketLinks } from './ticket-links-context';

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export function messageTypeFor(file: File | null): MessageType {
  if (!file) return 'text';
  return IMAGE_TYPES.has(file.type) ? 'image' : 'file';
}

interface Props {
  room: ChatRoom;
  me: User;
  highlightId: number | null;
  /** The thread open beside the room, if any (kept in the address by the page). */
  threadId?: number | null;
  onThreadChange?: (rootId: number | null) => void;
}

export function RoomView({ room, me, highlightId, threadId = null, onThreadChange }: Props) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const messages = useRoomMessages(room.id);
  const people = useRoomPeople(room, me.id);
  const composerLookup = useMemo(() => mentionLookupFor(people, {}), [people]);
  const templates = useMemo<TemplateSource>(
    () => ({
      search: (q) => listTemplates({ project: room.project, search: q, pageSize: 8 }),
      render: async (id) => (await renderTemplate(id, { room: room.id })).content,
    }),
    [room.project, room.id],
  );
  const projects = useProjects();
  const ticketSource = useMemo<TicketSource>(() => {
    const ids = new Map((projects.data ?? []).map((p) => [p.key, p.id]));
    return {
      projectKeys: new Set(ids.keys()),
      search: (q, key) => searchTickets((key && ids.get(key)) || room.project, q),
    };
  }, [projects.data, room.project]);
  // Where the reader had got to when the room opened: the "New messages" line stays there
  // while they read, even though opening the room moves the mark to the end.
  const [readMark] = useState<ReadMark | null>(() => {
    const mine = room.participants.find((p) => p.user.id === me.id);
    return mine ? { messageId: mine.last_read_message_id ?? null, at: mine.last_read_at } : null;
  });
  const [pendingFile, setPendingFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [jumpState, setJumpState] = useState<'idle' | 'loading' | 'missing'>('idle');
  // After a jump far back: the stretch of history shown instead of the live end of the room.
  const [history, setHistory] = useState<HistoryWindow | null>(null);
  const navigate = useNavigate();
  const readTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  // Keyed on ids only: the room object is replaced whenever the room list changes.
  const roomId = room.id;
  const projectId = room.project;
  const markRead = useCallback(() => {
    if (readTimer.current) clearTimeout(readTimer.current);
    readTimer.current = setTimeout(() => {
      if (document.visibilityState === 'visible') markRoomRead(qc, { id: roomId, project: projectId }).catch(() => undefined);
    }, 300);
  }, [qc, roomId, projectId]);

  // "Create ticket" on a message, for those who may write tickets in the room's project.
  const project = useProject(room.project);
  const [ticketFrom, setTicketFrom] = useState<ChatMessage | null>(null);
  const canWriteTickets = !!project.data && project.data.my_role !== 'viewer';
  const ticketLinks = useMemo<TicketLinks>(() => ({ createTicket: canWriteTickets ? setTicketFrom : null, source: ticketSource }), [canWriteTickets, ticketSource]);

  const newest = messages.data ? newestServerId(messages.data.messages) : null;
  const socket = useRoomLive({ roomId: room.id, myUserId: me.id, newestId: newest, onIncoming: markRead });

  // Mark read on open and when the tab becomes visible again.
  useEffect(() => {
    markRead();
    const onVisible = () => document.visibilityState === 'visible' && markRead();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      if (readTimer.current) clearTimeout(readTimer.current);
    };
  }, [markRead]);

  // Opening a link to a message: a couple of pages back from the live end, and beyond that the
  // page around it (the server's `around` cursor) shown as a window of its own.
  useEffect(() => {
    if (!highlightId) return;
    let cancelled = false;
    setJumpState('loading');
    (async () => {
      if (await ensureMessageLoaded(qc, room.id, highlightId, 2)) return null;
      const w = await fetchAround(room.id, highlightId);
      if (!w.messages.some((m) => m.id === highlightId)) return 'missing' as const;
      return w;
    })()
      .then((w) => {
        if (cancelled) return;
        if (w === 'missing') return setJumpState('missing');
        if (w && !w.hasNewer) addMessages(qc, room.id, w.messages);
        setHistory(w && w.hasNewer ? w : null);
        setJumpState('idle');
      })
      .catch(() => !cancelled && setJumpState('missing'));
    return () => {
      cancelled = true;
    };
  }, [highlightId, room.id, qc]);

  const extendHistory = useCallback(
    async (direction: 'before' | 'after') => {
      if (!history) return;
      const w = await extendWindow(room.id, history, direction);
      if (!w.hasNewer) {
        // Caught up with the live end: merge and go back to following the room.
        addMessages(qc, room.id, w.messages);
        setHistory(null);
      } else setHistory(w);
    },
    [history, room.id, qc],
  );

  const jumpToPresent = () => {
    setHistory(null);
    navigate(`/chat/${projectId}/${roomId}`, { replace: true });
  };

  const sendVoice = useSendVoice(room.id, room.project);
  const doSend = useCallback(
    async (content: string, file: File | null, clientId = newClientId()) => {
      const type = messageTypeFor(file);
      const now = new Date().toISOString();
      const local: ChatMessage = {
        id: localId(),
        room: room.id,
        user: me,
        content,
        type,
        attachment_url: null,
        attachment_name: file?.name ?? null,
        attachment_size: file?.size ?? null,
        client_id: clientId,
        reactions: [],
        created_at: now,
        updated_at: now,
        is_edited: false,
        edited_at: null,
        pending: true,
        local_preview_url: file && type === 'image' ? URL.createObjectURL(file) : null,
      };
      addMessages(qc, room.id, [local]);
      try {
        const saved = await sendMessage({ room: room.id, content, type, client_id: clientId, attachment: file });
        addMessages(qc, room.id, [{ ...saved, client_id: saved.client_id ?? clientId }]);
        touchRoom(qc, room.project, saved);
        if (local.local_preview_url) URL.revokeObjectURL(local.local_preview_url);
      } catch (err) {
        failPending(qc, room.id, clientId);
        message.error(`Message not sent: ${errorMessage(err)}`);
      }
    },
    [qc, room.id, room.project, me, message],
  );

  // Keep the files of failed sends so Retry can resend them with the same client_id.
  const files = useRef(new Map<string, File | null>());
  const onSend = (content: string, file: File | null) => {
    const id = newClientId();
    files.current.set(id, file);
    void doSend(content, file, id);
  };
  const onRetry = (m: ChatMessage) => {
    if (!m.client_id) return;
    const file = files.current.get(m.client_id) ?? null;
    dropLocal(qc, room.id, m.client_id);
    void doSend(m.content, file, m.client_id);
  };

  const onToggleReaction = useToggleReaction(room.id, me);

  const onEdit = useCallback(
    async (m: ChatMessage, content: string) => {
      try {
        const saved = await editMessage(m.id, content);
        addMessages(qc, room.id, [saved]);
      } catch (err) {
        message.error(errorMessage(err));
        throw err;
      }
    },
    [qc, room.id, message],
  );

  const onDelete = useCallback(
    async (m: ChatMessage) => {
      try {
        await deleteMessage(m.id);
        dropMessage(qc, room.id, m.id);
      } catch (err) {
        message.error(errorMessage(err));
      }
    },
    [qc, room.id, message],
  );

  const onPin = useCallback(
    async (m: ChatMessage, pinned: boolean) => {
      try {
        const saved = await pinMessage(m.id, pinned);
        addMessages(qc, room.id, [saved]);
        setHistory((h) => (h ? { ...h, messages: h.messages.map((x) => (x.id === saved.id ? saved : x)) } : h));
        void qc.invalidateQueries({ queryKey: chatKeys.pins(room.id) });
      } catch (err) {
        message.error(errorMessage(err));
      }
    },
    [qc, room.id, me, message],
  );

  const onMarkUnread = useCallback(
    async (m: ChatMessage) => {
      try {
        const res = await markUnread(roomId, m.id);
        qc.setQueryData<ChatRoom[]>(chatKeys.rooms(projectId), (rooms) => rooms?.map((r) => (r.id === roomId ? { ...r, unread_count: res.unread_count } : r)));
        message.success('Marked unread from here');
      } catch (err) {
        message.error(errorMessage(err));
      }
    },
    [qc, roomId, projectId, message],
  );

  const actions = useMemo<MessageActions>(
    () => ({ openThread: onThreadChange ? (root) => onThreadChange(root.id) : undefined, markUnread: (m) => void onMarkUnread(m) }),
    [onThreadChange, onMarkUnread],
  );

  const shown = history?.messages ?? messages.data?.messages;
  const lastOwnId = useMemo(() => (shown ? lastOwnMessageId(shown, me.id) : null), [shown, me.id]);
  const participants = room.participants;
  const seen = useMemo<SeenState>(
    () => ({ lastOwnId, readers: (m) => readersOf(participants, m), others: participants.filter((p) => p.user.id !== me.id).length }),
    [lastOwnId, participants, me.id],
  );

  const linkTo = useCallback((m: ChatMessage) => `${window.location.origin}/chat/${projectId}/${roomId}?m=${m.id}`, [projectId, roomId]);

  const onDrop = (e: DragEvent) => {
    if (!e.dataTransfer.types.includes('Files')) return;
    e.preventDefault();
    setDragging(false);
    const f = e.dataTransfer.files[0];
    if (f) setPendingFile(f);
  };

  const typingNames = socket.typingUserIds
    .map((id) => room.participants.find((p) => p.user.id === id)?.user)
    .filter((u): u is User => !!u)
    .map((u) => u.display_name || u.username);

  return (
    <TicketLinksContext.Provider value={ticketLinks}>
    <div className="sb-room-and-thread">
    <MessageActionsContext.Provider value={actions}>
    <SeenContext.Provider value={seen}>
    <div
      className={threadId ? 'sb-room-with-thread' : undefined}
      style={{ display: 'flex', flexDirection: 'column', flex: 1, minWidth: 0, minHeight: 0, position: 'relative', outline: dragging ? '2px dashed #1677ff' : undefined }}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onDrop}
    >
      {(socket.state === 'reconnecting' || socket.state === 'closed') && (
        <Alert
          type={socket.state === 'closed' ? 'error' : 'warning'}
          banner
          role="status"
          title={socket.state === 'closed' ? 'Disconnected from live updates.' : 'Reconnecting…'}
        />
      )}
      {jumpState === 'missing' && <Alert type="info" banner closable title="That message is no longer available." onClose={() => setJumpState('idle')} />}
      {messages.isError && <Alert type="error" banner title={errorMessage(messages.error)} />}
      <PinnedBar room={room} onUnpin={(m) => void onPin(m, false)} />
      {history && (
        <div className="sb-history-banner" role="status">
          <span style={{ flex: 1 }}>You are viewing older messages.</span>
          <Button size="small" onClick={jumpToPresent}>
            Jump to present
          </Button>
        </div>
      )}
      <MessageList
        messages={history?.messages ?? messages.data?.messages ?? []}
        hasOlder={history?.hasOlder ?? messages.data?.hasOlder ?? false}
        hasNewer={!!history?.hasNewer}
        onLoadNewer={() => extendHistory('after')}
        loading={messages.isLoading || jumpState === 'loading'}
        myUserId={me.id}
        people={people}
        readMark={readMark}
        linkTo={linkTo}
        onPin={onPin}
        highlightId={jumpState === 'idle' ? highlightId : null}
        onLoadOlder={() => (history ? extendHistory('before') : loadOlder(qc, room.id))}
        onToggleReaction={onToggleReaction}
        onEdit={onEdit}
        onDelete={onDelete}
        onRetry={onRetry}
      />
      <div aria-live="polite" role="status" style={{ minHeight: 20, padding: '0 12px', fontSize: 12 }}>
        {typingNames.length > 0 && (
          <Typography.Text type="secondary" italic>
            {typingNames.length === 1 ? `${typingNames[0]} is typing…` : `${typingNames.join(', ')} are typing…`}
          </Typography.Text>
        )}
      </div>
      <Composer
        autoFocus={!highlightId && window.matchMedia?.('(min-width: 768px)').matches}
        onSend={onSend}
        onTyping={(isTyping) => socket.send({ type: 'typing', is_typing: isTyping })}
        pendingFile={pendingFile}
        onPickFile={setPendingFile}
        mentionLookup={composerLookup}
        templates={templates}
        participants={room.participants}
        myUserId={me.id}
        onSendVoice={sendVoice}
      />
      <CreateTicketFromMessageModal message={ticketFrom} projectId={room.project} onClose={() => setTicketFrom(null)} />
    </div>
    </SeenContext.Provider>
    </MessageActionsContext.Provider>
    {threadId && <ThreadPanel key={threadId} room={room} me={me} rootId={threadId} people={people} onClose={() => onThreadChange?.(null)} />}
    </div>
    </TicketLinksContext.Provider>
  );
}
