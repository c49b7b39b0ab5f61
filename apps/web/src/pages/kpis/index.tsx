import { useId } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type Schemas, apiClient, data } from '../../api';
import { WeeklyChart } from '../../components/charts/WeeklyChart';
import { errorMessage, formatNumber } from '../explorer/shared';
import './kpis.css';

type Kpi = Schemas['KpiView'];
type KpiWeek = Schemas['KpiWeekView'];

const WEEKS = 12;

export default function KpisPage() {
  const { t } = useTranslation('kpis');
  const id = useId();
  const kpis = useQuery({ queryKey: ['kpis'], queryFn: () => data(apiClient.GET('/api/v1/kpis')) });

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
    queryFn: () =>
      data(
        apiClient.GET('/api/v1/kpis/{key}/weekly', {
          params: { path: { key: kpi.key }, query: { weeks: WEEKS } },
        }),
      ),
  });
  const name = t(`names.${kpi.key}`, { defaultValue: kpi.name });
  const format = (value: number) => `${formatNumber(value, i18n.language, 2)} ${kpi.unit}`.trim();
  const current = kpi.current?.value ?? null;
  const status = kpi.standing ?? 'no_value';
  /** A value with what it rests on: "50 ± 69 (2 answers)", or "1,250 ms (14 points)". */
  const measured = (week: KpiWeek | undefined) => {
    if (!week || week.value === null) return t('noValue');
    const value =
      week.ci95 !== null
        ? t('meeting.withInterval', {
            value: format(week.value),
            margin: formatNumber(week.ci95, i18n.language, 1),
          })
        : format(week.value);
    return `${value} ${t(kpi.fromSurveys ? 'meeting.answers' : 'meeting.points', { count: week.n })}`;
  };
  const targetText =
    kpi.target === null
      ? undefined
      : `${t('target')} ${t(kpi.direction === 'higher' ? 'atLeast' : 'atMost', { value: format(kpi.target) })}`;

  return (
    <article className="kpis-card" aria-labelledby={`${id}-name`} data-kpi={kpi.key}>
      <header className="kpis-card-head">
        <h2 id={`${id}-name`}>{name}</h2>
        <span className={`kpis-status kpis-status-${status}`}>{t(`meeting.standing.${status}`)}</span>
      </header>
      <dl className="kpis-facts">
        <div>
          <dt>{t('meeting.thisWeekSoFar')}</dt>
          <dd>{current === null ? t('noValue') : measured(kpi.current)}</dd>
        </div>
        <div>
          <dt>{t('previousWeek')}</dt>
          <dd>{measured(kpi.previous)}</dd>
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
              partial: (week) => t('meeting.partialWeek', { week }),
              n: t(kpi.fromSurveys ? 'meeting.answersColumn' : 'meeting.pointsColumn'),
            }}
            targetText={targetText}
          />
        ))}
    </article>
  );
}
