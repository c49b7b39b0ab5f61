import { type FormEvent, useEffect, useId, useState } from 'react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api';
import { useAuth } from '../../components/auth';
import { WeeklyChart } from '../../components/charts/WeeklyChart';
import {
  AXES,
  type Axis,
  type BoardItem,
  CATEGORIES,
  ChannelTag,
  type Decision,
  ErrorNote,
  Field,
  Movement,
  ScoreBar,
  StatusDot,
  errorText,
  useLabels,
} from '../../components/ui';
import { SurveyImpact } from './SurveyImpact';
import { TrackerIssues } from './TrackerIssues';
import './irritant.css';

interface Irritant {
  id: string;
  category: string;
  label: string;
  verbatimCount: number;
  distinctCustomers: number;
  firstSeenAt: string;
  lastSeenAt: string;
}

interface ItemRead {
  isoWeek: string;
  status: 'live' | 'frozen';
  item: BoardItem;
  pinnedVerbatimId: string | null;
}

interface Override {
  axis: Axis;
  score: number | null;
  reason: string;
  by: string;
  at: string;
}

interface Verbatim {
  id: string;
  source: string;
  channel: string;
  receivedAt: string;
  lang: string | null;
  text: string;
  category: string | null;
  sentiment: number | null;
  sentimentLabel: string | null;
  terminal: string | null;
  irritantId: string | null;
  irritantPinned: boolean;
  /** After a move or a category correction: where it went. */
  placement?: Placement;
}

/** Where a triage action put a verbatim (PUT /verbatims/{id}/irritant, PATCH …/category). */
interface Placement {
  from: { id: string; label: string; deleted: boolean } | null;
  to: { id: string; label: string; category: string; verbatimCount: number; created: boolean } | null;
  moved: boolean;
}

interface Proposal {
  id: string;
  irritantId: string;
  isoWeek: string;
  monitorId: string | null;
  kpiKey: string | null;
  evidence: Record<string, unknown>;
  status: string;
}

