import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type Schemas, apiClient, data } from '../../api';
import { errorText } from '../../components/ui';
import { type BulkOutcome, CategoryDialog, MoveDialog, SentimentDialog, SplitDialog } from './BulkDialogs';
import { useRefreshAfterTriage } from './hooks';

export type { BulkOutcome };

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
  irritant: Schemas['IrritantDetail'];
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
      data(
        apiClient.PUT('/api/v1/boards/{isoWeek}/items/{irritantId}/quote', {
          params: { path: { isoWeek: week ?? '', irritantId: irritant.id } },
          body: { verbatimId: selected[0] },
        }),
      ),
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
