import { cloneElement, type ReactElement, useId } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from '../i18n';
import { ApiError, type Schemas } from '../api';
import { useKnownCategories } from './categories';
import {
  decisionBodyKindValues,
  pathsApiV1BoardsIsoWeekGetParametersQueryAxisValues,
  pathsApiV1BoardsIsoWeekGetParametersQueryTerminalValues,
  verbatimViewChannelValues,
} from '../api/schema';

/**
 * The API's vocabularies and shapes, from the client generated out of docs/openapi.json (never
 * copied here): a value the API adds shows up in the UI's types at the next `npm run openapi`.
 */
/** The four axes, in the order the board shows them. */
export const AXES = pathsApiV1BoardsIsoWeekGetParametersQueryAxisValues;
export type Axis = (typeof AXES)[number];

export const CHANNELS = verbatimViewChannelValues;
export const TERMINALS = pathsApiV1BoardsIsoWeekGetParametersQueryTerminalValues;
export const DECISION_KINDS = decisionBodyKindValues;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export type AxisScore = Schemas['AxisScoreView'];
export type BoardItem = Schemas['BoardItemView'];
/** A decision in force on a week's board (GET /boards/{w}: items[].decision). */
export type DecisionInForce = Schemas['DecisionInForceView'];
/** A decision as recorded (POST …/decision answers one; an item's history lists them). */
export type Decision = Schemas['DecisionView'];

/** A name the API gave (category, channel…) in the UI's words, or as it is when unknown. */
export function useLabels() {
  const { t, i18n } = useTranslation();
  const categories = useKnownCategories();
  const language = i18n.resolvedLanguage ?? 'en';
  const label = (group: string, key: string) => t(`${group}.${key}`, { defaultValue: key });
  return {
    language,
    // The taxonomy's own words once read (an admin may have added the category); the UI's
    // dictionary until then.
    category: (key: string) => {
      const found = categories.find((category) => category.key === key)?.label;
      return found ? (language === 'fr' ? found.fr : found.en) : label('category', key);
    },
    channel: (key: string) => label('channel', key),
    terminal: (key: string) => label('terminal', key),
    axis: (key: string) => label('axis', key),
    decision: (key: string) => label('decisionKind', key),
    department: (key: string) => label('department', key),
    date: (iso: string | null | undefined, withTime = false) =>
      formatDate(iso, i18n.resolvedLanguage, withTime),
  };
}

export function formatDate(iso: string | null | undefined, language = 'en', withTime = false): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(language, {
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: 'short' } : {}),
  }).format(date);
}

/**
 * What went wrong, in the person's words and language: what happened and what to do. The API's
 * own reason (it names no customer) is added for refusals (4xx), where it says what to change;
 * a server failure's text helps nobody at the desk.
 */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const { status } = error;
    const key =
      status === 401
        ? 'signedOut'
        : status === 403
          ? 'forbidden'
          : status === 404
            ? 'notFound'
            : status === 409
              ? 'conflict'
              : status === 429
                ? 'tooMany'
                : status >= 500
                  ? 'server'
                  : 'refused';
    return i18n.t(`errors.${key}`, { reason: error.message });
  }
  // fetch() itself failed: no answer at all.
  if (error instanceof TypeError) return i18n.t('errors.network');
  return i18n.t('errors.unknown');
}

/** An error in words, with a retry when the failed action can simply be tried again. */
export function ErrorNote({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <div role="alert" className="error-note">
      <p>{errorText(error)}</p>
      {onRetry && (
        <button type="button" className="button-small" onClick={onRetry}>
          {t('errors.retry')}
        </button>
      )}
    </div>
  );
}

/**
 * Grey blocks where content will be, while it loads: the page keeps its shape, and assistive
 * technologies hear one "Loading" instead of the blocks.
 */
export function Skeleton({
  lines = 3,
  label,
  className,
}: {
  lines?: number;
  label?: string;
  className?: string;
}) {
  const { t } = useTranslation();
  return (
    <div className={`skeleton${className ? ` ${className}` : ''}`} role="status" aria-busy="true">
      <span className="sr-only">{label ?? t('loading')}</span>
      {Array.from({ length: lines }, (_, index) => (
        <span key={index} className="skeleton-line" aria-hidden="true" />
      ))}
    </div>
  );
}

/** A whole page loading: a title's block and a few rows. */
export function PageSkeleton({ label }: { label?: string }) {
  return (
    <div className="page-skeleton">
      <span className="skeleton-title" aria-hidden="true" />
      <Skeleton lines={6} label={label} />
    </div>
  );
}

/** A score 0-100 as a bar; the number is the text, the bar repeats it for the eye. */
export function ScoreBar({ axis, score, overridden }: { axis: string; score: number; overridden?: boolean }) {
  const width = Math.max(0, Math.min(100, score));
  return (
    <span className={`score-track axis-${axis}${overridden ? ' overridden' : ''}`} aria-hidden="true">
      <span className="score-fill" style={{ width: `${width}%` }} />
    </span>
  );
}

