import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field, useLabels } from '../../components/ui';
import { useIrritantOptions } from './hooks';

/** Search then pick an irritant (merge, move): a text filter over the list, and a native select. */
export function IrritantPicker({
  excludeId,
  value,
  onChange,
  label,
  autoFocus = false,
}: {
  excludeId: string;
  value: string;
  onChange: (id: string) => void;
  label: string;
  /** Opens focused on its search field (in a dialog). */
  autoFocus?: boolean;
}) {
  const { t } = useTranslation('irritant');
  const labels = useLabels();
  const [search, setSearch] = useState('');
  const options = useIrritantOptions();
  const needle = search.trim().toLowerCase();
  const shown = (options.data ?? []).filter(
    (option) =>
      option.id !== excludeId &&
      (needle === '' ||
        option.label.toLowerCase().includes(needle) ||
        labels.category(option.category).toLowerCase().includes(needle)),
  );
  useEffect(() => {
    // Typing narrows the list: the first match is picked, so Enter acts on what is visible.
    if (shown.length > 0 && !shown.some((option) => option.id === value)) onChange(shown[0].id);
    if (shown.length === 0 && value !== '') onChange('');
  }, [shown, value, onChange]);
  return (
    <div className="picker">
      <Field label={t('picker.search')}>
        <input
          type="search"
          data-autofocus={autoFocus || undefined}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
      </Field>
      <Field label={label}>
        <select
          value={value}
          onChange={(event) => onChange(event.target.value)}
          disabled={shown.length === 0}
        >
          {shown.length === 0 && <option value="">{t('picker.none')}</option>}
          {shown.map((option) => (
            // An irritant's name is made of customer words: not the UI's to translate.
            <option key={option.id} value={option.id} translate="no">
              {option.label} · {labels.category(option.category)} ({option.verbatimCount})
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}
