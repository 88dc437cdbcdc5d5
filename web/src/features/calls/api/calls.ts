import { api } from '@/lib/api-client';
import type { User } from '@/types/api';

export type CallMedia = 'audio' | 'video';
export type CallState = 'ringing' | 'active' | 'ended';
export type CallPresence = 'ringing' | 'joined' | 'left' | 'declined' | 'missed';

export interface CallParticipant {
  user: User;
  state: CallPresence;
  joined_at: string | null;
  left_at: string | null;
}

export interface Call {
  id: number;
  room: number;
  media: CallMedia;
  started_by: User;
  state: CallState;
  participants: CallParticipant[];
  started_at: string;
  answered_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
}

export interface IceServers {
  ice_servers: { urls: string[]; username?: string; credential?: string }[];
  ttl_seconds: number;
  ice_transport_policy: 'all' | 'relay';
}

export const startCall = (roomId: number, media: CallMedia) => api<Call>(`/api/chat/rooms/${roomId}/calls/`, { method: 'POST', body: { media } });
export const getCall = (id: number) => api<Call>(`/api/chat/calls/${id}/`);
export const joinCall = (id: number) => api<Call>(`/api/chat/calls/${id}/join/`, { method: 'POST' });
export const leaveCall = (id: number) => api<Call>(`/api/chat/calls/${id}/leave/`, { method: 'POST' });
export const declineCall = (id: number) => api<Call>(`/api/chat/calls/${id}/decline/`, { method: 'POST' });
export const getIceServers = () => api<IceServers>('/api/calls/ice_servers/');

export function joinedIds(call: Call): number[] {
  return call.participants.filter((p) => p.state === 'joined').map((p) => p.user.id);
}
