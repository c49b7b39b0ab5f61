import { useEffect, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { apiClient, data } from '../../api';
import { useAuth } from '../../components/auth';
import { errorText } from '../../components/ui';
import { IrritantPicker } from './Picker';
import type { Schemas } from '../../api';
import { irritantPath } from './paths';

/** Merge this irritant into another, picked by search; a second button confirms (Escape cancels). */
export function MergeSection({ irritant }: { irritant: Schemas['IrritantDetail'] }) {
  const { t } = useTranslation('irritant');
  const { mayTriage } = useAuth();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [into, setInto] = useState('');
  const [confirming, setConfirming] = useState(false);
  const start = useRef<HTMLButtonElement>(null);
  const cancelled = useRef(false);
  // Cancelled (button or Escape): focus goes back to the button that asked.
  useEffect(() => {
    if (!confirming && cancelled.current) {
      cancelled.current = false;
      start.current?.focus();
    }
  }, [confirming]);
  const cancel = () => {
    cancelled.current = true;
    setConfirming(false);
  };
  const merge = useMutation({
    mutationFn: () =>
      data(
        apiClient.POST('/api/v1/irritants/{id}/merge', {
          params: { path: { id: irritant.id } },
          body: { into },
        }),
      ),
    onSuccess: async (merged) => {
      setConfirming(false);
      const week = params.get('week');
      void navigate(irritantPath(merged.id, week), { replace: true });
      // The merged-away irritant no longer exists: its reads are dropped, not fetched again (a 404).
      const gone = (key: readonly unknown[]) => key.includes(irritant.id);
      client.removeQueries({ predicate: (query) => gone(query.queryKey) });
      await client.invalidateQueries({ predicate: (query) => !gone(query.queryKey) });
    },
  });
  if (!mayTriage) return null;
  return (
    <section aria-labelledby="merge-title" className="panel">
      <h2 id="merge-title">{t('merge.title')}</h2>
      <p className="subtle">{t('merge.help')}</p>
      <div className="merge-row">
        <IrritantPicker excludeId={irritant.id} value={into} onChange={setInto} label={t('merge.into')} />
        {!confirming ? (
          <button ref={start} type="button" disabled={into === ''} onClick={() => setConfirming(true)}>
            {t('merge.start')}
          </button>
        ) : (
          <span
            className="confirm"
            role="group"
            aria-label={t('merge.confirmLabel')}
            onKeyDown={(event) => {
              if (event.key === 'Escape') cancel();
            }}
          >
            <button
              type="button"
              className="button-danger"
              disabled={merge.isPending}
              onClick={() => merge.mutate()}
              autoFocus
            >
              {t('merge.confirm')}
            </button>
            <button type="button" onClick={cancel}>
              {t('merge.cancel')}
            </button>
          </span>
        )}
      </div>
      {merge.isError && (
        <p role="alert" className="error-note">
          {errorText(merge.error)}
        </p>
      )}
    </section>
  );
}
