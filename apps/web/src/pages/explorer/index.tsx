import { type FormEvent, useId, useMemo, useRef, useState } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { type Schemas, apiClient, data } from '../../api';
import type { paths } from '../../api/schema';
import { useCategories, withCurrent } from '../../components/categories';
import { useLabels } from '../../components/ui';
import { type DayPart, dayPlaceholder, formatDay, parseDay } from './dates';
import { CHANNELS, errorMessage } from './shared';
import { VerbatimTable } from './VerbatimTable';
import './explorer.css';

export type Verbatim = Schemas['VerbatimView'];
type VerbatimQuery = NonNullable<paths['/api/v1/verbatims']['get']['parameters']['query']>;

/** The filters the URL keeps, by their query-string names. */
const FILTERS = ['q', 'source', 'channel', 'category', 'lang', 'from', 'to', 'needsTriage'] as const;
/** The languages the analysis reads (the language filter's choices). */
const LANGUAGES = ['fr', 'en'] as const;
type Filter = (typeof FILTERS)[number];
/** The filters typed as days, in the UI language's order; the URL keeps them as ISO days. */
const DAYS = ['from', 'to'] as const;
type DayFilter = (typeof DAYS)[number];
const PAGE_SIZE = 50;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A day picked in the browser is a local day: from its first instant to the next day's. */
function dayStart(day: string, offsetDays = 0): string | undefined {
  if (!DATE.test(day)) return undefined;
  const [year, month, date] = day.split('-').map(Number);
  const start = new Date(year, month - 1, date + offsetDays);
  return Number.isNaN(start.getTime()) ? undefined : start.toISOString();
}

