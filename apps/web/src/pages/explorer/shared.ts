import { type Role, useAuth } from '../../components/auth';
import { CHANNELS, errorText } from '../../components/ui';

/**
 * What the pages explorer, triage, kpis, monitors and sources share beyond the shell's
 * (components/): who may act, and how numbers, dates and durations are shown.
 */

export { CHANNELS };
export type { Role };

/** The signed-in principal's role: these pages render inside the shell's <RequireAuth>. */
export function useRole(): Role | null {
  return useAuth().me.role;
}

/** Whether a role may do what `allowed` lists; an unknown role may try (the API decides). */
export const mayAct = (role: Role | null, allowed: readonly Role[]): boolean =>
  role === null || allowed.includes(role);

export const TRIAGERS: readonly Role[] = ['triager', 'admin'];
export const ADMINS: readonly Role[] = ['admin'];

/** The API's own reason (it never carries personal data), or the error's message. */
export const errorMessage = errorText;

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
