import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../components/auth';
import { WeeklyChart } from '../../components/charts/WeeklyChart';
import { ChannelTag, ErrorNote, useLabels } from '../../components/ui';
import { DecisionForm } from '../board/DecisionForm';
import { Dialog } from './Dialog';
import { useWeeklyReach } from './hooks';
import type { Schemas } from '../../api';

const WEEKS = 12;

/** Decide on this irritant from its page: the board's decision form, in a dialog. */
export function DecideButton({
  read,
  onDecided,
}: {
  read: Schemas['BoardItemRead'];
  onDecided: (kind: string) => void;
}) {
  const { t } = useTranslation('irritant');
  const { mayTriage } = useAuth();
  const [open, setOpen] = useState(false);
  const client = useQueryClient();
  if (!mayTriage || read.status !== 'live') return null;
  const item = read.item;
  return (
    <>
      <button type="button" className="button-primary" onClick={() => setOpen(true)}>
        {t('meeting.decide')}
      </button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={t('meeting.decideTitle', { week: read.isoWeek })}
        className="decide-dialog"
      >
        <DecisionForm
          item={item}
          week={read.isoWeek}
          current={item.decision ?? undefined}
          onCancel={() => setOpen(false)}
          onDone={(decision) => {
            setOpen(false);
            onDecided(decision.kind);
            void client.invalidateQueries({ queryKey: ['board-item'] });
            void client.invalidateQueries({ queryKey: ['decision-history'] });
          }}
        />
      </Dialog>
    </>
  );
}

/** How many customers wrote about it each week, over twelve weeks; the running week marked. */
export function CustomersPerWeek({ irritantId }: { irritantId: string }) {
  const { t } = useTranslation('irritant');
  const labels = useLabels();
  const weekly = useWeeklyReach(irritantId, WEEKS);
  const format = (value: number) => new Intl.NumberFormat(labels.language).format(value);
  return (
    <section aria-labelledby="reach-title" className="panel">
      <h2 id="reach-title">{t('meeting.reachTitle', { weeks: WEEKS })}</h2>
      {weekly.isPending && <p role="status">{t('common:loading')}</p>}
      {weekly.isError && <ErrorNote error={weekly.error} />}
      {weekly.data && (
        <WeeklyChart
          title={t('meeting.reachTitle', { weeks: WEEKS })}
          points={weekly.data.map((row) => ({
            isoWeek: row.isoWeek,
            value: row.customers,
            partial: row.partial,
          }))}
          unit=""
          target={null}
          labels={{
            week: t('links.week'),
            value: t('meeting.customers'),
            target: t('links.target'),
            noValue: '—',
            partial: (week) => t('meeting.partialWeek', { week }),
          }}
          format={format}
          height={180}
        />
      )}
    </section>
  );
}

/**
 * What customers say, first: the quotes the board shows for the week (the pinned one first), else
 * the irritant's latest verbatims.
 */
export function Quotes({
  irritant,
  read,
}: {
  irritant: Schemas['IrritantDetail'];
  read: Schemas['BoardItemRead'] | undefined;
}) {
  const { t } = useTranslation('irritant');
  const labels = useLabels();
  const fromBoard = read?.item.quotes.map((quote) => ({ ...quote, id: quote.verbatimId })) ?? [];
  const quotes = (fromBoard.length > 0 ? fromBoard : irritant.quotes).slice(0, 3);
  if (quotes.length === 0) return null;
  return (
    <section aria-labelledby="quotes-title" className="panel quotes">
      <h2 id="quotes-title">{t('meeting.quotesTitle')}</h2>
      <ul className="plain quote-list">
        {quotes.map((quote) => (
          <li key={quote.id}>
            {/* Customer words: React text only, never markup. */}
            <blockquote className="quote-text" translate="no">
              {quote.text}
            </blockquote>
            <p className="verbatim-meta">
              <ChannelTag channel={quote.channel} />
              <time dateTime={quote.receivedAt}>{labels.date(quote.receivedAt, true)}</time>
              {read?.pinnedVerbatimId === quote.id && (
                <span className="pinned-badge">{t('verbatims.pinned')}</span>
              )}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
