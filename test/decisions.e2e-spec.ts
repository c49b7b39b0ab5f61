import { Role } from '@app/database';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { waitForLastStage } from './support/database';
import { http } from './support/http';

interface Ticket {
  id: string;
  irritantId: string;
  status: string;
  priority: number;
  team: string | null;
  claimedBy: string | null;
  release: string | null;
  label: string | null;
  axes: Record<string, { score: number; reasons: string[] }>;
  quotes: { text: string }[];
  deployedAt: string | null;
  timeToFixDays: number | null;
}

/**
 * The Monday meeting decides on board items; fixes and small evolutions become tickets that
 * developers pull by priority, claim, and carry to deployment, with time-to-fix measured.
 */
describe('decisions and tickets', () => {
  const { api, db } = useApi();
  let triager: string;
  let viewer: string;
  let developer: string;
  let otherDeveloper: string;
  const week = '2026-W44';
  let items: { irritantId: string; category: string; total: number }[];

  beforeAll(async () => {
    // Thursday of the week after the board's: dates, ages and time-to-fix read this clock.
    api.clock.freeze(new Date('2026-11-05T10:00:00Z'));
    [triager, viewer, developer, otherDeveloper] = await Promise.all([
      api.key(Role.Triager),
      api.key(Role.Viewer),
      api.key(Role.Developer),
      api.key(Role.Developer),
    ]);
    const texts = [
      ['a@example.com', 'Paiement refusé au 3-D Secure, impossible de payer mon billet'],
      ['b@example.com', 'mon paiement est refusé au 3-D Secure sur iPhone'],
      ['c@example.com', 'Aucune assistance pour mon fauteuil roulant en gare'],
      ['d@example.com', 'Le site est très lent, chaque page met une minute à charger'],
      ['e@example.com', 'Je n’ai jamais reçu mon e-billet par e-mail après la réservation'],
    ];
    const response = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: texts.map(([author, text], i) =>
        verbatim({
          source: 'decisions',
          externalId: `d-${i}`,
          author,
          text,
          lang: 'fr',
          receivedAt: '2026-10-27T10:00:00Z',
        }),
      ),
    });
    await waitForLastStage(
      db.url,
      response.body.items.map((item: { id: string }) => item.id),
    );
    items = (await http(api.url, 'GET', `/api/v1/boards/${week}`, { key: viewer })).body.items;
    expect(items.length).toBeGreaterThanOrEqual(4);
  });

  const decide = (irritantId: string, body: Record<string, unknown>, key = triager, w = week) =>
    http(api.url, 'POST', `/api/v1/boards/${w}/items/${irritantId}/decision`, { key, body });
  const tickets = (query = '', key = developer) => http(api.url, 'GET', `/api/v1/tickets${query}`, { key });

  it('lets triagers decide, not viewers or developers, and checks what a decision says', async () => {
    const [first] = items;
    expect((await decide(first.irritantId, { kind: 'fix' }, viewer)).status).toBe(403);
    expect((await decide(first.irritantId, { kind: 'fix' }, developer)).status).toBe(403);
    expect((await decide(first.irritantId, { kind: 'launch' })).status).toBe(400);
    expect((await decide(first.irritantId, { kind: 'route' })).status).toBe(400);
    expect((await decide(first.irritantId, { kind: 'route', department: 'astrology' })).status).toBe(400);
    expect((await decide(first.irritantId, { kind: 'fix', department: 'legal' })).status).toBe(400);
    expect((await decide(first.irritantId, { kind: 'fix' }, triager, '2026-W99')).status).toBe(400);
    expect((await decide('00000000-0000-4000-8000-000000000000', { kind: 'fix' })).status).toBe(404);
  });

  it('opens a ticket for a fix or a small evolution, at the item’s total as priority', async () => {
    const [first, second] = items;
    const fix = await decide(first.irritantId, {
      kind: 'fix',
      owner: 'payments-team',
      targetRelease: '12.5.0',
    });
    expect(fix.status).toBe(201);
    expect(fix.body).toMatchObject({ kind: 'fix', owner: 'payments-team', ticketId: expect.any(String) });
    const evolution = await decide(second.irritantId, { kind: 'small_evolution', owner: 'web-team' });
    expect(evolution.body.ticketId).toEqual(expect.any(String));

    const listed = await tickets();
    expect(listed.status).toBe(200);
    const found = listed.body.items as Ticket[];
    expect(found.map((ticket) => ticket.irritantId)).toEqual([first.irritantId, second.irritantId]);
    expect(found[0]).toMatchObject({
      status: 'todo',
      priority: first.total,
      team: 'payments-team',
      claimedBy: null,
    });
    expect(found[0].axes.client.reasons.length).toBeGreaterThan(0);
    // Reasons in the language asked, with their codes.
    const french = await http(api.url, 'GET', '/api/v1/tickets?lang=fr', { key: developer });
    expect(french.body.items[0].axes.client.reasons[0]).toMatch(/^\d+ clients? sur \d+ cana(l|ux), /);
    expect(french.body.items[0].axes.client.details[0].code).toBe('client.customers');
    expect(found[0].quotes.length).toBeGreaterThan(0);
    expect(JSON.stringify(found)).not.toContain('@example.com');

    // Deciding again updates the same ticket.
    await decide(first.irritantId, { kind: 'fix', owner: 'payments-team', comment: 'top priority' });
    expect(
      ((await tickets()).body.items as Ticket[]).filter((t) => t.irritantId === first.irritantId),
    ).toHaveLength(1);
    const history = await http(api.url, 'GET', `/api/v1/boards/${week}/items/${first.irritantId}/decisions`, {
      key: viewer,
    });
    expect(history.body.map((d: { comment: string | null }) => d.comment)).toEqual([null, 'top priority']);
  });

  it('filters and pages tickets, and refuses malformed filters', async () => {
    expect((await tickets('?team=payments-team')).body.items).toHaveLength(1);
    expect((await tickets('?status=deployed')).body.items).toHaveLength(0);
    expect((await tickets(`?week=${week}`)).body.items).toHaveLength(2);
    const page1 = await tickets('?limit=1');
    expect(page1.body.items).toHaveLength(1);
    const page2 = await tickets(`?limit=1&cursor=${page1.body.next}`);
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.items[0].id).not.toBe(page1.body.items[0].id);
    for (const bad of [
      '?status=done',
      '?terminal=toaster',
      '?week=48',
      '?cursor=bm9wZQ',
      '?limit=1000',
      "?team=%27%3B--&status=todo'",
    ]) {
      expect({ bad, status: (await tickets(bad)).status }).toEqual({ bad, status: 400 });
    }
    expect((await http(api.url, 'GET', '/api/v1/tickets')).status).toBe(401);
  });

  it('lets a developer claim a ticket and carry it to deployment, with time-to-fix', async () => {
    const [ticket] = (await tickets('?team=payments-team')).body.items as Ticket[];
    expect((await http(api.url, 'POST', `/api/v1/tickets/${ticket.id}/claim`, { key: viewer })).status).toBe(
      403,
    );
    expect((await http(api.url, 'POST', `/api/v1/tickets/${ticket.id}/claim`, { key: triager })).status).toBe(
      403,
    );
    const claimed = await http(api.url, 'POST', `/api/v1/tickets/${ticket.id}/claim`, { key: developer });
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({
      status: 'in_progress',
      claimedBy: expect.stringMatching(/^apikey:/),
    });
    expect(
      (await http(api.url, 'POST', `/api/v1/tickets/${ticket.id}/claim`, { key: otherDeveloper })).status,
    ).toBe(409);

    const patch = (body: Record<string, unknown>, key = developer) =>
      http(api.url, 'PATCH', `/api/v1/tickets/${ticket.id}`, { key, body });
    // Issue 19: a claim is owned. Another developer cannot move the ticket (403), unchanged after.
    const taken = await patch({ status: 'fixed' }, otherDeveloper);
    expect(taken.status).toBe(403);
    expect(taken.body.message).toContain('is claimed by');
    expect((await http(api.url, 'GET', `/api/v1/tickets/${ticket.id}`, { key: viewer })).body.status).toBe(
      'in_progress',
    );
    const skipped = await patch({ status: 'deployed' });
    expect(skipped.status).toBe(409);
    expect(skipped.body.message).toBe(
      `ticket ${ticket.id} is in_progress: it can become todo or fixed, not deployed`,
    );
    expect((await patch({ status: 'shipped' })).status).toBe(400);
    expect((await patch({})).status).toBe(400);
    expect((await patch({ status: 'fixed' }, viewer)).status).toBe(403);
    expect((await patch({ status: 'fixed' })).body.status).toBe('fixed');
    const deployed = await patch({ status: 'deployed', release: '12.5.0' });
    expect(deployed.body).toMatchObject({ status: 'deployed', release: '12.5.0' });
    // The first verbatim was on 2026-10-27, deployed on the product's clock: 9 days.
    expect(deployed.body.deployedAt).toBe('2026-11-05T10:00:00.000Z');
    const expected = 9;
    expect(deployed.body.timeToFixDays).toBe(expected);
    const closed = await patch({ status: 'todo' });
    expect(closed.status).toBe(409);
    expect(closed.body.message).toContain('it is closed');

    const ttf = await http(api.url, 'GET', '/api/v1/tickets/time-to-fix?weeks=4', { key: viewer });
    expect(ttf.status).toBe(200);
    expect(ttf.body).toHaveLength(4);
    expect(ttf.body.at(-1)).toMatchObject({
      isoWeek: '2026-W45',
      deployed: 1,
      targetDays: 21,
      onTarget: true,
    });
    expect(ttf.body.at(-1).medianDays).toBeCloseTo(expected, 0);
  });

  it('drops a ticket not yet fixed when the meeting changes its mind', async () => {
    const second = items[1];
    const before = (await tickets('?team=web-team')).body.items as Ticket[];
    expect(before).toHaveLength(1);
    expect((await decide(second.irritantId, { kind: 'reject', comment: 'works as designed' })).status).toBe(
      201,
    );
    expect((await tickets('?team=web-team')).body.items).toHaveLength(0);
    expect(((await tickets('?team=web-team&status=dropped')).body.items as Ticket[])[0].id).toBe(
      before[0].id,
    );
  });

  it('routes an item to a department and records its answer', async () => {
    const third = items[2];
    const routed = await decide(third.irritantId, {
      kind: 'route',
      department: 'operations',
      owner: 'station-ops',
    });
    expect(routed.status).toBe(201);
    expect(routed.body.ticketId).toBeNull();
    const waiting = await http(api.url, 'GET', '/api/v1/decisions/unanswered', { key: viewer });
    expect(waiting.body.map((d: { id: string }) => d.id)).toEqual([routed.body.id]);
    expect(
      (
        await http(api.url, 'POST', `/api/v1/decisions/${routed.body.id}/answer`, {
          key: viewer,
          body: { answer: 'ok' },
        })
      ).status,
    ).toBe(403);
    const answered = await http(api.url, 'POST', `/api/v1/decisions/${routed.body.id}/answer`, {
      key: triager,
      body: { answer: 'Assistance staff added at Lyon from December' },
    });
    expect(answered.status).toBe(200);
    expect(answered.body.answeredAt).toBe('2026-11-05T10:00:00.000Z');
    expect((await http(api.url, 'GET', '/api/v1/decisions/unanswered', { key: viewer })).body).toEqual([]);
    // A second answer is kept beside the first: the decision shows the latest, the history both.
    api.clock.advance(86_400_000);
    const second = await http(api.url, 'POST', `/api/v1/decisions/${routed.body.id}/answer`, {
      key: triager,
      body: { answer: 'Staff confirmed at Lyon and Marseille' },
    });
    expect(second.body).toMatchObject({ answer: 'Staff confirmed at Lyon and Marseille' });
    const history = await http(api.url, 'GET', `/api/v1/decisions/${routed.body.id}/answers`, {
      key: viewer,
    });
    expect(history.status).toBe(200);
    expect(history.body.map((one: { answer: string }) => one.answer)).toEqual([
      'Assistance staff added at Lyon from December',
      'Staff confirmed at Lyon and Marseille',
    ]);
    expect(history.body[0]).toMatchObject({
      at: '2026-11-05T10:00:00.000Z',
      by: expect.stringMatching(/^apikey:/),
    });
    expect(
      (await http(api.url, 'GET', `/api/v1/decisions/${routed.body.id}/answers`, { key: viewer })).status,
    ).toBe(200);
    expect(
      (
        await http(api.url, 'GET', '/api/v1/decisions/00000000-0000-4000-8000-000000000000/answers', {
          key: viewer,
        })
      ).status,
    ).toBe(404);
  });
});
