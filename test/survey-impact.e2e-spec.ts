import { Role } from '@app/database';
import { useApi } from './support/app';
import { query, waitForLastStage } from './support/database';
import { http } from './support/http';

const WEEK = '2026-W41';
/** A day of 2026-W41 (Monday 5 October 2026), at 10:00 Paris. */
const day = (n: number, minute = 0) => new Date(Date.UTC(2026, 9, 5 + n, 8, minute)).toISOString();
const PAYMENT = [
  'Paiement refusé au 3-D Secure, impossible de payer ma commande',
  'Mon paiement est refusé par 3-D Secure, impossible de payer',
  'Paiement refusé 3-D Secure encore une fois, impossible de payer',
  'Impossible de payer : paiement refusé au 3-D Secure',
];

interface Answer {
  answerId: string;
  kind: 'nps' | 'csat';
  score: number;
  answeredAt: string;
  customer: string;
  comment?: string;
  lang?: string;
}

/** NPS (or CSAT) of answers, the way the reference team computes it by hand. */
function score(answers: Answer[]): number {
  const n = answers.length;
  if (answers[0].kind === 'nps')
    return (
      ((answers.filter((a) => a.score >= 9).length - answers.filter((a) => a.score <= 6).length) / n) * 100
    );
  return (answers.filter((a) => a.score >= 4).length / n) * 100;
}

