import { useEffect, useEffectEvent, useId, useMemo, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api';
import type { Verbatim, VerbatimPage } from '../explorer';
import {
  CATEGORY_KEYS,
  TRIAGERS,
  errorMessage,
  formatDateTime,
  formatNumber,
  mayAct,
  useRole,
} from '../explorer/shared';
import './triage.css';

const BATCH = 100;

/** What the key handler reads: both React's and the DOM's keyboard events have it. */
interface KeyPress {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  target: EventTarget | null;
  preventDefault(): void;
}
/** Two digits typed within this window make one number ("1" then "2" picks the 12th category). */
const DIGIT_WINDOW_MS = 900;

/**
 * The classifier's unsure guesses, corrected with the keyboard: the queue keeps the focus; j/k or
 * the arrows move in it, a digit or the type-ahead picks the category, Enter confirms (which trains
 * the next model), s skips. Every outcome is announced through a live region.
 */
export default function TriagePage() {
  const { t, i18n } = useTranslation(['triage', 'explorer']);
  const ids = useId();
  const role = useRole();
  const allowed = mayAct(role, TRIAGERS);
  const queryClient = useQueryClient();
  const queueRef = useRef<HTMLUListElement>(null);
  const typeaheadRef = useRef<HTMLInputElement>(null);
  const digits = useRef({ text: '', at: 0 });

  const pending = useQuery({
    queryKey: ['triage', 'queue'],
    queryFn: () => api.get<VerbatimPage>('/api/v1/verbatims', { needsTriage: 'true', limit: BATCH }),
    // The queue must not reorder under the person's hands: refreshed on demand only.
    refetchOnWindowFocus: false,
    staleTime: Infinity,
  });
  const [done, setDone] = useState<ReadonlySet<string>>(new Set());
  const [skipped, setSkipped] = useState<ReadonlySet<string>>(new Set());
  const [position, setPosition] = useState(0);
  const [choices, setChoices] = useState<Record<string, string>>({});
  const [typeahead, setTypeahead] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const [failure, setFailure] = useState<string | null>(null);

  const queue = useMemo(
    () => (pending.data?.items ?? []).filter((verbatim) => !done.has(verbatim.id)),
    [pending.data, done],
  );
  const index = Math.min(position, Math.max(queue.length - 1, 0));
  const current: Verbatim | undefined = queue[index];
  const optionId = (id: string) => `${ids}-item-${id}`;
  const label = (key: string) => t(`explorer:categories.${key}`, { defaultValue: key });
  const chosen = current ? (choices[current.id] ?? current.category ?? CATEGORY_KEYS[0]) : null;

  const matches = useMemo(() => {
    const wanted = typeahead.trim().toLocaleLowerCase(i18n.language);
    if (!wanted) return [];
    return CATEGORY_KEYS.filter((key) => {
      const text = `${t(`explorer:categories.${key}`)} ${key.replace(/_/g, ' ')}`;
      return text.toLocaleLowerCase(i18n.language).includes(wanted);
    });
  }, [typeahead, t, i18n.language]);

  const correct = useMutation({
    mutationFn: ({ id, category }: { id: string; category: string }) =>
      api.patch<Verbatim>(`/api/v1/verbatims/${id}/category`, { category }),
    onSuccess: (saved, { category }) => {
      setDone((before) => new Set(before).add(saved.id));
      setFailure(null);
      setTypeahead('');
      setAnnouncement(t('saved', { category: label(category) }));
      void queryClient.invalidateQueries({ queryKey: ['verbatims'] });
      queueRef.current?.focus();
    },
    onError: (error) => {
      const message = errorMessage(error);
      setFailure(message);
      setAnnouncement(t('failed', { message }));
    },
  });

  const choose = (category: string, announce = true) => {
    if (!current) return;
    setChoices((before) => ({ ...before, [current.id]: category }));
    if (announce) setAnnouncement(t('chosen', { category: label(category) }));
  };

  const move = (step: number) => {
    if (queue.length === 0) return;
    const next = index + step;
    if (next < 0 || next >= queue.length) {
      setAnnouncement(t(next < 0 ? 'startOfQueue' : 'endOfQueue'));
      return;
    }
    setPosition(next);
    setTypeahead('');
    const verbatim = queue[next];
    setAnnouncement(
      t('position', {
        n: next + 1,
        total: queue.length,
        category: label(choices[verbatim.id] ?? verbatim.category ?? ''),
      }),
    );
  };

  const confirm = () => {
    if (!current || !chosen || correct.isPending) return;
    if (!allowed) {
      setAnnouncement(t('notAllowed'));
      return;
    }
    correct.mutate({ id: current.id, category: chosen });
  };

  const skip = () => {
    if (!current) return;
    setSkipped((before) => new Set(before).add(current.id));
    if (index + 1 < queue.length) move(1);
    else setAnnouncement(t('skippedLast'));
  };

  const digit = (key: string) => {
    const now = Date.now();
    const typed = now - digits.current.at < DIGIT_WINDOW_MS ? digits.current.text + key : key;
    const number = Number(typed);
    const pick =
      number >= 1 && number <= CATEGORY_KEYS.length ? number : Number(key) >= 1 ? Number(key) : null;
    digits.current = { text: pick === number ? typed : key, at: now };
    if (pick !== null) choose(CATEGORY_KEYS[pick - 1]);
  };

  const onTypeahead = (text: string) => {
    setTypeahead(text);
    const wanted = text.trim().toLocaleLowerCase(i18n.language);
    if (!wanted) return;
    const first = CATEGORY_KEYS.find((key) =>
      `${label(key)} ${key.replace(/_/g, ' ')}`.toLocaleLowerCase(i18n.language).includes(wanted),
    );
    if (first) choose(first, false);
  };

  /** Whether the key was one of the page's shortcuts (then it is handled and not passed on). */
  const onKeyDown = (event: KeyPress): boolean => {
    if (event.altKey || event.ctrlKey || event.metaKey) return false;
    const target = event.target as HTMLElement;
    if (target === typeaheadRef.current) {
      if (event.key === 'Enter') {
        event.preventDefault();
        confirm();
      } else if (event.key === 'Escape') {
        event.preventDefault();
        setTypeahead('');
        queueRef.current?.focus();
      } else if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && matches.length > 0) {
        event.preventDefault();
        const at = chosen ? matches.indexOf(chosen as (typeof CATEGORY_KEYS)[number]) : -1;
        const step = event.key === 'ArrowDown' ? 1 : -1;
        choose(matches[(at + step + matches.length) % matches.length]);
      } else return false;
      return true;
    }
    const onControl = target.tagName === 'BUTTON' || target.tagName === 'A';
    const onRadio = target instanceof HTMLInputElement && target.type === 'radio';
    const key = event.key;
    if (key === 'j' || (key === 'ArrowDown' && !onRadio)) move(1);
    else if (key === 'k' || (key === 'ArrowUp' && !onRadio)) move(-1);
    else if (/^[0-9]$/.test(key)) digit(key);
    else if (key === 's') skip();
    else if (key === '/') typeaheadRef.current?.focus();
    else if (key === 'Enter' && !onControl) confirm();
    else return false;
    event.preventDefault();
    return true;
  };

  // The queue takes the focus as soon as it shows, so that the keys work without a click first.
  const ready = queue.length > 0;
  useEffect(() => {
    if (ready) queueRef.current?.focus();
  }, [ready]);

  // The current verbatim stays in view as j/k walk a long queue.
  const currentId = current?.id;
  useEffect(() => {
    if (currentId) document.getElementById(`${ids}-item-${currentId}`)?.scrollIntoView({ block: 'nearest' });
  }, [ids, currentId]);

  // A click on plain text sends the focus to the page body: the shortcuts still work from there.
  const onBodyKey = useEffectEvent((event: KeyboardEvent) => {
    if (
      event.target === document.body &&
      queue.length > 0 &&
      onKeyDown(event) &&
      document.activeElement === document.body
    )
      queueRef.current?.focus();
  });
  useEffect(() => {
    document.addEventListener('keydown', onBodyKey);
    return () => document.removeEventListener('keydown', onBodyKey);
  }, []);

  return (
    <section className="triage" aria-labelledby={`${ids}-title`}>
      <h1 id={`${ids}-title`}>{t('title')}</h1>
      <p>{t('intro')}</p>
      <div id={`${ids}-keys`} className="triage-keys">
        <h2>{t('shortcuts')}</h2>
        <ul>
          <li>
            <kbd>j</kbd> / <kbd>↓</kbd> {t('keys.next')}
          </li>
          <li>
            <kbd>k</kbd> / <kbd>↑</kbd> {t('keys.previous')}
          </li>
          <li>
            <kbd>1</kbd>…<kbd>{CATEGORY_KEYS.length}</kbd> {t('keys.digits')}
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
      {!allowed && (
        <p className="triage-warning" role="note">
          {t('readOnly', { role })}
        </p>
      )}
      <p className="triage-live" role="status" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
      {failure && (
        <p className="triage-error" role="alert">
          {t('failed', { message: failure })}
        </p>
      )}
      {pending.isPending && <p role="status">{t('loading')}</p>}
      {pending.isError && (
        <p className="triage-error" role="alert">
          {t('loadFailed', { message: errorMessage(pending.error) })}
        </p>
      )}
      {pending.isSuccess && queue.length === 0 && (
        <div className="triage-empty">
          <p>{t('empty')}</p>
          <button type="button" onClick={() => void pending.refetch()} disabled={pending.isFetching}>
            {t('refresh')}
          </button>
        </div>
      )}
      {queue.length > 0 && current && chosen && (
        <div className="triage-workspace" onKeyDown={(event) => void onKeyDown(event)}>
          <ul
            ref={queueRef}
            className="triage-queue"
            role="listbox"
            tabIndex={0}
            aria-label={t('queue', { count: queue.length })}
            aria-activedescendant={optionId(current.id)}
            aria-describedby={`${ids}-keys`}
          >
            {queue.map((verbatim, at) => (
              <li
                key={verbatim.id}
                id={optionId(verbatim.id)}
                role="option"
                aria-selected={at === index}
                className={`triage-item${at === index ? ' triage-item-current' : ''}${skipped.has(verbatim.id) ? ' triage-item-skipped' : ''}`}
                onClick={() => setPosition(at)}
              >
                <span className="triage-item-text" lang={verbatim.lang ?? undefined} translate="no">
                  {verbatim.text}
                </span>
                <span className="triage-item-guess">
                  {label(verbatim.category ?? '')} ·{' '}
                  {formatNumber((verbatim.categoryConfidence ?? 0) * 100, i18n.language)} %
                  {skipped.has(verbatim.id) && ` · ${t('skipped')}`}
                </span>
              </li>
            ))}
          </ul>

          <div className="triage-detail" aria-labelledby={`${ids}-current`}>
            <h2 id={`${ids}-current`}>{t('current', { n: index + 1, total: queue.length })}</h2>
            <blockquote className="triage-text" lang={current.lang ?? undefined} translate="no">
              {current.text}
            </blockquote>
            <p className="triage-facts">
              {current.source} ·{' '}
              {t(`explorer:channels.${current.channel}`, { defaultValue: current.channel })} ·{' '}
              <time dateTime={current.receivedAt}>{formatDateTime(current.receivedAt, i18n.language)}</time>
              {current.lang &&
                ` · ${t(`explorer:languages.${current.lang}`, { defaultValue: current.lang })}`}
              {current.irritantId && (
                <>
                  {' · '}
                  <Link to={`/irritants/${current.irritantId}`}>{t('explorer:openIrritant')}</Link>
                </>
              )}
            </p>
            <p>
              {t('guess', {
                category: label(current.category ?? ''),
                confidence: formatNumber((current.categoryConfidence ?? 0) * 100, i18n.language),
              })}
            </p>
            <div className="triage-typeahead">
              <label htmlFor={`${ids}-typeahead`}>{t('typeahead')}</label>
              <input
                ref={typeaheadRef}
                id={`${ids}-typeahead`}
                type="text"
                autoComplete="off"
                value={typeahead}
                onChange={(event) => onTypeahead(event.target.value)}
                aria-describedby={`${ids}-matches`}
              />
              <small id={`${ids}-matches`}>
                {typeahead.trim() ? t('matches', { count: matches.length }) : t('typeaheadHint')}
              </small>
            </div>
            <fieldset className="triage-categories">
              <legend>{t('category')}</legend>
              {CATEGORY_KEYS.map((key, at) => (
                <label
                  key={key}
                  className={`triage-category${key === chosen ? ' triage-category-chosen' : ''}${
                    typeahead.trim() && !matches.includes(key) ? ' triage-category-dimmed' : ''
                  }`}
                >
                  <input
                    type="radio"
                    name={`${ids}-category`}
                    value={key}
                    checked={key === chosen}
                    onChange={() => choose(key)}
                  />
                  <kbd aria-hidden="true">{at + 1}</kbd> {label(key)}
                </label>
              ))}
            </fieldset>
            <div className="triage-buttons">
              <button type="button" onClick={confirm} disabled={!allowed || correct.isPending}>
                {correct.isPending ? t('saving') : t('confirm', { category: label(chosen) })}
              </button>
              <button type="button" onClick={skip}>
                {t('skip')}
              </button>
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
