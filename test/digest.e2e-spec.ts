import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { BoardService } from '@app/board';
import { readEmail } from '@app/connectors';
import { Role } from '@app/database';
import { DigestService } from '@app/digest';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { query, waitForLastStage } from './support/database';
import { http } from './support/http';
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
  const week = '2026-W40';
  const XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>';
  // Monday 2026-10-05, Paris (UTC+2): the board freezes at 08:00, the digest goes at 08:30.
  const before = new Date('2026-10-05T06:29:00Z');
  const after = new Date('2026-10-05T06:31:00Z');

  beforeAll(async () => {
    [triager, viewer] = await Promise.all([api.key(Role.Triager), api.key(Role.Viewer)]);
    const texts = [
      ['a@example.com', `Paiement refusé au 3-D Secure ${XSS}, impossible de payer`],
      ['b@example.com', 'Paiement refusé au 3-D Secure, impossible de payer mon billet'],
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
    expect(html).toMatch(/Page load time<\/td><td style="[^"]*color:#c92a2a;[^"]*">▲ 2400 ms<\/td>/);
    expect(html).toContain('+500 vs sem. préc.');
    expect(html).toMatch(/NPS<\/td><td style="[^"]*color:#2b8a3e;[^"]*">● 40 ±\d/);
    expect(fr.text).toContain('- Page load time: 2400 ms (!) +500, objectif 2000 ms');
    // The pinned quote, marked; the failed monitor with its count.
    expect(html).toContain('mon paiement est refusé au 3-D Secure, je réessaie depuis hier');
    expect(html).toContain('choisi par l’équipe');
    expect(html).toContain('Parcours clients en échec');
    expect(html).toContain('2 échecs sur 5 passages');
    expect(fr.text).toContain('LES IRRITANTS DE LA SEMAINE');
    expect(String(en.html)).toContain('Decisions taken');
  });

  it('shows customer words escaped and redacted, never as markup', () => {
    const html = String(smtp.received[0].mail.html);
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/<img[^>]*onerror/i);
    const raw = smtp.received.map((r) => r.raw.toString('utf8')).join('\n');
    expect(raw).not.toContain('e@example.com');
    expect(raw).not.toContain('a@example.com');
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
