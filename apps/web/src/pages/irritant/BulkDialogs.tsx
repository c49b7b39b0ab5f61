import { type FormEvent, type ReactNode, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { type Schemas, apiClient, data } from '../../api';
import { correctSentimentBodyLabelValues } from '../../api/schema';
import { useCategories, withCurrent } from '../../components/categories';
import { Field, errorText, useLabels } from '../../components/ui';
import { Dialog } from './Dialog';
import { irritantPath } from './paths';
import { IrritantPicker } from './Picker';

type Irritant = Schemas['IrritantDetail'];
type Verbatim = Schemas['VerbatimView'];
type Sentiment = (typeof correctSentimentBodyLabelValues)[number];

/** What a bulk action did, for the bar to announce and link to. */
export interface BulkOutcome {
  message: string;
  count: number;
  /** Where the last of them went (move, category change), to link to it. */
  placement?: Schemas['Placement'];
}

interface DialogProps {
  open: boolean;
  selected: string[];
  onClose: () => void;
  onDone: (outcome: BulkOutcome) => Promise<void>;
}

/** A dialog's form: what to do, then the action and Cancel; errors said in words. */
function ActionForm({
  onSubmit,
  submit,
  pending,
  disabled,
  error,
  onCancel,
  children,
}: {
  onSubmit: () => void;
  submit: string;
  pending: boolean;
  disabled?: boolean;
  error: unknown;
  onCancel: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation('irritant');
  return (
    <form
      className="modal-form"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {children}
      {error !== null && error !== undefined && (
        <p role="alert" className="error-note">
          {errorText(error)}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={pending || disabled}>
          {submit}
        </button>
        <button type="button" onClick={onCancel}>
          {t('meeting.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Sequentially, so that each verbatim's placement is read after the one before it moved. */
async function eachOf(ids: string[], act: (id: string) => Promise<Verbatim>): Promise<Verbatim | undefined> {
  let last: Verbatim | undefined;
  for (const id of ids) last = await act(id);
  return last;
}

export function CategoryDialog({ open, selected, onClose, onDone }: DialogProps) {
  const { t } = useTranslation('irritant');
  const labels = useLabels();
  const { keys } = useCategories();
  const [category, setCategory] = useState('');
  const save = useMutation({
    mutationFn: () =>
      eachOf(selected, (id) =>
        data(
          apiClient.PATCH('/api/v1/verbatims/{id}/category', {
            params: { path: { id } },
            body: { category },
          }),
        ),
      ),
    onSuccess: (last) => {
      const placement = last?.placement;
      return onDone({
        count: selected.length,
        placement: placement?.moved ? placement : undefined,
        message: t('meeting.categoryDone', { count: selected.length, category: labels.category(category) }),
      });
    },
  });
  return (
    <Dialog open={open} onClose={onClose} title={t('meeting.categoryTitle', { count: selected.length })}>
      <ActionForm
        onSubmit={() => save.mutate()}
        submit={t('verbatims.correct')}
        pending={save.isPending}
        disabled={category === ''}
        error={save.error}
        onCancel={onClose}
      >
        <Field label={t('meeting.newCategory')}>
          <select
            required
            value={category}
            data-autofocus
            onChange={(event) => setCategory(event.target.value)}
          >
            <option value="">{t('meeting.pickCategory')}</option>
            {withCurrent(keys, category).map((key) => (
              <option key={key} value={key}>
                {labels.category(key)}
              </option>
            ))}
          </select>
        </Field>
      </ActionForm>
    </Dialog>
  );
}

export function SentimentDialog({ open, selected, onClose, onDone }: DialogProps) {
  const { t } = useTranslation('irritant');
  const [label, setLabel] = useState<Sentiment | ''>('');
  const save = useMutation({
    mutationFn: () =>
      eachOf(selected, (id) =>
        data(
          apiClient.PATCH('/api/v1/verbatims/{id}/sentiment', {
            params: { path: { id } },
            body: { label: label as Sentiment },
          }),
        ),
      ),
    onSuccess: () =>
      onDone({
        count: selected.length,
        message: t('meeting.sentimentDone', { count: selected.length, sentiment: t(`sentiment.${label}`) }),
      }),
  });
  return (
    <Dialog open={open} onClose={onClose} title={t('meeting.sentimentTitle', { count: selected.length })}>
      <ActionForm
        onSubmit={() => save.mutate()}
        submit={t('verbatims.correctSentiment')}
        pending={save.isPending}
        disabled={label === ''}
        error={save.error}
        onCancel={onClose}
      >
        <Field label={t('meeting.newSentiment')}>
          <select
            required
            value={label}
            data-autofocus
            onChange={(event) => setLabel(event.target.value as Sentiment | '')}
          >
            <option value="">{t('meeting.pickSentiment')}</option>
            {correctSentimentBodyLabelValues.map((key) => (
              <option key={key} value={key}>
                {t(`sentiment.${key}`)}
              </option>
            ))}
          </select>
        </Field>
      </ActionForm>
    </Dialog>
  );
}

export function MoveDialog({
  open,
  irritant,
  selected,
  onClose,
  onDone,
}: DialogProps & { irritant: Irritant }) {
  const { t } = useTranslation('irritant');
  const [target, setTarget] = useState('');
  const move = useMutation({
    mutationFn: () =>
      eachOf(selected, (id) =>
        data(
          apiClient.PUT('/api/v1/verbatims/{id}/irritant', {
            params: { path: { id } },
            body: { irritantId: target },
          }),
        ),
      ),
    onSuccess: (last) => {
      const placement = last?.placement;
      return onDone({
        count: selected.length,
        placement,
        message: placement?.to
          ? t('verbatims.wentTo', { count: selected.length, label: placement.to.label })
          : t('verbatims.moved', { count: selected.length }),
      });
    },
  });
  return (
    <Dialog open={open} onClose={onClose} title={t('meeting.moveTitle', { count: selected.length })}>
      <ActionForm
        onSubmit={() => move.mutate()}
        submit={t('verbatims.move')}
        pending={move.isPending}
        disabled={target === ''}
        error={move.error}
        onCancel={onClose}
      >
        <IrritantPicker
          excludeId={irritant.id}
          value={target}
          onChange={setTarget}
          label={t('verbatims.moveTarget')}
          autoFocus
        />
      </ActionForm>
    </Dialog>
  );
}

export function SplitDialog({
  open,
  irritant,
  week,
  selected,
  onClose,
  onDone,
}: DialogProps & { irritant: Irritant; week: string | undefined }) {
  const { t } = useTranslation('irritant');
  const navigate = useNavigate();
  const split = useMutation({
    mutationFn: () =>
      data(
        apiClient.POST('/api/v1/irritants/{id}/split', {
          params: { path: { id: irritant.id } },
          body: { verbatimIds: selected },
        }),
      ),
    onSuccess: async (created) => {
      await onDone({ count: selected.length, message: t('meeting.splitDone', { count: selected.length }) });
      void navigate(irritantPath(created.id, week));
    },
  });
  return (
    <Dialog open={open} onClose={onClose} title={t('meeting.splitTitle', { count: selected.length })}>
      <ActionForm
        onSubmit={() => split.mutate()}
        submit={t('verbatims.split')}
        pending={split.isPending}
        error={split.error}
        onCancel={onClose}
      >
        {/* No field: the dialog opens on its Split button, so Enter splits and Escape cancels. */}
        <p>{t('meeting.splitHelp', { count: selected.length })}</p>
      </ActionForm>
    </Dialog>
  );
}
