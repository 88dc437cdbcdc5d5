import { createContext, useCallback, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, tokens } from '@/lib/api-client';
import type { TokenPair } from './token-manager';
import type { User } from '@/types/api';

export interface RegisterInput {
  username: string;
  email: string;
  password: string;
  first_name?: string;
  last_name?: string;
}

interface AuthValue {
  user: User | null;
  isSignedIn: boolean;
  isLoading: boolean;
  signIn: (username: string, password: string) => Promise<void>;
  signUp: (input: RegisterInput) => Promise<void>;
  /** Ends this session on the server too, then forgets the tokens. */
  signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

function subscribe(cb: () => void) {
  return tokens.subscribe(cb);
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const signedIn = useSyncExternalStore(subscribe, () => tokens.isSignedIn);

  const me = useQuery({
    queryKey: ['auth', 'me'],
    queryFn: () => api<User>('/api/auth/me/'),
    enabled: signedIn,
    staleTime: 5 * 60_000,
  });

  useEffect(() => {
    if (!signedIn) qc.clear();
  }, [signedIn, qc]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const pair = await api<TokenPair>('/api/auth/token/', {
        method: 'POST',
        body: { username, password },
        auth: false,
      });
      qc.clear();
      tokens.set(pair);
    },
    [qc],
  );

  const signUp = useCallback(
    async (input: RegisterInput) => {
      await api<User>('/api/auth/register/', { method: 'POST', body: input, auth: false });
      await signIn(input.username, input.password);
    },
    [signIn],
  );

  const signOut = useCallback(async () => {
    const access = tokens.access;
    tokens.clear();
    if (!access) return;
    // Best effort: the tokens are gone here either way; the server refuses them from now on.
    await fetch('/api/auth/logout/', { method: 'POST', headers: { Authorization: `Bearer ${access}` } }).catch(() => undefined);
  }, []);

  const value = useMemo<AuthValue>(
    () => ({
      user: signedIn ? (me.data ?? null) : null,
      isSignedIn: signedIn,
      isLoading: signedIn && me.isLoading,
      signIn,
      signUp,
      signOut,
    }),
    [signedIn, me.data, me.isLoading, signIn, signUp, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
