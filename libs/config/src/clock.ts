/**
 * The product's idea of "now".
 *
 * Whatever depends on the date or the hour (which ISO week is current, whether Monday's freeze or
 * digest is due, the demo data's dates, a ticket's age) reads this clock, never `new Date()`, so that
 * a test or a rehearsal can say what time it is and the result never depends on the day it runs.
 * Infrastructure timers (retries, lock expiry, session sliding, rate limits) keep the system clock:
 * they measure durations, not dates.
 *
 * In production it is the system clock. `CLOCK_START` (an ISO instant) starts it at another instant
 * and lets it run on from there: a process a test starts, or a rehearsal of last Monday. A test that
 * holds the application in its own process sets it with `freeze`, `travel` and `advance`.
 */
export class Clock {
  private offsetMs = 0;
  private frozenAtMs: number | null = null;

  constructor(start: Date | null = null) {
    if (start !== null) this.travel(start);
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return this.frozenAtMs ?? Date.now() + this.offsetMs;
  }

  /** Stops the clock at `at` (default: where it is): every later reading answers `at`. */
  freeze(at: Date = this.now()): void {
    this.frozenAtMs = at.getTime();
  }

  /** Moves the clock to `at` and lets it run on from there. */
  travel(at: Date): void {
    this.frozenAtMs = null;
    this.offsetMs = at.getTime() - Date.now();
  }

  /** Moves the clock forward (or back, with a negative value), frozen or running. */
  advance(ms: number): void {
    if (this.frozenAtMs !== null) this.frozenAtMs += ms;
    else this.offsetMs += ms;
  }

  /** Back to the system clock. */
  reset(): void {
    this.frozenAtMs = null;
    this.offsetMs = 0;
  }
}
