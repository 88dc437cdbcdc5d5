import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { projectKeys } from '@/lib/shared-queries';
import type { Member, Project, Role } from '@/types/project';

export function useCreateProject() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { key: string; name: string; description?: string }) =>
      api<Project>('/api/projects/', { method: 'POST', body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: projectKeys.all }),
  });
}

export function useUpdateProject(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (patch: Partial<Pick<Project, 'name' | 'description'>>) =>
      api<Project>(`/api/projects/${id}/`, { method: 'PATCH', body: patch }),
    onSuccess: () => qc.invalidateQueries({ queryKey: projectKeys.all }),
  });
}

export function useMemberMutations(projectId: number) {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: projectKeys.all });
  return {
    add: useMutation({
      mutationFn: (v: { user_id: number; role: Role }) =>
        api<Member>(`/api/projects/${projectId}/members/`, { method: 'POST', body: v }),
      onSuccess: refresh,
    }),
    setRole: useMutation({
      mutationFn: (v: { user_id: number; role: Role }) =>
        api<Member>(`/api/projects/${projectId}/members/${v.user_id}/`, { method: 'PATCH', body: { role: v.role } }),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: (userId: number) => api<void>(`/api/projects/${projectId}/members/${userId}/`, { method: 'DELETE' }),
      onSuccess: refresh,
    }),
  };
}
