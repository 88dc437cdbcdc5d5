// Shapes shared by several features, exactly as the server contract names them (snake_case).
export interface User {
  id: number;
  username: string;
  email: string;
  first_name: string;
  last_name: string;
  display_name: string;
  /** Part 2 profiles: null without an avatar; absent on older servers. */
  avatar_url?: string | null;
}

export interface Paginated<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface ProblemDetails {
  type?: string;
  status?: number;
  title?: string;
  detail?: string;
  errors?: Record<string, string[]>;
}
