import { useId } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { StepBars } from '../../components/charts/StepBars';
import { ADMINS, errorMessage, formatDateTime, formatNumber, mayAct, useRole } from '../explorer/shared';
import { type Schemas, apiClient, data } from '../../api';
import './monitors.css';

type Monitor = Schemas['MonitorView'];

const RUNS = 10;
const STATS_DAYS = 7;

export default function MonitorsPage() {
  const { t } = useTranslation('monitors');
  const id = useId();
  const monitors = useQuery({
    queryKey: ['monitors'],
    queryFn: () => data(apiClient.GET('/api/v1/monitors')),
  });
  return (
    <section className="monitors" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t('title')}</h1>
      <p>{t('intro')}</p>
      {monitors.isPending && <p role="status">{t('loading')}</p>}
      {monitors.isError && (
        <p className="monitors-error" role="alert">
          {t('error', { message: errorMessage(monitors.error) })}
        </p>
      )}
      {monitors.isSuccess && monitors.data.length === 0 && <p>{t('empty')}</p>}
      {monitors.isSuccess &&
        monitors.data.map((monitor) => <MonitorCard key={monitor.id} monitor={monitor} />)}
    </section>
  );
}

function MonitorCard({ monitor }: { monitor: Monitor }) {
  const { t, i18n } = useTranslation('monitors');
  const id = useId();
  const role = useRole();
  const queryClient = useQueryClient();
  const runs = useQuery({
    queryKey: ['monitors', monitor.id, 'runs', RUNS],
    queryFn: () =>
      data(
        apiClient.GET('/api/v1/monitors/{id}/runs', {
          params: { path: { id: monitor.id }, query: { limit: RUNS } },
        }),
      ),
  });
  const stats = useQuery({
    queryKey: ['monitors', monitor.id, 'stats', STATS_DAYS],
    queryFn: () =>
      data(
        apiClient.GET('/api/v1/monitors/{id}/stats', {
          params: { path: { id: monitor.id }, query: { by: 'day', days: STATS_DAYS } },
        }),
      ),
  });
  const runNow = useMutation({
    mutationFn: () =>
      data(apiClient.POST('/api/v1/monitors/{id}/run', { params: { path: { id: monitor.id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['monitors'] }),
  });

  const ms = (value: number) => t('ms', { value: formatNumber(value, i18n.language) });
  const statusLabel = (status: string | null) =>
    status ? t(`status.${status}`, { defaultValue: status }) : t('status.never');
  const latest = runs.data?.[0];
  // The newest failure among the runs shown: its screenshot says what the customer would have seen.
  const failed = runs.data?.find((run) => run.screenshotUrl !== null);
  const totals = (stats.data ?? []).reduce(
    (sum, day) => ({ runs: sum.runs + day.runs, ok: sum.ok + day.ok }),
    { runs: 0, ok: 0 },
  );

  return (
    <article className="monitors-card" aria-labelledby={`${id}-name`} data-monitor={monitor.id}>
      <header className="monitors-head">
        <h2 id={`${id}-name`}>{monitor.name}</h2>
        <span className={`monitors-status monitors-status-${monitor.lastStatus ?? 'never'}`}>
          {statusLabel(monitor.lastStatus)}
        </span>
        {mayAct(role, ADMINS) && (
          <button
            type="button"
            onClick={() => runNow.mutate()}
            disabled={runNow.isPending}
            aria-describedby={`${id}-name`}
          >
            {runNow.isPending ? t('running') : t('runNow')}
          </button>
        )}
      </header>
      <p className="monitors-meta">
        {t(`kind.${monitor.kind}`)} · {t('every', { seconds: monitor.everySeconds })}
        {monitor.slowMs !== null && ` · ${t('slowAbove', { value: ms(monitor.slowMs) })}`}
        {!monitor.enabled && ` · ${t('disabled')}`} ·{' '}
        {t('lastRun', { at: formatDateTime(monitor.lastRunAt, i18n.language) })}
        {' · '}
        {totals.runs > 0
          ? // Over the runs that exist (n said): one run is not "7 days of availability".
            t('meeting.availability', {
              count: totals.runs,
              days: STATS_DAYS,
              value: formatNumber((totals.ok / totals.runs) * 100, i18n.language, 1),
            })
          : t('meeting.noRunsInDays', { days: STATS_DAYS })}
      </p>
      <div role="status" aria-live="polite" className="monitors-live">
        {runNow.isSuccess && t('ranNow', { status: statusLabel(runNow.data.status) })}
      </div>
      {runNow.isError && (
        <p className="monitors-error" role="alert">
          {t('runFailed', { message: errorMessage(runNow.error) })}
        </p>
      )}
      {runs.isPending && <p role="status">{t('loading')}</p>}
      {runs.isError && (
        <p className="monitors-error" role="alert">
          {t('error', { message: errorMessage(runs.error) })}
        </p>
      )}
      {runs.isSuccess && runs.data.length === 0 && <p>{t('noRuns')}</p>}
      {latest && (
        <section aria-labelledby={`${id}-latest`}>
          <h3 id={`${id}-latest`}>
            {t('latestRun', {
              at: formatDateTime(latest.startedAt, i18n.language),
              status: statusLabel(latest.status),
              duration: ms(latest.durationMs),
            })}
          </h3>
          <StepBars steps={latest.steps} format={ms} statusLabel={(status) => statusLabel(status)} />
        </section>
      )}
      {failed?.screenshotUrl && (
        <section aria-labelledby={`${id}-failed`}>
          <h3 id={`${id}-failed`}>
            {t('lastFailure', {
              at: formatDateTime(failed.startedAt, i18n.language),
              step: failed.steps.find((step) => step.status === 'failed')?.name ?? '—',
            })}
          </h3>
          <Screenshot url={failed.screenshotUrl} alt={t('screenshotAlt', { name: monitor.name })} />
        </section>
      )}
      {runs.isSuccess && runs.data.length > 0 && (
        <table className="monitors-runs">
          <caption>{t('meeting.history', { count: runs.data.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('startedAt')}</th>
              <th scope="col">{t('statusColumn')}</th>
              <th scope="col">{t('duration')}</th>
              <th scope="col">{t('failedStep')}</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.map((run) => (
              <tr key={run.id} className={`monitors-run-${run.status}`}>
                <td>
                  <time dateTime={run.startedAt}>{formatDateTime(run.startedAt, i18n.language)}</time>
                </td>
                <td>{statusLabel(run.status)}</td>
                <td>{ms(run.durationMs)}</td>
                <td>{run.steps.find((step) => step.status === 'failed')?.name ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}

/**
 * The screenshot is behind the session like every API answer, so an <img src> to it would not do
 * under every sign-in: it is fetched as a blob and shown through an object URL, released when the
 * image goes.
 */
function Screenshot({ url, alt }: { url: string; alt: string }) {
  const { t } = useTranslation('monitors');
  const image = useQuery({
    queryKey: ['monitors', 'screenshot', url],
    queryFn: async () => {
      const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'image/png' } });
      // The run names a screenshot whenever a step failed, but a journey that failed before its
      // browser started (or an HTTP journey) has none to show: that is a fact, not an error.
      if (response.status === 404) return null;
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      return response.blob();
    },
    staleTime: Infinity,
  });
  if (image.isPending) return <p role="status">{t('loadingScreenshot')}</p>;
  if (image.isError)
    return (
      <p className="monitors-error" role="alert">
        {t('screenshotFailed', { message: errorMessage(image.error) })}
      </p>
    );
  const blob = image.data;
  if (blob === null) return <p className="monitors-meta">{t('noScreenshot')}</p>;
  return (
    <figure className="monitors-screenshot">
      <img
        alt={alt}
        ref={(element) => {
          if (!element) return;
          const objectUrl = URL.createObjectURL(blob);
          element.src = objectUrl;
          return () => URL.revokeObjectURL(objectUrl);
        }}
      />
      <figcaption>{t('screenshotCaption')}</figcaption>
    </figure>
  );
}
