import { createHmac } from 'node:crypto';
import { Role } from '@app/database';
import { JobName, JobQueue } from '@app/jobs';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { query, waitForLastStage } from './support/database';
import { http } from './support/http';
import { until } from './support/wait';
import { startGitHub, startJira, startLinear } from './support/tracker-peers';

const WEEK = '2026-W41';
const PUBLIC_URL = 'https://loveboard.example.com';
const TOPICS = [
  [
    'Paiement refusé au 3-D Secure, impossible de payer mon billet',
    'Mon paiement est refusé par le 3-D Secure, écrivez à jeanne.martin@example.com',
    'Paiement refusé 3-D Secure encore, impossible de payer',
    'Impossible de payer : paiement refusé au 3-D Secure',
  ],
  [
    'Aucune assistance pour mon fauteuil roulant en gare',
    'Personne pour l’assistance fauteuil roulant à la gare',
    'Pas d’assistance fauteuil roulant en gare, appelez le 06 12 34 56 78',
  ],
  [
    'L’application plante à l’ouverture depuis la mise à jour',
    'L’appli plante dès l’ouverture après la mise à jour',
    'The app crashes on launch since the update',
  ],
];
const JIRA_SECRET = 'jira-webhook-secret-0123456789';
const LINEAR_SECRET = 'linear-webhook-secret-0123456789';
const LINEAR_TEAM = '6f0c9d4e-3b1a-4c1e-9a8b-1234567890ab';

const hmac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');

