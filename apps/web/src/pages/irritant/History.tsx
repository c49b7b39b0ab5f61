import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiClient, data } from '../../api';
import { useLabels } from '../../components/ui';
import { useOverrides } from './hooks';

/** Every override of the irritant's axes, newest first, with who made it (by name). */
export function OverrideHistory({ irritantId }: { irritantId: string }) {
  const { t } = useTranslation('irritant');
  const labels = useLabels();
  const history = useOverrides(irritantId);
  if (!history.data || history.data.length === 0) return null;
  return (
    <section aria-labelledby="overrides-title" className="panel">
      <h2 id="overrides-title">{t('overrides.title')}</h2>
      <div className="table-scroll">
        {/* Focusable: on a phone the table scrolls sideways, and a keyboard must reach it. */}
        <table className="simple-table" tabIndex={0} aria-labelledby="overrides-title">
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
                <td translate="no">{row.reason}</td>
                <td>{row.byName ?? row.by}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The decisions taken on this week's board item, newest first, with who took them (by name). */
export function DecisionHistory({ irritantId, week }: { irritantId: string; week: string }) {
  const { t } = useTranslation('irritant');
  const labels = useLabels();
  const history = useQuery({
    queryKey: ['decision-history', week, irritantId],
    queryFn: () =>
      data(
        apiClient.GET('/api/v1/boards/{isoWeek}/items/{irritantId}/decisions', {
          params: { path: { isoWeek: week, irritantId } },
        }),
      ),
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
                {t('decisions.byAt', {
                  by: decision.byName ?? decision.by,
                  date: labels.date(decision.at, true),
                })}
              </span>
              {decision.comment && <p className="decision-comment">{decision.comment}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
