import { useId } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { WeeklyChart } from '../../components/charts/WeeklyChart';
import { errorMessage, formatNumber } from '../explorer/shared';
import './kpis.css';

interface KpiWeek {
  isoWeek: string;
  value: number | null;
  n: number;
  ci95: number | null;
}

interface Kpi {
  key: string;
  name: string;
  unit: string;
  direction: 'higher' | 'lower';
  target: number | null;
  fromSurveys: boolean;
  current?: KpiWeek;
  previous?: KpiWeek;
  trend?: 'up' | 'down' | 'flat' | null;
  onTarget?: boolean | null;
}

const WEEKS = 12;

export default function KpisPage() {
  const { t } = useTranslation('kpis');
  const id = useId();
  const kpis = useQuery({ queryKey: ['kpis'], queryFn: () => api.get<Kpi[]>('/api/v1/kpis') });

  return (
    <section className="kpis" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t('title')}</h1>
      <p>{t('intro', { weeks: WEEKS })}</p>
      {kpis.isPending && <p role="status">{t('loading')}</p>}
      {kpis.isError && (
        <p className="kpis-error" role="alert">
          {t('error', { message: errorMessage(kpis.error) })}
        </p>
      )}
      {kpis.isSuccess && kpis.data.length === 0 && <p>{t('empty')}</p>}
      {kpis.isSuccess && kpis.data.length > 0 && (
        <div className="kpis-grid">
          {kpis.data.map((kpi) => (
            <KpiCard key={kpi.key} kpi={kpi} />
          ))}
        </div>
      )}
    </section>
  );
}

function KpiCard({ kpi }: { kpi: Kpi }) {
  const { t, i18n } = useTranslation('kpis');
  const id = useId();
  const weekly = useQuery({
    queryKey: ['kpis', kpi.key, 'weekly', WEEKS],
    queryFn: () => api.get<KpiWeek[]>(`/api/v1/kpis/${encodeURIComponent(kpi.key)}/weekly`, { weeks: WEEKS }),
  });
  const name = t(`names.${kpi.key}`, { defaultValue: kpi.name });
  const format = (value: number) => `${formatNumber(value, i18n.language, 2)} ${kpi.unit}`.trim();
  const current = kpi.current?.value ?? null;
  const status = kpi.onTarget === true ? 'onTarget' : kpi.onTarget === false ? 'offTarget' : 'noTarget';

  return (
    <article className="kpis-card" aria-labelledby={`${id}-name`} data-kpi={kpi.key}>
      <header className="kpis-card-head">
        <h2 id={`${id}-name`}>{name}</h2>
        <span className={`kpis-status kpis-status-${status}`}>{t(`status.${status}`)}</span>
      </header>
      <dl className="kpis-facts">
        <div>
          <dt>{t('thisWeek')}</dt>
          <dd>{current === null ? t('noValue') : format(current)}</dd>
        </div>
        <div>
          <dt>{t('previousWeek')}</dt>
          <dd>{kpi.previous?.value == null ? t('noValue') : format(kpi.previous.value)}</dd>
        </div>
        <div>
          <dt>{t('target')}</dt>
          <dd>
            {kpi.target === null
              ? t('noTarget')
              : t(kpi.direction === 'higher' ? 'atLeast' : 'atMost', { value: format(kpi.target) })}
          </dd>
        </div>
        <div>
          <dt>{t('trendLabel')}</dt>
          <dd>{kpi.trend ? t(`trend.${kpi.trend}`) : t('noValue')}</dd>
        </div>
      </dl>
      {weekly.isPending && <p role="status">{t('loading')}</p>}
      {weekly.isError && (
        <p className="kpis-error" role="alert">
          {t('error', { message: errorMessage(weekly.error) })}
        </p>
      )}
      {weekly.isSuccess &&
        (weekly.data.every((week) => week.value === null) ? (
          <p className="kpis-empty">{t('noData')}</p>
        ) : (
          <WeeklyChart
            title={t('chartTitle', { name, unit: kpi.unit })}
            points={weekly.data}
            unit={kpi.unit}
            target={kpi.target}
            format={format}
            labels={{
              week: t('week'),
              value: name,
              target: t('target'),
              noValue: t('noValue'),
            }}
          />
        ))}
    </article>
  );
}
