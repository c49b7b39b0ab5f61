import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiClient, data } from '../../api';
import { useAuth } from '../../components/auth';
import { WeeklyChart } from '../../components/charts/WeeklyChart';
import { type BoardItem, ErrorNote, StatusDot, useLabels } from '../../components/ui';

function MonitorChart({ monitor }: { monitor: BoardItem['monitors'][number] }) {
  const { t } = useTranslation('irritant');
  const labels = useLabels();
  const stats = useQuery({
    queryKey: ['monitor-stats', monitor.id],
    queryFn: () =>
      data(
        apiClient.GET('/api/v1/monitors/{id}/stats', {
          params: { path: { id: monitor.id }, query: { by: 'week', days: 84 } },
        }),
      ),
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
    queryFn: () =>
      data(
        apiClient.GET('/api/v1/kpis/{key}/weekly', {
          params: { path: { key: kpi.key }, query: { weeks: 12 } },
        }),
      ),
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

export function Links({ irritantId, item }: { irritantId: string; item: BoardItem }) {
  const { t } = useTranslation('irritant');
  const { mayTriage } = useAuth();
  const client = useQueryClient();
  const proposals = useQuery({
    queryKey: ['link-proposals'],
    queryFn: () => data(apiClient.GET('/api/v1/link-proposals')),
  });
  const settle = useMutation({
    mutationFn: ({ id, accept }: { id: string; accept: boolean }) =>
      data(
        accept
          ? apiClient.POST('/api/v1/link-proposals/{id}/accept', { params: { path: { id } } })
          : apiClient.POST('/api/v1/link-proposals/{id}/dismiss', { params: { path: { id } } }),
      ),
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
