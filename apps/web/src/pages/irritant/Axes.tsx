import { type FormEvent, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type Schemas, apiClient, data } from '../../api';
import { useAuth } from '../../components/auth';
import { AXES, type Axis, ScoreBar, errorText, useLabels } from '../../components/ui';
import { useOverrides } from './hooks';

/** Why it ranks here: each axis's score, its reasons, who overrode it and why. */
export function AxesSection({ irritantId, read }: { irritantId: string; read: Schemas['BoardItemRead'] }) {
  const { t } = useTranslation('irritant');
  const labels = useLabels();
  const { mayTriage } = useAuth();
  const history = useOverrides(irritantId);
  // The board item names who overrode by id; the history has their names.
  const nameOf = (actor: string) => history.data?.find((row) => row.by === actor)?.byName ?? actor;
  return (
    <section aria-labelledby="axes-title" className="panel">
      <h2 id="axes-title">{t('axes.title')}</h2>
      {read.status === 'frozen' && <p className="note">{t('axes.frozen', { week: read.isoWeek })}</p>}
      <div className="axis-grid">
        {AXES.map((axis) => {
          const value = read.item.axes[axis];
          return (
            <section key={axis} className={`axis-card axis-${axis}`} aria-labelledby={`axis-${axis}-title`}>
              <h3 id={`axis-${axis}-title`}>
                {labels.axis(axis)} <span className="axis-card-score">{Math.round(value.score)}</span>
              </h3>
              <ScoreBar axis={axis} score={value.score} overridden={Boolean(value.override)} />
              {value.reasons.length > 0 ? (
                <ul className="reasons">
                  {value.reasons.map((reason, index) => (
                    <li key={index}>{reason}</li>
                  ))}
                </ul>
              ) : (
                <p className="subtle">{t('axes.noReason')}</p>
              )}
              {value.override && (
                <p className="override-note">
                  {t('axes.overridden', {
                    computed: Math.round(value.override.computed),
                    by: nameOf(value.override.by),
                    date: labels.date(value.override.at),
                  })}{' '}
                  <q>{value.override.reason}</q>
                </p>
              )}
              {mayTriage && read.status === 'live' && (
                <OverrideForm irritantId={irritantId} axis={axis} overridden={Boolean(value.override)} />
              )}
            </section>
          );
        })}
      </div>
    </section>
  );
}

/**
 * Override one axis: a disclosure (Enter or Space opens it), Enter saves, Escape closes it and
 * gives focus back to its summary.
 */
function OverrideForm({
  irritantId,
  axis,
  overridden,
}: {
  irritantId: string;
  axis: Axis;
  overridden: boolean;
}) {
  const { t } = useTranslation('irritant');
  const labels = useLabels();
  const client = useQueryClient();
  const [score, setScore] = useState('');
  const [reason, setReason] = useState('');
  const details = useRef<HTMLDetailsElement>(null);
  const close = () => {
    if (!details.current) return;
    details.current.open = false;
    details.current.querySelector('summary')?.focus();
  };
  const save = useMutation({
    mutationFn: (lift: boolean) =>
      data(
        apiClient.PUT('/api/v1/irritants/{id}/axes/{axis}', {
          params: { path: { id: irritantId, axis } },
          body: { score: lift ? null : Number(score), reason: reason.trim() },
        }),
      ),
    onSuccess: async () => {
      setScore('');
      setReason('');
      close();
      await client.invalidateQueries({ queryKey: ['board-item'] });
      await client.invalidateQueries({ queryKey: ['overrides', irritantId] });
      await client.invalidateQueries({ queryKey: ['board'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(false);
  };
  return (
    <details
      className="override"
      ref={details}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && details.current?.open) {
          event.preventDefault();
          close();
        }
      }}
    >
      <summary>{t('axes.override', { axis: labels.axis(axis) })}</summary>
      <form onSubmit={submit} className="override-form">
        <label>
          {t('axes.score')}
          <input
            type="number"
            min={0}
            max={100}
            required
            value={score}
            onChange={(event) => setScore(event.target.value)}
          />
        </label>
        <label className="grow">
          {t('axes.reason')}
          <input
            required
            minLength={3}
            maxLength={500}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
        </label>
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={save.isPending}>
            {t('axes.save')}
          </button>
          {overridden && (
            <button
              type="button"
              disabled={save.isPending || reason.trim().length < 3}
              onClick={() => save.mutate(true)}
            >
              {t('axes.lift')}
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
