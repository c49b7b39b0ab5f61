import { type FormEvent, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useAuth } from '../../components/auth';
import { errorText } from '../../components/ui';
import type { Irritant } from './types';

/** A triager names the irritant: the name wins over the generated title everywhere; clearing it gives the title back. */
export function RenameIrritant({ irritant }: { irritant: Irritant }) {
  const { t } = useTranslation('irritant');
  const { mayTriage } = useAuth();
  const client = useQueryClient();
  const [name, setName] = useState(irritant.name ?? '');
  const save = useMutation({
    mutationFn: (next: string | null) =>
      api.patch<Irritant>(`/api/v1/irritants/${irritant.id}`, { name: next }),
    onSuccess: async (renamed) => {
      setName(renamed.name ?? '');
      await client.invalidateQueries();
    },
  });
  if (!mayTriage) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(name.trim());
  };
  return (
    <details className="override">
      <summary>{t('title.rename')}</summary>
      <form onSubmit={submit} className="override-form">
        <label className="grow">
          {t('title.name')}
          <input required maxLength={200} value={name} onChange={(event) => setName(event.target.value)} />
        </label>
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={save.isPending || name.trim() === ''}>
            {t('title.save')}
          </button>
          {irritant.name && (
            <button type="button" disabled={save.isPending} onClick={() => save.mutate(null)}>
              {t('title.reset')}
            </button>
          )}
        </div>
        {save.isError && (
          <p role="alert" className="error-note">
            {errorText(save.error)}
          </p>
        )}
      </form>
    </details>
  );
}
