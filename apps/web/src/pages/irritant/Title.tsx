import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type Schemas, apiClient, data } from '../../api';
import { useAuth } from '../../components/auth';
import { Field, errorText } from '../../components/ui';
import { Dialog } from './Dialog';
import { useRefreshAfterTriage } from './hooks';

/**
 * The irritant's title; a triager renames it (PATCH /irritants/{id} {name}) or gives it back its
 * generated title. The control shows once the API says what the team named it (`name` in the
 * irritant's read): an API without renaming shows the title alone.
 */
export function Title({ irritant }: { irritant: Schemas['IrritantDetail'] }) {
  const { t } = useTranslation('irritant');
  const { mayTriage } = useAuth();
  const refresh = useRefreshAfterTriage(irritant.id);
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState('');
  const renamable = mayTriage && irritant.name !== undefined;
  const rename = useMutation({
    mutationFn: (name: string | null) =>
      data(
        apiClient.PATCH('/api/v1/irritants/{id}', { params: { path: { id: irritant.id } }, body: { name } }),
      ),
    onSuccess: async () => {
      setOpen(false);
      await refresh();
    },
  });
  return (
    <div className="title-row">
      <h1 id="irritant-title" translate="no">
        {irritant.label}
      </h1>
      {renamable && (
        <>
          <button
            type="button"
            className="button-small"
            onClick={() => {
              setDraft(irritant.name ?? irritant.label);
              rename.reset();
              setOpen(true);
            }}
          >
            {t('meeting.rename')}
          </button>
          <Dialog open={open} onClose={() => setOpen(false)} title={t('meeting.renameTitle')}>
            <form
              className="modal-form"
              onSubmit={(event) => {
                event.preventDefault();
                rename.mutate(draft.trim());
              }}
            >
              <Field label={t('meeting.name')}>
                <input
                  required
                  maxLength={200}
                  value={draft}
                  data-autofocus
                  onChange={(event) => setDraft(event.target.value)}
                />
              </Field>
              {rename.isError && (
                <p role="alert" className="error-note">
                  {errorText(rename.error)}
                </p>
              )}
              <div className="form-actions">
                <button type="submit" className="button-primary" disabled={rename.isPending || !draft.trim()}>
                  {t('meeting.saveName')}
                </button>
                {irritant.name && (
                  <button type="button" disabled={rename.isPending} onClick={() => rename.mutate(null)}>
                    {t('meeting.generatedTitle')}
                  </button>
                )}
                <button type="button" onClick={() => setOpen(false)}>
                  {t('meeting.cancel')}
                </button>
              </div>
            </form>
          </Dialog>
        </>
      )}
    </div>
  );
}