export default function ExplorerPage() {
  const { t, i18n } = useTranslation('explorer');
  const language = i18n.resolvedLanguage ?? 'en';
  const [params, setParams] = useSearchParams();
  const formId = useId();
  // A day filter that is no day: the search waits, the field says so and has the focus.
  const [badDay, setBadDay] = useState<DayFilter | null>(null);
  const dayFields = useRef<Partial<Record<DayFilter, HTMLInputElement | null>>>({});
  const letters = t('dayLetters', { returnObjects: true }) as Record<DayPart, string>;
  const dayFormat = dayPlaceholder(language, letters);
  const filters = useMemo(() => {
    const values = {} as Record<Filter, string>;
    for (const name of FILTERS) values[name] = params.get(name) ?? '';
    return values;
  }, [params]);

  const sources = useQuery({
    queryKey: ['sources'],
    queryFn: () => data(apiClient.GET('/api/v1/sources')),
  });
  const categories = useCategories();
  const labels = useLabels();
  // One keyed list, the URL's source included before the list arrives: the option chosen stays the
  // same DOM node when the others come, so the uncontrolled select keeps its value.
  const sourceNames = useMemo(
    () =>
      [
        ...new Set([...(filters.source ? [filters.source] : []), ...(sources.data ?? []).map((s) => s.name)]),
      ].sort(),
    [filters.source, sources.data],
  );
  const kindOf = useMemo(
    () => new Map((sources.data ?? []).map((source) => [source.name, source.kind])),
    [sources.data],
  );

  // Empty filters are left out: the API reads `?q=` as a search for nothing.
  const query: VerbatimQuery = {
    q: filters.q || undefined,
    source: filters.source || undefined,
    channel: (filters.channel || undefined) as VerbatimQuery['channel'],
    category: filters.category || undefined,
    lang: filters.lang || undefined,
    needsTriage: filters.needsTriage === 'true' ? 'true' : undefined,
    from: dayStart(filters.from),
    to: dayStart(filters.to, 1),
    limit: PAGE_SIZE,
  };
  const verbatims = useInfiniteQuery({
    queryKey: ['verbatims', query],
    queryFn: ({ pageParam }) =>
      data(apiClient.GET('/api/v1/verbatims', { params: { query: { ...query, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const rows = verbatims.data?.pages.flatMap((page) => page.items) ?? [];

  /** The form is read on submit: one request per search, not one per keystroke. */
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const name of FILTERS) {
      const entry = data.get(name);
      let value = typeof entry === 'string' ? entry.trim() : '';
      if (value !== '' && (name === 'from' || name === 'to')) {
        const day = parseDay(value, language);
        if (day === null) {
          setBadDay(name);
          dayFields.current[name]?.focus();
          return;
        }
        value = day;
      }
      if (value !== '') next.set(name, value);
    }
    setBadDay(null);
    setParams(next);
  };

  const field = (name: Filter) => `${formId}-${name}`;

  return (
    <section className="explorer" aria-labelledby={`${formId}-title`}>
      <h1 id={`${formId}-title`}>{t('title')}</h1>
      <form
        className="explorer-filters"
        role="search"
        aria-label={t('filters')}
        onSubmit={onSubmit}
        // The URL is the truth: a new URL (back button, shared link) resets the inputs to it, and
        // another language writes its days again in its own order.
        key={`${params.toString()} ${language}`}
      >
        <div className="explorer-field explorer-field-wide">
          <label htmlFor={field('q')}>{t('search')}</label>
          <input
            id={field('q')}
            name="q"
            type="search"
            maxLength={200}
            defaultValue={filters.q}
            placeholder={t('searchPlaceholder')}
            aria-describedby={`${field('q')}-hint`}
          />
          <small id={`${field('q')}-hint`}>{t('searchHint')}</small>
        </div>
        <div className="explorer-field">
          <label htmlFor={field('source')}>{t('source')}</label>
          <select id={field('source')} name="source" defaultValue={filters.source}>
            <option value="">{t('any')}</option>
            {sourceNames.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div className="explorer-field">
          <label htmlFor={field('channel')}>{t('channel')}</label>
          <select id={field('channel')} name="channel" defaultValue={filters.channel}>
            <option value="">{t('any')}</option>
            {CHANNELS.map((channel) => (
              <option key={channel} value={channel}>
                {t(`channels.${channel}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="explorer-field">
          <label htmlFor={field('category')}>{t('category')}</label>
          <select id={field('category')} name="category" defaultValue={filters.category}>
            <option value="">{t('any')}</option>
            {withCurrent(categories.keys, filters.category).map((key) => (
              <option key={key} value={key}>
                {labels.category(key)}
              </option>
            ))}
          </select>
        </div>
        <div className="explorer-field">
          <label htmlFor={field('lang')}>{t('language')}</label>
          <select id={field('lang')} name="lang" defaultValue={filters.lang}>
            <option value="">{t('any')}</option>
            {LANGUAGES.map((lang) => (
              <option key={lang} value={lang}>
                {t(`languages.${lang}`)}
              </option>
            ))}
          </select>
        </div>
        {DAYS.map((name) => (
          <div className="explorer-field" key={name}>
            <label htmlFor={field(name)}>
              {t(name)} <span className="explorer-format">({dayFormat})</span>
            </label>
            {/* Text, not type="date": the browser would write the day in its own locale's order. */}
            <input
              id={field(name)}
              ref={(element) => {
                dayFields.current[name] = element;
              }}
              name={name}
              type="text"
              className="explorer-day"
              autoComplete="off"
              spellCheck={false}
              maxLength={10}
              placeholder={dayFormat}
              defaultValue={formatDay(filters[name], language)}
              aria-invalid={badDay === name || undefined}
              aria-describedby={badDay === name ? `${field(name)}-error` : undefined}
              onChange={() => {
                if (badDay === name) setBadDay(null);
              }}
            />
            {badDay === name && (
              <small id={`${field(name)}-error`} className="explorer-error" role="alert">
                {t('badDay', { format: dayFormat })}
              </small>
            )}
          </div>
        ))}
        <div className="explorer-field explorer-check">
          <input
            id={field('needsTriage')}
            name="needsTriage"
            type="checkbox"
            value="true"
            defaultChecked={filters.needsTriage === 'true'}
          />
          <label htmlFor={field('needsTriage')}>{t('needsTriageOnly')}</label>
        </div>
        <div className="explorer-actions">
          <button type="submit">{t('apply')}</button>
          <button
            type="button"
            onClick={() => {
              setBadDay(null);
              setParams(new URLSearchParams());
            }}
          >
            {t('clear')}
          </button>
        </div>
      </form>

      <p className="explorer-status" role="status" aria-live="polite">
        {verbatims.isPending
          ? t('loading')
          : verbatims.isError && !verbatims.isFetchNextPageError
            ? ''
            : t('shown', { count: rows.length, more: verbatims.hasNextPage ? t('moreAvailable') : '' })}
      </p>
      {verbatims.isError && !verbatims.isFetchNextPageError && (
        <p className="explorer-error" role="alert">
          {t('error', { message: errorMessage(verbatims.error) })}
        </p>
      )}
      {!verbatims.isPending && !verbatims.isError && rows.length === 0 && (
        <p className="explorer-empty">{t('empty')}</p>
      )}

      {rows.length > 0 && <VerbatimTable rows={rows} query={filters.q} kindOf={kindOf} />}
      {verbatims.hasNextPage && (
        <button
          type="button"
          className="explorer-more"
          onClick={() => void verbatims.fetchNextPage()}
          disabled={verbatims.isFetchingNextPage}
        >
          {verbatims.isFetchingNextPage ? t('loading') : t('loadMore')}
        </button>
      )}
      {verbatims.isFetchNextPageError && (
        <p className="explorer-error" role="alert">
          {t('error', { message: errorMessage(verbatims.error) })}
        </p>
      )}
    </section>
  );
}
