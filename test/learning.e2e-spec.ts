import { Role } from '@app/database';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { query } from './support/database';
import { http } from './support/http';
import { until } from './support/wait';
import { spawnApp } from './support/processes';

/** Triagers correct categories; `nlp:train` learns from them; running processes pick the new model up. */
describe('learning from triage', () => {
  // A fresh installation: the first analysis trains the shipped models.
  const { api, db } = useApi({ env: { MODEL_REFRESH_SECONDS: '1' }, untrained: true });
  let triager: string;
  let viewer: string;
  let admin: string;

  beforeAll(async () => {
    triager = await api.key(Role.Triager);
    viewer = await api.key(Role.Viewer);
    admin = await api.key(Role.Admin);
  });

  const analyzed = async (id: string) =>
    (
      await until(
        () => http(api.url, 'GET', `/api/v1/verbatims/${id}`, { key: viewer }),
        (response) => response.body.stage === 'clustered',
        // The first analysis of a fresh installation trains the shipped models first (the
        // category classifier and its calibration, the sentiment model): seconds, more on a
        // loaded machine.
        { what: `verbatim ${id} to be analysed`, timeoutMs: 120_000 },
      )
    ).body;
  const post = async (text: string) => {
    const response = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: verbatim({ text }),
    });
    return response.body.items[0].id as string;
  };

  it('records a correction with its audit trail, and trains the next model on it', async () => {
    const id = await post('Le chat du site me répond en boucle la même chose');
    const first = await analyzed(id);
    expect(first.modelVersion).toMatch(/^online-travel-seller-/);

    expect(
      (
        await http(api.url, 'PATCH', `/api/v1/verbatims/${id}/category`, {
          key: viewer,
          body: { category: 'customer_service' },
        })
      ).status,
    ).toBe(403);
    const invalid = await http(api.url, 'PATCH', `/api/v1/verbatims/${id}/category`, {
      key: triager,
      body: { category: 'weather' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toMatch(/category must be one of/);

    const corrected = await http(api.url, 'PATCH', `/api/v1/verbatims/${id}/category`, {
      key: triager,
      body: { category: 'customer_service' },
    });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ category: 'customer_service', needsTriage: false });
    const audit = await query<{ action: string; before: { category: string }; after: { category: string } }>(
      db.url,
      `SELECT action, before, after FROM audit_event WHERE subject_id = $1`,
      [id],
    );
    expect(audit).toEqual([
      {
        action: 'verbatim.category.correct',
        before: { category: first.category },
        after: { category: 'customer_service' },
      },
    ]);

    const train = spawnApp('cli', ['nlp:train'], {
      DATABASE_URL: db.url,
      AUTHOR_KEY_SECRET: 'test-author-key-secret-0123456789',
      LOG_LEVEL: 'warn',
    });
    expect(await train.exited).toBe(0);
    const [, version, corrections] =
      /stored model (\S+): \d+ shipped examples, (\d+) corrections/.exec(train.output()) ?? [];
    expect(Number(corrections)).toBe(1);
    expect(version).not.toBe(first.modelVersion);

    // The API process looks for a newer model every second here (MODEL_REFRESH_SECONDS): the
    // verbatims it analyses from then on carry the new version.
    const next = await until(
      async () => analyzed(await post('Impossible de joindre le service client')),
      (verbatim) => verbatim.modelVersion === version,
      { what: `the API to analyse with model ${version}` },
    );
    expect(next.modelVersion).toBe(version);
  });

  it('learns sentiment from triagers’ corrections and survey answers with their score', async () => {
    // Sarcasm, said by the analysis as a complaint from the start.
    const sarcastic = await analyzed(await post('Génial, encore un retard de 40 minutes, merci pour rien'));
    expect(sarcastic).toMatchObject({ sentimentLabel: 'negative' });
    expect(sarcastic.intent).not.toBe('praise');

    const id = await post('Le nouveau plan du quai est sobre');
    const before = await analyzed(id);
    const path = `/api/v1/verbatims/${id}/sentiment`;
    expect((await http(api.url, 'PATCH', path, { key: viewer, body: { label: 'positive' } })).status).toBe(
      403,
    );
    const invalid = await http(api.url, 'PATCH', path, { key: triager, body: { label: 'ecstatic' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toMatch(/label must be one of/);
    const corrected = await http(api.url, 'PATCH', path, { key: triager, body: { label: 'positive' } });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ sentimentLabel: 'positive', sentiment: 0.7 });
    expect(corrected.body.sentimentCorrectedBy).toMatch(/^apikey:/);
    expect(
      await query(db.url, `SELECT action, before, after FROM audit_event WHERE subject_id = $1`, [id]),
    ).toEqual([
      {
        action: 'verbatim.sentiment.correct',
        before: { sentiment: before.sentimentLabel },
        after: { sentiment: 'positive' },
      },
    ]);
    expect(
      (
        await http(api.url, 'PATCH', '/api/v1/verbatims/00000000-0000-4000-8000-000000000000/sentiment', {
          key: triager,
          body: { label: 'neutral' },
        })
      ).status,
    ).toBe(404);

    // Survey comments are verbatims with their score: a detractor's and a promoter's teach; a passive's does not.
    const answers = [
      { score: 2, comment: 'Le site a encore planté au paiement' },
      { score: 10, comment: 'Réservation rapide, rien à redire' },
      { score: 8, comment: 'Correct sans plus' },
    ].map(({ score, comment }, i) => ({
      answerId: `learn-${i}`,
      kind: 'nps',
      score,
      answeredAt: new Date().toISOString(),
      customer: `c${i}@example.com`,
      comment,
      lang: 'fr',
    }));
    const stored = await http(api.url, 'POST', '/api/v1/surveys/answers', {
      key: triager,
      body: { answers },
    });
    expect(stored.body).toEqual({ stored: 3, duplicates: 0 });
    const rows = await query<{ id: string }>(db.url, `SELECT id FROM verbatim WHERE channel = 'survey'`);
    for (const row of rows) await analyzed(row.id);

    const train = spawnApp('cli', ['nlp:train'], {
      DATABASE_URL: db.url,
      AUTHOR_KEY_SECRET: 'test-author-key-secret-0123456789',
      LOG_LEVEL: 'warn',
    });
    expect(await train.exited).toBe(0);
    const [, lessons] = /(\d+) sentiment lessons/.exec(train.output()) ?? [];
    expect(Number(lessons)).toBe(3);
  });

  it('lets an admin extend the taxonomy; the retrain learns the new category and keeps corrections', async () => {
    const examples = [
      'Ma valise n’est pas arrivée à destination',
      'Bagage perdu entre Paris et Lyon, aucune nouvelle',
      'Le compartiment à bagages était plein, ma valise est restée sur le quai',
      'My suitcase never arrived at my destination',
      'Lost luggage on the Paris train, no news since',
      'The luggage rack was full and my bag was left behind',
      'Ma valise a été abîmée dans le train, qui rembourse ?',
    ];
    const body = { key: 'luggage', label: { fr: 'Bagages', en: 'Luggage' }, examples };
    expect((await http(api.url, 'POST', '/api/v1/categories', { key: triager, body })).status).toBe(403);
    for (const bad of [
      { ...body, key: 'Luggage!' },
      { ...body, examples: examples.slice(0, 2) },
      { ...body, label: { fr: '' } },
    ])
      expect((await http(api.url, 'POST', '/api/v1/categories', { key: admin, body: bad })).status).toBe(400);
    expect((await http(api.url, 'POST', '/api/v1/categories', { key: admin, body })).status).toBe(201);
    expect((await http(api.url, 'POST', '/api/v1/categories', { key: admin, body })).status).toBe(409);
    expect(
      (
        await http(api.url, 'POST', '/api/v1/categories', {
          key: admin,
          body: { ...body, key: 'payment' },
        })
      ).status,
    ).toBe(409);
    const more = await http(api.url, 'POST', '/api/v1/categories/luggage/examples', {
      key: admin,
      body: { examples: ['Bagage oublié dans le train, comment le récupérer ?', 'Left my bag on the train'] },
    });
    expect(more.body).toEqual({ added: 2 });
    expect(
      (
        await http(api.url, 'POST', '/api/v1/categories/weather/examples', {
          key: admin,
          body: { examples: ['il pleut'] },
        })
      ).status,
    ).toBe(404);
    const listed = await http(api.url, 'GET', '/api/v1/categories', { key: viewer });
    expect(listed.body).toEqual(
      expect.arrayContaining([
        {
          key: 'luggage',
          label: { fr: 'Bagages', en: 'Luggage' },
          offSite: false,
          custom: true,
          examples: 9,
        },
        expect.objectContaining({ key: 'payment', custom: false }),
        expect.objectContaining({ key: 'other', custom: false }),
      ]),
    );

    // Triagers may file verbatims under it at once; an unknown category is still refused.
    const id = await post('Ma valise est restée dans le train de 18h');
    await analyzed(id);
    const filed = await http(api.url, 'PATCH', `/api/v1/verbatims/${id}/category`, {
      key: triager,
      body: { category: 'luggage' },
    });
    expect(filed.status).toBe(200);
    const unknown = await http(api.url, 'PATCH', `/api/v1/verbatims/${id}/category`, {
      key: triager,
      body: { category: 'weather' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/category must be one of .*luggage/);

    const train = spawnApp('cli', ['nlp:train'], {
      DATABASE_URL: db.url,
      AUTHOR_KEY_SECRET: 'test-author-key-secret-0123456789',
      LOG_LEVEL: 'warn',
    });
    expect(await train.exited).toBe(0);
    // Every correction is kept: the one of the first test, and the one to the new category.
    const [, version, corrections] =
      /stored model (\S+): \d+ shipped examples, (\d+) corrections/.exec(train.output()) ?? [];
    expect(Number(corrections)).toBe(2);
    // The API looks for a newer model every second (MODEL_REFRESH_SECONDS): from then on it
    // analyses with the new one.
    const next = await until(
      async () => analyzed(await post('Bagage perdu : ma valise n’est jamais arrivée, aucune nouvelle')),
      (verbatim) => verbatim.modelVersion === version,
      { what: `the API to analyse with model ${version}` },
    );
    expect(next.category).toBe('luggage');
  });

  it('refuses to correct a verbatim that does not exist', async () => {
    const response = await http(
      api.url,
      'PATCH',
      '/api/v1/verbatims/00000000-0000-4000-8000-000000000000/category',
      {
        key: triager,
        body: { category: 'payment' },
      },
    );
    expect(response.status).toBe(404);
  });
});
