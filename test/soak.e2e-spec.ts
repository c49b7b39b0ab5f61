import { runSoak, SoakResult } from '../bench/soak/runner';

/**
 * The promise "no verbatim lost or counted twice, whatever fails", in one minute: the soak of
 * `npm run test:soak` (bench/soak), shortened. Server mode with its own PostgreSQL and Redis, one API
 * and three worker processes from dist/, verbatims through the ingest API, the signed chat webhook
 * and a polled RSS feed, while a worker is SIGKILLed every 20 s, Redis restarts empty once and the
 * postmaster gets `kill -9` once (at 20, 27, 40 and 48 s: faults close together, the harder case).
 * Every id sent is then reconciled against the database.
 */
describe('the soak with faults (1 minute)', () => {
  const lines: string[] = [];
  let result: SoakResult;

  beforeAll(async () => {
    result = await runSoak({
      minutes: 1,
      rate: 60,
      workers: 3,
      workerKillEveryS: 20,
      poison: 3,
      // Jobs lost with Redis are re-enqueued by the sweeper once they have waited this long (default
      // 120 s): shorter, so that the drain after a one-minute load stays short.
      env: { SWEEP_AFTER_SECONDS: '15' },
      log: (line) => lines.push(line),
    });
  }, 900_000);

  const context = () => [...lines, ...result.failures, result.line].join('\n');

  // What happened, fault by fault, when an assertion fails.
  afterAll(() => {
    if (result && !result.ok) process.stderr.write(`${context()}\n`);
  });

  it('loses nothing and stores nothing twice', () => {
    expect({ lost: result.lost, duplicated: result.duplicated, unfinished: result.unfinished }).toEqual({
      lost: 0,
      duplicated: 0,
      unfinished: 0,
    });
    expect(result.stored + 3).toBe(result.sent);
    expect(result.irritantCounts.counted).toBe(result.irritantCounts.attached);
    expect(result.sender.refused).toEqual([]);
  });

  it('dead-letters the poison inputs with their cause, and nothing else', () => {
    expect(result.unexpectedDeadLetters).toEqual([]);
    expect(result.poisonNotRefused).toEqual([]);
    expect(result.deadLetters).toBeGreaterThanOrEqual(3);
  });

  // How fast is a figure of `npm run test:soak` on a quiet machine (docs/RELIABILITY.md), not an
  // assertion here: the suite runs beside every other one, and a slow machine is no lost verbatim.
  it('recovers from every fault', () => {
    const kinds = result.faults.map((fault) => fault.kind).sort();
    expect(kinds).toEqual(['postgres', 'redis', 'worker', 'worker']);
    const unrecovered = result.faults.filter((fault) => fault.recoveryS === undefined);
    expect(unrecovered).toEqual([]);
  });
});
