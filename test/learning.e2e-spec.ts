import { Role } from '@app/database';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { query } from './support/database';
import { http } from './support/http';
import { until } from './support/wait';
import { spawnApp } from './support/processes';

/** Triagers correct categories; `nlp:train` learns from them; running processes pick the new model up. */
describe('learning from triage', () => {
  const { api, db } = useApi({ env: { MODEL_REFRESH_SECONDS: '1' } });
  let triager: string;
  let viewer: string;

  beforeAll(async () => {
    triager = await api.key(Role.Triager);
    viewer = await api.key(Role.Viewer);
  });

  const analyzed = async (id: string) =>
    (
      await until(
        () => http(api.url, 'GET', `/api/v1/verbatims/${id}`, { key: viewer }),
        (response) => response.body.stage === 'clustered',
        { what: `verbatim ${id} to be analysed` },
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
