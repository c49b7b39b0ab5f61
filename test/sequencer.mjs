import Sequencer from '@jest/test-sequencer';

/**
 * Longest suites first, so that no worker is left running a four-minute suite alone at the end.
 * Jest orders by the durations it cached on an earlier run; a fresh clone (CI) has none and jest
 * falls back to file size, which put the browser walks (a few lines each: the walk lives in
 * test/support) last: they started 8.5 and 9.6 minutes into a fresh clone's run and ended it.
 * These are the suites that took 30 s or more in a full run here (seconds under a full run's
 * load; a fresh clone's run had a 60 s suite start last when only the 80 s ones were listed);
 * what is not listed keeps jest's estimate.
 * A wrong entry costs only order, never a result.
 */
const LONG_SUITES_S = {
  'test/ui-acceptance.e2e-spec.ts': 120,
  'test/cli.e2e-spec.ts': 115,
  'test/soak.e2e-spec.ts': 105,
  'test/ui-acceptance-fr.e2e-spec.ts': 95,
  'test/nlp-eval.e2e-spec.ts': 85,
  'test/worker-kill.e2e-spec.ts': 75,
  'test/sql-injection.e2e-spec.ts': 70,
  'test/embedded.e2e-spec.ts': 60,
  'test/irritant-titles.e2e-spec.ts': 55,
  'test/ui-keyboard.e2e-spec.ts': 55,
  'test/ui-pages.e2e-spec.ts': 50,
  'test/ui.e2e-spec.ts': 50,
  'test/alerts.e2e-spec.ts': 45,
  'test/chat.e2e-spec.ts': 45,
  'test/sign-in.e2e-spec.ts': 45,
  'test/email-connector.e2e-spec.ts': 40,
  'test/email-restart.e2e-spec.ts': 40,
  'test/irritant-triage.e2e-spec.ts': 35,
  'test/trackers.e2e-spec.ts': 35,
  'test/monday-loop.e2e-spec.ts': 30,
  'test/docker.e2e-spec.ts': 30,
  'test/properties/kpis.e2e-spec.ts': 30,
  'test/digest.e2e-spec.ts': 30,
};

/** Seconds a suite of this many bytes takes, roughly, when nothing better is known. */
const BYTES_PER_SECOND = 1_000;

export default class LongestFirst extends Sequencer {
  sort(tests) {
    const root = (test) => test.context.config.rootDir;
    const estimate = (test) => {
      const cached = this.time(test);
      if (cached != null) return cached / 1000;
      const relative = test.path.slice(root(test).length + 1);
      return LONG_SUITES_S[relative] ?? (test.context.hasteFS.getSize(test.path) ?? 0) / BYTES_PER_SECOND;
    };
    const seconds = new Map(tests.map((test) => [test, estimate(test)]));
    return [...tests].sort(
      (a, b) =>
        Number(this.hasFailed(b)) - Number(this.hasFailed(a)) ||
        (seconds.get(b) ?? 0) - (seconds.get(a) ?? 0),
    );
  }
}
