import { storedExternalId } from './support/external-ids';
import { createHmac } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SourcePoller, readEmail } from '@app/connectors';
import { Role } from '@app/database';
import { useApi } from './support/app';
import { query } from './support/database';
import { http } from './support/http';
import { ImapServer, startImapServer } from './support/imap-server';
import { atSuiteEnd } from './support/suite-end';

const FIXTURES = join(__dirname, 'fixtures', 'eml');
const BOUNCES = join(__dirname, '..', '..', 'shared', 'corpora', 'bounces-sisimai');
const BOUNCE_CORPUS = Object.fromEntries(
  Object.entries(
    JSON.parse(
      readFileSync(join(__dirname, 'fixtures', 'corpora', 'bounces-sisimai.json'), 'utf8'),
    ) as Record<string, string>,
  ).filter(([file]) => file !== '_'),
);
const fixtures = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.eml'))
  .sort()
  .map((name) => ({ name, raw: readFileSync(join(FIXTURES, name)) }));

function message(id: string, from: string, subject: string, body: string): string {
  return [
    `Message-ID: <${id}@example.org>`,
    `From: ${from}`,
    'To: service-client@loverail.example',
    `Subject: ${subject}`,
    'Date: Mon, 23 Nov 2026 09:00:00 +0100',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');
}

/** The e-mail source against a real IMAP server (Dovecot), and raw MIME pushed by a provider. */
describe('e-mail connector', () => {
  const { api, db } = useApi();
  let imap: ImapServer;
  let admin: string;
  let sourceId: string;

  beforeAll(async () => {
    imap = await startImapServer();
    atSuiteEnd(() => imap.stop());
    admin = await api.key(Role.Admin);
    const created = await http(api.url, 'POST', '/api/v1/sources', {
      key: admin,
      body: {
        name: 'support-mailbox',
        kind: 'email',
        settings: { host: imap.host, port: imap.port, secure: false, user: imap.user },
        secrets: { password: imap.password, signingSecret: 'mail-push-secret-0123' },
      },
    });
    expect(created.status).toBe(201);
    sourceId = created.body.id;
  });

  const poll = async () => {
    const response = await http(api.url, 'POST', `/api/v1/sources/${sourceId}/poll`, { key: admin });
    expect(response.status).toBe(200);
    return response.body as { stored: number; skipped: number; refused: number };
  };
  const stored = async () =>
    (
      await query<{ external_id: string }>(db.url, `SELECT external_id FROM verbatim ORDER BY external_id`)
    ).map((row) => row.external_id);

  it('reads a mailbox of real-shaped mail: customers’ messages stored once, machines’ skipped, unusable ones dead-lettered', async () => {
    for (const fixture of fixtures) await imap.append(fixture.raw);
    const expected = new Set<string>();
    let skipped = 0;
    let refused = 0;
    for (const fixture of fixtures) {
      const reading = await readEmail(fixture.raw);
      if (reading.kind === 'verbatim' && reading.from) expected.add(reading.messageId);
      else if (reading.kind === 'skipped') skipped++;
      else refused++;
    }
    expect(expected.size).toBeGreaterThanOrEqual(30);
    const first = await poll();
    expect(first).toEqual({ stored: expected.size, skipped, refused });
    // Message-IDs carry an address: stored as keyed hashes (issue 19).
    expect(await stored()).toEqual([...expected].map(storedExternalId).sort());
    const deadLetters = await query<{ cause: string }>(
      db.url,
      `SELECT cause FROM dead_letter WHERE job_name = 'source.email'`,
    );
    expect(deadLetters).toHaveLength(refused);

    // The text is the customer's own, redacted on the way in; the digest's own mail never comes back.
    const [jeanne] = await query<{ raw_text: string; author_key: string }>(
      db.url,
      `SELECT raw_text, author_key FROM verbatim WHERE external_id = $1`,
      [storedExternalId('20261103091420.4f2a1c@mail.example.org')],
    );
    expect(jeanne.raw_text).toContain('je n’ai jamais reçu mon e-billet');
    expect(jeanne.author_key).not.toContain('@');

    // Polling again finds nothing new; a new message is picked up from the cursor.
    expect(await poll()).toEqual({ stored: 0, skipped: 0, refused: 0 });
    await imap.append(
      message('new-1', 'paul@example.com', 'Remboursement', 'Toujours pas remboursé de mon train annulé.'),
    );
    expect(await poll()).toEqual({ stored: 1, skipped: 0, refused: 0 });
    const health = await http(api.url, 'GET', `/api/v1/sources/${sourceId}/health`, { key: admin });
    expect(health.body).toMatchObject({ consecutiveFailures: 0, lastError: null });
    expect(health.body.itemsLast24h).toBe(expected.size + 1);
  });

  it('reads the mailbox again when its UIDVALIDITY changes, storing nothing twice', async () => {
    const before = await stored();
    await imap.resetInbox();
    await imap.append(
      message('new-1', 'paul@example.com', 'Remboursement', 'Toujours pas remboursé de mon train annulé.'),
    );
    await imap.append(
      message('new-2', 'lea@example.com', 'Appli', "L'appli plante quand j'ouvre mes billets."),
    );
    const result = await poll();
    expect(result).toEqual({ stored: 1, skipped: 0, refused: 0 });
    expect(await stored()).toEqual([...before, storedExternalId('new-2@example.org')].sort());
  });

  it('refuses a message over 10 MB from its size, with a dead letter naming it', async () => {
    const big = message('big-1', 'big@example.com', 'Photos', 'x'.repeat(10.5 * 1024 * 1024));
    await imap.append(big);
    expect(await poll()).toEqual({ stored: 0, skipped: 0, refused: 1 });
    const [letter] = await query<{ cause: string }>(
      db.url,
      `SELECT cause FROM dead_letter WHERE cause LIKE '%over the 10 MB limit%'`,
    );
    expect(letter.cause).toMatch(/message is 10\.\d MB, over the 10 MB limit/);
    expect(await stored()).not.toContain('big-1@example.org');
  });

  it('stops for good on a refused login: a dead letter with the cause, nothing else touched', async () => {
    const wrong = await http(api.url, 'POST', '/api/v1/sources', {
      key: admin,
      body: {
        name: 'wrong-password',
        kind: 'email',
        settings: { host: imap.host, port: imap.port, secure: false, user: imap.user },
        secrets: { password: 'not-the-password' },
      },
    });
    const response = await http(api.url, 'POST', `/api/v1/sources/${wrong.body.id}/poll`, { key: admin });
    expect(response.body).toEqual({ stored: 0, skipped: 0, refused: 0 });
    const health = await http(api.url, 'GET', `/api/v1/sources/${wrong.body.id}/health`, { key: admin });
    expect(health.body).toMatchObject({
      consecutiveFailures: 1,
      lastError: 'IMAP login refused: check user and password',
    });
    expect(health.body.backoffUntil).not.toBeNull();
    const [letter] = await query<{ cause: string }>(
      db.url,
      `SELECT cause FROM dead_letter WHERE job_name = 'source.poll'`,
    );
    expect(letter.cause).toBe('wrong-password: fails for good: IMAP login refused: check user and password');
  });

  it('backs off a server that does not answer, and dead-letters it after five failures in a row', async () => {
    const down = await http(api.url, 'POST', '/api/v1/sources', {
      key: admin,
      body: {
        name: 'mailbox-down',
        kind: 'email',
        // Nothing listens there: each poll fails at once, for now (not for good).
        settings: { host: '127.0.0.1', port: 9, secure: false, user: 'x' },
        secrets: { password: 'x' },
      },
    });
    for (let i = 1; i <= 5; i++) {
      await http(api.url, 'POST', `/api/v1/sources/${down.body.id}/poll`, { key: admin });
      const health = await http(api.url, 'GET', `/api/v1/sources/${down.body.id}/health`, { key: admin });
      expect(health.body.consecutiveFailures).toBe(i);
      expect(health.body.lastError).toMatch(/IMAP connection failed/);
    }
    const letters = await query<{ cause: string }>(
      db.url,
      `SELECT cause FROM dead_letter WHERE cause LIKE 'mailbox-down:%'`,
    );
    expect(letters).toHaveLength(1);
    expect(letters[0].cause).toMatch(/^mailbox-down: 5 failures in a row: IMAP connection failed/);
  });

  it('takes raw MIME pushed by a mail provider, signed, once', async () => {
    const raw = message(
      'pushed-1',
      'zoe@example.com',
      'Paiement refusé',
      'Mon paiement est refusé au 3-D Secure.',
    );
    const push = (body: string, secret: string, at = Math.floor(Date.now() / 1000)) =>
      fetch(`${api.url}/api/v1/webhooks/email/${sourceId}`, {
        method: 'POST',
        headers: {
          'content-type': 'message/rfc822',
          'x-loveboard-timestamp': String(at),
          'x-loveboard-signature': `sha256=${createHmac('sha256', secret).update(`${at}.${body}`).digest('hex')}`,
        },
        body,
      });
    expect((await push(raw, 'wrong')).status).toBe(401);
    const first = await push(raw, 'mail-push-secret-0123');
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ stored: 1, duplicates: 0, skipped: 0 });
    expect(await (await push(raw, 'mail-push-secret-0123')).json()).toEqual({
      stored: 0,
      duplicates: 1,
      skipped: 0,
    });
    // A sender whose clock says 1970: stored, dated when it arrived, not refused and lost.
    const epoch = message('epoch-1', 'tom@example.com', 'Billet', 'Toujours pas de billet.').replace(
      'Date: Mon, 23 Nov 2026 09:00:00 +0100',
      'Date: Thu, 01 Jan 1970 00:00:00 +0000',
    );
    expect(await (await push(epoch, 'mail-push-secret-0123')).json()).toMatchObject({ stored: 1 });
    const [dated] = await query<{ received_at: Date; metadata: Record<string, unknown> }>(
      db.url,
      `SELECT received_at, metadata FROM verbatim WHERE external_id = $1`,
      [storedExternalId('epoch-1@example.org')],
    );
    expect(Math.abs(dated.received_at.getTime() - Date.now())).toBeLessThan(600_000);
    expect(dated.metadata).toMatchObject({ dated: 'on arrival' });
    const bounce = fixtures.find((fixture) => fixture.name === 'bounce-rfc3464.eml');
    const skipped = await push(bounce?.raw.toString('latin1') ?? '', 'mail-push-secret-0123');
    expect(await skipped.json()).toMatchObject({
      stored: 0,
      duplicates: 0,
      skipped: 1,
      skippedReasons: [{ reason: 'bounce: delivery status report (RFC 3464)' }],
    });
  });

  it('skips every bounce and auto-reply of the public corpus with its reason, and stores the look-alikes', async () => {
    const push = async (raw: Buffer) => {
      const at = Math.floor(Date.now() / 1000);
      const signature = createHmac('sha256', 'mail-push-secret-0123')
        .update(`${at}.`)
        .update(raw)
        .digest('hex');
      const response = await fetch(`${api.url}/api/v1/webhooks/email/${sourceId}`, {
        method: 'POST',
        headers: {
          'content-type': 'message/rfc822',
          'x-loveboard-timestamp': String(at),
          'x-loveboard-signature': `sha256=${signature}`,
        },
        body: raw,
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const before = await stored();
    const lettersBefore = await query(db.url, `SELECT id FROM dead_letter WHERE job_name = 'source.email'`);
    const outcomes: Record<string, string> = {};
    for (const [file, kind] of Object.entries(BOUNCE_CORPUS)) {
      const { status, body } = await push(readFileSync(join(BOUNCES, file)));
      expect([file, status]).toEqual([file, 200]);
      const reasons = (body.skippedReasons ?? []) as { reason: string }[];
      outcomes[file] =
        body.stored === 1 ? 'stored' : (reasons[0]?.reason.split(':')[0] ?? JSON.stringify(body));
      expect([file, outcomes[file]]).toEqual([file, kind]);
    }
    // Nothing else stored, nothing refused: no dead letter for any of them.
    const storedNow = await stored();
    expect(storedNow.length - before.length).toBe(
      Object.values(BOUNCE_CORPUS).filter((k) => k === 'stored').length,
    );
    expect(await query(db.url, `SELECT id FROM dead_letter WHERE job_name = 'source.email'`)).toHaveLength(
      lettersBefore.length,
    );
  });

  it('never polls a push-only source (a signing secret, no IMAP host), which stays healthy', async () => {
    const created = await http(api.url, 'POST', '/api/v1/sources', {
      key: admin,
      body: {
        name: 'push-only-mail',
        kind: 'email',
        secrets: { signingSecret: 'push-only-secret-0123' },
        pollEverySeconds: 15,
      },
    });
    expect(created.status).toBe(201);
    // Every other source switched off: what is due an hour from now is what would be polled.
    const listed = await http(api.url, 'GET', '/api/v1/sources', { key: admin });
    for (const other of listed.body as { id: string; name: string }[]) {
      if (other.id === created.body.id) continue;
      await http(api.url, 'PATCH', `/api/v1/sources/${other.id}`, { key: admin, body: { enabled: false } });
    }
    const poller = api.app.get(SourcePoller);
    expect(await poller.enqueueDue(new Date(Date.now() + 3_600_000))).toBe(0);
    expect(await poller.pollNow(created.body.id)).toEqual({ stored: 0, skipped: 0, refused: 0 });
    const health = await http(api.url, 'GET', `/api/v1/sources/${created.body.id}/health`, { key: admin });
    expect(health.body).toMatchObject({ consecutiveFailures: 0, lastError: null, backoffUntil: null });
    const [row] = await query<{ last_poll_at: Date | null }>(
      db.url,
      'SELECT last_poll_at FROM source WHERE id = $1',
      [created.body.id],
    );
    expect(row.last_poll_at).toBeNull();
    expect(await query(db.url, `SELECT id FROM dead_letter WHERE cause LIKE 'push-only-mail%'`)).toHaveLength(
      0,
    );
  });
});
