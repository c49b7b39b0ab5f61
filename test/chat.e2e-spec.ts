import { BoardService } from '@app/board';
import { Clock } from '@app/config';
import { Role } from '@app/database';
import { JobName, JobQueue } from '@app/jobs';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { cardTexts, startSlackApi, startSlackWebhook, startTeamsWebhook } from './support/chat-peers';
import { query, waitForLastStage } from './support/database';
import { http } from './support/http';
import { until } from './support/wait';
import { spawnApp } from './support/processes';

const WEEK = '2026-W41';
const PUBLIC_URL = 'https://loveboard.example.com';
const BOT_TOKEN = 'xoxb-1234567890-test-token-abcdef';
const HOUR = 3_600_000;

/** Slack (incoming webhook, bot) and Teams against local peers that speak their APIs. */
describe('chat: Slack and Microsoft Teams', () => {
  // Wednesday of W42: W41's board froze on Monday and its digest's time has come.
  const { api, db } = useApi({ env: { CLOCK_START: '2026-10-14T10:00:00+02:00', PUBLIC_URL } });
  let admin: string;
  let triager: string;
  let clock: Clock;
  let slack: Awaited<ReturnType<typeof startSlackWebhook>>;
  let bot: Awaited<ReturnType<typeof startSlackApi>>;
  let teams: Awaited<ReturnType<typeof startTeamsWebhook>>;
  const channels: Record<string, string> = {};
  let payment: string;
  let wheelchair: string;

  beforeAll(async () => {
    clock = api.app.get(Clock);
    clock.freeze(new Date('2026-10-14T08:00:00Z'));
    [admin, triager] = await Promise.all([api.key(Role.Admin), api.key(Role.Triager)]);
    [slack, bot, teams] = await Promise.all([
      startSlackWebhook(),
      startSlackApi(BOT_TOKEN),
      startTeamsWebhook(),
    ]);
    const rows = [
      // First seen five weeks ago: its ticket will be past the 21-day target.
      ['2026-09-09T09:00:00Z', 'Paiement refusé au 3-D Secure, impossible de payer mon billet'],
      ['2026-10-06T09:00:00Z', 'Paiement refusé au 3-D Secure, impossible de payer mon billet'],
      ['2026-10-07T09:00:00Z', 'Mon paiement est refusé par le 3-D Secure, impossible de payer'],
      ['2026-10-08T09:00:00Z', 'Paiement refusé 3-D Secure, écrivez-moi à jeanne.martin@example.com'],
      ['2026-10-06T10:00:00Z', 'Aucune assistance pour mon fauteuil roulant en gare'],
      ['2026-10-07T10:00:00Z', 'Personne pour l’assistance fauteuil roulant à la gare'],
    ];
    const posted = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: rows.map(([receivedAt, text], i) =>
        verbatim({ source: 'chat-test', externalId: `c-${i}`, receivedAt, text, lang: 'fr' }),
      ),
    });
    await waitForLastStage(
      db.url,
      posted.body.items.map((item: { id: string }) => item.id),
    );
    const ids = await query<{ external_id: string; irritant_id: string }>(
      db.url,
      'SELECT external_id, irritant_id FROM verbatim',
    );
    payment = ids.find((row) => row.external_id === 'c-1')?.irritant_id as string;
    wheelchair = ids.find((row) => row.external_id === 'c-4')?.irritant_id as string;
    await api.app.get(BoardService).freezeDue(new Date('2026-10-12T06:01:00Z'));
  });

  afterAll(async () => {
    await Promise.all([slack?.close(), bot?.close(), teams?.close()]);
  });

  const add = (body: Record<string, unknown>, key = admin) =>
    http(api.url, 'POST', '/api/v1/chat-channels', { key, body });
  const log = async (id: string) =>
    (await http(api.url, 'GET', `/api/v1/chat-channels/${id}/messages`, { key: admin })).body as {
      topic: string;
      status: string;
      attempts: number;
      lastStatus: number | null;
      remoteId: string | null;
    }[];

  it('is configured by admins, with targets checked and sealed, never listed', async () => {
    const webhook = {
      kind: 'slack_webhook',
      name: '#voix-client',
      lang: 'fr',
      topics: ['digest', 'alert'],
      url: `${slack.url}/services/T000/B000/secretpart`,
    };
    expect((await add(webhook, triager)).status).toBe(403);
    expect((await add({ ...webhook, url: 'http://hooks.example.com/x' })).status).toBe(400);
    expect((await add({ ...webhook, topics: ['everything'] })).status).toBe(400);
    expect((await add({ ...webhook, kind: 'slack_bot' })).status).toBe(400);
    expect(
      (
        await add({
          kind: 'slack_bot',
          name: 'bot',
          lang: 'en',
          topics: ['digest'],
          token: BOT_TOKEN,
          channel: 'general',
        })
      ).status,
    ).toBe(400);
    const created = await add(webhook);
    expect(created.status).toBe(201);
    channels.slack = created.body.id;
    channels.bot = (
      await add({
        kind: 'slack_bot',
        name: '#product',
        lang: 'en',
        topics: ['digest', 'overdue', 'unanswered'],
        token: BOT_TOKEN,
        channel: 'C0123456789',
        apiUrl: `${bot.url}/api/`,
      })
    ).body.id;
    channels.teams = (
      await add({
        kind: 'teams_webhook',
        name: 'Customer voice',
        lang: 'en',
        topics: ['digest', 'alert'],
        url: `${teams.url}/workflows/abc?sig=secretsig`,
      })
    ).body.id;
    const listed = await http(api.url, 'GET', '/api/v1/chat-channels', { key: admin });
    const text = JSON.stringify(listed.body);
    for (const secret of ['secretpart', BOT_TOKEN, 'secretsig']) expect(text).not.toContain(secret);
    expect(listed.body.map((one: { target: string }) => one.target)).toEqual([
      `${slack.url}/…`,
      '#C0123456789',
      `${teams.url}/…`,
    ]);
    const stored = await query<{ target_sealed: string }>(db.url, 'SELECT target_sealed FROM chat_channel');
    for (const row of stored) {
      expect(row.target_sealed).toMatch(/^v1:/);
      for (const secret of ['secretpart', BOT_TOKEN, 'secretsig'])
        expect(row.target_sealed).not.toContain(secret);
    }
  });

  it('retries a channel that fails, then posts once, logging each attempt', async () => {
    slack.failNext(1);
    const sent = await http(api.url, 'POST', `/api/v1/chat-channels/${channels.slack}/test`, { key: admin });
    expect(sent.status).toBe(202);
    const [message] = await until(
      () => log(channels.slack),
      (rows) => rows[0]?.status === 'delivered',
      { what: 'the test message delivered after the retry', timeoutMs: 40_000 },
    );
    expect(message).toMatchObject({ topic: 'test', status: 'delivered', attempts: 2, lastStatus: 200 });
    expect(slack.received).toHaveLength(1);
    expect(slack.received[0].text).toContain('LoveBoard est connecté');
  });

  it('posts the Monday summary once per channel, in its language, even when an answer is lost', async () => {
    bot.loseNextAnswers(1);
    teams.throttleNext(1);
    await api.app.get(JobQueue).requeue(JobName.TickChat, {});
    await until(
      async () => [...(await log(channels.bot)), ...(await log(channels.teams))],
      (rows) => rows.filter((row) => row.status === 'delivered').length === 2,
      { what: 'the bot and Teams summaries delivered', timeoutMs: 40_000 },
    );
    await until(
      () => slack.received.length,
      (n) => n === 2,
      { what: 'two messages at the Slack webhook', timeoutMs: 40_000 },
    );
    // The bot's first post reached Slack but its answer was lost: the retry found it, posted nothing.
    expect(bot.posted).toHaveLength(1);
    expect(bot.calls).toEqual(['chat.postMessage', 'conversations.history']);
    const [botLog] = await log(channels.bot);
    expect(botLog).toMatchObject({ topic: 'digest', attempts: 2, remoteId: bot.posted[0].ts });
    expect(teams.received).toHaveLength(1);

    const english = bot.posted[0].text;
    expect(english).toContain(`LoveBoard · week ${WEEK}`);
    expect(english).toContain('Top irritants');
    expect(english).toContain('Decisions awaited');
    expect(english).toContain(`${PUBLIC_URL}/boards/${WEEK}`);
    expect(english).not.toContain('jeanne.martin@example.com');
    const french = slack.received[1].text;
    expect(french).toContain(`LoveBoard · semaine ${WEEK}`);
    expect(french).toContain('En attente de votre arbitrage');
    const card = cardTexts(teams.received[0]);
    expect(card[0]).toBe(`LoveBoard · week ${WEEK}`);
    expect(card.at(-1)).toBe(`Open the board of the week ${PUBLIC_URL}/boards/${WEEK}`);

    // Another tick, another process: the week was announced already.
    await api.app.get(JobQueue).requeue(JobName.TickChat, {});
    // The tick and whatever it hands on have run: had it announced the week again, it would show.
    await api.idle();
    expect(bot.posted).toHaveLength(1);
    expect(slack.received).toHaveLength(2);
    expect(teams.received).toHaveLength(1);
  });

  it('posts a mid-week alert with the customers’ words, redacted, to the channels that take alerts', async () => {
    const now = clock.nowMs();
    const incident = Array.from({ length: 12 }, (_, i) =>
      verbatim({
        source: 'chat-test',
        externalId: `a-${i}`,
        receivedAt: new Date(now - HOUR + i * 60_000).toISOString(),
        text:
          i === 0
            ? 'L’application plante à l’ouverture, appelez-moi au 06 12 34 56 78'
            : 'L’application plante à l’ouverture depuis la mise à jour',
        lang: 'fr',
      }),
    );
    const posted = await http(api.url, 'POST', '/api/v1/verbatims', { key: triager, body: incident });
    await waitForLastStage(
      db.url,
      posted.body.items.map((item: { id: string }) => item.id),
    );
    const scanned = await http(api.url, 'POST', '/api/v1/alerts/scan', { key: admin });
    expect(scanned.body).toHaveLength(1);
    await until(
      () => slack.received.length + teams.received.length,
      (n) => n === 5,
      { what: 'the alert at the Slack webhook and Teams', timeoutMs: 40_000 },
    );
    const alert = slack.received[2];
    expect(alert.text).toContain('un irritant décolle');
    expect(alert.text).toContain('12 clients sur la dernière heure');
    expect(alert.text).not.toContain('06 12 34 56 78');
    expect(JSON.stringify(alert.blocks)).toContain(`${PUBLIC_URL}/irritants/${scanned.body[0].irritantId}`);
    expect(cardTexts(teams.received[1]).join('\n')).toContain('12 customers in the last hour');
    expect(bot.posted).toHaveLength(1);
  });

  it('tells the bot’s channel of tickets past target and routed decisions left unanswered, once', async () => {
    await http(api.url, 'POST', `/api/v1/boards/${WEEK}/items/${payment}/decision`, {
      key: triager,
      body: { kind: 'fix', owner: 'payments-team' },
    });
    const routed = await http(api.url, 'POST', `/api/v1/boards/${WEEK}/items/${wheelchair}/decision`, {
      key: triager,
      body: { kind: 'route', department: 'operations' },
    });
    expect(routed.status).toBe(201);
    // The routed decision was taken on Wednesday of W42; eight days later it is still unanswered.
    await query(db.url, `UPDATE decision SET created_at = $2 WHERE id = $1`, [
      routed.body.id,
      new Date(clock.nowMs()),
    ]);
    clock.freeze(new Date(clock.nowMs() + 8 * 24 * HOUR));
    await api.app.get(JobQueue).requeue(JobName.TickChat, {});
    await until(
      () => bot.posted.length,
      (n) => n === 3,
      { what: 'the overdue and unanswered reminders posted by the bot', timeoutMs: 40_000 },
    );
    const texts = bot.posted
      .slice(1)
      .map((message) => message.text)
      .join('\n');
    expect(texts).toContain('tickets past the 21-day target');
    expect(texts).toMatch(/\d+ days · to do · payments-team/);
    expect(texts).toContain('routed, no answer from the department');
    expect(texts).toContain('→ operations, for 8 days');
    await api.app.get(JobQueue).requeue(JobName.TickChat, {});
    await api.idle();
    expect(bot.posted).toHaveLength(3);
    // The webhook and Teams channels do not take these topics.
    expect(slack.received).toHaveLength(3);
    expect(teams.received).toHaveLength(2);
  });

  it('is configured and tried from the command line too', async () => {
    const env = {
      DATABASE_URL: db.url,
      AUTHOR_KEY_SECRET: 'test-author-key-secret-0123456789',
      SECRETS_KEY: 'test-secrets-key-0123456789abcdef0123456789',
      LOG_LEVEL: 'warn',
      DEMO_DATA: 'false',
      PUBLIC_URL,
    };
    const added = spawnApp(
      'cli',
      [
        'chat',
        'add',
        '--kind',
        'teams_webhook',
        '--name',
        'Ops',
        '--lang',
        'fr',
        '--topics',
        'alert',
        '--url',
        `${teams.url}/ops?sig=cli-secret`,
      ],
      env,
    );
    expect(await added.exited).toBe(0);
    const id = /added chat channel ([0-9a-f-]{36}) \(teams_webhook, fr\) Ops/.exec(
      added.output(),
    )?.[1] as string;
    expect(id).toBeDefined();
    const before = teams.received.length;
    const tried = spawnApp('cli', ['chat', 'test', id], env);
    expect(await tried.exited).toBe(0);
    expect(teams.received).toHaveLength(before + 1);
    expect(cardTexts(teams.received[before])[0]).toBe('LoveBoard est connecté');
    const listed = spawnApp('cli', ['chat', 'list'], env);
    expect(await listed.exited).toBe(0);
    expect(listed.output()).toContain('chat_channels=4');
    expect(listed.output()).not.toContain('cli-secret');
    const bad = spawnApp(
      'cli',
      ['chat', 'add', '--kind', 'teams_webhook', '--name', 'x', '--url', 'http://example.com/x'],
      env,
    );
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain('must be an https URL');
  });
});
