import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';

/** The week as files (CSV, XLSX: same origin, the session cookie goes along) and its meeting print. */
export function BoardExports({ week }: { week: string }) {
  const { t } = useTranslation('board');
  const file = (format: 'csv' | 'xlsx') =>
    `/api/v1/exports/boards/${encodeURIComponent(week)}?format=${format}`;
  return (
    <p className="board-exports">
      <span className="subtle">{t('exports.label')}</span>{' '}
      <a className="button-quiet" href={file('xlsx')} download>
        XLSX
      </a>{' '}
      <a className="button-quiet" href={file('csv')} download>
        CSV
      </a>{' '}
      <a className="button-quiet" href="/api/v1/exports/tickets?format=xlsx" download>
        {t('exports.tickets')}
      </a>{' '}
      <Link className="button-quiet" to={`/boards/${encodeURIComponent(week)}/print`}>
        {t('exports.print')}
      </Link>
    </p>
  );
}