/** The points of NPS and CSAT each irritant costs, from survey comments, on the irritant, the board and the digest. */
describe('survey impact per irritant', () => {
  // Wednesday of the week after: the week's board is live, the survey window covers it.
  const { api, db } = useApi({ env: { CLOCK_START: '2026-10-14T10:00:00+02:00' } });
  let viewer: string;
  let irritantId: string;
  const answers: Answer[] = [];

  beforeAll(async () => {
    const triager = await api.key(Role.Triager);
    viewer = await api.key(Role.Viewer);
    // Ten NPS answers whose comment is about the refused payment: 8 detractors, 2 passives.
    for (let i = 0; i < 10; i++)
      answers.push({
        answerId: `nps-pay-${i}`,
        kind: 'nps',
        score: i < 8 ? 2 : 7,
        answeredAt: day(i % 5, i),
        customer: `pay-${i}@example.com`,
        comment: PAYMENT[i % PAYMENT.length],
        lang: 'fr',
      });
    // One of them answered again without a comment (a promoter): still a customer who mentions it.
    answers.push({
      answerId: 'nps-pay-0-bis',
      kind: 'nps',
      score: 9,
      answeredAt: day(6),
      customer: 'pay-0@example.com',
    });
    // Thirty others without comments: 18 promoters, 8 passives, 4 detractors.
    for (let i = 0; i < 30; i++)
      answers.push({
        answerId: `nps-other-${i}`,
        kind: 'nps',
        score: i < 18 ? 10 : i < 26 ? 8 : 5,
        answeredAt: day(i % 7, 30),
        customer: `other-${i}@example.com`,
      });
    // CSAT: four comments about the payment (scores 1, 2, 2, 4) and sixteen others (12 satisfied).
    for (let i = 0; i < 4; i++)
      answers.push({
        answerId: `csat-pay-${i}`,
        kind: 'csat',
        score: [1, 2, 2, 4][i],
        answeredAt: day(i, 40),
        customer: `csat-pay-${i}@example.com`,
        comment: PAYMENT[i],
        lang: 'fr',
      });
    for (let i = 0; i < 16; i++)
      answers.push({
        answerId: `csat-other-${i}`,
        kind: 'csat',
        score: i < 12 ? 5 : 2,
        answeredAt: day(i % 7, 50),
        customer: `csat-other-${i}@example.com`,
      });
    const posted = await http(api.url, 'POST', '/api/v1/surveys/answers', {
      key: triager,
      body: { answers },
    });
    expect(posted.body).toEqual({ stored: answers.length, duplicates: 0 });
    const comments = await query<{ id: string }>(db.url, `SELECT id FROM verbatim`);
    expect(comments).toHaveLength(14);
    await waitForLastStage(
      db.url,
      comments.map((row) => row.id),
    );
    // The irritant most of the comments joined (clustering decides; the expectations follow it).
    const [top] = await query<{ irritant_id: string }>(
      db.url,
      `SELECT irritant_id FROM verbatim GROUP BY irritant_id ORDER BY count(*) DESC LIMIT 1`,
    );
    irritantId = top.irritant_id;
  });

  /** What the irritant costs, computed from the answers and where their comments went. */
  async function expected(kind: 'nps' | 'csat') {
    const rows = await query<{ answer_id: string }>(
      db.url,
      `SELECT s.answer_id FROM survey_answer s JOIN verbatim v ON v.id = s.verbatim_id
        WHERE v.irritant_id = $1 AND s.kind = $2`,
      [irritantId, kind],
    );
    const ofKind = answers.filter((a) => a.kind === kind);
    const who = new Set(
      ofKind.filter((a) => rows.some((r) => r.answer_id === a.answerId)).map((a) => a.customer),
    );
    const rest = ofKind.filter((a) => !who.has(a.customer));
    return {
      points: Math.round((score(rest) - score(ofKind)) * 10) / 10,
      mentioning: ofKind.length - rest.length,
      answers: ofKind.length,
    };
  }

  it('gives the points each survey would gain without the customers who mention the irritant, with an interval', async () => {
    const impact = await http(api.url, 'GET', `/api/v1/irritants/${irritantId}/survey-impact`, {
      key: viewer,
    });
    expect(impact.status).toBe(200);
    const nps = await expected('nps');
    // Most of the ten payment comments joined this irritant, and pay-0's second answer counts with them.
    expect(nps.mentioning).toBeGreaterThanOrEqual(6);
    expect(impact.body.nps).toMatchObject({ points: nps.points, mentioning: nps.mentioning, answers: 41 });
    expect(impact.body.nps.points).toBeGreaterThan(10);
    expect(impact.body.nps.ci95).toBeGreaterThan(0);
    expect(impact.body.nps.ci95).toBeLessThan(impact.body.nps.points);
    const csat = await expected('csat');
    expect(impact.body.csat).toMatchObject({ points: csat.points, mentioning: csat.mentioning, answers: 20 });
    expect(impact.body.windowDays).toBe(90);
    expect(impact.body.to).toMatch(/^2026-10-14T08:0/);
  });

  it('is a reason on the client axis and a line of the digest, in each language', async () => {
    const nps = await expected('nps');
    const item = await http(api.url, 'GET', `/api/v1/boards/${WEEK}/items/${irritantId}`, { key: viewer });
    expect(item.status).toBe(200);
    expect(item.body.item.axes.client.reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^costs ${nps.points.toFixed(1)} NPS points \\(±\\d+\\.\\d\\)$`)),
      ]),
    );
    const en = await http(api.url, 'GET', `/api/v1/digests/${WEEK}?lang=en&format=text`, { key: viewer });
    expect(en.body).toContain(`costs ${nps.points.toFixed(1)} NPS points`);
    const fr = await http(api.url, 'GET', `/api/v1/digests/${WEEK}?lang=fr&format=text`, { key: viewer });
    expect(fr.body).toContain(`coûte ${nps.points.toFixed(1).replace('.', ',')} points de NPS`);
  });

  it('answers 404 for an irritant that does not exist and says nothing of one no comment mentions', async () => {
    const missing = await http(
      api.url,
      'GET',
      '/api/v1/irritants/00000000-0000-4000-8000-000000000000/survey-impact',
      {
        key: viewer,
      },
    );
    expect(missing.status).toBe(404);
    const [other] = await query<{ id: string }>(
      db.url,
      `INSERT INTO irritant (category, label, centroid, first_seen_at, last_seen_at)
       VALUES ('payment', 'unmentioned', '{}', now(), now()) RETURNING id`,
    );
    const none = await http(api.url, 'GET', `/api/v1/irritants/${other.id}/survey-impact`, { key: viewer });
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ nps: null, csat: null });
  });
});
