import { type FormEvent, type ReactNode, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { CATEGORIES, Field, errorText, useLabels } from '../../components/ui';
import { Dialog } from './Dialog';
import { useRefreshAfterTriage } from './hooks';
import { IrritantPicker } from './Picker';
import { type Irritant, type Placement, SENTIMENTS, type Verbatim, irritantPath } from './types';

export interface BulkOutcome {
  message: string;
  count: number;
  /** Where the last of them went (move, category change), to link to it. */
  placement?: Placement;
}

type Action = 'category' | 'sentiment' | 'move' | 'split';

/**
 * One bar for the selected verbatims: correct their category or sentiment, move them to another
 * irritant, split them into a new one, or pin the one selected as the digest's quote. Each action
 * opens a dialog (Enter confirms, Escape cancels, focus comes back to the bar).
 */
export function BulkActions({
  irritant,
  week,
  selected,
  allShown,
  onSelectAll,
  onDone,
}: {
  irritant: Irritant;
  week: string | undefined;
  selected: string[];
  allShown: boolean;
  onSelectAll: (all: boolean) => void;
  onDone: (outcome: BulkOutcome) => void;
}) {
  const { t } = useTranslation('irritant');
  const client = useQueryClient();
  const refresh = useRefreshAfterTriage(irritant.id);
  const [open, setOpen] = useState<Action | null>(null);
  const count = selected.length;
  const pin = useMutation({
    mutationFn: () =>
      api.put(`/api/v1/boards/${week}/items/${irritant.id}/quote`, { verbatimId: selected[0] }),
    onSuccess: async () => {
      onDone({ message: t('verbatims.pinnedMessage'), count: 1 });
      await client.invalidateQueries({ queryKey: ['board-item', week, irritant.id] });
    },
  });
  const finish = async (outcome: BulkOutcome) => {
    setOpen(null);
    onDone(outcome);
    await refresh();
  };
  const button = (action: Action, label: string) => (
    <button type="button" disabled={count === 0} onClick={() => setOpen(action)}>
      {label}
    </button>
  );
  return (
    <div className="selection-bar" role="group" aria-label={t('verbatims.selectionTools')}>
      <label className="select-all">
        <input type="checkbox" checked={allShown} onChange={(event) => onSelectAll(event.target.checked)} />
        {t('meeting.selectAll')}
      </label>
      <span aria-live="polite">{t('verbatims.selected', { count })}</span>
      {button('category', t('meeting.correctCategory'))}
      {button('sentiment', t('meeting.correctSentiment'))}
      {button('move', t('meeting.move'))}
      {button('split', t('meeting.split'))}
      {week && (
        <button type="button" disabled={count !== 1 || pin.isPending} onClick={() => pin.mutate()}>
          {t('verbatims.pin')}
        </button>
      )}
      {pin.isError && (
        <span role="alert" className="error-note">
          {errorText(pin.error)}
        </span>
      )}
      <CategoryDialog
        open={open === 'category'}
        selected={selected}
        onClose={() => setOpen(null)}
        onDone={finish}
      />
      <SentimentDialog
        open={open === 'sentiment'}
        selected={selected}
        onClose={() => setOpen(null)}
        onDone={finish}
      />
      <MoveDialog
        open={open === 'move'}
        irritant={irritant}
        selected={selected}
        onClose={() => setOpen(null)}
        onDone={finish}
      />
      <SplitDialog
        open={open === 'split'}
        irritant={irritant}
        week={week}
        selected={selected}
        onClose={() => setOpen(null)}
        onDone={finish}
      />
    </div>
  );
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

function CategoryDialog({ open, selected, onClose, onDone }: DialogProps) {
  const { t } = useTranslation('irritant');
  const labels = useLabels();
  const [category, setCategory] = useState('');
  const save = useMutation({
    mutationFn: () =>
      eachOf(selected, (id) => api.patch<Verbatim>(`/api/v1/verbatims/${id}/category`, { category })),
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
            {CATEGORIES.map((key) => (
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

function SentimentDialog({ open, selected, onClose, onDone }: DialogProps) {
  const { t } = useTranslation('irritant');
  const [label, setLabel] = useState('');
  const save = useMutation({
    mutationFn: () =>
      eachOf(selected, (id) => api.patch<Verbatim>(`/api/v1/verbatims/${id}/sentiment`, { label })),
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
          <select required value={label} data-autofocus onChange={(event) => setLabel(event.target.value)}>
            <option value="">{t('meeting.pickSentiment')}</option>
            {SENTIMENTS.map((key) => (
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

function MoveDialog({ open, irritant, selected, onClose, onDone }: DialogProps & { irritant: Irritant }) {
  const { t } = useTranslation('irritant');
  const [target, setTarget] = useState('');
  const move = useMutation({
    mutationFn: () =>
      eachOf(selected, (id) => api.put<Verbatim>(`/api/v1/verbatims/${id}/irritant`, { irritantId: target })),
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

function SplitDialog({
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
    mutationFn: () => api.post<Irritant>(`/api/v1/irritants/${irritant.id}/split`, { verbatimIds: selected }),
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
