import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { errorMessage } from '@/lib/api-client';
import { sendMessage } from '../../api/chat';
import { addMessages, touchRoom } from '../../hooks/cache-updates';
import { newClientId } from '../../hooks/message-merge';
import type { VoiceClip } from './voice-recorder';

/** Sends a recording as a voice message; the server measures it and writes its text. */
export function useSendVoice(roomId: number, projectId: number) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  return useCallback(
    async ({ file, waveform }: VoiceClip) => {
      try {
        const saved = await sendMessage({ room: roomId, content: '', type: 'voice', client_id: newClientId(), attachment: file, waveform });
        addMessages(qc, roomId, [saved]);
        touchRoom(qc, projectId, saved);
      } catch (err) {
        message.error(`Voice message not sent: ${errorMessage(err)}`);
      }
    },
    [qc, roomId, projectId, message],
  );
}
