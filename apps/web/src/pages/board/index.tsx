import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { apiClient, data } from '../../api';
import { useAuth } from '../../components/auth';
import {
  AXES,
  AxisBars,
  type BoardItem,
  CATEGORIES,
  CHANNELS,
  ChannelTag,
  DECISION_KINDS,
  type Decision,
  type DecisionInForce,
  type DecisionKind,
  ErrorNote,
  Skeleton,
  Field,
  Movement,
  StatusDot,
  TERMINALS,
  errorText,
  useLabels,
} from '../../components/ui';
import type { paths } from '../../api/schema';
import './board.css';
import { BoardExports } from './BoardExports';

const FILTERS = ['category', 'axis', 'above', 'channel', 'terminal'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;
type BoardQuery = NonNullable<paths['/api/v1/boards/{isoWeek}']['get']['parameters']['query']>;

function filtersOf(params: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const name of FILTERS) {
    const value = params.get(name);
    if (value) filters[name] = value;
  }
  // The API takes `above` only with an axis, and an axis only with a threshold.
  if (!filters.axis || !filters.above) {
    delete filters.axis;
    delete filters.above;
  }
  return filters;
}

/** The week's ranked irritants, as the Monday meeting reads them: scores, reach, decision. */
export default function BoardPage() {
  const { t } = useTranslation('board');
  const labels = useLabels();
  const { isoWeek } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const { mayTriage, me } = useAuth();
  const client = useQueryClient();
  const filters = filtersOf(params);
  const [open, setOpen] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  // The meeting reads the top of the board; the long tail is one click away.
  const [limit, setLimit] = useState(100);

  const weeks = useQuery({
    queryKey: ['board-weeks'],
    queryFn: () => data(apiClient.GET('/api/v1/boards')),
  });
  // Opened without a week: the meeting's board (last week's on Monday and while this week is empty).
  const meeting = useQuery({
    queryKey: ['board-meeting'],
    queryFn: () => data(apiClient.GET('/api/v1/boards/meeting')),
    enabled: isoWeek === undefined,
  });
  const target = isoWeek ?? meeting.data?.isoWeek;
  const board = useQuery({
    queryKey: ['board', target, filters, limit],
    queryFn: () =>
      data(
        apiClient.GET('/api/v1/boards/{isoWeek}', {
          // Filters come from the URL: the API checks them and says why when one is wrong.
          params: { path: { isoWeek: target ?? 'current' }, query: { ...(filters as BoardQuery), limit } },
        }),
      ),
    enabled: target !== undefined,
  });
  const week = board.data?.isoWeek;
  // While a week loads, the title and the picker both name the week asked for, never another.
  const shown = week ?? (target !== 'current' ? target : undefined);
  const freeze = useMutation({
    mutationFn: () =>
      data(apiClient.POST('/api/v1/boards/{isoWeek}/freeze', { params: { path: { isoWeek: week ?? '' } } })),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['board'] });
      await client.invalidateQueries({ queryKey: ['board-weeks'] });
      await client.invalidateQueries({ queryKey: ['board-meeting'] });
    },
  });

  const list = weeks.data ?? [];
  const older = board.data?.previousWeek ? { isoWeek: board.data.previousWeek } : undefined;
  const newer = board.data?.nextWeek ? { isoWeek: board.data.nextWeek } : undefined;
  const search = params.toString() ? `?${params.toString()}` : '';
  const weekPath = (target: string) => `/boards/${target}${search}`;

  const setFilter = (name: (typeof FILTERS)[number], value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  return (
    <section aria-labelledby="board-title" className="board">
      <header className="page-head">
        <div>
          <h1 id="board-title">{t('title', { week: shown ?? '…' })}</h1>
          {board.data && (
            <p className="page-sub">
              <span className={`board-status board-status-${board.data.status}`}>
                {t(`status.${board.data.status}`)}
              </span>{' '}
              {board.data.status === 'frozen'
                ? t('frozenAt', { date: labels.date(board.data.frozenAt, true) })
                : t('computedAt', { date: labels.date(board.data.computedAt, true) })}
            </p>
          )}
        </div>
        <nav className="week-picker" aria-label={t('weekPicker')}>
          {older ? (
            <Link
              className="button"
              to={weekPath(older.isoWeek)}
              aria-label={t('olderWeek', { week: older.isoWeek })}
            >
              ← {older.isoWeek}
            </Link>
          ) : (
            <span className="button" aria-disabled="true">
              ←
            </span>
          )}
          <label className="week-select">
            <span className="sr-only">{t('week')}</span>
            <select
              value={shown ?? ''}
              onChange={(event) => void navigate(weekPath(event.target.value))}
              disabled={list.length === 0 || week === undefined}
            >
              {!list.some((entry) => entry.isoWeek === shown) && (
                <option value={shown ?? ''}>{shown ?? '…'}</option>
              )}
              {list.map((entry) => (
                <option key={entry.isoWeek} value={entry.isoWeek}>
                  {entry.isoWeek} · {t(`status.${entry.status}`)}
                </option>
              ))}
            </select>
          </label>
          {newer ? (
            <Link
              className="button"
              to={weekPath(newer.isoWeek)}
              aria-label={t('newerWeek', { week: newer.isoWeek })}
            >
              {newer.isoWeek} →
            </Link>
          ) : (
            <span className="button" aria-disabled="true">
              →
            </span>
          )}
        </nav>
      </header>
      {week && <BoardExports week={week} />}

      {isoWeek === undefined && meeting.data?.reason && (
        <p className="note meeting-line" role="note">
          {t(meeting.data.reason === 'monday' ? 'meeting.monday' : 'meeting.empty', {
            week: meeting.data.lastWeek,
            current: meeting.data.currentWeek,
          })}{' '}
          <Link to={`/boards/${meeting.data.currentWeek}`} className="meeting-current">
            {t('meeting.openCurrent', { week: meeting.data.currentWeek })} →
          </Link>
        </p>
      )}
      {board.data?.status === 'live' && board.data.nextWeek !== null && me.role === 'admin' && (
        <p className="freeze-line">
          <button type="button" disabled={freeze.isPending} onClick={() => freeze.mutate()}>
            {t('freezeNow', { week: board.data.isoWeek })}
          </button>{' '}
          <span className="subtle">{t('freezeNowHelp')}</span>
          {freeze.isError && (
            <span role="alert" className="error-note">
              {errorText(freeze.error)}
            </span>
          )}
        </p>
      )}

      <form className="filters" aria-label={t('filters.label')} onSubmit={(event) => event.preventDefault()}>
        <Field label={t('filters.category')}>
          <select
            value={params.get('category') ?? ''}
            onChange={(event) => setFilter('category', event.target.value)}
          >
            <option value="">{t('filters.all')}</option>
            {CATEGORIES.map((key) => (
              <option key={key} value={key}>
                {labels.category(key)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('filters.axis')}>
          <select
            value={params.get('axis') ?? ''}
            onChange={(event) => setFilter('axis', event.target.value)}
          >
            <option value="">{t('filters.anyAxis')}</option>
            {AXES.map((axis) => (
              <option key={axis} value={axis}>
                {labels.axis(axis)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('filters.above')}>
          <input
            type="number"
            min={0}
            max={100}
            step={5}
            inputMode="numeric"
            value={params.get('above') ?? ''}
            onChange={(event) => setFilter('above', event.target.value)}
          />
        </Field>
        <Field label={t('filters.channel')}>
          <select
            value={params.get('channel') ?? ''}
            onChange={(event) => setFilter('channel', event.target.value)}
          >
            <option value="">{t('filters.all')}</option>
            {CHANNELS.map((key) => (
              <option key={key} value={key}>
                {labels.channel(key)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('filters.terminal')}>
          <select
            value={params.get('terminal') ?? ''}
            onChange={(event) => setFilter('terminal', event.target.value)}
          >
            <option value="">{t('filters.all')}</option>
            {TERMINALS.map((key) => (
              <option key={key} value={key}>
                {labels.terminal(key)}
              </option>
            ))}
          </select>
        </Field>
        {params.toString() !== '' && (
          <button
            type="button"
            className="button-quiet"
            onClick={() => setParams(new URLSearchParams(), { replace: true })}
          >
            {t('filters.clear')}
          </button>
        )}
      </form>

      {!mayTriage && <p className="note">{t('readOnly')}</p>}
      <p className="sr-only" role="status" aria-live="polite">
        {announcement}
      </p>

      {((board.isPending && !board.isError) || (isoWeek === undefined && meeting.isPending)) &&
        !meeting.isError && <Skeleton lines={8} className="board-skeleton" />}
      {board.isError && <ErrorNote error={board.error} onRetry={() => void board.refetch()} />}
      {meeting.isError && <ErrorNote error={meeting.error} onRetry={() => void meeting.refetch()} />}
      {board.data && board.data.items.length === 0 && (
        <p className="empty">{Object.keys(filters).length > 0 ? t('empty') : t('emptyWeek')}</p>
      )}
      {board.data && board.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="board-table">
            <caption className="sr-only">{t('caption', { week: board.data.isoWeek })}</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  {t('col.rank')}
                </th>
                <th scope="col">{t('col.irritant')}</th>
                <th scope="col" className="col-axes">
                  {t('col.axes')}
                </th>
                <th scope="col" className="num">
                  {t('col.total')}
                </th>
                <th scope="col">{t('col.movement')}</th>
                <th scope="col" className="num">
                  {t('col.customers')}
                </th>
                <th scope="col">{t('col.where')}</th>
                <th scope="col">{t('col.monitors')}</th>
                <th scope="col">{t('col.decision')}</th>
              </tr>
            </thead>
            {board.data.items.map((item) => (
              <BoardRow
                key={item.irritantId}
                item={item}
                week={board.data.isoWeek}
                decision={item.decision ?? undefined}
                mayTriage={mayTriage}
                open={open === item.irritantId}
                onToggle={(next) => setOpen(next ? item.irritantId : null)}
                onDecided={(decision) => {
                  setOpen(null);
                  setAnnouncement(t('decided', { label: item.label, kind: labels.decision(decision.kind) }));
                }}
              />
            ))}
          </table>
        </div>
      )}
      {board.data && board.data.items.length === limit && limit < 500 && (
        <p>
          <button type="button" onClick={() => setLimit(500)}>
            {t('showAll')}
          </button>
        </p>
      )}
    </section>
  );
}

interface RowProps {
  item: BoardItem;
  week: string;
  decision: DecisionInForce | undefined;
  mayTriage: boolean;
  open: boolean;
  onToggle: (open: boolean) => void;
  onDecided: (decision: Decision) => void;
}

function BoardRow({ item, week, decision, mayTriage, open, onToggle, onDecided }: RowProps) {
  const { t } = useTranslation('board');
  const labels = useLabels();
  const formId = useId();
  const toggle = useRef<HTMLButtonElement>(null);
  const close = () => {
    onToggle(false);
    toggle.current?.focus();
  };
  return (
    // One tbody per item: the row and its decision form belong together.
    <tbody className={open ? 'row-open' : undefined}>
      <tr>
        <td className="num rank" data-label={t('col.rank')}>
          {item.rank}
        </td>
        <th scope="row" className="irritant-cell">
          <Link to={`/irritants/${item.irritantId}?week=${week}`} className="irritant-link" translate="no">
            {item.label}
          </Link>
          <span className="category-chip">{labels.category(item.category)}</span>
        </th>
        <td className="cell-axes">
          <AxisBars axes={item.axes} />
        </td>
        <td className="num cell-total" data-label={t('col.total')}>
          <span className="total">{Math.round(item.total)}</span>
        </td>
        <td className="cell-movement" data-label={t('col.movement')}>
          <Movement movement={item.movement} change={item.rankChange} />
        </td>
        <td className="num cell-customers" data-label={t('col.customers')}>
          <span className="customers">{item.distinctCustomers}</span>
          <span className="subtle">{t('verbatims', { count: item.verbatimCount })}</span>
        </td>
        <td className="cell-where" data-label={t('col.where')}>
          <div className="tags">
            {item.channels.map((channel) => (
              <ChannelTag key={channel} channel={channel} iconOnly />
            ))}
          </div>
          <div className="tags">
            {item.terminals
              .filter((terminal) => terminal !== 'unknown')
              .map((terminal) => (
                <span key={terminal} className="tag">
                  {labels.terminal(terminal)}
                </span>
              ))}
          </div>
        </td>
        <td className="cell-monitors" data-label={t('col.monitors')}>
          {item.monitors.length === 0 ? (
            <span className="subtle">—</span>
          ) : (
            <ul className="plain">
              {item.monitors.map((monitor) => (
                <li
                  key={monitor.id}
                  title={
                    monitor.failure
                      ? t(monitor.failure.to ? 'failedBetween' : 'failingSince', {
                          from: labels.date(monitor.failure.from, true),
                          to: labels.date(monitor.failure.to, true),
                        })
                      : undefined
                  }
                >
                  <StatusDot status={monitor.status} /> <span translate="no">{monitor.name}</span>{' '}
                  <span className="subtle">
                    (
                    {t(`monitorStatus.${monitor.status.replace(/\s+/g, '_')}`, {
                      defaultValue: monitor.status,
                    })}
                    )
                  </span>
                </li>
              ))}
            </ul>
          )}
        </td>
        <td className="decision-cell" data-label={t('col.decision')}>
          {decision ? (
            <span className={`decision-badge decision-${decision.kind}`}>
              {labels.decision(decision.kind)}
              {decision.department && ` → ${labels.department(decision.department)}`}
            </span>
          ) : (
            <span className="subtle">{t('awaiting')}</span>
          )}
          {decision?.owner && <span className="subtle">{decision.owner}</span>}
          {decision?.ticket && (
            <span className={`ticket-status ticket-${decision.ticket.status}`}>
              {t(`ticketStatus.${decision.ticket.status}`, { defaultValue: decision.ticket.status })}
            </span>
          )}
          {decision?.kind === 'route' && (
            <span className="subtle">{decision.answer !== null ? t('answered') : t('unanswered')}</span>
          )}
          {(decision?.ticket?.release ?? decision?.targetRelease) && (
            <span className="subtle">
              {t('release', { release: decision?.ticket?.release ?? decision?.targetRelease })}
            </span>
          )}
          {decision && decision.ageDays !== null && decision.targetDays !== null && (
            <span className={decision.overdue ? 'age overdue' : 'age subtle'}>
              {t('age', { days: Math.floor(decision.ageDays), target: decision.targetDays })}
              {decision.overdue && <strong className="overdue-flag"> · {t('overdue')}</strong>}
            </span>
          )}
          {decision?.carried && <span className="subtle">{t('decidedIn', { week: decision.isoWeek })}</span>}
          <button
            ref={toggle}
            type="button"
            className="button-small"
            aria-expanded={open}
            aria-controls={open ? formId : undefined}
            disabled={!mayTriage}
            title={mayTriage ? undefined : t('readOnly')}
            onClick={() => onToggle(!open)}
          >
            {t('decide')}
            <span className="sr-only" translate="no">
              {' '}
              {item.label}
            </span>
          </button>
        </td>
      </tr>
      {open && (
        <tr className="decision-row">
          <td colSpan={9} id={formId}>
            <DecisionForm item={item} week={week} current={decision} onCancel={close} onDone={onDecided} />
          </td>
        </tr>
      )}
    </tbody>
  );
}

interface FormProps {
  item: BoardItem;
  week: string;
  current: Decision | undefined;
  onCancel: () => void;
  onDone: (decision: Decision) => void;
}

/** The decision on one item: what, who, when, why; posted to the item of this week's board. */
export function DecisionForm({ item, week, current, onCancel, onDone }: FormProps) {
  const { t } = useTranslation('board');
  const labels = useLabels();
  const client = useQueryClient();
  const [kind, setKind] = useState<DecisionKind>(current?.kind ?? 'fix');
  const [department, setDepartment] = useState(current?.department ?? '');
  const [owner, setOwner] = useState(current?.owner ?? '');
  const [release, setRelease] = useState(current?.targetRelease ?? '');
  const [comment, setComment] = useState('');
  const first = useRef<HTMLInputElement>(null);
  const departments = useQuery({
    queryKey: ['departments'],
    queryFn: () => data(apiClient.GET('/api/v1/decisions/departments')),
    staleTime: Infinity,
  });

  useEffect(() => first.current?.focus(), []);

  const save = useMutation({
    mutationFn: () =>
      data(
        apiClient.POST('/api/v1/boards/{isoWeek}/items/{irritantId}/decision', {
          params: { path: { isoWeek: week, irritantId: item.irritantId } },
          body: {
            kind,
            ...(kind === 'route' ? { department } : {}),
            ...(owner.trim() ? { owner: owner.trim() } : {}),
            ...(release.trim() ? { targetRelease: release.trim() } : {}),
            ...(comment.trim() ? { comment: comment.trim() } : {}),
          },
        }),
      ) as Promise<unknown> as Promise<Decision>,
    onSuccess: async (decision) => {
      // The decision in force is part of the board's items.
      await client.invalidateQueries({ queryKey: ['board'] });
      onDone(decision);
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <form
      className="decision-form"
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
      aria-label={t('decisionFor', { label: item.label })}
    >
      <fieldset className="kinds">
        <legend>{t('form.kind')}</legend>
        {DECISION_KINDS.map((value, index) => (
          <label key={value} className="kind-option">
            <input
              ref={index === 0 ? first : undefined}
              type="radio"
              name={`kind-${item.irritantId}`}
              value={value}
              checked={kind === value}
              onChange={() => setKind(value)}
            />
            {labels.decision(value)}
          </label>
        ))}
      </fieldset>
      <div className="form-grid">
        {kind === 'route' && (
          <Field label={t('form.department')}>
            <select required value={department} onChange={(event) => setDepartment(event.target.value)}>
              <option value="">{t('form.pickDepartment')}</option>
              {(departments.data ?? []).map((key) => (
                <option key={key} value={key}>
                  {labels.department(key)}
                </option>
              ))}
            </select>
          </Field>
        )}
        <label>
          {t('form.owner')}
          <input value={owner} maxLength={120} onChange={(event) => setOwner(event.target.value)} />
        </label>
        <label>
          {t('form.release')}
          <input
            value={release}
            maxLength={60}
            placeholder="12.5.0"
            onChange={(event) => setRelease(event.target.value)}
          />
        </label>
        <label className="span-2">
          {t('form.comment')}
          <textarea
            rows={2}
            maxLength={2000}
            value={comment}
            onChange={(event) => setComment(event.target.value)}
          />
        </label>
      </div>
      {save.isError && (
        <p role="alert" className="error-note">
          {errorText(save.error)}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={save.isPending}>
          {t('form.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('form.cancel')}
        </button>
      </div>
    </form>
  );
}
