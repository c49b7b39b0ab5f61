import { Clock } from '@app/config';
import { Role } from '@app/database';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { query, waitForLastStage } from './support/database';
import { http } from './support/http';

const HOUR = 3_600_000;
/** The replayed week: Monday 2 November 2026 00:00 Paris (UTC+1) to the next Monday. */
const WEEK_START = Date.parse('2026-11-01T23:00:00Z');
/** Four weeks of history before it: each irritant's own baseline. */
const HISTORY_START = WEEK_START - 28 * 24 * HOUR;
/** The incident: Wednesday 4 November, 14:00-15:00 Paris. */
const INCIDENT_START = Date.parse('2026-11-04T13:00:00Z');

/** Topics a train-ticket shop hears about every day, with their ordinary customers per day. */
const TOPICS: { perDay: number; texts: string[] }[] = [
  {
    perDay: 30,
    texts: [
      'Paiement refusé au 3-D Secure, impossible de payer mon billet',
      'Mon paiement est refusé par le 3-D Secure, impossible de payer',
      'Payment declined at 3-D Secure, I cannot pay for my ticket',
    ],
  },
  {
    perDay: 20,
    texts: [
      'Remboursement toujours pas reçu après annulation du train',
      'Je n’ai toujours pas reçu mon remboursement après l’annulation',
      'Still no refund after my train was cancelled',
    ],
  },
  {
    perDay: 4,
    texts: [
      'Aucune assistance pour mon fauteuil roulant en gare',
      'Personne pour l’assistance fauteuil roulant à la gare',
    ],
  },
  {
    perDay: 10,
    texts: [
      'L’application plante à l’ouverture depuis la mise à jour',
      'L’appli plante dès l’ouverture après la mise à jour',
      'The app crashes on launch since the update',
    ],
  },
  {
    perDay: 12,
    texts: [
      'Impossible de réinitialiser mon mot de passe, le lien ne marche pas',
      'Le lien de réinitialisation du mot de passe ne fonctionne pas',
      'Password reset link does not work',
    ],
  },
  {
    perDay: 2,
    texts: ['Je demande la suppression de mes données personnelles (RGPD)', 'Supprimez mes données, RGPD'],
  },
  {
    perDay: 15,
    texts: [
      'Erreur sur le site au moment de choisir ma place',
      'Le choix de place affiche une erreur sur le site',
      'Seat selection shows an error on the website',
    ],
  },
  {
    perDay: 25,
    texts: [
      'Train en retard de deux heures, quelle compensation ?',
      'Mon train avait deux heures de retard, je veux une compensation',
      'Train two hours late, what compensation do I get?',
    ],
  },
];

/** How busy each local hour is (mean 1): quiet nights, busy days. */
const DIURNAL = [
  0.2, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.2, 1.6, 1.8, 1.8, 1.7, 1.6, 1.6, 1.7, 1.7, 1.6, 1.5, 1.4, 1.3, 1.1,
  0.9, 0.6, 0.4,
];
const DIURNAL_MEAN = DIURNAL.reduce((a, b) => a + b, 0) / 24;

/** A seeded generator (mulberry32), so that the replayed traffic is the same at every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function poisson(random: () => number, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

/** Ordinary traffic from `from` to `to`: Poisson per topic and hour, a diurnal and weekly rhythm. */
function normalTraffic(from: number, to: number) {
  const random = seeded(45);
  const rows: ReturnType<typeof verbatim>[] = [];
  for (let at = from; at < to; at += HOUR) {
    const local = new Date(at + HOUR); // Paris in November: UTC+1
    const weekend = local.getUTCDay() === 0 || local.getUTCDay() === 6 ? 0.7 : 1;
    TOPICS.forEach((topic, t) => {
      const lambda = (topic.perDay / 24) * (DIURNAL[local.getUTCHours()] / DIURNAL_MEAN) * weekend;
      for (let i = poisson(random, lambda); i > 0; i--) {
        rows.push(
          verbatim({
            source: 'replay',
            externalId: `n-${at}-${t}-${i}`,
            author: `customer-${Math.floor(random() * 4_000)}@example.com`,
            channel: random() < 0.5 ? 'email' : 'chat',
            receivedAt: new Date(at + Math.floor(random() * HOUR)).toISOString(),
            text: topic.texts[Math.floor(random() * topic.texts.length)],
            lang: undefined,
          }),
        );
      }
    });
  }
  return rows;
}

