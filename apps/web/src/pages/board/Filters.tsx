import type { SetURLSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCategories, withCurrent } from '../../components/categories';
import { AXES, CHANNELS, Field, TERMINALS, useLabels } from '../../components/ui';
import type { paths } from '../../api/schema';

export const FILTERS = ['category', 'axis', 'above', 'channel', 'terminal'] as const;
export type Filters = Partial<Record<(typeof FILTERS)[number], string>>;
/** The board's query as the API types it (the filters come from the URL: the API checks them). */
export type BoardQuery = NonNullable<paths['/api/v1/boards/{isoWeek}']['get']['parameters']['query']>;

export function filtersOf(params: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const name of FILTERS) {
    const value = params.get(name);
    if (value) filters[name] = value;
  }
  // The API takes `above` only with an axis, and an axis only with a threshold.
  if (!filters.axis || !filters.above) {
    delete filters.axis;
    delete filters.above;
  }
  return filters;
}

/**
 * The board's filters, kept in the URL (a shared link shows the same board): the categories are
 * the taxonomy in force, the other choices the API's own vocabularies.
 */
export function BoardFilters({
  params,
  setParams,
}: {
  params: URLSearchParams;
  setParams: SetURLSearchParams;
}) {
  const { t } = useTranslation('board');
  const labels = useLabels();
  const categories = useCategories();
  const setFilter = (name: (typeof FILTERS)[number], value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  return (
    <form className="filters" aria-label={t('filters.label')} onSubmit={(event) => event.preventDefault()}>
      <Field label={t('filters.category')}>
        <select
          value={params.get('category') ?? ''}
          onChange={(event) => setFilter('category', event.target.value)}
        >
          <option value="">{t('filters.all')}</option>
          {withCurrent(categories.keys, params.get('category')).map((key) => (
            <option key={key} value={key}>
              {labels.category(key)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('filters.axis')}>
        <select value={params.get('axis') ?? ''} onChange={(event) => setFilter('axis', event.target.value)}>
          <option value="">{t('filters.anyAxis')}</option>
          {AXES.map((axis) => (
            <option key={axis} value={axis}>
              {labels.axis(axis)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('filters.above')}>
        <input
          type="number"
          min={0}
          max={100}
          step={5}
          inputMode="numeric"
          value={params.get('above') ?? ''}
          onChange={(event) => setFilter('above', event.target.value)}
        />
      </Field>
      <Field label={t('filters.channel')}>
        <select
          value={params.get('channel') ?? ''}
          onChange={(event) => setFilter('channel', event.target.value)}
        >
          <option value="">{t('filters.all')}</option>
          {CHANNELS.map((key) => (
            <option key={key} value={key}>
              {labels.channel(key)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('filters.terminal')}>
        <select
          value={params.get('terminal') ?? ''}
          onChange={(event) => setFilter('terminal', event.target.value)}
        >
          <option value="">{t('filters.all')}</option>
          {TERMINALS.map((key) => (
            <option key={key} value={key}>
              {labels.terminal(key)}
            </option>
          ))}
        </select>
      </Field>
      {params.toString() !== '' && (
        <button
          type="button"
          className="button-quiet"
          onClick={() => setParams(new URLSearchParams(), { replace: true })}
        >
          {t('filters.clear')}
        </button>
      )}
    </form>
  );
}
