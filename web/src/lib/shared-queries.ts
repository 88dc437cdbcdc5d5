// Queries several features read (the project list, user search, members); kept here so features don't import each other.
import { useQuery } from '@tanstack/react-query';
import { api } from './api-client';
import type { Paginated, User } from '@/types/api';
import type { Member, Project } from '@/types/project';

export const projectKeys = {
  all: ['projects'] as const,
  list: () => ['projects', 'list'] as const,
  detail: (id: number) => ['projects', 'detail', id] as const,
  members: (id: number) => ['projects', 'members', id] as const,
};

export function useProjects() {
  return useQuery({
    queryKey: projectKeys.list(),
    queryFn: () => api<Paginated<Project>>('/api/projects/', { query: { page_size: 200 } }),
    select: (p) => p.results,
  });
}

export function useProject(id: number | null | undefined) {
  return useQuery({
    queryKey: projectKeys.detail(id ?? 0),
    queryFn: () => api<Project>(`/api/projects/${id}/`),
    enabled: !!id,
  });
}

export function useMembers(projectId: number | null | undefined) {
  return useQuery({
    queryKey: projectKeys.members(projectId ?? 0),
    queryFn: async () => {
      const res = await api<Paginated<Member> | Member[]>(`/api/projects/${projectId}/members/`, { query: { page_size: 200 } });
      return Array.isArray(res) ? res : res.results;
    },
    enabled: !!projectId,
  });
}

export function searchUsers(search: string) {
  return api<Paginated<User>>('/api/users/', { query: { search, page_size: 20 } }).then((p) => p.results);
}

export function userLabel(u: Pick<User, 'display_name' | 'username'> | null | undefined): string {
  if (!u) return '';
  return u.display_name && u.display_name !== u.username ? `${u.display_name} (@${u.username})` : u.username;
}
