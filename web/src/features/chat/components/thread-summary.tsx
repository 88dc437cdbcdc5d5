import { UserAvatar } from '@/components/user-avatar';
import { repliesLabel, timeAgo } from '../utils/relative-time';
import type { ChatMessage } from '../types';

/** "3 replies · last reply 2 min ago" with the repliers' faces, under a thread's root. */
export function ThreadSummary({ root, onOpen }: { root: ChatMessage; onOpen: () => void }) {
  const count = root.reply_count ?? 0;
  if (count <= 0) return null;
  const people = (root.thread_participants ?? []).slice(0, 5);
  const ago = timeAgo(root.last_reply_at);
  return (
    <button type="button" className="sb-thread-summary" onClick={onOpen} data-testid="thread-summary">
      <span className="sb-thread-faces" aria-hidden>
        {people.map((u) => (
          <UserAvatar key={u.id} user={u} size={20} />
        ))}
      </span>
      <strong>{repliesLabel(count)}</strong>
      {ago && <span className="sb-thread-ago">last reply {ago}</span>}
      {root.is_following && <span className="sb-thread-ago">· following</span>}
      <span className="sb-visually-hidden">, open the thread</span>
    </button>
  );
}
