import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiClient, data } from '../../api';
import { ErrorNote } from '../../components/ui';

/** What the irritant costs the NPS and the CSAT: the score without the customers who mention it. */
export function SurveyImpact({ irritantId }: { irritantId: string }) {
  const { t, i18n } = useTranslation('irritant');
  const impact = useQuery({
    queryKey: ['survey-impact', irritantId],
    queryFn: () =>
      data(apiClient.GET('/api/v1/irritants/{id}/survey-impact', { params: { path: { id: irritantId } } })),
  });
  const number = (value: number) =>
    value.toLocaleString(i18n.resolvedLanguage, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const rows = (['nps', 'csat'] as const).flatMap((survey) => {
    const figure = impact.data?.[survey];
    return figure ? [{ survey, figure }] : [];
  });
  return (
    <section aria-labelledby="survey-impact-title" className="panel">
      <h2 id="survey-impact-title">{t('surveyImpact.title')}</h2>
      {impact.isError && <ErrorNote error={impact.error} />}
      {impact.data && rows.length === 0 && (
        <p className="subtle">{t('surveyImpact.none', { days: impact.data.windowDays })}</p>
      )}
      {rows.length > 0 && (
        <ul className="plain">
          {rows.map(({ survey, figure }) => (
            <li key={survey} data-survey={survey}>
              <strong>
                {t('surveyImpact.costs', {
                  points: number(figure.points),
                  survey: survey.toUpperCase(),
                })}
              </strong>{' '}
              {figure.ci95 !== null && <span>(±{number(figure.ci95)}) </span>}
              <span className="subtle">
                {t('surveyImpact.detail', {
                  overall: number(figure.overall),
                  without: number(figure.without),
                  mentioning: figure.mentioning,
                  answers: figure.answers,
                  days: impact.data?.windowDays,
                })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