/** Everything the team needs to understand one irritant and act on it. */
export default function IrritantPage() {
  const { t } = useTranslation('irritant');
  const labels = useLabels();
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const weekParam = params.get('week');

  const irritant = useQuery({
    queryKey: ['irritant', id],
    queryFn: () => api.get<Irritant>(`/api/v1/irritants/${encodeURIComponent(id)}`),
    retry: false,
  });
  const current = useQuery({
    queryKey: ['board-current-week'],
    queryFn: () => api.get<{ isoWeek: string }>('/api/v1/boards/current', { limit: 1 }),
    enabled: weekParam === null,
  });
  const week = weekParam ?? current.data?.isoWeek;
  const item = useQuery({
    queryKey: ['board-item', week, id],
    queryFn: () => api.get<ItemRead>(`/api/v1/boards/${week}/items/${encodeURIComponent(id)}`),
    // Not for an old id: the page moves to the irritant it lives on first.
    enabled: week !== undefined && irritant.data?.id === id,
    retry: false,
  });
  const notOnBoard = item.error instanceof ApiError && item.error.status === 404;
  const navigate = useNavigate();
  const mergedFrom = params.get('mergedFrom');
  // An old id (merged, or emptied by moves) answers the irritant it lives on as: the address follows.
  useEffect(() => {
    if (!irritant.data || irritant.data.id === id) return;
    const next = new URLSearchParams(params);
    next.set('mergedFrom', id);
    void navigate(`/irritants/${irritant.data.id}?${next.toString()}`, { replace: true });
  }, [irritant.data, id, params, navigate]);

  // An old id renders nothing of its own (its parts would each ask for it and get 404s): the
  // effect above moves to the irritant it lives on.
  if (irritant.isPending || (irritant.data && irritant.data.id !== id))
    return <p role="status">{t('common:loading')}</p>;
  if (irritant.isError) {
    return (
      <>
        <h1>{t('missing')}</h1>
        <ErrorNote error={irritant.error} />
        <p>
          <Link to="/">{t('backToBoard')}</Link>
        </p>
      </>
    );
  }
  const data = irritant.data;
  const boardPath = week ? `/boards/${week}` : '/';

  return (
    <article className="irritant" aria-labelledby="irritant-title">
      <nav aria-label={t('breadcrumb')} className="breadcrumb">
        <Link to={boardPath}>{t('board', { week: week ?? '' })}</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{data.label}</span>
      </nav>
      <header className="page-head irritant-head">
        <div>
          <h1 id="irritant-title">{data.label}</h1>
          <p className="page-sub">
            <span className="category-chip">{labels.category(data.category)}</span>{' '}
            {t('facts', {
              verbatims: data.verbatimCount,
              customers: data.distinctCustomers,
              first: labels.date(data.firstSeenAt),
              last: labels.date(data.lastSeenAt),
            })}
          </p>
        </div>
        {item.data && (
          <dl className="headline">
            <div>
              <dt>{t('rank')}</dt>
              <dd>#{item.data.item.rank}</dd>
            </div>
            <div>
              <dt>{t('total')}</dt>
              <dd>{Math.round(item.data.item.total)}</dd>
            </div>
            <div>
              <dt>{t('movement')}</dt>
              <dd>
                <Movement movement={item.data.item.movement} change={item.data.item.rankChange} />
              </dd>
            </div>
            <div>
              <dt>{t('customersWeek')}</dt>
              <dd>{item.data.item.distinctCustomers}</dd>
            </div>
          </dl>
        )}
      </header>

      {mergedFrom && (
        <p className="note" role="note">
          {t('mergedFrom', { id: mergedFrom.slice(0, 8) })}
        </p>
      )}
      {notOnBoard && <p className="note">{t('notOnBoard', { week })}</p>}
      {item.isError && !notOnBoard && <ErrorNote error={item.error} />}
      {item.data && <AxesSection irritantId={id} read={item.data} />}
      <SurveyImpact irritantId={id} />
      <TrackerIssues irritantId={id} />
      <OverrideHistory irritantId={id} />
      <Verbatims irritant={data} week={week} pinned={item.data?.pinnedVerbatimId ?? null} />
      <TriageActions irritant={data} />
      {item.data && <Links irritantId={id} item={item.data.item} />}
      {week && item.data && <DecisionHistory irritantId={id} week={week} />}
    </article>
  );
}

function AxesSection({ irritantId, read }: { irritantId: string; read: ItemRead }) {
  const { t } = useTranslation('irritant');
  const labels = useLabels();
  const { mayTriage } = useAuth();
  return (
    <section aria-labelledby="axes-title" className="panel">
      <h2 id="axes-title">{t('axes.title')}</h2>
      {read.status === 'frozen' && <p className="note">{t('axes.frozen', { week: read.isoWeek })}</p>}
      <div className="axis-grid">
        {AXES.map((axis) => {
          const value = read.item.axes[axis];
          return (
            <section key={axis} className={`axis-card axis-${axis}`} aria-labelledby={`axis-${axis}-title`}>
              <h3 id={`axis-${axis}-title`}>
                {labels.axis(axis)} <span className="axis-card-score">{Math.round(value.score)}</span>
              </h3>
              <ScoreBar axis={axis} score={value.score} overridden={Boolean(value.override)} />
              {value.reasons.length > 0 ? (
                <ul className="reasons">
                  {value.reasons.map((reason, index) => (
                    <li key={index}>{reason}</li>
                  ))}
                </ul>
              ) : (
                <p className="subtle">{t('axes.noReason')}</p>
              )}
              {value.override && (
                <p className="override-note">
                  {t('axes.overridden', {
                    computed: Math.round(value.override.computed),
                    by: value.override.by,
                    date: labels.date(value.override.at),
                  })}{' '}
                  <q>{value.override.reason}</q>
                </p>
              )}
              {mayTriage && read.status === 'live' && (
                <OverrideForm irritantId={irritantId} axis={axis} overridden={Boolean(value.override)} />
              )}
            </section>
          );
        })}
      </div>
    </section>
  );
}