/** Mid-week alerts: a replayed normal week raises none; an injected incident raises one, once. */
describe('alerts on emerging irritants', () => {
  const { api, db } = useApi({
    env: { CLOCK_START: new Date(WEEK_START).toISOString(), JOB_CONCURRENCY: '2' },
  });
  let admin: string;
  let viewer: string;
  let clock: Clock;
  let received: string[];

  beforeAll(async () => {
    [admin, viewer] = await Promise.all([api.key(Role.Admin), api.key(Role.Viewer)]);
    clock = api.app.get(Clock);
    clock.freeze(new Date(WEEK_START));
    const rows = normalTraffic(HISTORY_START, WEEK_START + 7 * 24 * HOUR);
    received = [];
    for (let i = 0; i < rows.length; i += 1_000) {
      const posted = await http(api.url, 'POST', '/api/v1/verbatims', {
        key: admin,
        body: rows.slice(i, i + 1_000),
      });
      expect(posted.status).toBe(201);
      received.push(...posted.body.items.map((item: { id: string }) => item.id));
    }
    await waitForLastStage(db.url, received);
    // Two workers may each start an irritant for one topic at the same instant: the regrouping,
    // which an installation runs by itself within two minutes of a burst, makes them one.
    expect((await http(api.url, 'POST', '/api/v1/irritants/regroup', { key: admin })).status).toBe(200);
  });

  const scanAt = async (at: number) => {
    clock.freeze(new Date(at));
    const scanned = await http(api.url, 'POST', '/api/v1/alerts/scan', { key: admin });
    expect(scanned.status).toBe(200);
    return scanned.body as {
      id: string;
      irritantId: string;
      window: string;
      observed: number;
      status: string;
    }[];
  };

  it('raises nothing over a replayed normal week, scanned every hour', async () => {
    expect(received.length).toBeGreaterThan(3_000);
    const raised = [];
    for (let at = WEEK_START + HOUR; at <= WEEK_START + 7 * 24 * HOUR; at += HOUR)
      raised.push(...(await scanAt(at)));
    expect(raised).toEqual([]);
    expect((await http(api.url, 'GET', '/api/v1/alerts', { key: viewer })).body).toEqual([]);
  });

  it('raises one alert, with its evidence, for an incident, and not again while it goes on', async () => {
    const hook = await http(api.url, 'POST', '/api/v1/outgoing-webhooks', {
      key: admin,
      body: { url: 'http://127.0.0.1:9/alerts', events: ['alert.raised'] },
    });
    expect(hook.status).toBe(201);
    const crash = TOPICS[3];
    const random = seeded(7);
    const incident = Array.from({ length: 30 }, (_, i) =>
      verbatim({
        source: 'replay',
        externalId: `incident-${i}`,
        author: `incident-${i}@example.com`,
        channel: i % 2 ? 'chat' : 'email',
        receivedAt: new Date(INCIDENT_START + Math.floor(random() * HOUR)).toISOString(),
        text: `${crash.texts[i % crash.texts.length]}${i % 3 === 0 ? ', écrivez-moi à incident.' + i + '@example.com' : ''}`,
      }),
    );
    const posted = await http(api.url, 'POST', '/api/v1/verbatims', { key: admin, body: incident });
    await waitForLastStage(
      db.url,
      posted.body.items.map((item: { id: string }) => item.id),
    );
    const raised = [];
    // The rest of the week, every hour, and a second scan at the same instant (another worker).
    for (let at = INCIDENT_START + HOUR; at <= WEEK_START + 7 * 24 * HOUR; at += HOUR) {
      raised.push(...(await scanAt(at)));
      if (at === INCIDENT_START + HOUR) expect(await scanAt(at)).toEqual([]);
    }
    expect(raised).toHaveLength(1);
    const [alert] = raised;
    expect(alert).toMatchObject({ window: 'hour', status: 'raised' });
    expect(alert.observed).toBeGreaterThanOrEqual(20);
    const [irritant] = await query<{ irritant_id: string }>(
      db.url,
      `SELECT irritant_id FROM verbatim WHERE external_id = 'incident-0'`,
    );
    expect(alert.irritantId).toBe(irritant.irritant_id);

    const read = await http(api.url, 'GET', `/api/v1/alerts/${alert.id}`, { key: viewer });
    expect(read.body.evidence).toMatchObject({
      thresholds: { minCustomers: 5, pValue: 0.0001, minRatio: 3 },
    });
    expect(read.body.evidence.pValue).toBeLessThan(1e-10);
    expect(read.body.evidence.ratio).toBeGreaterThanOrEqual(3);
    expect(read.body.evidence.hourly).toHaveLength(24);
    expect(read.body.evidence.hourly[23]).toBe(alert.observed);
    expect(read.body.evidence.quotes).toHaveLength(3);
    expect(JSON.stringify(read.body)).not.toMatch(/incident\.\d+@example\.com/);
    // The episode ended a day after the last jump; nothing was raised again.
    expect(read.body.closedAt).not.toBeNull();
    const [deliveries] = await query<{ n: string }>(
      db.url,
      `SELECT count(*) AS n FROM webhook_delivery WHERE event = 'alert.raised'`,
    );
    expect(Number(deliveries.n)).toBe(1);
  });

  it('lets only admins scan, and readers read', async () => {
    expect((await http(api.url, 'POST', '/api/v1/alerts/scan', { key: viewer })).status).toBe(403);
    expect((await http(api.url, 'GET', '/api/v1/alerts/thresholds', { key: viewer })).body).toMatchObject({
      minCustomersHour: 5,
      minCustomersDay: 10,
      maxPerDay: 5,
    });
  });
});
