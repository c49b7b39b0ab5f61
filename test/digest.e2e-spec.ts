import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { BoardService } from '@app/board';
import { readEmail } from '@app/connectors';
import { Role } from '@app/database';
import { DigestRefusedError, DigestService } from '@app/digest';
import { startApi, testConfig, useApi } from './support/app';
import { verbatim } from './support/builders';
import { query, waitForLastStage } from './support/database';
import { http } from './support/http';
import { spawnApp } from './support/processes';
import { atSuiteEnd } from './support/suite-end';

interface Received {
  to: string;
  raw: Buffer;
  mail: ParsedMail;
}

/** A real SMTP server on loopback; it refuses the next `refuse` deliveries with a 451. */
async function startSmtp(): Promise<{
  port: number;
  received: Received[];
  refuse: { next: number };
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  const refuse = { next: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (refuse.next > 0) {
        refuse.next--;
        const error = new Error('mailbox busy, try later') as Error & { responseCode: number };
        error.responseCode = 451;
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        void simpleParser(raw).then((mail) => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), raw, mail });
          callback();
        });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return { port, received, refuse, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The Monday digest: composed from the frozen board, escaped, sent once per week and recipient. */
describe('Monday digest', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp();
    atSuiteEnd(() => smtp.close());
  });
  const {
    api,
    db,
    peer: second,
  } = useApi({
    peer: true,
    env: () => ({
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      DIGEST_RECIPIENTS: 'ceo@example.com:fr,cto@example.com:en',
      PUBLIC_URL: 'https://loveboard.example.com',
    }),
  });
  let triager: string;
  let viewer: string;
  let admin: string;
  const week = '2026-W40';
  const XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>';
  // Monday 2026-10-05, Paris (UTC+2): the board freezes at 08:00, the digest goes at 08:30.
  const before = new Date('2026-10-05T06:29:00Z');
  const after = new Date('2026-10-05T06:31:00Z');

  beforeAll(async () => {
    [triager, viewer, admin] = await Promise.all([
      api.key(Role.Triager),
      api.key(Role.Viewer),
      api.key(Role.Admin),
    ]);
    const texts = [
      ['a@example.com', `Paiement refusé au 3-D Secure ${XSS}, impossible de payer`],
      [
        'b@example.com',
        'Paiement refusé au 3-D Secure, impossible de payer mon billet.\nCordialement,\nJeanne Martin',
      ],
      ['c@example.com', 'mon paiement est refusé au 3-D Secure, je réessaie depuis hier'],
      ['d@example.com', 'Aucune assistance pour mon fauteuil roulant en gare de Lyon'],
      [
        'e@example.com',
        'Je vais saisir mon avocat : vous ne respectez pas le RGPD, écrivez-moi à e@example.com',
      ],
    ];
    const posted = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: triager,
      body: texts.map(([author, text], i) =>
        verbatim({
          source: 'digest',
          externalId: `g-${i}`,
          author,
          text,
          lang: 'fr',
          receivedAt: '2026-09-30T10:00:00Z',
        }),
      ),
    });
    await waitForLastStage(
      db.url,
      posted.body.items.map((item: { id: string }) => item.id),
    );
    // Headline KPIs: page load time over two weeks (off its 2,000 ms target), NPS from answers.
    await http(api.url, 'POST', '/api/v1/kpis/page_load_time/points', {
      key: triager,
      body: {
        points: [
          { at: '2026-09-23T10:00:00Z', value: 1900 },
          { at: '2026-09-30T10:00:00Z', value: 2400 },
        ],
      },
    });
    await http(api.url, 'POST', '/api/v1/surveys/answers', {
      key: triager,
      body: {
        answers: [10, 9, 9, 8, 2].map((score, i) => ({
          answerId: `d-${i}`,
          kind: 'nps',
          score,
          answeredAt: '2026-10-01T10:00:00Z',
        })),
      },
    });
    const items = (await http(api.url, 'GET', `/api/v1/boards/${week}`, { key: viewer })).body.items as {
      irritantId: string;
      category: string;
    }[];
    const payment = items.find((item) => item.category === 'payment') as { irritantId: string };
    const legal = items.find((item) => item.category !== 'payment') as { irritantId: string };
    await http(api.url, 'POST', `/api/v1/boards/${week}/items/${payment.irritantId}/decision`, {
      key: triager,
      body: { kind: 'fix', owner: 'payments-team' },
    });
    // The team pins a quote for the payment irritant.
    const [pinnedVerbatim] = await query<{ id: string }>(
      db.url,
      `SELECT id FROM verbatim WHERE external_id = 'g-2'`,
    );
    const pin = await http(api.url, 'PUT', `/api/v1/boards/${week}/items/${payment.irritantId}/quote`, {
      key: triager,
      body: { verbatimId: pinnedVerbatim.id },
    });
    expect(pin.status).toBe(200);
    expect(
      (
        await http(api.url, 'PUT', `/api/v1/boards/${week}/items/${legal.irritantId}/quote`, {
          key: triager,
          body: { verbatimId: pinnedVerbatim.id },
        })
      ).status,
    ).toBe(400);
    // A monitor that failed twice in the week (its runs as the scheduler would have stored them).
    await query(
      db.url,
      `WITH m AS (INSERT INTO monitor (name, kind, steps) VALUES ('Paris → Lille booking', 'http', '[]') RETURNING id)
       INSERT INTO monitor_run (monitor_id, slot, started_at, duration_ms, status, steps)
       SELECT m.id, s, timestamptz '2026-09-30T10:00:00Z' + s * interval '1 hour', 900,
              CASE WHEN s < 2 THEN 'failed' ELSE 'ok' END, '[]' FROM m, generate_series(0, 4) s`,
    );
    await http(api.url, 'POST', `/api/v1/boards/${week}/items/${legal.irritantId}/decision`, {
      key: triager,
      body: { kind: 'route', department: 'legal' },
    });
  });

  it('waits for Monday’s send time and the frozen board', async () => {
    expect(await api.app.get(DigestService).sendDue(before)).toEqual([]);
    // 08:31 but the board is not frozen yet: nothing either.
    expect(await api.app.get(DigestService).sendDue(after)).toEqual([]);
    expect(smtp.received).toHaveLength(0);
  });

  it('sends one message per recipient even with two processes racing, in each one’s language', async () => {
    await api.app.get(BoardService).freezeDue(new Date('2026-10-05T06:01:00Z'));
    const [a, b] = await Promise.all([
      api.app.get(DigestService).sendDue(after),
      second.app.get(DigestService).sendDue(after),
    ]);
    expect([...a, ...b].sort()).toEqual(['ceo@example.com', 'cto@example.com']);
    expect(smtp.received.map((r) => r.to).sort()).toEqual(['ceo@example.com', 'cto@example.com']);
    // Later ticks and a restart find it sent.
    expect(await second.app.get(DigestService).sendDue(new Date('2026-10-05T09:00:00Z'))).toEqual([]);
    expect(smtp.received).toHaveLength(2);

    const fr = smtp.received.find((r) => r.to === 'ceo@example.com')?.mail as ParsedMail;
    const en = smtp.received.find((r) => r.to === 'cto@example.com')?.mail as ParsedMail;
    expect(fr.subject).toBe(`LoveBoard · ce que les clients ont vécu en ${week}`);
    expect(en.subject).toBe(`LoveBoard · what customers went through in ${week}`);
    expect(fr.headers.get('x-loveboard-digest')).toBe(week);
    const html = String(fr.html);
    for (const section of [
      'Les irritants de la semaine',
      'Décisions prises',
      'Orientés, sans réponse du service',
      'Délai de correction',
      'corriger',
      'payments-team',
      'https://loveboard.example.com/boards/2026-W40',
    ])
      expect(html).toContain(section);
    expect(html).toMatch(/3 clients/);
    // Page load time: 2,400 ms this week, +500 vs last week, off its 2,000 ms target (red); NPS 40.
    expect(html).toContain('Indicateurs');
    expect(html).toMatch(
      /Temps de chargement des pages<\/td><td style="[^"]*color:#c92a2a;[^"]*">▲ 2400 ms<\/td>/,
    );
    expect(html).toContain('+500 vs sem. préc.');
    expect(html).toMatch(/NPS<\/td><td style="[^"]*color:#2b8a3e;[^"]*">● 40 ±\d/);
    expect(fr.text).toContain(
      '- Temps de chargement des pages : 2400 ms (!) +500, objectif 2000 ms'.replace(' :', ':'),
    );
    // French throughout: KPI names, categories, axes, departments; no English word or key of ours.
    for (const english of [
      'Page load time',
      'business',
      'payment',
      'legal_privacy',
      'operations',
      'board still open',
    ]) {
      const word = new RegExp(`\\b${english.replace(/[()]/g, '\\$&')}\\b`);
      expect({ english, found: word.test(html) || word.test(String(fr.text)) }).toEqual({
        english,
        found: false,
      });
    }
    expect(html).toContain('commercial');
    // Why each irritant ranks, in French (the reasons' French rendering).
    expect(html).toContain('Pourquoi : ');
    expect(html).toMatch(/Pourquoi : [^<]*clients?/);
    expect(String(en.html)).toMatch(/Why: [^<]*customers?/);
    expect(html).toContain('Paiement');
    expect(html).toContain('→ Juridique');
    expect(String(en.html)).toContain('→ Legal');
    // The pinned quote, marked; the failed monitor with its count.
    expect(html).toContain('mon paiement est refusé au 3-D Secure, je réessaie depuis hier');
    expect(html).toContain('choisi par l’équipe');
    expect(html).toContain('Parcours clients en échec');
    expect(html).toContain('2 échecs sur 5 passages');
    // It failed twice, then passed again: recovered, with its window, not "failing".
    expect(html).toContain('en échec de mer. 30 sept. 12:00 à mer. 30 sept. 14:00, rétabli depuis');
    expect(String(en.html)).toContain('failed from Wed 30 Sept 12:00 to Wed 30 Sept 14:00, recovered since');
    expect(fr.text).toContain('LES IRRITANTS DE LA SEMAINE');
    expect(String(en.html)).toContain('Decisions taken');
  });

  it('shows customer words escaped and redacted, never as markup', () => {
    const html = String(smtp.received[0].mail.html);
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/<img[^>]*onerror/i);
    const raw = smtp.received.map((r) => `${String(r.mail.html)}\n${String(r.mail.text)}`).join('\n');
    expect(raw).not.toContain('e@example.com');
    expect(raw).not.toContain('a@example.com');
    // A customer's signature and name are not quoted to the CEO.
    expect(raw).not.toContain('Jeanne');
    expect(raw).not.toContain('Martin');
  });

  it('is never read back as a verbatim by the e-mail connector', async () => {
    const reading = await readEmail(smtp.received[0].raw);
    expect(reading.kind).toBe('skipped');
  });

  it('retries an SMTP failure with backoff', async () => {
    const digests = api.app.get(DigestService);
    smtp.refuse.next = 1;
    const next = '2026-W41';
    const monday = new Date('2026-10-12T06:31:00Z');
    await api.app.get(BoardService).freezeDue(new Date('2026-10-12T06:01:00Z'));
    const first = await digests.sendDue(monday);
    expect(first).toEqual(['cto@example.com']);
    const rows = await query<{
      recipient: string;
      status: string;
      attempts: number;
      last_error: string | null;
    }>(
      db.url,
      `SELECT recipient, status, attempts, last_error FROM digest_delivery WHERE iso_week = $1 ORDER BY recipient`,
      [next],
    );
    expect(rows[0]).toMatchObject({ recipient: 'ceo@example.com', status: 'failed', attempts: 1 });
    expect(rows[0].last_error).toMatch(/451|busy/);
    // Within the backoff nothing is retried; after it, it is.
    expect(await digests.sendDue(new Date(monday.getTime() + 1_000))).toEqual([]);
    expect(await digests.sendDue(new Date(monday.getTime() + 61_000))).toEqual(['ceo@example.com']);
    expect(smtp.received.filter((r) => r.mail.headers.get('x-loveboard-digest') === next)).toHaveLength(2);
  });

  it('refuses to send a week whose board is not frozen, unless forced, and says so', async () => {
    const open = '2026-W42';
    const digests = api.app.get(DigestService);
    await expect(digests.send(open)).rejects.toBeInstanceOf(DigestRefusedError);
    const refused = await http(api.url, 'POST', `/api/v1/digests/${open}/send`, { key: admin, body: {} });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain(`the board of ${open} is not frozen`);
    expect(refused.body.message).toContain('force');
    expect(
      (await http(api.url, 'POST', `/api/v1/digests/${open}/send`, { key: triager, body: {} })).status,
    ).toBe(403);
    expect(smtp.received.filter((r) => r.mail.headers.get('x-loveboard-digest') === open)).toHaveLength(0);
    // Nothing was used up: forced, it goes, saying the board was still open.
    const forced = await http(api.url, 'POST', `/api/v1/digests/${open}/send`, {
      key: admin,
      body: { force: true },
    });
    expect(forced.body.sent.sort()).toEqual(['ceo@example.com', 'cto@example.com']);
    const mails = smtp.received.filter((r) => r.mail.headers.get('x-loveboard-digest') === open);
    expect(mails).toHaveLength(2);
    expect(String(mails.find((r) => r.to === 'ceo@example.com')?.mail.text)).toContain(
      'tableau encore ouvert',
    );
    const deliveries = await http(api.url, 'GET', `/api/v1/digests/${open}/deliveries`, { key: admin });
    expect(deliveries.body.map((d: { forced: boolean }) => d.forced)).toEqual([true, true]);
  });

  it('says so on the command line: refused before the freeze, forced, resent', async () => {
    const cli = async (args: string[]) => {
      const run = spawnApp('cli', ['digest', ...args], {
        DATABASE_URL: db.url,
        AUTHOR_KEY_SECRET: 'test-author-key-secret-0123456789',
        SECRETS_KEY: 'test-secrets-key-0123456789abcdef0123456789',
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        DIGEST_RECIPIENTS: 'ceo@example.com:fr',
        LOG_LEVEL: 'warn',
      });
      return { code: await run.exited, output: run.output() };
    };
    const open = '2026-W43';
    const refused = await cli(['--week', open, '--send']);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`refused: the board of ${open} is not frozen`);
    expect(refused.output).toContain('(--force)');
    expect(smtp.received.filter((r) => r.mail.headers.get('x-loveboard-digest') === open)).toHaveLength(0);
    const forced = await cli(['--week', open, '--send', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.output).toContain('forced: the board is sent as it stands, before its freeze');
    expect(forced.output).toContain('sent to 1 recipient(s): ceo@example.com');
    const again = await cli(['--week', open, '--send', '--force']);
    expect(again.output).toContain('sent to 0 recipient(s)');
    expect(again.output).toContain('already sent to ceo@example.com (--resend to send again)');
    expect((await cli(['--week', open, '--resend'])).output).toContain('--force and --resend go with --send');
  });

  it('sends a week again only when asked to resend, as a message of its own', async () => {
    const before = smtp.received.filter((r) => r.mail.headers.get('x-loveboard-digest') === week);
    expect(before).toHaveLength(2);
    const digests = api.app.get(DigestService);
    expect(await digests.send(week)).toEqual([]);
    const again = await digests.send(week, { resend: true });
    expect(again.sort()).toEqual(['ceo@example.com', 'cto@example.com']);
    const after = smtp.received.filter((r) => r.mail.headers.get('x-loveboard-digest') === week);
    expect(after).toHaveLength(4);
    expect(new Set(after.map((r) => r.mail.messageId)).size).toBe(4);
    const deliveries = await http(api.url, 'GET', `/api/v1/digests/${week}/deliveries`, { key: admin });
    expect(
      deliveries.body.map((d: { recipient: string; sequence: number }) => `${d.recipient}#${d.sequence}`),
    ).toEqual(['ceo@example.com#0', 'ceo@example.com#1', 'cto@example.com#0', 'cto@example.com#1']);
  });

  it('links to where the product really listens when PUBLIC_URL is not set', async () => {
    const local = await startApi(
      testConfig({
        DATABASE_URL: db.url,
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        DIGEST_RECIPIENTS: 'ceo@example.com:fr',
      }),
    );
    try {
      const text = await fetch(`${local.url}/api/v1/digests/${week}?format=text`, {
        headers: { authorization: `Bearer ${viewer}` },
      });
      expect(await text.text()).toContain(`${local.url}/boards/${week}`);
      expect(local.url).not.toContain(':3000');
    } finally {
      await local.close();
    }
  });

  it('previews a week’s digest through the API', async () => {
    const response = await fetch(`${api.url}/api/v1/digests/${week}?lang=en`, {
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('Irritants of the week');
    expect(html).not.toContain('<script>');
    const text = await fetch(`${api.url}/api/v1/digests/${week}?format=text`, {
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(text.headers.get('content-type')).toMatch(/text\/plain/);
    expect((await fetch(`${api.url}/api/v1/digests/${week}`)).status).toBe(401);
    expect(
      (await fetch(`${api.url}/api/v1/digests/2026-W99`, { headers: { authorization: `Bearer ${viewer}` } }))
        .status,
    ).toBe(400);
  });
});
