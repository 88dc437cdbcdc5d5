import { useContext } from 'react';
import { EyeOutlined } from '@ant-design/icons';
import { seenByLabel } from '../hooks/seen-by';
import type { ChatMessage } from '../types';
import { SeenContext } from './message-extras';

/** "Seen by Ana, Bo" (or "Seen by 12" in a big room) under the caller's newest message; names on hover. */
export function SeenBy({ message }: { message: ChatMessage }) {
  const seen = useContext(SeenContext);
  if (!seen || seen.lastOwnId !== message.id) return null;
  const readers = seen.readers(message);
  if (readers.length === 0) return null;
  const names = readers.map((u) => u.display_name || u.username).join(', ');
  return (
    <div className="sb-seen-by" data-testid="seen-by" title={`Seen by ${names}`}>
      <EyeOutlined aria-hidden /> {seenByLabel(readers, seen.others)}
      <span className="sb-visually-hidden">: {names}</span>
    </div>
  );
}