function OverrideForm({
  irritantId,
  axis,
  overridden,
}: {
  irritantId: string;
  axis: Axis;
  overridden: boolean;
}) {
  const { t } = useTranslation('irritant');
  const labels = useLabels();
  const client = useQueryClient();
  const [score, setScore] = useState('');
  const [reason, setReason] = useState('');
  const save = useMutation({
    mutationFn: (lift: boolean) =>
      api.put(`/api/v1/irritants/${irritantId}/axes/${axis}`, {
        score: lift ? null : Number(score),
        reason: reason.trim(),
      }),
    onSuccess: async () => {
      setScore('');
      setReason('');
      await client.invalidateQueries({ queryKey: ['board-item'] });
      await client.invalidateQueries({ queryKey: ['overrides', irritantId] });
      await client.invalidateQueries({ queryKey: ['board'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(false);
  };
  return (
    <details className="override">
      <summary>{t('axes.override', { axis: labels.axis(axis) })}</summary>
      <form onSubmit={submit} className="override-form">
        <label>
          {t('axes.score')}
          <input
            type="number"
            min={0}
            max={100}
            required
            value={score}
            onChange={(event) => setScore(event.target.value)}
          />
        </label>
        <label className="grow">
          {t('axes.reason')}
          <input
            required
            minLength={3}
            maxLength={500}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
        </label>
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={save.isPending}>
            {t('axes.save')}
          </button>
          {overridden && (
            <button
              type="button"
              disabled={save.isPending || reason.trim().length < 3}
              onClick={() => save.mutate(true)}
            >
              {t('axes.lift')}
            </button>
          )}
        </div>
        {save.isError && (
          <p role="alert" className="error-note">
            {errorText(save.error)}
          </p>
        )}
      </form>
    </details>
  );
}

function OverrideHistory({ irritantId }: { irritantId: string }) {
  const { t } = useTranslation('irritant');
  const labels = useLabels();
  const history = useQuery({
    queryKey: ['overrides', irritantId],
    queryFn: () => api.get<Override[]>(`/api/v1/irritants/${irritantId}/overrides`),
  });
  if (!history.data || history.data.length === 0) return null;
  return (
    <section aria-labelledby="overrides-title" className="panel">
      <h2 id="overrides-title">{t('overrides.title')}</h2>
      <table className="simple-table">
        <thead>
          <tr>
            <th scope="col">{t('overrides.when')}</th>
            <th scope="col">{t('overrides.axis')}</th>
            <th scope="col" className="num">
              {t('overrides.score')}
            </th>
            <th scope="col">{t('overrides.reason')}</th>
            <th scope="col">{t('overrides.by')}</th>
          </tr>
        </thead>
        <tbody>
          {[...history.data].reverse().map((row, index) => (
            <tr key={index}>
              <td>{labels.date(row.at, true)}</td>
              <td>{labels.axis(row.axis)}</td>
              <td className="num">{row.score === null ? t('overrides.lifted') : row.score}</td>
              <td>{row.reason}</td>
              <td>{row.by}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

interface IrritantOption {
  id: string;
  label: string;
  category: string;
  verbatimCount: number;
}

/** Search then pick an irritant (merge, move): a text filter over the list, and a native select. */
function IrritantPicker({
  excludeId,
  value,
  onChange,
  label,
}: {
  excludeId: string;
  value: string;
  onChange: (id: string) => void;
  label: string;
}) {
  const { t } = useTranslation('irritant');
  const labels = useLabels();
  const [search, setSearch] = useState('');
  const options = useQuery({
    queryKey: ['irritant-options'],
    queryFn: () => api.get<IrritantOption[]>('/api/v1/irritants', { limit: 500 }),
  });
  const needle = search.trim().toLowerCase();
  const shown = (options.data ?? []).filter(
    (option) =>
      option.id !== excludeId &&
      (needle === '' ||
        option.label.toLowerCase().includes(needle) ||
        labels.category(option.category).toLowerCase().includes(needle)),
  );
  useEffect(() => {
    // Typing narrows the list: the first match is picked, so Enter acts on what is visible.
    if (shown.length > 0 && !shown.some((option) => option.id === value)) onChange(shown[0].id);
    if (shown.length === 0 && value !== '') onChange('');
  }, [shown, value, onChange]);
  return (
    <div className="picker">
      <Field label={t('picker.search')}>
        <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} />
      </Field>
      <Field label={label}>
        <select
          value={value}
          onChange={(event) => onChange(event.target.value)}
          disabled={shown.length === 0}
        >
          {shown.length === 0 && <option value="">{t('picker.none')}</option>}
          {shown.map((option) => (
            <option key={option.id} value={option.id}>
              {option.label} · {labels.category(option.category)} ({option.verbatimCount})
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}

function Verbatims({
  irritant,
  week,
  pinned,
}: {
  irritant: Irritant;
  week: string | undefined;
  pinned: string | null;
}) {
  const { t } = useTranslation('irritant');
  const labels = useLabels();
  const { mayTriage } = useAuth();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [target, setTarget] = useState('');
  const [message, setMessage] = useState('');
  const [went, setWent] = useState<{ placement: Placement; count: number } | null>(null);
  const searchId = useId();
  const verbatims = useInfiniteQuery({
    queryKey: ['irritant-verbatims', irritant.id, q],
    queryFn: ({ pageParam }) =>
      api.get<{ items: Verbatim[]; nextCursor: string | null }>('/api/v1/verbatims', {
        irritant: irritant.id,
        q,
        limit: 100,
        cursor: pageParam,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const refresh = async () => {
    setSelected(new Set());
    await client.invalidateQueries({ queryKey: ['irritant-verbatims', irritant.id] });
    await client.invalidateQueries({ queryKey: ['irritant', irritant.id] });
    await client.invalidateQueries({ queryKey: ['irritant-options'] });
    // The live boards were recomputed by the action: their items and ranks show it at once.
    await client.invalidateQueries({ queryKey: ['board'] });
    await client.invalidateQueries({ queryKey: ['board-item'] });
  };
  const placed = async (placement: Placement | undefined, count = 1) => {
    if (placement) {
      setWent({ placement, count });
      setMessage(
        placement.to
          ? t('verbatims.wentTo', { count, label: placement.to.label })
          : t('verbatims.notPlaced', { count }),
      );
    }
    await refresh();
  };
  const split = useMutation({
    mutationFn: () =>
      api.post<Irritant>(`/api/v1/irritants/${irritant.id}/split`, { verbatimIds: [...selected] }),
    onSuccess: async (created) => {
      await refresh();
      void navigate(`/irritants/${created.id}${week ? `?week=${week}` : ''}`);
    },
  });
  const move = useMutation({
    mutationFn: async () => {
      let last: Verbatim | undefined;
      for (const verbatimId of selected) {
        last = await api.put<Verbatim>(`/api/v1/verbatims/${verbatimId}/irritant`, { irritantId: target });
      }
      return { count: selected.size, placement: last?.placement };
    },
    onSuccess: async ({ count, placement }) => placed(placement, count),
    onError: refresh,
  });
  const pin = useMutation({
    mutationFn: (verbatimId: string) =>
      api.put(`/api/v1/boards/${week}/items/${irritant.id}/quote`, { verbatimId }),
    onSuccess: async () => {
      setMessage(t('verbatims.pinnedMessage'));
      await client.invalidateQueries({ queryKey: ['board-item', week, irritant.id] });
    },
  });
  const toggle = (verbatimId: string) => {
    const next = new Set(selected);
    if (next.has(verbatimId)) next.delete(verbatimId);
    else next.add(verbatimId);
    setSelected(next);
  };
  const items = verbatims.data?.pages.flatMap((page) => page.items) ?? [];
  const error = split.error ?? move.error ?? pin.error;

  return (
    <section aria-labelledby="verbatims-title" className="panel">
      <div className="panel-head">
        <h2 id="verbatims-title">{t('verbatims.title')}</h2>
        <form
          role="search"
          className="inline-search"
          onSubmit={(event) => {
            event.preventDefault();
            setQ(draft.trim());
          }}
        >
          <label htmlFor={searchId} className="sr-only">
            {t('verbatims.search')}
          </label>
          <input
            id={searchId}
            type="search"
            placeholder={t('verbatims.searchPlaceholder')}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
          />
          <button type="submit">{t('verbatims.searchButton')}</button>
          {q && (
            <button
              type="button"
              className="button-quiet"
              onClick={() => {
                setDraft('');
                setQ('');
              }}
            >
              {t('verbatims.clear')}
            </button>
          )}
        </form>
      </div>
      <p className="sr-only" role="status" aria-live="polite">
        {message}
      </p>
      {mayTriage && (
        <div className="selection-bar" aria-label={t('verbatims.selectionTools')} role="group">
          <span>{t('verbatims.selected', { count: selected.size })}</span>
          <button
            type="button"
            disabled={selected.size === 0 || split.isPending}
            onClick={() => split.mutate()}
          >
            {t('verbatims.split')}
          </button>
          <IrritantPicker
            excludeId={irritant.id}
            value={target}
            onChange={setTarget}
            label={t('verbatims.moveTarget')}
          />
          <button
            type="button"
            disabled={selected.size === 0 || target === '' || move.isPending}
            onClick={() => move.mutate()}
          >
            {t('verbatims.move')}
          </button>
        </div>
      )}
      {error && (
        <p role="alert" className="error-note">
          {errorText(error)}
        </p>
      )}
      {went && (
        <p className="note went-note">
          {went.placement.to ? (
            <>
              {t(went.placement.to.created ? 'verbatims.wentToNew' : 'verbatims.wentToExisting', {
                count: went.count,
              })}{' '}
              <Link to={`/irritants/${went.placement.to.id}${week ? `?week=${week}` : ''}`}>
                {went.placement.to.label}
              </Link>{' '}
              <span className="subtle">({labels.category(went.placement.to.category)})</span>
              {went.placement.from?.deleted && <> · {t('verbatims.emptiedDeleted')}</>}
            </>
          ) : (
            t('verbatims.notPlaced', { count: went.count })
          )}
        </p>
      )}
      {verbatims.isPending && <p role="status">{t('common:loading')}</p>}
      {verbatims.isError && <ErrorNote error={verbatims.error} />}
      {verbatims.data && items.length === 0 && (
        <p className="empty">{q ? t('verbatims.noMatch') : t('verbatims.none')}</p>
      )}
      <ol className="verbatim-list">
        {items.map((verbatim) => (
          <li key={verbatim.id} className={`verbatim${selected.has(verbatim.id) ? ' selected' : ''}`}>
            {mayTriage && (
              <input
                type="checkbox"
                className="verbatim-check"
                checked={selected.has(verbatim.id)}
                onChange={() => toggle(verbatim.id)}
                aria-label={t('verbatims.select', { date: labels.date(verbatim.receivedAt, true) })}
              />
            )}
            <div className="verbatim-body">
              <p className="verbatim-meta">
                <ChannelTag channel={verbatim.channel} />
                <span>{verbatim.source}</span>
                <time dateTime={verbatim.receivedAt}>{labels.date(verbatim.receivedAt, true)}</time>
                <span>
                  {verbatim.lang ? t(`lang.${verbatim.lang}`, { defaultValue: verbatim.lang }) : '—'}
                </span>
                {verbatim.sentimentLabel && (
                  <span className={`sentiment sentiment-${verbatim.sentimentLabel}`}>
                    {t(`sentiment.${verbatim.sentimentLabel}`, { defaultValue: verbatim.sentimentLabel })}
                    {verbatim.sentiment !== null && ` (${verbatim.sentiment.toFixed(2)})`}
                  </span>
                )}
                {pinned === verbatim.id && <span className="pinned-badge">{t('verbatims.pinned')}</span>}
              </p>
              {/* Customer words: React text only, never markup. */}
              <p className="verbatim-text">{verbatim.text}</p>
              {mayTriage && (
                <div className="verbatim-actions">
                  <CategoryCorrection
                    verbatim={verbatim}
                    onDone={(after) => placed(after.placement?.moved ? after.placement : undefined)}
                  />
                  <SentimentCorrection verbatim={verbatim} onDone={refresh} />
                  {week && (
                    <button
                      type="button"
                      className="button-small"
                      aria-pressed={pinned === verbatim.id}
                      disabled={pin.isPending}
                      onClick={() => pin.mutate(verbatim.id)}
                    >
                      {t('verbatims.pin')}
                    </button>
                  )}
                </div>
              )}
              {!mayTriage && verbatim.category && (
                <p className="subtle">{labels.category(verbatim.category)}</p>
              )}
            </div>
          </li>
        ))}
      </ol>
      {verbatims.hasNextPage && (
        <p>
          <button
            type="button"
            disabled={verbatims.isFetchingNextPage}
            onClick={() => void verbatims.fetchNextPage()}
          >
            {t('verbatims.more')}
          </button>
        </p>
      )}
    </section>
  );
}

const SENTIMENTS = ['negative', 'neutral', 'positive'] as const;

/** A triager says what the customer feels: the board reads it at once, the next model learns it. */
function SentimentCorrection({ verbatim, onDone }: { verbatim: Verbatim; onDone: () => Promise<void> }) {
  const { t } = useTranslation('irritant');
  const labels = useLabels();
  const [label, setLabel] = useState(verbatim.sentimentLabel ?? '');
  const save = useMutation({
    mutationFn: () => api.patch(`/api/v1/verbatims/${verbatim.id}/sentiment`, { label }),
    onSuccess: onDone,
  });
  return (
    <form
      className="category-form"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <select
        aria-label={t('verbatims.sentimentOf', { date: labels.date(verbatim.receivedAt, true) })}
        value={label}
        onChange={(event) => setLabel(event.target.value)}
      >
        {!verbatim.sentimentLabel && <option value="">—</option>}
        {SENTIMENTS.map((key) => (
          <option key={key} value={key}>
            {t(`sentiment.${key}`)}
          </option>
        ))}
      </select>
      <button
        type="submit"
        className="button-small"
        disabled={save.isPending || label === '' || label === verbatim.sentimentLabel}
      >
        {t('verbatims.correctSentiment')}
      </button>
      {save.isError && (
        <span role="alert" className="error-note">
          {errorText(save.error)}
        </span>
      )}
    </form>
  );
}

function CategoryCorrection({
  verbatim,
  onDone,
}: {
  verbatim: Verbatim;
  onDone: (after: Verbatim) => Promise<void>;
}) {
  const { t } = useTranslation('irritant');
  const labels = useLabels();
  const [category, setCategory] = useState(verbatim.category ?? '');
  const save = useMutation({
    mutationFn: () => api.patch<Verbatim>(`/api/v1/verbatims/${verbatim.id}/category`, { category }),
    onSuccess: onDone,
  });
  return (
    <form
      className="category-form"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <select
        aria-label={t('verbatims.categoryOf', { date: labels.date(verbatim.receivedAt, true) })}
        value={category}
        onChange={(event) => setCategory(event.target.value)}
      >
        {!verbatim.category && <option value="">—</option>}
        {CATEGORIES.map((key) => (
          <option key={key} value={key}>
            {labels.category(key)}
          </option>
        ))}
      </select>
      <button
        type="submit"
        className="button-small"
        disabled={save.isPending || category === '' || category === verbatim.category}
      >
        {t('verbatims.correct')}
      </button>
      {save.isError && (
        <span role="alert" className="error-note">
          {errorText(save.error)}
        </span>
      )}
    </form>
  );
}

function TriageActions({ irritant }: { irritant: Irritant }) {
  const { t } = useTranslation('irritant');
  const { mayTriage } = useAuth();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [into, setInto] = useState('');
  const [confirming, setConfirming] = useState(false);
  const merge = useMutation({
    mutationFn: () => api.post<Irritant>(`/api/v1/irritants/${irritant.id}/merge`, { into }),
    onSuccess: async (merged) => {
      setConfirming(false);
      const week = params.get('week');
      void navigate(`/irritants/${merged.id}${week ? `?week=${week}` : ''}`, { replace: true });
      // The merged-away irritant no longer exists: its reads are dropped, not fetched again (a 404).
      const gone = (key: readonly unknown[]) => key.includes(irritant.id);
      client.removeQueries({ predicate: (query) => gone(query.queryKey) });
      await client.invalidateQueries({ predicate: (query) => !gone(query.queryKey) });
    },
  });
  if (!mayTriage) return null;
  return (
    <section aria-labelledby="merge-title" className="panel">
      <h2 id="merge-title">{t('merge.title')}</h2>
      <p className="subtle">{t('merge.help')}</p>
      <div className="merge-row">
        <IrritantPicker excludeId={irritant.id} value={into} onChange={setInto} label={t('merge.into')} />
        {!confirming ? (
          <button type="button" disabled={into === ''} onClick={() => setConfirming(true)}>
            {t('merge.start')}
          </button>
        ) : (
          <span className="confirm" role="group" aria-label={t('merge.confirmLabel')}>
            <button
              type="button"
              className="button-danger"
              disabled={merge.isPending}
              onClick={() => merge.mutate()}
              autoFocus
            >
              {t('merge.confirm')}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t('merge.cancel')}
            </button>
          </span>
        )}
      </div>
      {merge.isError && (
        <p role="alert" className="error-note">
          {errorText(merge.error)}
        </p>
      )}
    </section>
  );
}

interface MonitorStat {
  period: string;
  runs: number;
  ok: number;
  availability: number;
  p95: number | null;
}

interface KpiWeek {
  isoWeek: string;
  value: number | null;
}

function MonitorChart({ monitor }: { monitor: BoardItem['monitors'][number] }) {
  const { t } = useTranslation('irritant');
  const labels = useLabels();
  const stats = useQuery({
    queryKey: ['monitor-stats', monitor.id],
    queryFn: () => api.get<MonitorStat[]>(`/api/v1/monitors/${monitor.id}/stats`, { by: 'week', days: 84 }),
  });
  const format = (value: number) =>
    new Intl.NumberFormat(labels.language, { maximumFractionDigits: 1 }).format(value) + ' %';
  return (
    <div className="link-card">
      <h3>
        <StatusDot status={monitor.status} /> {monitor.name}{' '}
        <span className="subtle">
          ({t(`links.status.${monitor.status.replace(/\s+/g, '_')}`, { defaultValue: monitor.status })})
        </span>
      </h3>
      {stats.isError && <ErrorNote error={stats.error} />}
      {stats.data && stats.data.length === 0 && <p className="subtle">{t('links.noRuns')}</p>}
      {stats.data && stats.data.length > 0 && (
        <WeeklyChart
          title={t('links.availability', { name: monitor.name })}
          points={stats.data.map((row) => ({ isoWeek: row.period, value: row.availability }))}
          unit="%"
          target={null}
          labels={{
            week: t('links.week'),
            value: t('links.availabilityShort'),
            target: t('links.target'),
            noValue: '—',
          }}
          format={format}
          height={160}
        />
      )}
    </div>
  );
}

function KpiChart({ kpi }: { kpi: BoardItem['kpis'][number] }) {
  const { t } = useTranslation('irritant');
  const labels = useLabels();
  const weekly = useQuery({
    queryKey: ['kpi-weekly', kpi.key],
    queryFn: () => api.get<KpiWeek[]>(`/api/v1/kpis/${encodeURIComponent(kpi.key)}/weekly`, { weeks: 12 }),
  });
  const format = (value: number) =>
    new Intl.NumberFormat(labels.language, { maximumFractionDigits: 2 }).format(value);
  return (
    <div className="link-card">
      <h3>{kpi.name}</h3>
      {weekly.isError && <ErrorNote error={weekly.error} />}
      {weekly.data && (
        <WeeklyChart
          title={t('links.kpiTitle', { name: kpi.name })}
          points={weekly.data.map((row) => ({ isoWeek: row.isoWeek, value: row.value }))}
          unit=""
          target={kpi.target}
          labels={{ week: t('links.week'), value: kpi.name, target: t('links.target'), noValue: '—' }}
          format={format}
          height={160}
        />
      )}
    </div>
  );
}

function Links({ irritantId, item }: { irritantId: string; item: BoardItem }) {
  const { t } = useTranslation('irritant');
  const { mayTriage } = useAuth();
  const client = useQueryClient();
  const proposals = useQuery({
    queryKey: ['link-proposals'],
    queryFn: () => api.get<Proposal[]>('/api/v1/link-proposals'),
  });
  const settle = useMutation({
    mutationFn: ({ id, accept }: { id: string; accept: boolean }) =>
      api.post(`/api/v1/link-proposals/${id}/${accept ? 'accept' : 'dismiss'}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['link-proposals'] }),
  });
  const mine = (proposals.data ?? []).filter((proposal) => proposal.irritantId === irritantId);
  return (
    <section aria-labelledby="links-title" className="panel">
      <h2 id="links-title">{t('links.title')}</h2>
      {item.monitors.length === 0 && item.kpis.length === 0 && <p className="subtle">{t('links.none')}</p>}
      <div className="link-grid">
        {item.monitors.map((monitor) => (
          <MonitorChart key={monitor.id} monitor={monitor} />
        ))}
        {item.kpis.map((kpi) => (
          <KpiChart key={kpi.key} kpi={kpi} />
        ))}
      </div>
      {mine.length > 0 && (
        <>
          <h3>{t('links.proposals')}</h3>
          <ul className="plain proposals">
            {mine.map((proposal) => (
              <li key={proposal.id}>
                {proposal.monitorId
                  ? t('links.proposedMonitor', { week: proposal.isoWeek })
                  : t('links.proposedKpi', { key: proposal.kpiKey, week: proposal.isoWeek })}
                {mayTriage && (
                  <>
                    {' '}
                    <button
                      type="button"
                      className="button-small"
                      onClick={() => settle.mutate({ id: proposal.id, accept: true })}
                    >
                      {t('links.accept')}
                    </button>{' '}
                    <button
                      type="button"
                      className="button-small"
                      onClick={() => settle.mutate({ id: proposal.id, accept: false })}
                    >
                      {t('links.dismiss')}
                    </button>
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {settle.isError && <ErrorNote error={settle.error} />}
    </section>
  );
}

function DecisionHistory({ irritantId, week }: { irritantId: string; week: string }) {
  const { t } = useTranslation('irritant');
  const labels = useLabels();
  const history = useQuery({
    queryKey: ['decision-history', week, irritantId],
    queryFn: () => api.get<Decision[]>(`/api/v1/boards/${week}/items/${irritantId}/decisions`),
  });
  return (
    <section aria-labelledby="decisions-title" className="panel">
      <h2 id="decisions-title">{t('decisions.title', { week })}</h2>
      {history.data && history.data.length === 0 && <p className="subtle">{t('decisions.none')}</p>}
      {history.data && history.data.length > 0 && (
        <ol className="plain decision-history">
          {[...history.data].reverse().map((decision) => (
            <li key={decision.id}>
              <span className={`decision-badge decision-${decision.kind}`}>
                {labels.decision(decision.kind)}
              </span>{' '}
              {decision.department && `→ ${labels.department(decision.department)} `}
              {decision.owner && <span>{t('decisions.owner', { owner: decision.owner })} </span>}
              {decision.targetRelease && (
                <span>{t('decisions.release', { release: decision.targetRelease })} </span>
              )}
              <span className="subtle">
                {t('decisions.byAt', { by: decision.by, date: labels.date(decision.at, true) })}
              </span>
              {decision.comment && <p className="decision-comment">{decision.comment}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
