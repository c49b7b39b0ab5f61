import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Verbatim } from '../explorer';
import { formatDateTime, formatNumber } from '../explorer/shared';

/** The page's keys, said once; the queue points at it (aria-describedby). */
export function Shortcuts({ id, categories }: { id: string; categories: number }) {
  const { t } = useTranslation('triage');
  return (
    <div id={id} className="triage-keys">
      <h2>{t('shortcuts')}</h2>
      <ul>
        <li>
          <kbd>j</kbd> / <kbd>↓</kbd> {t('keys.next')}
        </li>
        <li>
          <kbd>k</kbd> / <kbd>↑</kbd> {t('keys.previous')}
        </li>
        <li>
          <kbd>1</kbd>…<kbd>{categories}</kbd> {t('keys.digits')}
        </li>
        <li>
          <kbd>/</kbd> {t('keys.typeahead')}
        </li>
        <li>
          <kbd>Enter</kbd> {t('keys.confirm')}
        </li>
        <li>
          <kbd>s</kbd> {t('keys.skip')}
        </li>
      </ul>
    </div>
  );
}

/**
 * The verbatim being triaged: its words and facts, the classifier's guess, the type-ahead and the
 * categories (numbered as the digits pick them), then Confirm and Skip. The page owns the state and
 * the keys; this only shows them.
 */
export function Detail({
  id,
  verbatim,
  position,
  keys,
  chosen,
  matches,
  typeahead,
  typeaheadRef,
  onTypeahead,
  label,
  onChoose,
  onConfirm,
  onSkip,
  confirmDisabled,
  saving,
}: {
  id: string;
  verbatim: Verbatim;
  position: { n: number; total: number };
  keys: readonly string[];
  chosen: string;
  matches: readonly string[];
  typeahead: string;
  typeaheadRef: RefObject<HTMLInputElement | null>;
  onTypeahead: (text: string) => void;
  label: (key: string) => string;
  onChoose: (key: string) => void;
  onConfirm: () => void;
  onSkip: () => void;
  confirmDisabled: boolean;
  saving: boolean;
}) {
  const { t, i18n } = useTranslation(['triage', 'explorer']);
  return (
    <div className="triage-detail" aria-labelledby={`${id}-current`}>
      <h2 id={`${id}-current`}>{t('current', position)}</h2>
      <blockquote className="triage-text" lang={verbatim.lang ?? undefined} translate="no">
        {verbatim.text}
      </blockquote>
      <p className="triage-facts">
        {verbatim.source} · {t(`explorer:channels.${verbatim.channel}`, { defaultValue: verbatim.channel })} ·{' '}
        <time dateTime={verbatim.receivedAt}>{formatDateTime(verbatim.receivedAt, i18n.language)}</time>
        {verbatim.lang && ` · ${t(`explorer:languages.${verbatim.lang}`, { defaultValue: verbatim.lang })}`}
        {verbatim.irritantId && (
          <>
            {' · '}
            <Link to={`/irritants/${verbatim.irritantId}`}>{t('explorer:openIrritant')}</Link>
          </>
        )}
      </p>
      <p>
        {t('guess', {
          category: label(verbatim.category ?? ''),
          confidence: formatNumber((verbatim.categoryConfidence ?? 0) * 100, i18n.language),
        })}
      </p>
      <div className="triage-typeahead">
        <label htmlFor={`${id}-typeahead`}>{t('typeahead')}</label>
        <input
          ref={typeaheadRef}
          id={`${id}-typeahead`}
          type="text"
          autoComplete="off"
          value={typeahead}
          onChange={(event) => onTypeahead(event.target.value)}
          aria-describedby={`${id}-matches`}
        />
        <small id={`${id}-matches`}>
          {typeahead.trim() ? t('matches', { count: matches.length }) : t('typeaheadHint')}
        </small>
      </div>
      <fieldset className="triage-categories">
        <legend>{t('category')}</legend>
        {keys.map((key, at) => (
          <label
            key={key}
            className={`triage-category${key === chosen ? ' triage-category-chosen' : ''}${
              typeahead.trim() && !matches.includes(key) ? ' triage-category-dimmed' : ''
            }`}
          >
            <input
              type="radio"
              name={`${id}-category`}
              value={key}
              checked={key === chosen}
              onChange={() => onChoose(key)}
            />
            <kbd aria-hidden="true">{at + 1}</kbd> {label(key)}
          </label>
        ))}
      </fieldset>
      <div className="triage-buttons">
        <button type="button" onClick={onConfirm} disabled={confirmDisabled}>
          {saving ? t('saving') : t('confirm', { category: label(chosen) })}
        </button>
        <button type="button" onClick={onSkip}>
          {t('skip')}
        </button>
      </div>
    </div>
  );
}
