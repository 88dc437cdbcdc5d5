import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Paginated, User } from '@/types/api';
import type { Attachment, Comment, HistoryEntry, Ticket, TicketFilters, TicketInput, TicketPatch } from '../types';

export const ticketKeys = {
  all: ['tickets'] as const,
  lists: () => ['tickets', 'list'] as const,
  list: (f: TicketFilters) => ['tickets', 'list', f] as const,
  byKey: (key: string) => ['tickets', 'key', key] as const,
  comments: (id: number) => ['tickets', 'comments', id] as const,
  attachments: (id: number) => ['tickets', 'attachments', id] as const,
  watchers: (id: number) => ['tickets', 'watchers', id] as const,
  history: (id: number) => ['tickets', 'history', id] as const,
};

function unwrap<T>(res: Paginated<T> | T[]): T[] {
  return Array.isArray(res) ? res : res.results;
}

export function useTickets(filters: TicketFilters, opts: { pageSize?: number; enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ticketKeys.list({ ...filters, page_size: String(opts.pageSize ?? 50) } as TicketFilters),
    queryFn: () => api<Paginated<Ticket>>('/api/tickets/', { query: { ...filters, page_size: opts.pageSize ?? 50 } }),
    placeholderData: keepPreviousData,
    enabled: opts.enabled ?? true,
  });
}

export function useTicketByKey(key: string) {
  return useQuery({
    queryKey: ticketKeys.byKey(key),
    queryFn: () => api<Ticket>(`/api/tickets/by-key/${encodeURIComponent(key)}/`),
  });
}

export function useCreateTicket() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: TicketInput) => api<Ticket>('/api/tickets/', { method: 'POST', body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ticketKeys.lists() }),
  });
}

export function useUpdateTicket() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: number; patch: TicketPatch; key?: string }) =>
      api<Ticket>(`/api/tickets/${id}/`, { method: 'PATCH', body: patch }),
    onMutate: async ({ id, patch }) => {
      // Optimistically move the ticket in every cached list (the board drags rely on this).
      await qc.cancelQueries({ queryKey: ticketKeys.lists() });
      const snapshots = qc.getQueriesData<Paginated<Ticket>>({ queryKey: ticketKeys.lists() });
      const { assignee_id: _a, ...plain } = patch;
      for (const [key, data] of snapshots) {
        if (!data) continue;
        qc.setQueryData<Paginated<Ticket>>(key, {
          ...data,
          results: data.results.map((t) => (t.id === id ? ({ ...t, ...plain } as Ticket) : t)),
        });
      }
      return { snapshots };
    },
    onError: (_err, _vars, ctx) => {
      for (const [key, data] of ctx?.snapshots ?? []) qc.setQueryData(key, data);
    },
    onSuccess: (ticket) => {
      qc.setQueryData(ticketKeys.byKey(ticket.key), ticket);
      qc.invalidateQueries({ queryKey: ticketKeys.history(ticket.id) });
    },
    onSettled: () => qc.invalidateQueries({ queryKey: ticketKeys.lists() }),
  });
}

export function useDeleteTicket() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<void>(`/api/tickets/${id}/`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ticketKeys.lists() }),
  });
}

// Comments
export function useComments(ticketId: number) {
  return useQuery({
    queryKey: ticketKeys.comments(ticketId),
    queryFn: async () => unwrap(await api<Paginated<Comment> | Comment[]>(`/api/tickets/${ticketId}/comments/`, { query: { page_size: 200 } })),
  });
}

export function useCommentMutations(ticketId: number) {
  const qc = useQueryClient();
  const refresh = () => {
    qc.invalidateQueries({ queryKey: ticketKeys.comments(ticketId) });
    qc.invalidateQueries({ queryKey: ticketKeys.history(ticketId) });
  };
  return {
    add: useMutation({
      mutationFn: (body: string) => api<Comment>(`/api/tickets/${ticketId}/comments/`, { method: 'POST', body: { body } }),
      onSuccess: refresh,
    }),
    edit: useMutation({
      mutationFn: ({ id, body }: { id: number; body: string }) =>
        api<Comment>(`/api/tickets/${ticketId}/comments/${id}/`, { method: 'PATCH', body: { body } }),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: (id: number) => api<void>(`/api/tickets/${ticketId}/comments/${id}/`, { method: 'DELETE' }),
      onSuccess: refresh,
    }),
  };
}

// Attachments
export function useAttachments(ticketId: number) {
  return useQuery({
    queryKey: ticketKeys.attachments(ticketId),
    queryFn: async () => unwrap(await api<Paginated<Attachment> | Attachment[]>(`/api/tickets/${ticketId}/attachments/`)),
  });
}

export function useAttachmentMutations(ticketId: number) {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: ticketKeys.attachments(ticketId) });
  return {
    upload: useMutation({
      mutationFn: (file: File) => {
        const form = new FormData();
        form.append('file', file);
        return api<Attachment>(`/api/tickets/${ticketId}/attachments/`, { method: 'POST', form });
      },
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: (id: number) => api<void>(`/api/tickets/${ticketId}/attachments/${id}/`, { method: 'DELETE' }),
      onSuccess: refresh,
    }),
  };
}

// Watchers
export function useWatchers(ticketId: number) {
  return useQuery({
    queryKey: ticketKeys.watchers(ticketId),
    queryFn: async () => {
      const res = await api<Paginated<User | { user: User }> | (User | { user: User })[]>(`/api/tickets/${ticketId}/watchers/`);
      // Accept either plain users or {user} wrappers.
      return unwrap(res).map((w) => ('user' in w ? w.user : w));
    },
  });
}

export function useWatchToggle(ticketId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (watch: boolean) => api<unknown>(`/api/tickets/${ticketId}/${watch ? 'watch' : 'unwatch'}/`, { method: 'POST', body: {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ticketKeys.watchers(ticketId) }),
  });
}

// History
export function useHistory(ticketId: number) {
  return useQuery({
    queryKey: ticketKeys.history(ticketId),
    queryFn: async () => unwrap(await api<Paginated<HistoryEntry> | HistoryEntry[]>(`/api/tickets/${ticketId}/history/`, { query: { page_size: 200 } })),
  });
}
