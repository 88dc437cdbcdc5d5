import type { Schemas, User } from './api';

export type Role = Schemas['MemberDto']['role'];
export const ROLES: Role[] = ['owner', 'admin', 'member', 'viewer'];

export interface Project {
  id: number;
  key: string;
  name: string;
  description: string;
  created_by: User;
  my_role: Role;
  member_count: number;
  created_at: string;
  updated_at: string;
}

export interface Member {
  user: User;
  role: Role;
  joined_at: string;
}
