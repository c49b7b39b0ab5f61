import { Clock } from './clock';

describe('Clock', () => {
  const monday = new Date('2026-12-07T02:00:00Z');

  it('reads the system clock by default', () => {
    const before = Date.now();
    const read = new Clock().nowMs();
    expect(read).toBeGreaterThanOrEqual(before);
    expect(read).toBeLessThanOrEqual(Date.now());
  });

  it('starts at a given instant and runs on from there', () => {
    const clock = new Clock(monday);
    const first = clock.nowMs();
    expect(Math.abs(first - monday.getTime())).toBeLessThan(1_000);
  });

  it('freezes, advances and travels', () => {
    const clock = new Clock();
    clock.freeze(monday);
    expect(clock.now().toISOString()).toBe('2026-12-07T02:00:00.000Z');
    clock.advance(90 * 60_000);
    expect(clock.now().toISOString()).toBe('2026-12-07T03:30:00.000Z');
    clock.travel(new Date('2027-01-04T07:00:00Z'));
    expect(Math.abs(clock.nowMs() - Date.parse('2027-01-04T07:00:00Z'))).toBeLessThan(1_000);
    clock.reset();
    expect(Math.abs(clock.nowMs() - Date.now())).toBeLessThan(1_000);
  });
});