/** Jira, GitHub and Linear both ways, against local peers that speak their APIs. */
describe('trackers: Jira, GitHub Issues, Linear', () => {
  const { api, db } = useApi({ env: { CLOCK_START: '2026-10-14T10:00:00+02:00', PUBLIC_URL } });
  let admin: string;
  let triager: string;
  let developer: string;
  let items: { irritantId: string; label: string; distinctCustomers: number }[];
  let jira: Awaited<ReturnType<typeof startJira>>;
  let github: Awaited<ReturnType<typeof startGitHub>>;
  let linear: Awaited<ReturnType<typeof startLinear>>;

  beforeAll(async () => {
    [admin, triager, developer] = await Promise.all([
      api.key(Role.Admin),
      api.key(Role.Triager),
      api.key(Role.Developer),
    ]);
    jira = await startJira({
      project: 'PAY',
      auth: `Basic ${Buffer.from('bot@acme.example:jira-api-token-123').toString('base64')}`,
    });
    github = await startGitHub({ owner: 'acme', repo: 'shop', token: 'ghp_test_token_0123456789' });
    linear = await startLinear({ teamId: LINEAR_TEAM, apiKey: 'lin_api_test_0123456789' });
    const rows = TOPICS.flatMap((texts, t) =>
      texts.map((text, i) =>
        verbatim({
          source: 'trackers',
          externalId: `t${t}-${i}`,
          text,
          lang: 'fr',
          receivedAt: `2026-10-0${6 + i}T09:00:00Z`,
        }),
      ),
    );
    const posted = await http(api.url, 'POST', '/api/v1/verbatims', { key: triager, body: rows });
    await waitForLastStage(
      db.url,
      posted.body.items.map((item: { id: string }) => item.id),
    );
    items = (await http(api.url, 'GET', `/api/v1/boards/${WEEK}`, { key: admin })).body.items;
    expect(items.length).toBeGreaterThanOrEqual(3);
  });

  afterAll(async () => {
    await Promise.all([jira?.close(), github?.close(), linear?.close()]);
  });

  const tick = () => api.app.get(JobQueue).requeue(JobName.TickTrackers, {});
  const connect = (body: Record<string, unknown>, key = admin) =>
    http(api.url, 'POST', '/api/v1/trackers', { key, body });
  const ticketOf = async (irritantId: string) => {
    const list = (
      await http(api.url, 'GET', '/api/v1/tickets?status=todo,in_progress,fixed,deployed', { key: developer })
    ).body.items as {
      id: string;
      irritantId: string;
      status: string;
      issues: { tracker: string; key: string; url: string; status: string }[];
    }[];
    return list.find((ticket) => ticket.irritantId === irritantId);
  };
  const decide = (irritantId: string) =>
    http(api.url, 'POST', `/api/v1/boards/${WEEK}/items/${irritantId}/decision`, {
      key: triager,
      body: { kind: 'fix', owner: 'payments-team' },
    });

  it('is connected by admins with its token sealed, never returned', async () => {
    const body = {
      kind: 'jira',
      name: 'Payments Jira',
      token: 'jira-api-token-123',
      webhookSecret: JIRA_SECRET,
      settings: {
        baseUrl: jira.url,
        deployment: 'cloud',
        email: 'bot@acme.example',
        projectKey: 'PAY',
        issueType: 'Bug',
      },
    };
    expect((await connect(body, triager)).status).toBe(403);
    expect(
      (await connect({ ...body, settings: { ...body.settings, baseUrl: 'http://jira.example.com' } })).status,
    ).toBe(400);
    expect((await connect({ ...body, settings: { ...body.settings, projectKey: 'pay' } })).status).toBe(400);
    const created = await connect(body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: 'jira',
      signedWebhooks: true,
      autoCreate: true,
      webhookPath: `/api/v1/webhooks/trackers/${created.body.id}`,
    });
    const listed = JSON.stringify((await http(api.url, 'GET', '/api/v1/trackers', { key: admin })).body);
    expect(listed).not.toContain('jira-api-token-123');
    expect(listed).not.toContain(JIRA_SECRET);
    const [row] = await query<{ token_sealed: string }>(db.url, 'SELECT token_sealed FROM tracker');
    expect(row.token_sealed).toMatch(/^v1:/);
  });

  it('Jira: a fix creates its issue once even when the answer is lost, with reasons, redacted quotes, customers and a link back', async () => {
    const [tracker] = (await http(api.url, 'GET', '/api/v1/trackers', { key: admin })).body;
    const item = items[0];
    jira.loseNextCreate(1);
    expect((await decide(item.irritantId)).status).toBe(201);
    await tick();
    const ticket = await until(
      () => ticketOf(item.irritantId),
      (found) => found?.issues[0]?.status === 'created',
      { what: 'the Jira issue created', timeoutMs: 40_000 },
    );
    // The first creation reached Jira but its answer was lost: the retry searched, found it, made none.
    expect(jira.issues).toHaveLength(1);
    const [issue] = jira.issues;
    expect(ticket?.issues[0]).toMatchObject({
      tracker: 'jira',
      key: 'PAY-1',
      url: `${jira.url}/browse/PAY-1`,
    });
    expect(issue.summary).toBe(item.label);
    expect(issue.labels).toEqual(['loveboard', `loveboard-${ticket?.id}`]);
    expect(issue.description).toContain(`*${item.distinctCustomers} customer`);
    expect(issue.description).toContain('h3. Why it ranks');
    expect((issue.description.match(/\{noformat\}/g) ?? []).length / 2).toBeGreaterThanOrEqual(3);
    expect(issue.description).not.toContain('jeanne.martin@example.com');
    expect(issue.description).toContain(`${PUBLIC_URL}/irritants/${item.irritantId}?week=${WEEK}`);
    expect(tracker.id).toBeDefined();
  });

  it('Jira: the ticket’s progress goes to the issue, and Done then Released come back signed and move the ticket', async () => {
    const [tracker] = (await http(api.url, 'GET', '/api/v1/trackers', { key: admin })).body;
    const ticket = await ticketOf(items[0].irritantId);
    expect(
      (await http(api.url, 'POST', `/api/v1/tickets/${ticket?.id}/claim`, { key: developer })).status,
    ).toBe(200);
    await tick();
    await until(
      () => jira.issues[0].status,
      (status) => status === 'In Progress',
      { what: 'the Jira issue moved to In Progress', timeoutMs: 40_000 },
    );

    const hook = `/api/v1/webhooks/trackers/${tracker.id}`;
    const send = (payload: unknown, secret = JIRA_SECRET) => {
      const raw = JSON.stringify(payload);
      return http(api.url, 'POST', hook, {
        raw,
        headers: {
          'x-hub-signature': `sha256=${hmac(secret, raw)}`,
          'x-atlassian-webhook-identifier': String(Date.now()),
        },
      });
    };
    const done = jira.setStatus('PAY-1', 'Done');
    const forged = await send(jira.webhook(done as never), 'not-the-secret-0123456789');
    expect(forged.status).toBe(401);
    expect((await ticketOf(items[0].irritantId))?.status).toBe('in_progress');
    expect((await send(jira.webhook(done as never))).body).toEqual({ moved: true });
    expect((await ticketOf(items[0].irritantId))?.status).toBe('fixed');
    // The same delivery again: nothing moves twice.
    expect((await send(jira.webhook(done as never))).body).toEqual({ moved: false });
    const released = jira.setStatus('PAY-1', 'Released');
    expect((await send(jira.webhook(released as never))).body).toEqual({ moved: true });
    const deployed = await ticketOf(items[0].irritantId);
    expect(deployed?.status).toBe('deployed');
    const one = (await http(api.url, 'GET', `/api/v1/tickets/${deployed?.id}`, { key: developer })).body;
    expect(one.deployedAt).not.toBeNull();
    expect(one.timeToFixDays).toBeGreaterThan(0);
    // What came from Jira is not pushed back to it.
    const transitions = jira.calls.filter(
      (call) => call.endsWith('/transitions') && call.startsWith('POST'),
    ).length;
    await tick();
    // The tick and the pushes it queues have run: a transition sent back to Jira would show.
    await api.idle();
    expect(jira.calls.filter((call) => call.endsWith('/transitions') && call.startsWith('POST')).length).toBe(
      transitions,
    );
    const audit = await query<{ actor: string }>(
      db.url,
      `SELECT actor FROM audit_event WHERE action = 'ticket.updated' ORDER BY at`,
    );
    expect(audit.map((row) => row.actor)).toEqual(expect.arrayContaining(['tracker:Payments Jira']));
  });

  it('GitHub: asked for by a person, created once despite a lost answer, polled back to fixed and deployed', async () => {
    const created = await connect({
      kind: 'github',
      name: 'Shop repo',
      token: 'ghp_test_token_0123456789',
      autoCreate: false,
      poll: true,
      settings: { owner: 'acme', repo: 'shop', apiUrl: github.url },
    });
    expect(created.status).toBe(201);
    const item = items[1];
    await decide(item.irritantId);
    const ticket = await until(
      () => ticketOf(item.irritantId),
      (found) => found !== undefined,
      { what: 'the ticket', timeoutMs: 40_000 },
    );
    github.loseNextCreate(1);
    const asked = await http(api.url, 'POST', `/api/v1/tickets/${ticket?.id}/tracker-issues`, {
      key: developer,
      body: { trackerId: created.body.id },
    });
    expect(asked.status).toBe(202);
    const linked = await until(
      () => ticketOf(item.irritantId),
      (found) => found?.issues.some((one) => one.status === 'created') ?? false,
      {
        what: 'the GitHub issue created after the lost answer',
        timeoutMs: 40_000,
      },
    );
    expect(github.issues).toHaveLength(1);
    expect(linked?.issues.find((one) => one.tracker === 'github')).toMatchObject({
      key: 'acme/shop#1',
      url: `${github.url}/acme/shop/issues/1`,
    });
    const body = github.issues[0].body;
    expect(body).toContain(`<!-- loveboard-ticket:${ticket?.id} -->`);
    expect(body).not.toContain('06 12 34 56 78');
    // Customer words in fenced blocks: no mention, link or markup runs in GitHub.
    expect((body.match(/^````text$/gm) ?? []).length).toBeGreaterThanOrEqual(3);
    // Polled every five minutes: the tracker's last poll is moved back as the clock would have.
    const pollDue = () =>
      query(db.url, `UPDATE tracker SET polled_at = polled_at - interval '10 minutes' WHERE kind = 'github'`);
    github.closeIssue(1);
    await pollDue();
    await tick();
    expect(
      (
        await until(
          () => ticketOf(item.irritantId),
          (found) => found?.status === 'fixed',
          { what: 'the ticket fixed', timeoutMs: 40_000 },
        )
      )?.status,
    ).toBe('fixed');
    github.label(1, 'released');
    await pollDue();
    await tick();
    expect(
      (
        await until(
          () => ticketOf(item.irritantId),
          (found) => found?.status === 'deployed',
          { what: 'the ticket deployed', timeoutMs: 40_000 },
        )
      )?.status,
    ).toBe('deployed');
    expect(github.issues).toHaveLength(1);
  });

  it('Linear: the issue id comes from LoveBoard, the status comes back by a signed, fresh webhook', async () => {
    const created = await connect({
      kind: 'linear',
      name: 'Linear ENG',
      token: 'lin_api_test_0123456789',
      webhookSecret: LINEAR_SECRET,
      settings: { teamId: LINEAR_TEAM, apiUrl: `${linear.url}/graphql` },
    });
    expect(created.status).toBe(201);
    const item = items[2];
    await decide(item.irritantId);
    await tick();
    const ticket = await until(
      () => ticketOf(item.irritantId),
      (found) => found?.issues.some((one) => one.tracker === 'linear' && one.status === 'created') ?? false,
      {
        what: 'the Linear issue created',
        timeoutMs: 40_000,
      },
    );
    expect(linear.issues).toHaveLength(1);
    const [issue] = linear.issues;
    expect(issue.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(issue.title).toBe(item.label);
    expect(ticket?.issues.find((one) => one.tracker === 'linear')?.key).toBe('ENG-1');

    const hook = `/api/v1/webhooks/trackers/${created.body.id}`;
    const send = (payload: unknown, secret = LINEAR_SECRET) => {
      const raw = JSON.stringify(payload);
      return http(api.url, 'POST', hook, {
        raw,
        headers: {
          'linear-signature': hmac(secret, raw),
          'linear-delivery': String(Date.now()),
          'linear-event': 'Issue',
        },
      });
    };
    linear.setState(issue.id, 's-done');
    expect((await send(linear.webhook(issue, Date.now() - 5 * 60_000))).status).toBe(401);
    expect((await send(linear.webhook(issue, Date.now()), 'another-secret-0123456789')).status).toBe(401);
    expect((await send(linear.webhook(issue, Date.now()))).body).toEqual({ moved: true });
    expect((await ticketOf(item.irritantId))?.status).toBe('fixed');
    // A tracker's issue that is not LoveBoard's is ignored.
    expect(
      (await send({ ...linear.webhook(issue, Date.now()), data: { id: 'someone-else' } })).body,
    ).toMatchObject({ moved: false, ignored: 'not an issue of LoveBoard' });
    linear.setState(issue.id, 's-released');
    expect((await send(linear.webhook(issue, Date.now()))).body).toEqual({ moved: true });
    expect((await ticketOf(item.irritantId))?.status).toBe('deployed');
  });

  it('Jira Data Center: a personal access token, the older search API, the issue created once and told the ticket is deployed', async () => {
    const center = await startJira({ project: 'OPS', auth: 'Bearer dc-personal-access-token-0123' });
    try {
      const created = await connect({
        kind: 'jira',
        name: 'Ops Jira DC',
        token: 'dc-personal-access-token-0123',
        autoCreate: false,
        settings: { baseUrl: center.url, deployment: 'datacenter', projectKey: 'OPS', issueType: 'Task' },
      });
      expect(created.status).toBe(201);
      const ticket = await ticketOf(items[1].irritantId);
      expect(ticket?.status).toBe('deployed');
      center.loseNextCreate(1);
      await http(api.url, 'POST', `/api/v1/tickets/${ticket?.id}/tracker-issues`, {
        key: triager,
        body: { trackerId: created.body.id },
      });
      const linked = await until(
        () => ticketOf(items[1].irritantId),
        (found) => found?.issues.some((one) => one.key === 'OPS-1' && one.status === 'created') ?? false,
        {
          what: 'the OPS-1 issue linked',
          timeoutMs: 40_000,
        },
      );
      expect(linked?.issues.find((one) => one.key === 'OPS-1')).toBeDefined();
      expect(center.issues).toHaveLength(1);
      expect(center.issues[0]).toMatchObject({ issuetype: 'Task', status: 'Released' });
      expect(center.calls).toContain('GET /rest/api/2/search');
      expect(center.calls).not.toContain('GET /rest/api/2/search/jql');
    } finally {
      await center.close();
    }
  });

  it('shows the issues on the irritant, and refuses what it must', async () => {
    const shown = await http(api.url, 'GET', `/api/v1/irritants/${items[0].irritantId}/tracker-issues`, {
      key: developer,
    });
    expect(shown.body[0]).toMatchObject({
      key: 'PAY-1',
      kind: 'jira',
      status: 'created',
      externalStatus: 'Released',
    });
    expect(
      (
        await http(api.url, 'POST', `/api/v1/webhooks/trackers/00000000-0000-4000-8000-000000000000`, {
          raw: '{}',
        })
      ).status,
    ).toBe(404);
    const viewer = await api.key(Role.Viewer);
    const ticket = await ticketOf(items[0].irritantId);
    expect(
      (
        await http(api.url, 'POST', `/api/v1/tickets/${ticket?.id}/tracker-issues`, {
          key: viewer,
          body: { trackerId: ticket?.id },
        })
      ).status,
    ).toBe(403);
  });
});
