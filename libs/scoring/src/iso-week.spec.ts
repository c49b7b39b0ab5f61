import { isIsoWeek, nextWeek, previousWeek } from './iso-week';

describe('ISO weeks people may ask for', () => {
  it('refuses years outside 2000-2099: a typo or a probe, never a board', () => {
    expect(isIsoWeek('1969-W01')).toBe(false);
    expect(isIsoWeek('0000-W01')).toBe(false);
    expect(isIsoWeek('1999-W52')).toBe(false);
    expect(isIsoWeek('2100-W01')).toBe(false);
    expect(isIsoWeek('2000-W01')).toBe(true);
    expect(isIsoWeek('2099-W52')).toBe(true);
  });

  it('steps a week forward and back across a year with 53 weeks', () => {
    expect(nextWeek('2026-W53', 'Europe/Paris')).toBe('2027-W01');
    expect(previousWeek(nextWeek('2026-W52', 'Europe/Paris'), 'Europe/Paris')).toBe('2026-W52');
  });
});
