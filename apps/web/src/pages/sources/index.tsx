import { useId } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type Schemas, apiClient, data } from '../../api';
import {
  ADMINS,
  errorMessage,
  formatDateTime,
  formatDuration,
  formatNumber,
  mayAct,
  useRole,
} from '../explorer/shared';
import './sources.css';

type Source = Schemas['SourceView'];

/** Sources whose verbatims are pushed to us (API clients, file imports): nothing to poll. */
const NOT_POLLED = new Set<Source['kind']>(['api', 'import']);

export default function SourcesPage() {
  const { t } = useTranslation('sources');
  const id = useId();
  const sources = useQuery({ queryKey: ['sources'], queryFn: () => data(apiClient.GET('/api/v1/sources')) });
  return (
    <section className="sources" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t('title')}</h1>
      <p>{t('intro')}</p>
      {sources.isPending && <p role="status">{t('loading')}</p>}
      {sources.isError && (
        <p className="sources-error" role="alert">
          {t('error', { message: errorMessage(sources.error) })}
        </p>
      )}
      {sources.isSuccess && sources.data.length === 0 && <p>{t('empty')}</p>}
      {sources.isSuccess && sources.data.length > 0 && (
        <div className="sources-grid">
          {sources.data.map((source) => (
            <SourceCard key={source.id} source={source} />
          ))}
        </div>
      )}
    </section>
  );
}

function SourceCard({ source }: { source: Source }) {
  const { t, i18n } = useTranslation('sources');
  const id = useId();
  const role = useRole();
  const queryClient = useQueryClient();
  const readHealth = () =>
    data(apiClient.GET('/api/v1/sources/{id}/health', { params: { path: { id: source.id } } }));
  const health = useQuery({ queryKey: ['sources', source.id, 'health'], queryFn: readHealth });
  const poll = useMutation({
    // The poll answers its counts even when the connector failed (the failure is recorded on the
    // source): a new last error after the poll is how a failed poll is told from an empty one.
    mutationFn: async () => {
      const before = await readHealth();
      const result = await data(
        apiClient.POST('/api/v1/sources/{id}/poll', { params: { path: { id: source.id } } }),
      );
      const after = await readHealth();
      const failed = after.lastErrorAt !== null && after.lastErrorAt !== before.lastErrorAt;
      return { result, after, error: failed ? (after.lastError ?? '') : null };
    },
    onSuccess: ({ after }) => {
      queryClient.setQueryData(['sources', source.id, 'health'], after);
      void queryClient.invalidateQueries({ queryKey: ['sources'], exact: true });
    },
  });
  const state = !source.enabled
    ? 'disabled'
    : health.data?.backoffUntil
      ? 'backingOff'
      : (health.data?.consecutiveFailures ?? 0) > 0
        ? 'failing'
        : health.data?.lastSuccessAt || (health.data?.itemsLast24h ?? 0) > 0
          ? 'healthy'
          : 'idle';

  return (
    <article className="sources-card" aria-labelledby={`${id}-name`} data-source={source.name}>
      <header className="sources-head">
        <h2 id={`${id}-name`}>{source.name}</h2>
        <span className="sources-kind">{t(`kind.${source.kind}`, { defaultValue: source.kind })}</span>
        <span className={`sources-state sources-state-${state}`}>{t(`state.${state}`)}</span>
      </header>
      {health.isPending && <p role="status">{t('loading')}</p>}
      {health.isError && (
        <p className="sources-error" role="alert">
          {t('error', { message: errorMessage(health.error) })}
        </p>
      )}
      {health.isSuccess && (
        <dl className="sources-health">
          <div>
            <dt>{t('lastSuccess')}</dt>
            <dd>{formatDateTime(health.data.lastSuccessAt, i18n.language)}</dd>
          </div>
          <div>
            <dt>{t('lag')}</dt>
            <dd>{formatDuration(health.data.lagSeconds, i18n.language)}</dd>
          </div>
          <div>
            <dt>{t('volume')}</dt>
            <dd>{formatNumber(health.data.itemsLast24h, i18n.language)}</dd>
          </div>
          <div>
            <dt>{t('failures')}</dt>
            <dd>{formatNumber(health.data.consecutiveFailures, i18n.language)}</dd>
          </div>
          {!NOT_POLLED.has(source.kind) && (
            <div>
              <dt>{t('schedule')}</dt>
              <dd>{t('every', { value: formatDuration(source.pollEverySeconds, i18n.language) })}</dd>
            </div>
          )}
          {health.data.backoffUntil && (
            <div>
              <dt>{t('backoffUntil')}</dt>
              <dd>{formatDateTime(health.data.backoffUntil, i18n.language)}</dd>
            </div>
          )}
          <div className="sources-last-error">
            <dt>{t('lastError')}</dt>
            <dd>
              {health.data.lastError ? (
                <>
                  <time dateTime={health.data.lastErrorAt ?? undefined}>
                    {formatDateTime(health.data.lastErrorAt, i18n.language)}
                  </time>
                  {/* Redacted by the API; rendered as text. */}
                  <span className="sources-error-text">{health.data.lastError}</span>
                </>
              ) : (
                t('noError')
              )}
            </dd>
          </div>
        </dl>
      )}
      {mayAct(role, ADMINS) && !NOT_POLLED.has(source.kind) && (
        <button
          type="button"
          onClick={() => poll.mutate()}
          disabled={poll.isPending || !source.enabled}
          aria-describedby={`${id}-name`}
        >
          {poll.isPending ? t('polling') : t('pollNow')}
        </button>
      )}
      <div role="status" aria-live="polite" className="sources-live">
        {poll.isSuccess &&
          (poll.data.error === null
            ? t('polled', { ...poll.data.result })
            : t('pollFailed', { message: poll.data.error }))}
      </div>
      {poll.isError && (
        <p className="sources-error" role="alert">
          {t('pollFailed', { message: errorMessage(poll.error) })}
        </p>
      )}
    </article>
  );
}
