import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { apiClient, data } from '../../api';
import { useAuth } from '../../components/auth';
import { ErrorNote, Skeleton, errorText, useLabels } from '../../components/ui';
import './board.css';
import { BoardExports } from './BoardExports';
import { BoardRow } from './BoardRow';
import { type BoardQuery, BoardFilters, filtersOf } from './Filters';

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

      <BoardFilters params={params} setParams={setParams} />

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
