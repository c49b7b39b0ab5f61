import { Role } from '@app/database';
import { JobName, JobQueue } from '@app/jobs';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { query, waitForLastStage } from './support/database';
import { http } from './support/http';
import { until } from './support/wait';

/**
 * The triage team's decisions on irritants (move, split, category correction) hold: clustering
 * leaves decided verbatims where people put them, later verbatims follow the decisions, and the
 * decisions train the next model.
 */
describe('irritant triage decisions', () => {
  const { api, db } = useApi();
  let triager: string;
  let viewer: string;

  beforeAll(async () => {
    triager = await api.key(Role.Triager);
    viewer = await api.key(Role.Viewer);
  });

  let sequence = 0;
  /** Posts French verbatims and waits until they are clustered; returns their ids. */
  async function post(...texts: string[]): Promise<string[]> {
    const response = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: texts.map((text) =>
        verbatim({ source: 'triage', externalId: `t-${++sequence}`, text, lang: 'fr' }),
      ),
    });
    expect(response.status).toBe(201);
    const ids: string[] = response.body.items.map((item: { id: string }) => item.id);
    await waitForLastStage(db.url, ids);
    return ids;
  }

  const placeOf = async (id: string) =>
    (
      await query<{ irritant_id: string | null; category: string; pinned: boolean }>(
        db.url,
        'SELECT irritant_id, category, irritant_pinned_at IS NOT NULL AS pinned FROM verbatim WHERE id = $1',
        [id],
      )
    )[0];

  const irritantOf = async (id: string) =>
    (await http(api.url, 'GET', `/api/v1/irritants/${id}`, { key: viewer })).body as {
      id: string;
      category: string;
      verbatimCount: number;
    };

  /** Merges the irritants of these verbatims into one, so that a test starts from a known grouping. */
  async function oneIrritant(ids: string[]): Promise<string> {
    const irritants = [...new Set(await Promise.all(ids.map(async (id) => (await placeOf(id)).irritant_id)))];
    const [into, ...others] = irritants as string[];
    for (const other of others) {
      const merged = await http(api.url, 'POST', `/api/v1/irritants/${other}/merge`, {
        key: triager,
        body: { into },
      });
      expect(merged.status).toBe(200);
    }
    return into;
  }

  it('moves a verbatim to another irritant: pinned there, audited, counted, and left there by clustering', async () => {
    const [first, second] = await post(
      'Paiement refusé à l’étape 3-D Secure, ma banque dit que tout va bien',
      'mon paiement est refusé au 3-D Secure alors que la banque valide',
    );
    const [wheelchair] = await post(
      'Aucune assistance pour mon fauteuil roulant en gare de Lyon, personne au rendez-vous',
    );
    const from = (await placeOf(second)).irritant_id as string;
    const into = (await placeOf(wheelchair)).irritant_id as string;
    const fromBefore = await irritantOf(from);
    const intoBefore = await irritantOf(into);
    expect(intoBefore.category).not.toBe(fromBefore.category);

    const path = `/api/v1/verbatims/${second}/irritant`;
    expect((await http(api.url, 'PUT', path, { key: viewer, body: { irritantId: into } })).status).toBe(403);
    expect((await http(api.url, 'PUT', path, { key: triager, body: { irritantId: 'nope' } })).status).toBe(
      400,
    );
    expect(
      (
        await http(api.url, 'PUT', path, {
          key: triager,
          body: { irritantId: '00000000-0000-4000-8000-000000000000' },
        })
      ).status,
    ).toBe(404);

    const moved = await http(api.url, 'PUT', path, { key: triager, body: { irritantId: into } });
    expect(moved.status).toBe(200);
    // Moved into an irritant of another category: the category is corrected with it.
    expect(moved.body).toMatchObject({
      irritantId: into,
      irritantPinned: true,
      category: intoBefore.category,
    });
    expect((await irritantOf(into)).verbatimCount).toBe(intoBefore.verbatimCount + 1);
    expect((await irritantOf(from)).verbatimCount).toBe(fromBefore.verbatimCount - 1);
    const [audit] = await query<{ action: string; before: unknown; after: unknown }>(
      db.url,
      `SELECT action, before, after FROM audit_event WHERE subject_id = $1 AND action = 'verbatim.irritant.move'`,
      [second],
    );
    expect(audit).toMatchObject({ before: { irritantId: from }, after: { irritantId: into } });
    const [{ corrected }] = await query<{ corrected: boolean }>(
      db.url,
      'SELECT category_corrected_by IS NOT NULL AS corrected FROM verbatim WHERE id = $1',
      [second],
    );
    expect(corrected).toBe(true);
    const lessons = await query<{ irritant_id: string; should_join: boolean }>(
      db.url,
      `SELECT irritant_id, should_join FROM irritant_feedback WHERE verbatim_id = $1 ORDER BY should_join`,
      [second],
    );
    expect(lessons).toEqual([
      { irritant_id: from, should_join: false },
      { irritant_id: into, should_join: true },
    ]);

    // The same move again changes nothing; replayed clustering leaves the verbatim where it was put.
    expect((await http(api.url, 'PUT', path, { key: triager, body: { irritantId: into } })).status).toBe(200);
    await api.app.get(JobQueue).requeue(JobName.ClusterVerbatims, { verbatimIds: [first, second] });
    await api.idle();
    expect(await placeOf(second)).toMatchObject({ irritant_id: into, pinned: true });
    expect((await irritantOf(into)).verbatimCount).toBe(intoBefore.verbatimCount + 1);
  });

  it('deletes an irritant that a move leaves empty', async () => {
    const [alone] = await post('Le wifi à bord du TGV ne marche jamais entre Paris et Marseille');
    const [other] = await post('Le site est très lent, chaque page met une minute à charger');
    const empty = (await placeOf(alone)).irritant_id as string;
    const into = (await placeOf(other)).irritant_id as string;
    expect(empty).not.toBe(into);
    const moved = await http(api.url, 'PUT', `/api/v1/verbatims/${alone}/irritant`, {
      key: triager,
      body: { irritantId: into },
    });
    expect(moved.status).toBe(200);
    // The person is told where it went, and that its irritant, left empty, is gone.
    expect(moved.body.placement).toMatchObject({
      moved: true,
      from: { id: empty, deleted: true },
      to: { id: into, created: false },
    });
    expect(await query(db.url, 'SELECT id FROM irritant WHERE id = $1', [empty])).toEqual([]);
    // Its id leads to the irritant its verbatim went to.
    const gone = await fetch(`${api.url}/api/v1/irritants/${empty}`, {
      headers: { authorization: `Bearer ${viewer}` },
      redirect: 'manual',
    });
    expect(gone.status).toBe(301);
    expect(gone.headers.get('location')).toBe(`/api/v1/irritants/${into}`);
  });

  it('splits verbatims off an irritant into a new one, which later verbatims of their topic join', async () => {
    const ids = await post(
      'Paiement refusé avec Apple Pay sur iPhone, impossible de payer le billet',
      'Apple Pay ne fonctionne pas pour payer mon billet, paiement refusé',
      'paiement refusé au 3-D Secure malgré la validation de ma banque',
      'encore un paiement refusé lors de la validation 3-D Secure de la banque',
    );
    const irritant = await oneIrritant(ids);
    const applePay = ids.slice(0, 2);
    const splitPath = `/api/v1/irritants/${irritant}/split`;
    expect(
      (await http(api.url, 'POST', splitPath, { key: viewer, body: { verbatimIds: applePay } })).status,
    ).toBe(403);
    const everyOne = (
      await query<{ id: string }>(db.url, 'SELECT id FROM verbatim WHERE irritant_id = $1', [irritant])
    ).map((row) => row.id);
    // Splitting every verbatim off would only rename the irritant.
    expect(
      (await http(api.url, 'POST', splitPath, { key: triager, body: { verbatimIds: everyOne } })).status,
    ).toBe(400);
    const [outsider] = await post('Le site est très lent ce matin, les pages mettent une minute à charger');
    const refused = await http(api.url, 'POST', splitPath, {
      key: triager,
      body: { verbatimIds: [applePay[0], outsider] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain(outsider);

    const split = await http(api.url, 'POST', splitPath, { key: triager, body: { verbatimIds: applePay } });
    expect(split.status).toBe(201);
    expect(split.body.verbatimCount).toBe(2);
    expect(split.body.id).not.toBe(irritant);
    expect(split.body.label).toMatch(/apple|pay/i);
    expect((await irritantOf(irritant)).verbatimCount).toBe(everyOne.length - 2);
    for (const id of applePay)
      expect(await placeOf(id)).toMatchObject({ irritant_id: split.body.id, pinned: true });

    const [later] = await post('Apple Pay refuse encore de payer mon billet sur iPhone');
    expect((await placeOf(later)).irritant_id).toBe(split.body.id);
    const [threeDs] = await post('paiement refusé à la validation 3-D Secure, la banque a pourtant validé');
    expect((await placeOf(threeDs)).irritant_id).toBe(irritant);
  });

  it('keeps a verbatim whose category is corrected in its irritant, whose category follows the majority', async () => {
    const [id] = await post('Impossible de me connecter à mon compte, le mot de passe est refusé');
    const before = await placeOf(id);
    const corrected = await http(api.url, 'PATCH', `/api/v1/verbatims/${id}/category`, {
      key: triager,
      body: { category: 'mobile_app' },
    });
    expect(corrected.status).toBe(200);
    // Irritants follow the topic: the verbatim stays where its words put it.
    expect(corrected.body.placement).toMatchObject({ moved: false });
    const after = await placeOf(id);
    expect(after).toMatchObject({ irritant_id: before.irritant_id, category: 'mobile_app' });
    const irritant = await irritantOf(after.irritant_id as string);
    const categories = await query<{ category: string; n: number }>(
      db.url,
      `SELECT category, count(*)::int AS n FROM verbatim WHERE irritant_id = $1
        GROUP BY category ORDER BY count(*) DESC, category LIMIT 1`,
      [after.irritant_id],
    );
    expect(irritant.category).toBe(categories[0].category);
  });

  it('retrains on schedule only when the team taught something, and fits the join threshold to its decisions', async () => {
    const models = () =>
      query<{ version: string; join_threshold: number | null; trained_on: number }>(
        db.url,
        'SELECT version, join_threshold, trained_on FROM classifier_model ORDER BY created_at',
      );
    const jobs = api.app.get(JobQueue);
    const retrained = (count: number) =>
      until(models, (list) => list.length >= count, { what: `${count} stored models` });
    const initial = await models();
    await jobs.requeue(JobName.RetrainModel, {});
    await retrained(initial.length + 1);
    const afterFirst = await models();
    expect(afterFirst).toHaveLength(initial.length + 1);
    // The corrections and moves above are in it.
    expect(afterFirst.at(-1)?.trained_on).toBeGreaterThan(initial[0].trained_on);

    // Nothing new taught: no new model.
    await jobs.requeue(JobName.RetrainModel, {});
    await api.idle();
    expect(await models()).toHaveLength(afterFirst.length);

    // Enough decisions saying that verbatims 0.2 alike are different topics: the threshold rises.
    await query(
      db.url,
      `INSERT INTO irritant_feedback (kind, irritant_id, similarity, should_join, actor)
       SELECT 'split', gen_random_uuid(), 0.18 + (i % 5) * 0.01, false, 'test' FROM generate_series(1, 30) i
       UNION ALL
       SELECT 'merge', gen_random_uuid(), 0.4 + (i % 5) * 0.01, true, 'test' FROM generate_series(1, 30) i`,
    );
    await jobs.requeue(JobName.RetrainModel, {});
    await retrained(afterFirst.length + 1);
    const fitted = (await models()).at(-1);
    expect(fitted?.join_threshold).toBeGreaterThan(0.22);
    expect(fitted?.join_threshold).toBeLessThanOrEqual(0.4);
  });
});
