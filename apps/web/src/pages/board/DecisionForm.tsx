import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiClient, data } from '../../api';
import {
  type BoardItem,
  DECISION_KINDS,
  type Decision,
  type DecisionKind,
  Field,
  errorText,
  useLabels,
} from '../../components/ui';

interface FormProps {
  item: BoardItem;
  week: string;
  current: Decision | undefined;
  onCancel: () => void;
  onDone: (decision: Decision) => void;
}

/** The decision on one item: what, who, when, why; posted to the item of this week's board. */
export function DecisionForm({ item, week, current, onCancel, onDone }: FormProps) {
  const { t } = useTranslation('board');
  const labels = useLabels();
  const client = useQueryClient();
  const [kind, setKind] = useState<DecisionKind>(current?.kind ?? 'fix');
  const [department, setDepartment] = useState(current?.department ?? '');
  const [owner, setOwner] = useState(current?.owner ?? '');
  const [release, setRelease] = useState(current?.targetRelease ?? '');
  const [comment, setComment] = useState('');
  const first = useRef<HTMLInputElement>(null);
  const departments = useQuery({
    queryKey: ['departments'],
    queryFn: () => data(apiClient.GET('/api/v1/decisions/departments')),
    staleTime: Infinity,
  });

  useEffect(() => first.current?.focus(), []);

  const save = useMutation({
    mutationFn: () =>
      data(
        apiClient.POST('/api/v1/boards/{isoWeek}/items/{irritantId}/decision', {
          params: { path: { isoWeek: week, irritantId: item.irritantId } },
          body: {
            kind,
            ...(kind === 'route' ? { department } : {}),
            ...(owner.trim() ? { owner: owner.trim() } : {}),
            ...(release.trim() ? { targetRelease: release.trim() } : {}),
            ...(comment.trim() ? { comment: comment.trim() } : {}),
          },
        }),
      ),
    onSuccess: async (decision) => {
      // The decision in force is part of the board's items.
      await client.invalidateQueries({ queryKey: ['board'] });
      onDone(decision);
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <form
      className="decision-form"
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
      aria-label={t('decisionFor', { label: item.label })}
    >
      <fieldset className="kinds">
        <legend>{t('form.kind')}</legend>
        {DECISION_KINDS.map((value, index) => (
          <label key={value} className="kind-option">
            <input
              ref={index === 0 ? first : undefined}
              type="radio"
              name={`kind-${item.irritantId}`}
              value={value}
              checked={kind === value}
              onChange={() => setKind(value)}
            />
            {labels.decision(value)}
          </label>
        ))}
      </fieldset>
      <div className="form-grid">
        {kind === 'route' && (
          <Field label={t('form.department')}>
            <select required value={department} onChange={(event) => setDepartment(event.target.value)}>
              <option value="">{t('form.pickDepartment')}</option>
              {(departments.data ?? []).map((key) => (
                <option key={key} value={key}>
                  {labels.department(key)}
                </option>
              ))}
            </select>
          </Field>
        )}
        <label>
          {t('form.owner')}
          <input value={owner} maxLength={120} onChange={(event) => setOwner(event.target.value)} />
        </label>
        <label>
          {t('form.release')}
          <input
            value={release}
            maxLength={60}
            placeholder="12.5.0"
            onChange={(event) => setRelease(event.target.value)}
          />
        </label>
        <label className="span-2">
          {t('form.comment')}
          <textarea
            rows={2}
            maxLength={2000}
            value={comment}
            onChange={(event) => setComment(event.target.value)}
          />
        </label>
      </div>
      {save.isError && (
        <p role="alert" className="error-note">
          {errorText(save.error)}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={save.isPending}>
          {t('form.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('form.cancel')}
        </button>
      </div>
    </form>
  );
}
