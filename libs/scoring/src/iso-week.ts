import { DateTime } from 'luxon';

/** An ISO week as people write it: `2026-W48`. */
export type IsoWeek = string;

const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

/**
 * The years a board can be about: feedback older than 2000 or later than 2099 is a typo or a
 * probe (`1969-W01`, `0000-W01`), answered as a bad request rather than computed.
 */
export const ISO_WEEK_YEARS = { first: 2000, last: 2099 } as const;

/** What a refused week is told: the shape and the range. */
export const ISO_WEEK_RULE = `an ISO week like 2026-W48, years ${ISO_WEEK_YEARS.first}-${ISO_WEEK_YEARS.last}`;

export function isIsoWeek(value: string): boolean {
  const match = ISO_WEEK.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  if (year < ISO_WEEK_YEARS.first || year > ISO_WEEK_YEARS.last) return false;
  const week = Number(match[2]);
  if (week < 1) return false;
  // 2026 has 53 weeks, 2027 has 52: ask the calendar, not a constant.
  return week <= DateTime.fromObject({ weekYear: Number(match[1]) }).weeksInWeekYear;
}

/** The ISO week an instant falls in, in the given time zone (weeks start on Monday 00:00 there). */
export function isoWeekOf(at: Date, zone: string): IsoWeek {
  const local = DateTime.fromJSDate(at, { zone });
  return `${local.weekYear}-W${String(local.weekNumber).padStart(2, '0')}`;
}

/** Where a week starts and ends (exclusive), as instants, in the given time zone. */
export function weekBounds(week: IsoWeek, zone: string): { start: Date; end: Date } {
  const match = ISO_WEEK.exec(week);
  if (!match || !isIsoWeek(week)) throw new RangeError(`not an ISO week: ${week}`);
  const start = DateTime.fromObject(
    { weekYear: Number(match[1]), weekNumber: Number(match[2]), weekday: 1 },
    { zone },
  ).startOf('day');
  return { start: start.toJSDate(), end: start.plus({ weeks: 1 }).toJSDate() };
}

export function previousWeek(week: IsoWeek, zone: string): IsoWeek {
  const { start } = weekBounds(week, zone);
  return isoWeekOf(DateTime.fromJSDate(start, { zone }).minus({ days: 3 }).toJSDate(), zone);
}

export function nextWeek(week: IsoWeek, zone: string): IsoWeek {
  const { end } = weekBounds(week, zone);
  return isoWeekOf(DateTime.fromJSDate(end, { zone }).plus({ days: 3 }).toJSDate(), zone);
}

/**
 * When a week's board freezes: the Monday after it, at the configured local time ("08:00"), so
 * that the Monday meeting reviews a board that no longer moves.
 */
export function freezeTime(week: IsoWeek, zone: string, at: string): Date {
  const [hour, minute] = at.split(':').map(Number);
  const { end } = weekBounds(week, zone);
  return DateTime.fromJSDate(end, { zone }).set({ hour, minute, second: 0, millisecond: 0 }).toJSDate();
}
