import { useId, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../components/auth';
import { ChannelTag, ErrorNote, useLabels } from '../../components/ui';
import { BulkActions } from './BulkActions';
import { useIrritantVerbatims } from './hooks';
import type { Schemas } from '../../api';
import { irritantPath } from './paths';

/** Longer than this, a verbatim shows its first lines and a button to read it whole. */
const LONG = 280;

/**
 * The irritant's verbatims, newest first, each a few lines until asked; a triager selects some and
 * acts on them together (category, sentiment, move, split, quote) from one bar.
 */
export function Verbatims({
  irritant,
  week,
  pinned,
}: {
  irritant: Schemas['IrritantDetail'];
  week: string | undefined;
  pinned: string | null;
}) {
  const { t } = useTranslation('irritant');
  const { mayTriage } = useAuth();
  const labels = useLabels();
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [message, setMessage] = useState('');
  const [went, setWent] = useState<{ placement: Schemas['Placement']; count: number } | null>(null);
  const searchId = useId();
  const verbatims = useIrritantVerbatims(irritant.id, q);
  const items = verbatims.data?.pages.flatMap((page) => page.items) ?? [];
  const toggle = (verbatimId: string) => {
    const next = new Set(selected);
    if (next.has(verbatimId)) next.delete(verbatimId);
    else next.add(verbatimId);
    setSelected(next);
  };
  const allShown = items.length > 0 && items.every((verbatim) => selected.has(verbatim.id));

  return (
    <section aria-labelledby="verbatims-title" className="panel">
      <div className="panel-head">
        <h2 id="verbatims-title">{t('verbatims.title')}</h2>
        <form
          role="search"
          className="inline-search"
          onSubmit={(event) => {
            event.preventDefault();
            setQ(draft.trim());
          }}
        >
          <label htmlFor={searchId} className="sr-only">
            {t('verbatims.search')}
          </label>
          <input
            id={searchId}
            type="search"
            placeholder={t('verbatims.searchPlaceholder')}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
          />
          <button type="submit">{t('verbatims.searchButton')}</button>
          {q && (
            <button
              type="button"
              className="button-quiet"
              onClick={() => {
                setDraft('');
                setQ('');
              }}
            >
              {t('verbatims.clear')}
            </button>
          )}
        </form>
      </div>
      <p className="sr-only" role="status" aria-live="polite">
        {message}
      </p>
      {mayTriage && (
        <BulkActions
          irritant={irritant}
          week={week}
          selected={[...selected]}
          allShown={allShown}
          onSelectAll={(all) => setSelected(all ? new Set(items.map((verbatim) => verbatim.id)) : new Set())}
          onDone={(outcome) => {
            setSelected(new Set());
            setMessage(outcome.message);
            setWent(outcome.placement ? { placement: outcome.placement, count: outcome.count } : null);
          }}
        />
      )}
      {went && (
        <p className="note went-note">
          {went.placement.to ? (
            <>
              {t(went.placement.to.created ? 'verbatims.wentToNew' : 'verbatims.wentToExisting', {
                count: went.count,
              })}{' '}
              <Link to={irritantPath(went.placement.to.id, week)} translate="no">
                {went.placement.to.label}
              </Link>{' '}
              <span className="subtle">({labels.category(went.placement.to.category)})</span>
              {went.placement.from?.deleted && <> · {t('verbatims.emptiedDeleted')}</>}
            </>
          ) : (
            t('verbatims.notPlaced', { count: went.count })
          )}
        </p>
      )}
      {verbatims.isPending && <p role="status">{t('common:loading')}</p>}
      {verbatims.isError && <ErrorNote error={verbatims.error} />}
      {verbatims.data && items.length === 0 && (
        <p className="empty">{q ? t('verbatims.noMatch') : t('verbatims.none')}</p>
      )}
      <ol className="verbatim-list">
        {items.map((verbatim) => (
          <VerbatimRow
            key={verbatim.id}
            verbatim={verbatim}
            pinned={pinned === verbatim.id}
            selectable={mayTriage}
            selected={selected.has(verbatim.id)}
            onToggle={() => toggle(verbatim.id)}
          />
        ))}
      </ol>
      {verbatims.hasNextPage && (
        <p>
          <button
            type="button"
            disabled={verbatims.isFetchingNextPage}
            onClick={() => void verbatims.fetchNextPage()}
          >
            {t('verbatims.more')}
          </button>
        </p>
      )}
    </section>
  );
}

function VerbatimRow({
  verbatim,
  pinned,
  selectable,
  selected,
  onToggle,
}: {
  verbatim: Schemas['VerbatimView'];
  pinned: boolean;
  selectable: boolean;
  selected: boolean;
  onToggle: () => void;
}) {
  const { t } = useTranslation('irritant');
  const labels = useLabels();
  const [whole, setWhole] = useState(false);
  const textId = useId();
  const long = verbatim.text.length > LONG || verbatim.text.split('\n').length > 4;
  return (
    <li className={`verbatim${selected ? ' selected' : ''}`}>
      {selectable && (
        <input
          type="checkbox"
          className="verbatim-check"
          checked={selected}
          onChange={onToggle}
          aria-label={t('verbatims.select', { date: labels.date(verbatim.receivedAt, true) })}
        />
      )}
      <div className="verbatim-body">
        <p className="verbatim-meta">
          <ChannelTag channel={verbatim.channel} />
          <span>{verbatim.source}</span>
          <time dateTime={verbatim.receivedAt}>{labels.date(verbatim.receivedAt, true)}</time>
          <span>{verbatim.lang ? t(`lang.${verbatim.lang}`, { defaultValue: verbatim.lang }) : '—'}</span>
          {verbatim.category && <span className="category-chip">{labels.category(verbatim.category)}</span>}
          {verbatim.sentimentLabel && (
            <span className={`sentiment sentiment-${verbatim.sentimentLabel}`}>
              {t(`sentiment.${verbatim.sentimentLabel}`, { defaultValue: verbatim.sentimentLabel })}
              {verbatim.sentiment !== null &&
                ` (${new Intl.NumberFormat(labels.language, { maximumFractionDigits: 2 }).format(verbatim.sentiment)})`}
            </span>
          )}
          {pinned && <span className="pinned-badge">{t('verbatims.pinned')}</span>}
        </p>
        {/* Customer words: React text only, never markup. */}
        <p id={textId} className={`verbatim-text${long && !whole ? ' clamped' : ''}`} translate="no">
          {verbatim.text}
        </p>
        {long && (
          <button
            type="button"
            className="button-quiet button-small"
            aria-expanded={whole}
            aria-controls={textId}
            onClick={() => setWhole(!whole)}
          >
            {whole ? t('meeting.showLess') : t('meeting.showAll')}
          </button>
        )}
      </div>
    </li>
  );
}
