import type { Schemas, User } from '@/types/api';

export type TicketStatus = Schemas['TicketDto']['status'];
export type TicketPriority = Schemas['TicketDto']['priority'];
export type TicketType = Schemas['TicketDto']['type'];

export const STATUSES: TicketStatus[] = ['open', 'in_progress', 'resolved', 'closed'];
export const PRIORITIES: TicketPriority[] = ['low', 'medium', 'high', 'urgent'];
export const TYPES: TicketType[] = ['task', 'bug', 'feature', 'question'];

export const STATUS_LABEL: Record<TicketStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  resolved: 'Resolved',
  closed: 'Closed',
};
export const PRIORITY_LABEL: Record<TicketPriority, string> = { low: 'Low', medium: 'Medium', high: 'High', urgent: 'Urgent' };
export const TYPE_LABEL: Record<TicketType, string> = { task: 'Task', bug: 'Bug', feature: 'Feature', question: 'Question' };
export const PRIORITY_COLOR: Record<TicketPriority, string> = { low: 'default', medium: 'blue', high: 'orange', urgent: 'red' };
export const STATUS_COLOR: Record<TicketStatus, string> = { open: 'blue', in_progress: 'gold', resolved: 'green', closed: 'default' };

export interface Ticket {
  id: number;
  project: number;
  key: string;
  number: number;
  title: string;
  description: string;
  status: TicketStatus;
  priority: TicketPriority;
  type: TicketType;
  reporter: User;
  assignee: User | null;
  labels: string[];
  due_date: string | null;
  comment_count: number;
  created_at: string;
  updated_at: string;
  resolved_at: string | null;
  /** Part 2: the chat thread that is also this ticket's comments (null without one). */
  discussion?: { room: number; root_id: number } | null;
  /** Part 2: the message the ticket was made from. */
  source_message?: { id: number; room: number } | null;
}

export interface TicketInput {
  project: number;
  title: string;
  description?: string;
  priority?: TicketPriority;
  type?: TicketType;
  assignee_id?: number | null;
  labels?: string[];
  due_date?: string | null;
}

export type TicketPatch = Partial<Omit<TicketInput, 'project'>> & { status?: TicketStatus };

export interface Comment {
  id: number;
  ticket: number;
  author: User;
  body: string;
  created_at: string;
  updated_at: string;
  is_edited: boolean;
}

export interface Attachment {
  id: number;
  file_name: string;
  file_size: number;
  content_type: string;
  url: string;
  thumbnail_url: string | null;
  uploaded_by: User;
  created_at: string;
}

export interface HistoryEntry {
  id: number;
  actor: User;
  field: string;
  old_value: string | null;
  new_value: string | null;
  created_at: string;
}

export interface TicketFilters {
  project?: string;
  status?: string;
  priority?: string;
  type?: string;
  assignee?: string;
  label?: string;
  search?: string;
  ordering?: string;
  page?: string;
}

export const FILTER_KEYS: (keyof TicketFilters)[] = ['project', 'status', 'priority', 'type', 'assignee', 'label', 'search', 'ordering', 'page'];
