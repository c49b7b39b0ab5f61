import { PrivacyService } from '@app/analysis';
import { BoardService } from '@app/board';
import { Role } from '@app/database';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { query, waitForLastStage } from './support/database';
import { http } from './support/http';

/** A person's erasure (GDPR) and the retention of raw text. */
describe('privacy', () => {
  const { api, db } = useApi({ env: { RAW_TEXT_RETENTION_DAYS: '30' } });
  let admin: string;
  let triager: string;

  beforeAll(async () => {
    [admin, triager] = await Promise.all([api.key(Role.Admin), api.key(Role.Triager)]);
  });

  it('erases a person: verbatims, survey answers, identity links, quotes on boards; irritants recounted', async () => {
    const now = new Date().toISOString();
    const complaint = 'Paiement refusé au 3-D Secure, impossible de payer mon billet';
    const posted = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: [
        verbatim({
          source: 'gdpr',
          externalId: 'j-1',
          author: 'jeanne@example.com',
          channel: 'email',
          text: complaint,
          receivedAt: now,
        }),
        verbatim({
          source: 'gdpr',
          externalId: 'j-2',
          author: 'jeanne@example.com',
          channel: 'chat',
          text: `${complaint} encore`,
          receivedAt: now,
        }),
        verbatim({
          source: 'gdpr',
          externalId: 'o-1',
          author: 'paul@example.com',
          text: complaint,
          receivedAt: now,
        }),
        verbatim({
          source: 'gdpr',
          externalId: 'o-2',
          author: 'lea@example.com',
          text: complaint,
          receivedAt: now,
        }),
      ],
    });
    await http(api.url, 'POST', '/api/v1/surveys/answers', {
      key: triager,
      body: {
        answers: [
          {
            answerId: 'a-1',
            kind: 'nps',
            score: 2,
            answeredAt: now,
            comment: complaint,
            customer: 'jeanne@example.com',
          },
        ],
      },
    });
    await http(api.url, 'POST', '/api/v1/identity-links', {
      key: admin,
      body: { identity: 'facebook:U1', sameAs: 'jeanne@example.com' },
    });
    const ids: string[] = posted.body.items.map((item: { id: string }) => item.id);
    await waitForLastStage(db.url, ids);
    const jeanne = (await http(api.url, 'GET', `/api/v1/verbatims/${ids[0]}`, { key: admin })).body as {
      authorKey: string;
      irritantId: string;
    };
    const boards = api.app.get(BoardService);
    await boards.compute(boards.currentWeek());
    const hers = (
      await query<{ id: string }>(db.url, 'SELECT id FROM verbatim WHERE author_key = $1', [jeanne.authorKey])
    ).map((row) => row.id);
    expect(hers).toHaveLength(3);
    // Three quotes of five verbatims, three of them hers: at least one of hers is quoted.
    const quoted = async () =>
      (await query<{ quotes: { verbatimId: string }[] }>(db.url, 'SELECT quotes FROM board_item')).flatMap(
        (row) => row.quotes.map((quote) => quote.verbatimId),
      );
    expect((await quoted()).some((id) => hers.includes(id))).toBe(true);

    expect(
      (await http(api.url, 'DELETE', `/api/v1/people/${jeanne.authorKey}`, { key: triager })).status,
    ).toBe(403);
    expect((await http(api.url, 'DELETE', '/api/v1/people/jeanne@example.com', { key: admin })).status).toBe(
      400,
    );
    const erased = await http(api.url, 'DELETE', `/api/v1/people/${jeanne.authorKey}`, { key: admin });
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ verbatims: 3, surveyAnswers: 1, identityLinks: 1 });
    expect(erased.body.irritantsRecounted).toBeGreaterThanOrEqual(1);

    expect(await query(db.url, 'SELECT id FROM verbatim WHERE author_key = $1', [jeanne.authorKey])).toEqual(
      [],
    );
    expect(
      await query(db.url, 'SELECT id FROM survey_answer WHERE author_key = $1', [jeanne.authorKey]),
    ).toEqual([]);
    expect(await query(db.url, 'SELECT * FROM identity_link')).toEqual([]);
    expect((await quoted()).some((id) => hers.includes(id))).toBe(false);
    const [irritant] = await query<{ distinct_customers: number }>(
      db.url,
      'SELECT distinct_customers FROM irritant WHERE id = $1',
      [jeanne.irritantId],
    );
    expect(irritant.distinct_customers).toBe(2);
    const [audit] = await query<{ subject_id: string }>(
      db.url,
      `SELECT subject_id FROM audit_event WHERE action = 'person.erased'`,
    );
    expect(audit.subject_id).toBe(jeanne.authorKey);
  });

  it('replaces raw text past the retention by its redacted form, and keeps the recent one', async () => {
    const old = new Date(Date.now() - 60 * 86_400_000).toISOString();
    const text = 'Remboursement refusé, écrivez-moi à claire.martin@example.com ou au 06 12 34 56 78';
    const posted = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: [
        verbatim({
          source: 'retention',
          externalId: 'old',
          author: 'claire@example.com',
          text,
          receivedAt: old,
        }),
        verbatim({
          source: 'retention',
          externalId: 'new',
          author: 'claire@example.com',
          text,
          receivedAt: new Date().toISOString(),
        }),
      ],
    });
    await waitForLastStage(
      db.url,
      posted.body.items.map((item: { id: string }) => item.id),
    );
    expect(await api.app.get(PrivacyService).purge(new Date())).toBe(1);
    const rows = await query<{ external_id: string; raw_text: string; redacted_text: string }>(
      db.url,
      `SELECT external_id, raw_text, redacted_text FROM verbatim WHERE external_id IN ('old', 'new') ORDER BY external_id`,
    );
    expect(rows[1]).toMatchObject({ external_id: 'old' });
    expect(rows[1].raw_text).toBe(rows[1].redacted_text);
    expect(rows[1].raw_text).not.toContain('claire.martin@example.com');
    expect(rows[0].raw_text).toContain('claire.martin@example.com');
    expect(await api.app.get(PrivacyService).purge(new Date())).toBe(0);
  });
});
