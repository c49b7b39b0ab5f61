import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorNote, Movement, useLabels } from '../../components/ui';
import { AxesSection } from './Axes';
import { DecisionHistory, OverrideHistory } from './History';
import { useIrritantPage } from './hooks';
import { Links } from './Links';
import { CustomersPerWeek, DecideButton, Quotes } from './Meeting';
import { MergeSection } from './Merge';
import { SurveyImpact } from './SurveyImpact';
import { Title } from './Title';
import { TrackerIssues } from './TrackerIssues';
import { Verbatims } from './Verbatims';
import './irritant.css';

/**
 * Everything the meeting needs to understand one irritant and act on it, in the order it reads:
 * what it is and Decide, how many customers each week, what they say, why it ranks here, the
 * verbatims (acted on together), then what it costs, where it is tracked and its histories.
 */
export default function IrritantPage() {
  const { t } = useTranslation('irritant');
  const labels = useLabels();
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const { irritant, week, item, notOnBoard } = useIrritantPage(id, params.get('week'));
  const navigate = useNavigate();
  const mergedFrom = params.get('mergedFrom');
  const [announcement, setAnnouncement] = useState('');
  // An old id (merged, or emptied by moves) answers the irritant it lives on as: the address follows.
  useEffect(() => {
    if (!irritant.data || irritant.data.id === id) return;
    const next = new URLSearchParams(params);
    next.set('mergedFrom', id);
    void navigate(`/irritants/${irritant.data.id}?${next.toString()}`, { replace: true });
  }, [irritant.data, id, params, navigate]);

  // An old id renders nothing of its own (its parts would each ask for it and get 404s): the
  // effect above moves to the irritant it lives on.
  if (irritant.isPending || (irritant.data && irritant.data.id !== id))
    return <p role="status">{t('common:loading')}</p>;
  if (irritant.isError) {
    return (
      <>
        <h1>{t('missing')}</h1>
        <ErrorNote error={irritant.error} />
        <p>
          <Link to="/">{t('backToBoard')}</Link>
        </p>
      </>
    );
  }
  const data = irritant.data;
  const boardPath = week ? `/boards/${week}` : '/';
  const decision = item.data?.item.decision;

  return (
    <article className="irritant" aria-labelledby="irritant-title">
      <nav aria-label={t('breadcrumb')} className="breadcrumb">
        <Link to={boardPath}>{t('board', { week: week ?? '' })}</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page" translate="no">
          {data.label}
        </span>
      </nav>
      <header className="page-head irritant-head">
        <div>
          <Title irritant={data} />
          <p className="page-sub">
            <span className="category-chip">{labels.category(data.category)}</span>{' '}
            {t('facts', {
              verbatims: t('factsVerbatims', { count: data.verbatimCount }),
              customers: t('factsCustomers', { count: data.distinctCustomers }),
              first: labels.date(data.firstSeenAt),
              last: labels.date(data.lastSeenAt),
            })}
          </p>
          <div className="decision-line">
            {decision ? (
              <span className={`decision-badge decision-${decision.kind}`}>
                {labels.decision(decision.kind)}
                {decision.department && ` → ${labels.department(decision.department)}`}
              </span>
            ) : (
              item.data && <span className="subtle">{t('meeting.awaiting')}</span>
            )}{' '}
            {item.data && (
              <DecideButton
                read={item.data}
                onDecided={(kind) => setAnnouncement(t('meeting.decided', { kind: labels.decision(kind) }))}
              />
            )}
          </div>
          {data.name && data.title && (
            <p className="page-sub">{t('title.generated', { title: data.title })}</p>
          )}
          {data.otherTitle && (
            <p className="page-sub" lang={data.otherTitle.lang}>
              {data.otherTitle.title}
            </p>
          )}
          {data.quote && <blockquote className="irritant-quote">“{data.quote}”</blockquote>}
        </div>
        {item.data && (
          <dl className="headline">
            <div>
              <dt>{t('rank')}</dt>
              <dd>#{item.data.item.rank}</dd>
            </div>
            <div>
              <dt>{t('total')}</dt>
              <dd>{Math.round(item.data.item.total)}</dd>
            </div>
            <div>
              <dt>{t('movement')}</dt>
              <dd>
                <Movement movement={item.data.item.movement} change={item.data.item.rankChange} />
              </dd>
            </div>
            <div>
              <dt>{t('customersWeek')}</dt>
              <dd>{item.data.item.distinctCustomers}</dd>
            </div>
          </dl>
        )}
      </header>
      <p className="sr-only" role="status" aria-live="polite">
        {announcement}
      </p>

      {mergedFrom && (
        <p className="note" role="note">
          {t('mergedFrom', { id: mergedFrom.slice(0, 8) })}
        </p>
      )}
      {notOnBoard && <p className="note">{t('notOnBoard', { week })}</p>}
      {item.isError && !notOnBoard && <ErrorNote error={item.error} />}
      <CustomersPerWeek irritantId={data.id} />
      <Quotes irritant={data} read={item.data} />
      {item.data && <AxesSection irritantId={data.id} read={item.data} />}
      <Verbatims irritant={data} week={week} pinned={item.data?.pinnedVerbatimId ?? null} />
      <MergeSection irritant={data} />
      <SurveyImpact irritantId={data.id} />
      <TrackerIssues irritantId={data.id} />
      <OverrideHistory irritantId={data.id} />
      {item.data && <Links irritantId={data.id} item={item.data.item} />}
      {week && item.data && <DecisionHistory irritantId={data.id} week={week} />}
    </article>
  );
}
