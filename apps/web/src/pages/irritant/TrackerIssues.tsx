import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiClient, data } from '../../api';

/** The irritant's tickets in the team's trackers (Jira, GitHub, Linear): key, link and status there. */
export function TrackerIssues({ irritantId }: { irritantId: string }) {
  const { t } = useTranslation('irritant');
  const issues = useQuery({
    queryKey: ['tracker-issues', irritantId],
    queryFn: () =>
      data(apiClient.GET('/api/v1/irritants/{id}/tracker-issues', { params: { path: { id: irritantId } } })),
  });
  if (!issues.data || issues.data.length === 0) return null;
  return (
    <section aria-labelledby="tracker-issues-title" className="panel">
      <h2 id="tracker-issues-title">{t('trackerIssues.title')}</h2>
      <ul className="plain">
        {issues.data.map((issue) => (
          <li key={`${issue.ticketId}-${issue.kind}`}>
            <strong>{t(`trackerIssues.kinds.${issue.kind}`)}</strong>{' '}
            {issue.url && issue.key ? (
              <a href={issue.url} rel="noreferrer noopener" target="_blank">
                {issue.key}
              </a>
            ) : (
              <span className="subtle">{t(`trackerIssues.status.${issue.status}`)}</span>
            )}{' '}
            {issue.externalStatus && <span>· {issue.externalStatus} </span>}
            <span className="subtle">{t('trackerIssues.ticket', { status: issue.ticketStatus })}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
