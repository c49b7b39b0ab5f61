import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, api, setCsrfToken } from '../api';

export type Role = 'viewer' | 'triager' | 'admin' | 'developer';

/** GET /api/v1/me: the signed-in person (or, in development, the proxy's API key). */
export interface Me {
  id: string;
  kind: 'user' | 'apikey';
  email?: string;
  displayName: string;
  role: Role;
  csrfToken?: string;
}

export interface Auth {
  me: Me;
  /** Triagers and admins decide, override, merge, split, move, correct and pin; the others read. */
  mayTriage: boolean;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

/** Who is signed in: one query for the whole app (pages read it through useAuth). */
export const ME_QUERY_KEY = ['me'] as const;

async function loadMe(): Promise<Me> {
  const me = await api.get<Me>('/api/v1/me');
  // Set before anyone can act: every state change needs the session's token.
  setCsrfToken(me.csrfToken ?? null);
  return me;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside <RequireAuth>');
  return auth;
}

/**
 * Loads who is signed in and renders its children only then; not signed in, the browser goes to
 * /sign-in with the page it wanted, to come back to it afterwards.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const location = useLocation();
  const client = useQueryClient();
  const me = useQuery({ queryKey: ME_QUERY_KEY, queryFn: loadMe, retry: false, staleTime: 60_000 });

  useEffect(() => {
    // Whichever page fetched ['me'] first, the token follows the data.
    if (me.data) setCsrfToken(me.data.csrfToken ?? null);
  }, [me.data]);

  if (me.isPending) return <p role="status">{t('loading')}</p>;
  if (me.isError) {
    if (me.error instanceof ApiError && me.error.status === 401) {
      const returnTo = `${location.pathname}${location.search}`;
      return <Navigate to={`/sign-in?returnTo=${encodeURIComponent(returnTo)}`} replace />;
    }
    return (
      <p role="alert" className="error-note">
        {t('error', { message: me.error.message })}
      </p>
    );
  }
  const auth: Auth = {
    me: me.data,
    mayTriage: me.data.role === 'triager' || me.data.role === 'admin',
    signOut: async () => {
      await api.post('/auth/logout');
      setCsrfToken(null);
      client.clear();
    },
  };
  return <AuthContext.Provider value={auth}>{children}</AuthContext.Provider>;
}
