import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorNote, PageSkeleton } from './ui';
import { type Schemas, apiClient, data, setCsrfToken } from '../api';

/** The signed-in person (or, in development, the proxy's API key): GET /auth/session's `me`. */
export type Me = Schemas['Me'];
export type Role = Me['role'];

export interface Auth {
  me: Me;
  /** Triagers and admins decide, override, merge, split, move, correct and pin; the others read. */
  mayTriage: boolean;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

/** Who is signed in: one query for the whole app (pages read it through useAuth). */
export const ME_QUERY_KEY = ['me'] as const;

/**
 * Who this browser is: GET /auth/session answers 200 either way (signedIn false rather than a 401,
 * which the browser would log as an error on every first visit). Null: nobody.
 */
async function loadMe(): Promise<Me | null> {
  const session = await data(apiClient.GET('/auth/session'));
  // Set before anyone can act: every state change needs the session's token.
  setCsrfToken(session.me?.csrfToken ?? null);
  return session.signedIn && session.me ? session.me : null;
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

  if (me.isPending) return <PageSkeleton label={t('loading')} />;
  if (me.isError) return <ErrorNote error={me.error} onRetry={() => void me.refetch()} />;
  if (me.data === null) {
    const returnTo = `${location.pathname}${location.search}`;
    return <Navigate to={`/sign-in?returnTo=${encodeURIComponent(returnTo)}`} replace />;
  }
  const auth: Auth = {
    me: me.data,
    mayTriage: me.data.role === 'triager' || me.data.role === 'admin',
    signOut: async () => {
      await data(apiClient.POST('/auth/logout'));
      setCsrfToken(null);
      client.clear();
    },
  };
  return <AuthContext.Provider value={auth}>{children}</AuthContext.Provider>;
}