/** The four axes of an item as small labelled bars (one line each). */
export function AxisBars({ axes }: { axes: Record<Axis, AxisScore> }) {
  const labels = useLabels();
  const { t } = useTranslation();
  return (
    <ul className="axis-bars">
      {AXES.map((axis) => {
        const value = axes[axis];
        const score = Math.round(value?.score ?? 0);
        return (
          <li key={axis} title={value?.reasons.join(' · ')}>
            <span className="axis-name">{labels.axis(axis)}</span>
            <ScoreBar axis={axis} score={score} overridden={Boolean(value?.override)} />
            <span className="axis-score">
              {score}
              {value?.override && (
                <abbr className="override-mark" title={t('overridden')}>
                  *
                </abbr>
              )}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

export function Movement({ movement, change }: { movement: BoardItem['movement']; change: number | null }) {
  const { t } = useTranslation();
  const places = Math.abs(change ?? 0);
  const text =
    movement === 'new'
      ? t('movement.new')
      : movement === 'up'
        ? t('movement.up', { count: places })
        : movement === 'down'
          ? t('movement.down', { count: places })
          : t('movement.unchanged');
  const glyph = movement === 'new' ? '★' : movement === 'up' ? '▲' : movement === 'down' ? '▼' : '=';
  return (
    <span className={`movement movement-${movement}`}>
      <span aria-hidden="true">{glyph} </span>
      {movement === 'up' || movement === 'down' ? (
        <>
          <span aria-hidden="true">{places}</span>
          <span className="sr-only">{text}</span>
        </>
      ) : (
        text
      )}
    </span>
  );
}

/**
 * One small line icon per channel, drawn in SVG (emoji fonts are missing on many desktops and in
 * headless browsers); 16x16, stroked in the text colour.
 */
const CHANNEL_ICONS: Record<string, ReactElement> = {
  email: (
    <>
      <rect x="2" y="3.5" width="12" height="9" rx="1.5" />
      <path d="M2.5 4.5 8 9l5.5-4.5" />
    </>
  ),
  chat: <path d="M3 3.5h10a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H7l-3 2.5v-2.5H3a1 1 0 0 1-1-1v-6a1 1 0 0 1 1-1Z" />,
  chatbot: (
    <>
      <rect x="3" y="5" width="10" height="8" rx="2" />
      <path d="M8 2.5V5M6 9h.01M10 9h.01" />
    </>
  ),
  twitter: <path d="M3 3l10 10M13 3 3 13" />,
  forum: (
    <>
      <path d="M2 3h8v5H5l-2 2V8H2Z" />
      <path d="M10 6h4v5h-1v2l-2-2H7V8" />
    </>
  ),
  facebook: (
    <path d="M9.5 14V8.5h2l.3-2.2H9.5V5c0-.6.2-1 1-1h1.2V2.1C11.4 2 10.8 2 10.2 2 8.6 2 7.5 3 7.5 4.8v1.5H5.7v2.2h1.8V14" />
  ),
  instagram: (
    <>
      <rect x="2.5" y="2.5" width="11" height="11" rx="3" />
      <circle cx="8" cy="8" r="2.5" />
    </>
  ),
  survey: (
    <>
      <rect x="2.5" y="2.5" width="11" height="11" rx="1.5" />
      <path d="m5 8 2 2 4-4" />
    </>
  ),
  phone: (
    <path d="M4 2.5h2l1 3-1.5 1a7 7 0 0 0 4 4l1-1.5 3 1v2a1.5 1.5 0 0 1-1.5 1.5A10.5 10.5 0 0 1 2.5 4 1.5 1.5 0 0 1 4 2.5Z" />
  ),
  other: <circle cx="8" cy="8" r="2.5" />,
};

/** A channel as a small icon with its name (the icon is decoration; the name is read). */
export function ChannelTag({ channel, iconOnly = false }: { channel: string; iconOnly?: boolean }) {
  const labels = useLabels();
  return (
    <span className={`tag channel-tag channel-${channel}`} title={labels.channel(channel)}>
      <svg className="channel-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        {CHANNEL_ICONS[channel] ?? CHANNEL_ICONS.other}
      </svg>
      <span className={iconOnly ? 'sr-only' : undefined}>{labels.channel(channel)}</span>
    </span>
  );
}

export function StatusDot({ status }: { status: string }) {
  return <span className={`status-dot status-${status.replace(/\s+/g, '-')}`} aria-hidden="true" />;
}

/**
 * A label tied to its control by id (not by wrapping): the control's accessible name is then the
 * label alone, not the label followed by the selected option's text.
 */
export function Field({ label, children }: { label: string; children: ReactElement<{ id?: string }> }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { id })}
    </div>
  );
}
