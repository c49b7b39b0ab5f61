import { useId, useRef } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  AxisBars,
  type BoardItem,
  ChannelTag,
  type Decision,
  type DecisionInForce,
  Movement,
  StatusDot,
  useLabels,
} from '../../components/ui';
import { DecisionForm } from './DecisionForm';

interface RowProps {
  item: BoardItem;
  week: string;
  decision: DecisionInForce | undefined;
  mayTriage: boolean;
  open: boolean;
  onToggle: (open: boolean) => void;
  onDecided: (decision: Decision) => void;
}

/** One item of the board: its rank, scores, reach, monitors and decision, and its decision form. */
export function BoardRow({ item, week, decision, mayTriage, open, onToggle, onDecided }: RowProps) {
  const { t } = useTranslation('board');
  const labels = useLabels();
  const formId = useId();
  const toggle = useRef<HTMLButtonElement>(null);
  const close = () => {
    onToggle(false);
    toggle.current?.focus();
  };
  return (
    // One tbody per item: the row and its decision form belong together.
    <tbody className={open ? 'row-open' : undefined}>
      <tr>
        <td className="num rank" data-label={t('col.rank')}>
          {item.rank}
        </td>
        <th scope="row" className="irritant-cell">
          <Link to={`/irritants/${item.irritantId}?week=${week}`} className="irritant-link" translate="no">
            {item.label}
          </Link>
          <span className="category-chip">{labels.category(item.category)}</span>
        </th>
        <td className="cell-axes">
          <AxisBars axes={item.axes} />
        </td>
        <td className="num cell-total" data-label={t('col.total')}>
          <span className="total">{Math.round(item.total)}</span>
        </td>
        <td className="cell-movement" data-label={t('col.movement')}>
          <Movement movement={item.movement} change={item.rankChange} />
        </td>
        <td className="num cell-customers" data-label={t('col.customers')}>
          <span className="customers">{item.distinctCustomers}</span>
          <span className="subtle">{t('verbatims', { count: item.verbatimCount })}</span>
        </td>
        <td className="cell-where" data-label={t('col.where')}>
          <div className="tags">
            {item.channels.map((channel) => (
              <ChannelTag key={channel} channel={channel} iconOnly />
            ))}
          </div>
          <div className="tags">
            {item.terminals
              .filter((terminal) => terminal !== 'unknown')
              .map((terminal) => (
                <span key={terminal} className="tag">
                  {labels.terminal(terminal)}
                </span>
              ))}
          </div>
        </td>
        <td className="cell-monitors" data-label={t('col.monitors')}>
          {item.monitors.length === 0 ? (
            <span className="subtle">—</span>
          ) : (
            <ul className="plain">
              {item.monitors.map((monitor) => (
                <li
                  key={monitor.id}
                  title={
                    monitor.failure
                      ? t(monitor.failure.to ? 'failedBetween' : 'failingSince', {
                          from: labels.date(monitor.failure.from, true),
                          to: labels.date(monitor.failure.to, true),
                        })
                      : undefined
                  }
                >
                  <StatusDot status={monitor.status} /> <span translate="no">{monitor.name}</span>{' '}
                  <span className="subtle">
                    (
                    {t(`monitorStatus.${monitor.status.replace(/\s+/g, '_')}`, {
                      defaultValue: monitor.status,
                    })}
                    )
                  </span>
                </li>
              ))}
            </ul>
          )}
        </td>
        <td className="decision-cell" data-label={t('col.decision')}>
          {decision ? (
            <span className={`decision-badge decision-${decision.kind}`}>
              {labels.decision(decision.kind)}
              {decision.department && ` → ${labels.department(decision.department)}`}
            </span>
          ) : (
            <span className="subtle">{t('awaiting')}</span>
          )}
          {decision?.owner && <span className="subtle">{decision.owner}</span>}
          {decision?.ticket && (
            <span className={`ticket-status ticket-${decision.ticket.status}`}>
              {t(`ticketStatus.${decision.ticket.status}`, { defaultValue: decision.ticket.status })}
            </span>
          )}
          {decision?.kind === 'route' && (
            <span className="subtle">{decision.answer !== null ? t('answered') : t('unanswered')}</span>
          )}
          {(decision?.ticket?.release ?? decision?.targetRelease) && (
            <span className="subtle">
              {t('release', { release: decision?.ticket?.release ?? decision?.targetRelease })}
            </span>
          )}
          {decision && decision.ageDays !== null && decision.targetDays !== null && (
            <span className={decision.overdue ? 'age overdue' : 'age subtle'}>
              {t('age', { days: Math.floor(decision.ageDays), target: decision.targetDays })}
              {decision.overdue && <strong className="overdue-flag"> · {t('overdue')}</strong>}
            </span>
          )}
          {decision?.carried && <span className="subtle">{t('decidedIn', { week: decision.isoWeek })}</span>}
          <button
            ref={toggle}
            type="button"
            className="button-small"
            aria-expanded={open}
            aria-controls={open ? formId : undefined}
            disabled={!mayTriage}
            title={mayTriage ? undefined : t('readOnly')}
            onClick={() => onToggle(!open)}
          >
            {t('decide')}
            <span className="sr-only" translate="no">
              {' '}
              {item.label}
            </span>
          </button>
        </td>
      </tr>
      {open && (
        <tr className="decision-row">
          <td colSpan={9} id={formId}>
            <DecisionForm item={item} week={week} current={decision} onCancel={close} onDone={onDecided} />
          </td>
        </tr>
      )}
    </tbody>
  );
}
