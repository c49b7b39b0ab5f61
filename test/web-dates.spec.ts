import { dayPattern, dayPlaceholder, formatDay, parseDay } from '../apps/web/src/pages/explorer/dates';

/** The explorer's date filters: days written and read in the UI language's order, ISO in the URL. */
describe('days in the UI language', () => {
  it('writes a day in the language’s order, whatever the machine’s locale', () => {
    expect(formatDay('2026-11-20', 'fr')).toBe('20/11/2026');
    expect(formatDay('2026-11-20', 'en')).toBe('11/20/2026');
    expect(formatDay('2026-03-05', 'fr')).toBe('05/03/2026');
    expect(formatDay('2026-11-20', 'de')).toBe('20.11.2026');
    // Not a day (a hand-edited URL): left as it is, for the person to see and fix.
    expect(formatDay('2026-02-31', 'fr')).toBe('2026-02-31');
    expect(formatDay('', 'fr')).toBe('');
  });

  it('reads a day typed in the language’s order, with any usual separator', () => {
    expect(parseDay('20/11/2026', 'fr')).toBe('2026-11-20');
    expect(parseDay(' 5.3.2026 ', 'fr')).toBe('2026-03-05');
    expect(parseDay('20-11-26', 'fr')).toBe('2026-11-20');
    expect(parseDay('11/20/2026', 'en')).toBe('2026-11-20');
    expect(parseDay('3/5/2026', 'en')).toBe('2026-03-05');
    expect(parseDay('3/5/2026', 'fr')).toBe('2026-05-03');
    // An ISO day pasted in is unambiguous in every language.
    expect(parseDay('2026-11-20', 'fr')).toBe('2026-11-20');
    expect(parseDay('2026-11-20', 'en')).toBe('2026-11-20');
  });

  it('refuses what is no day', () => {
    for (const text of [
      '31/02/2026',
      '20/13/2026',
      '11/20/2026',
      '20/11',
      '20/11/202',
      'demain',
      '2026-02-30',
    ])
      expect([text, parseDay(text, 'fr')]).toEqual([text, null]);
    expect(parseDay('20/11/2026', 'en')).toBeNull();
  });

  it('round-trips every day of a leap year in both languages', () => {
    for (const language of ['fr', 'en'])
      for (let day = 0; day < 366; day++) {
        const iso = new Date(Date.UTC(2028, 0, 1 + day)).toISOString().slice(0, 10);
        expect(parseDay(formatDay(iso, language), language)).toBe(iso);
      }
  });

  it('shows the pattern in the language’s letters', () => {
    expect(dayPattern('fr')).toEqual({ order: ['day', 'month', 'year'], separator: '/' });
    expect(dayPlaceholder('fr', { day: 'jj', month: 'mm', year: 'aaaa' })).toBe('jj/mm/aaaa');
    expect(dayPlaceholder('en', { day: 'dd', month: 'mm', year: 'yyyy' })).toBe('mm/dd/yyyy');
  });
});
