/**
 * Days as the person's UI language writes them (20/11/2026 in French, 11/20/2026 in English), not
 * as the browser's locale does: Chromium draws <input type="date"> in the browser's own locale
 * whatever the page's or the element's `lang`, so a French team on an English browser read
 * mm/dd/yyyy. The explorer's date filters are text fields read and written here; the URL keeps
 * ISO days (2026-11-20), the same link for everyone.
 */
export type DayPart = 'day' | 'month' | 'year';

export interface DayPattern {
  /** The order the language writes a day's parts in. */
  order: DayPart[];
  /** What goes between them ("/" in French and English, "." in German). */
  separator: string;
}

const ISO_DAY = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

/** How `language` writes a day in figures, from the platform's own locale data (Intl). */
export function dayPattern(language: string): DayPattern {
  const parts = new Intl.DateTimeFormat(language, {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: 'UTC',
  }).formatToParts(Date.UTC(2026, 10, 20));
  const order = parts
    .map((part) => part.type)
    .filter((type): type is DayPart => type === 'day' || type === 'month' || type === 'year');
  const separator = parts.find((part) => part.type === 'literal')?.value.trim() || '/';
  return { order: order.length === 3 ? order : ['day', 'month', 'year'], separator };
}

/** The ISO day `year-month-day`, or null when there is no such day (31 February). */
function isoDay(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** An ISO day (2026-11-20) as `language` writes it ("20/11/2026"); anything else as it is. */
export function formatDay(iso: string, language: string): string {
  const match = ISO_DAY.exec(iso);
  if (!match || isoDay(Number(match[1]), Number(match[2]), Number(match[3])) === null) return iso;
  const { order, separator } = dayPattern(language);
  const values: Record<DayPart, string> = {
    year: match[1],
    month: match[2].padStart(2, '0'),
    day: match[3].padStart(2, '0'),
  };
  return order.map((part) => values[part]).join(separator);
}

/**
 * A day typed in `language`'s order (any of / . - or spaces between the figures; a two-digit year
 * is this century's), or an ISO day pasted as it is: the ISO day, or null when it is no day.
 */
export function parseDay(text: string, language: string): string | null {
  const typed = text.trim();
  const iso = ISO_DAY.exec(typed);
  if (iso) return isoDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const figures = typed.split(/[\s./-]+/);
  if (figures.length !== 3 || !figures.every((figure) => /^\d{1,4}$/.test(figure))) return null;
  const { order } = dayPattern(language);
  const value = (part: DayPart) => figures[order.indexOf(part)];
  const year = value('year');
  if (year.length !== 4 && year.length !== 2) return null;
  if (value('day').length > 2 || value('month').length > 2) return null;
  return isoDay(
    year.length === 2 ? 2000 + Number(year) : Number(year),
    Number(value('month')),
    Number(value('day')),
  );
}

/** The pattern as a person reads it, in the letters of the UI's language ("jj/mm/aaaa"). */
export function dayPlaceholder(language: string, letters: Record<DayPart, string>): string {
  const { order, separator } = dayPattern(language);
  return order.map((part) => letters[part]).join(separator);
}
