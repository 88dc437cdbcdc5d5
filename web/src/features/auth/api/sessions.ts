import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Paginated } from '@/types/api';

export interface Session {
  id: number;
  created_at: string;
  last_used_at: string | null;
  user_agent: string | null;
  ip: string | null;
  current: boolean;
}

const sessionKeys = { all: ['auth', 'sessions'] as const };

export function useSessions() {
  return useQuery({
    queryKey: sessionKeys.all,
    queryFn: async () => {
      const res = await api<Paginated<Session> | Session[]>('/api/auth/sessions/', { query: { page_size: 200 } });
      return Array.isArray(res) ? res : res.results;
    },
  });
}

export function useEndSession() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<void>(`/api/auth/sessions/${id}/`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: sessionKeys.all }),
  });
}

export function useLogoutAll() {
  return useMutation({ mutationFn: () => api<void>('/api/auth/logout_all/', { method: 'POST', body: {} }) });
}

export interface PasswordChange {
  current_password: string;
  new_password: string;
}

export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: PasswordChange) => api<unknown>('/api/auth/password/', { method: 'POST', body: input }),
    // Every other session ended with the change.
    onSuccess: () => qc.invalidateQueries({ queryKey: sessionKeys.all }),
  });
}
