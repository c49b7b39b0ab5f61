import { useQuery } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken } from '../../api';

/**
 * What the pages explorer, triage, kpis, monitors and sources share: the taxonomy's keys and the
 * channels (as the API validates them), who is signed in, and how dates and errors are shown.
 */

/** The default taxonomy's keys, in its order (PATCH /verbatims/{id}/category accepts these). */
export const CATEGORY_KEYS = [
  'search_booking',
  'payment',
  'refund_exchange',
  'account_login',
  'eticket_delivery',
  'mobile_app',
  'site_performance',
  'prices_fares',
  'customer_service',
  'legal_privacy',
  'accessibility',
  'idea_feature',
  'praise',
  'off_site',
] as const;

export const CHANNELS = [
  'email',
  'chat',
  'chatbot',
  'twitter',
  'forum',
  'facebook',
  'survey',
  'phone',
  'other',
] as const;

export type Role = 'viewer' | 'triager' | 'admin' | 'developer';

export interface Me {
  id: string;
  kind: 'user' | 'apikey';
  displayName: string;
  role: Role;
  email?: string;
  csrfToken?: string;
}

/**
 * The signed-in principal's role, or null while it is unknown (loading, or an API without
 * /api/v1/me): then actions stay offered and the API's 403 is shown if it refuses.
 */
export function useRole(): Role | null {
  const me = useQuery({
    queryKey: ['me'],
    // The same query as the shell's auth context (same key): whichever runs first sets the token.
    queryFn: async () => {
      const me = await api.get<Me>('/api/v1/me');
      setCsrfToken(me.csrfToken ?? null);
      return me;
    },
    retry: false,
    staleTime: 60_000,
  });
  return me.data?.role ?? null;
}

/** Whether a role may do what `allowed` lists; an unknown role may try (the API decides). */
export const mayAct = (role: Role | null, allowed: readonly Role[]): boolean =>
  role === null || allowed.includes(role);

export const TRIAGERS: readonly Role[] = ['triager', 'admin'];
export const ADMINS: readonly Role[] = ['admin'];

/** The API's own reason (it never carries personal data), or the error's message. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return `${error.status} ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

export function formatDateTime(iso: string | null | undefined, language: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatNumber(value: number | null | undefined, language: string, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(language, { maximumFractionDigits: digits }).format(value);
}

/** A duration in seconds as the largest sensible unit ("3 h", "12 min"), in the UI's language. */
export function formatDuration(seconds: number | null | undefined, language: string): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const units: [Intl.NumberFormatOptions['unit'], number][] = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
    ['second', 1],
  ];
  const [unit, size] = units.find(([, span]) => seconds >= span) ?? units[units.length - 1];
  return new Intl.NumberFormat(language, {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: 0,
  }).format(seconds / size);
}
