import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { apiClient, data } from '../../api';
import { useCategories, withCurrent } from '../../components/categories';
import { Field, useLabels } from '../../components/ui';
import { Dialog } from '../irritant/Dialog';
import { highlight } from './highlight';
import { TRIAGERS, errorMessage, formatDateTime, formatNumber, mayAct, useRole } from './shared';
import type { Verbatim } from './index';

const KIND_ICONS: Record<string, string> = {
  api: '⇄',
  import: '⇪',
  email: '✉',
  chat: '💬',
  chatbot: '🤖',
  twitter: '🐦',
  forum: '🗨',
  facebook: 'ⓕ',
  instagram: '◎',
  survey: '☑',
  phone: '☎',
  other: '•',
};

/** The search's words marked in a verbatim: pieces of text in <mark>, never markup from the text. */
export function Highlighted({ text, query }: { text: string; query: string }) {
  return (
    <>
      {highlight(text, query).map((piece, index) =>
        piece.match ? <mark key={index}>{piece.text}</mark> : <span key={index}>{piece.text}</span>,
      )}
    </>
  );
}

export function VerbatimTable({
  rows,
  query,
  kindOf,
}: {
  rows: Verbatim[];
  query: string;
  kindOf: Map<string, string>;
}) {
  const { t, i18n } = useTranslation('explorer');
  const labels = useLabels();
  const mayCorrect = mayAct(useRole(), TRIAGERS);
  return (
    <div className="explorer-scroll">
      {/* Focusable: on a phone the table scrolls sideways, and a keyboard must reach it. */}
      <table className="explorer-table" tabIndex={0}>
        <caption className="sr-only">{t('tableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('columns.text')}</th>
            <th scope="col">{t('columns.source')}</th>
            <th scope="col">{t('columns.date')}</th>
            <th scope="col">{t('columns.lang')}</th>
            <th scope="col">{t('columns.sentiment')}</th>
            <th scope="col">{t('columns.category')}</th>
            <th scope="col">{t('columns.irritant')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((verbatim) => (
            <tr key={verbatim.id} data-verbatim-id={verbatim.id}>
              {/* The customer's words, in their language (not the page's): never translated. */}
              <td className="explorer-text" lang={verbatim.lang ?? undefined} translate="no">
                {/* Redacted by the API, and rendered as text: never markup. */}
                <Highlighted text={verbatim.text} query={query} />
              </td>
              <td>
                <span className="explorer-icon" aria-hidden="true">
                  {KIND_ICONS[kindOf.get(verbatim.source) ?? verbatim.channel] ?? KIND_ICONS.other}
                </span>{' '}
                {verbatim.source}
                <br />
                <small>{t(`channels.${verbatim.channel}`, { defaultValue: verbatim.channel })}</small>
              </td>
              <td>
                <time dateTime={verbatim.receivedAt}>
                  {formatDateTime(verbatim.receivedAt, i18n.language)}
                </time>
              </td>
              <td>
                {verbatim.lang ? t(`languages.${verbatim.lang}`, { defaultValue: verbatim.lang }) : '—'}
              </td>
              <td>
                {verbatim.sentimentLabel ? (
                  <span className={`explorer-sentiment explorer-sentiment-${verbatim.sentimentLabel}`}>
                    {t(`sentiments.${verbatim.sentimentLabel}`, { defaultValue: verbatim.sentimentLabel })} (
                    {formatNumber(verbatim.sentiment, i18n.language, 2)})
                  </span>
                ) : (
                  '—'
                )}
              </td>
              <td>
                {verbatim.category ? (
                  <>
                    {labels.category(verbatim.category)}
                    <br />
                    <small>
                      {t('confidence', {
                        value: formatNumber((verbatim.categoryConfidence ?? 0) * 100, i18n.language),
                      })}
                    </small>
                    {verbatim.needsTriage && <span className="explorer-badge">{t('needsTriage')}</span>}
                  </>
                ) : (
                  t('notAnalysed')
                )}
                {mayCorrect && verbatim.category && <CategoryCorrection verbatim={verbatim} />}
              </td>
              <td>
                {verbatim.irritantId ? (
                  <Link to={`/irritants/${verbatim.irritantId}`} translate="no">
                    {verbatim.irritantLabel ?? t('openIrritant')}
                  </Link>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A triager files a verbatim under the right category: a dialog, Enter saves, Escape cancels. */
function CategoryCorrection({ verbatim }: { verbatim: Verbatim }) {
  const { t, i18n } = useTranslation('explorer');
  const labels = useLabels();
  const { keys } = useCategories();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [category, setCategory] = useState(verbatim.category ?? '');
  const date = formatDateTime(verbatim.receivedAt, i18n.language);
  const save = useMutation({
    mutationFn: () =>
      data(
        apiClient.PATCH('/api/v1/verbatims/{id}/category', {
          params: { path: { id: verbatim.id } },
          body: { category },
        }),
      ),
    onSuccess: async () => {
      setOpen(false);
      await client.invalidateQueries({ queryKey: ['verbatims'] });
    },
  });
  return (
    <>
      <button
        type="button"
        className="explorer-correct"
        aria-label={t('correct.open', { date })}
        onClick={() => {
          setCategory(verbatim.category ?? '');
          setOpen(true);
        }}
      >
        {t('correct.button')}
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title={t('correct.title', { date })}>
        <form
          className="modal-form"
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate();
          }}
        >
          <Field label={t('correct.category')}>
            <select value={category} data-autofocus onChange={(event) => setCategory(event.target.value)}>
              {withCurrent(keys, verbatim.category).map((key) => (
                <option key={key} value={key}>
                  {labels.category(key)}
                </option>
              ))}
            </select>
          </Field>
          {save.isError && (
            <p role="alert" className="explorer-error">
              {t('error', { message: errorMessage(save.error) })}
            </p>
          )}
          <div className="form-actions">
            <button type="submit" disabled={save.isPending || category === verbatim.category}>
              {t('correct.save')}
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              {t('correct.cancel')}
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
