import { useEffect, useEffectEvent, useId, useMemo, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiClient, data } from '../../api';
import { useCategories } from '../../components/categories';
import { useLabels } from '../../components/ui';
import type { Verbatim } from '../explorer';
import { TRIAGERS, errorMessage, formatNumber, mayAct, useRole } from '../explorer/shared';
import { Detail, Shortcuts } from './Detail';
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
  const labels = useLabels();
  // The taxonomy in force (an admin may have added categories): digits pick in its order.
  const categories = useCategories();
  const keys = categories.keys;
  const ids = useId();
  const role = useRole();
  const allowed = mayAct(role, TRIAGERS);
  const queryClient = useQueryClient();
  const queueRef = useRef<HTMLUListElement>(null);
  const typeaheadRef = useRef<HTMLInputElement>(null);
  const digits = useRef({ text: '', at: 0 });

  const pending = useQuery({
    queryKey: ['triage', 'queue'],
    queryFn: () =>
      data(apiClient.GET('/api/v1/verbatims', { params: { query: { needsTriage: 'true', limit: BATCH } } })),
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
  const label = (key: string) => (key ? labels.category(key) : '—');
  const chosen = current ? (choices[current.id] ?? current.category ?? keys[0] ?? null) : null;

  const matches = useMemo(() => {
    const wanted = typeahead.trim().toLocaleLowerCase(i18n.language);
    if (!wanted) return [];
    return keys.filter((key) => {
      const text = `${labels.category(key)} ${key.replace(/_/g, ' ')}`;
      return text.toLocaleLowerCase(i18n.language).includes(wanted);
    });
  }, [typeahead, keys, labels, i18n.language]);

  const correct = useMutation({
    mutationFn: ({ id, category }: { id: string; category: string }) =>
      data(
        apiClient.PATCH('/api/v1/verbatims/{id}/category', { params: { path: { id } }, body: { category } }),
      ),
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
    const pick = number >= 1 && number <= keys.length ? number : Number(key) >= 1 ? Number(key) : null;
    digits.current = { text: pick === number ? typed : key, at: now };
    if (pick !== null && pick <= keys.length) choose(keys[pick - 1]);
  };

  const onTypeahead = (text: string) => {
    setTypeahead(text);
    const wanted = text.trim().toLocaleLowerCase(i18n.language);
    if (!wanted) return;
    const first = keys.find((key) =>
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
        const at = chosen ? matches.indexOf(chosen) : -1;
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

  // The queue takes the focus as soon as it shows (with the categories its keys pick among), so
  // that the keys work without a click first.
  const ready = queue.length > 0 && keys.length > 0;
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

  const loadError = pending.error ?? categories.query.error;
  return (
    <section className="triage" aria-labelledby={`${ids}-title`}>
      <h1 id={`${ids}-title`}>{t('title')}</h1>
      <p>{t('intro')}</p>
      <Shortcuts id={`${ids}-keys`} categories={keys.length} />
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
      {(pending.isPending || categories.query.isPending) && !loadError && <p role="status">{t('loading')}</p>}
      {loadError && (
        <p className="triage-error" role="alert">
          {t('loadFailed', { message: errorMessage(loadError) })}
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
      {ready && current && chosen && (
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
          <Detail
            id={ids}
            verbatim={current}
            position={{ n: index + 1, total: queue.length }}
            keys={keys}
            chosen={chosen}
            matches={matches}
            typeahead={typeahead}
            typeaheadRef={typeaheadRef}
            onTypeahead={onTypeahead}
            label={label}
            onChoose={choose}
            onConfirm={confirm}
            onSkip={skip}
            confirmDisabled={!allowed || correct.isPending}
            saving={correct.isPending}
          />
        </div>
      )}
    </section>
  );
}
