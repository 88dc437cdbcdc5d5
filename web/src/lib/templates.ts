// Canned responses: read by the templates manager and by the chat composer's "/" suggestions,
// so they live here rather than in either feature.
import { api } from './api-client';
import type { Paginated, User } from '@/types/api';

export interface Template {
  id: number;
  scope: 'personal' | 'project';
  project: number | null;
  short_code: string;
  title: string;
  content: string;
  created_by: User;
  created_at: string;
  updated_at: string;
}

export interface TemplateInput {
  scope?: 'personal' | 'project';
  project?: number | null;
  short_code: string;
  title: string;
  content: string;
}

export const templateKeys = {
  all: ['templates'] as const,
  list: (project: number | null, search: string) => ['templates', 'list', project, search] as const,
};

/** Personal templates plus those of `project` (or of every project of the caller without one). */
export async function listTemplates(opts: { project?: number | null; search?: string; pageSize?: number } = {}): Promise<Template[]> {
  const res = await api<Paginated<Template> | Template[]>('/api/templates/', {
    query: { project: opts.project ?? undefined, search: opts.search || undefined, page_size: opts.pageSize ?? 200 },
  });
  return Array.isArray(res) ? res : res.results;
}

export function createTemplate(input: TemplateInput) {
  return api<Template>('/api/templates/', { method: 'POST', body: input });
}

export function updateTemplate(id: number, input: Partial<TemplateInput>) {
  return api<Template>(`/api/templates/${id}/`, { method: 'PATCH', body: { short_code: input.short_code, title: input.title, content: input.content } });
}

export function deleteTemplate(id: number) {
  return api<void>(`/api/templates/${id}/`, { method: 'DELETE' });
}

/** The template's text with its variables filled in for a room or ticket. */
export function renderTemplate(id: number, context: { room?: number; ticket?: number }) {
  return api<{ content: string; missing: string[] }>(`/api/templates/${id}/render/`, { method: 'POST', body: context });
}
