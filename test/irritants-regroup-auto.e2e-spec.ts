import { Role } from '@app/database';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { query, waitForLastStage } from './support/database';
import { http } from './support/http';
import { until } from './support/wait';

/**
 * The regrouping runs by itself once a burst of verbatims has been clustered: debounced (it waits
 * for things to go quiet), and within two minutes of the burst.
 */
describe('the automatic regrouping', () => {
  const { api, db } = useApi({
    env: { CLOCK_START: '2026-11-25T12:00:00Z', REGROUP_CHECK_SECONDS: '1' },
  });

  it('runs by itself after a burst of new verbatims, and the irritants it leaves are exact', async () => {
    const triager = await api.key(Role.Triager);
    const texts = [
      'card lost and transfer failed',
      'card lost',
      'transfer failed',
      'lost my card',
      'my transfer failed',
      'card lost, block it',
      'transfer failed again',
      'please block my lost card',
    ];
    const response = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: texts.map((text, i) =>
        verbatim({
          source: 'burst',
          externalId: `b-${i}`,
          receivedAt: new Date(Date.UTC(2026, 10, 20, 8, i)).toISOString(),
          text,
          lang: 'en',
        }),
      ),
    });
    expect(response.status).toBe(201);
    const ids = response.body.items.map((item: { id: string }) => item.id) as string[];
    await waitForLastStage(db.url, ids);
    const runs = await until(
      () =>
        query<{ trigger: string; window_verbatims: number }>(
          db.url,
          `SELECT trigger, window_verbatims FROM irritant_regroup WHERE trigger = 'auto'`,
        ),
      (rows) => rows.length > 0,
      { what: 'the automatic regrouping', timeoutMs: 120_000 },
    );
    expect(runs[0].window_verbatims).toBe(texts.length);
    // The vocabulary it learnt is the installation's: stored for the cluster stage.
    const [vocabulary] = await query<{ documents: number }>(
      db.url,
      'SELECT documents FROM clustering_vocabulary ORDER BY id DESC LIMIT 1',
    );
    expect(vocabulary.documents).toBe(texts.length);
    const wrong = await query<{ id: string }>(
      db.url,
      `SELECT i.id FROM irritant i
         LEFT JOIN (SELECT irritant_id, count(*)::int AS n FROM verbatim GROUP BY irritant_id) v
           ON v.irritant_id = i.id
        WHERE i.verbatim_count <> coalesce(v.n, 0)`,
    );
    expect(wrong).toEqual([]);
  });
});
