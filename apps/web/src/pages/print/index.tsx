import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { apiClient, data } from '../../api';
import { AXES, ErrorNote, useLabels } from '../../components/ui';
import './print.css';

/**
 * The board printed for the Monday meeting: a cover with the ranking, then one page per top
 * irritant with its scores, reasons, decision and the customers' own (redacted) words.
 */
export default function PrintPage() {
  const { t } = useTranslation('print');
  const labels = useLabels();
  const { isoWeek = '' } = useParams();
  const [params] = useSearchParams();
  const top = Math.min(50, Math.max(1, Number(params.get('top') ?? 10) || 10));
  const board = useQuery({
    queryKey: ['board', isoWeek, 'print', top],
    queryFn: () =>
      data(
        apiClient.GET('/api/v1/boards/{isoWeek}', { params: { path: { isoWeek }, query: { limit: top } } }),
      ),
  });
  const decisions = useQuery({
    queryKey: ['board-decisions', isoWeek],
    queryFn: () =>
      data(apiClient.GET('/api/v1/boards/{isoWeek}/decisions', { params: { path: { isoWeek } } })),
  });
  if (board.isError) return <ErrorNote error={board.error} />;
  if (!board.data) return <p role="status">{t('common:loading')}</p>;
  const inForce = new Map((decisions.data ?? []).map((decision) => [decision.irritantId, decision]));
  return (
    <article className="print-board" aria-labelledby="print-title">
      <div className="print-controls">
        <Link to={`/boards/${encodeURIComponent(isoWeek)}`}>{t('back')}</Link>{' '}
        <button type="button" onClick={() => window.print()}>
          {t('print')}
        </button>
      </div>
      <section className="print-page print-cover">
        <h1 id="print-title">{t('title', { week: board.data.isoWeek })}</h1>
        <p className="subtle">{t(`status.${board.data.status}`)}</p>
        <ol className="print-ranking">
          {board.data.items.map((item) => (
            <li key={item.irritantId}>
              <strong translate="no">{item.label}</strong> · {t('total', { total: Math.round(item.total) })} ·{' '}
              {t('customers', { count: item.distinctCustomers })}
            </li>
          ))}
        </ol>
      </section>
      {board.data.items.map((item) => {
        const decision = inForce.get(item.irritantId);
        return (
          <section key={item.irritantId} className="print-page" aria-labelledby={`print-${item.irritantId}`}>
            <h2 id={`print-${item.irritantId}`}>
              {item.rank}. <span translate="no">{item.label}</span>
            </h2>
            <p>
              {labels.category(item.category)} · {t('total', { total: Math.round(item.total) })} ·{' '}
              {t('customers', { count: item.distinctCustomers })} ·{' '}
              {t('verbatims', { count: item.verbatimCount })}
            </p>
            <table className="print-axes">
              <tbody>
                {AXES.map((axis) => (
                  <tr key={axis}>
                    <th scope="row">{labels.axis(axis)}</th>
                    <td className="print-score">{Math.round(item.axes[axis].score)}</td>
                    <td>{item.axes[axis].reasons.join(' · ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h3>{t('quotes')}</h3>
            {item.quotes.length === 0 && <p className="subtle">{t('noQuote')}</p>}
            {item.quotes.map((quote) => (
              <blockquote key={quote.verbatimId}>
                <p translate="no">{quote.text}</p>
                <footer className="subtle">
                  {labels.channel(quote.channel)} · {labels.date(quote.receivedAt)}
                </footer>
              </blockquote>
            ))}
            <h3>{t('decision')}</h3>
            <p className="print-decision">
              {decision
                ? `${labels.decision(decision.kind)}${decision.department ? ` → ${labels.department(decision.department)}` : ''}${decision.owner ? ` (${decision.owner})` : ''}`
                : t('toDecide')}
            </p>
          </section>
        );
      })}
    </article>
  );
}
