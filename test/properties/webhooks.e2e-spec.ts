import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { Client } from 'pg';
import { Role } from '@app/database';
import { useApi } from '../support/app';
import { http } from '../support/http';
import {
  deepJson,
  hostileString,
  hostileValue,
  params,
  recordRuns,
  watchUnhandledRejections,
} from './arbitraries';

const CHAT_SECRET = 'chat-signing-secret-0123';
const MAIL_SECRET = 'mail-push-secret-0123';
const APP_SECRET = 'meta-app-secret-0123';

type Kind = 'chat' | 'email' | 'facebook';
/** How the request is signed: right, over other bytes, stale, or not at all. */
type Signing = 'valid' | 'wrong' | 'stale' | 'none';

const chatBody = fc.oneof(
  fc
    .record({
      conversationId: fc.oneof(fc.stringMatching(/^[a-z0-9-]{1,12}$/), hostileValue),
      turns: fc.oneof(
        fc.array(
          fc.record({
            role: fc.constantFrom('customer', 'agent', 'bot'),
            text: fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }), hostileValue),
            at: fc.constant('2026-11-23T09:00:00Z'),
          }),
          { maxLength: 4 },
        ),
        hostileValue,
      ),
      customer: fc.oneof(fc.record({ id: fc.string({ minLength: 1, maxLength: 20 }) }), hostileValue),
      startedAt: fc.oneof(fc.constant('2026-11-23T09:00:00Z'), hostileString),
    })
    .map((body) => JSON.stringify(body)),
  hostileValue.map((value) => JSON.stringify(value) ?? 'null'),
  deepJson(),
  hostileString,
);
const facebookBody = fc.oneof(
  fc
    .record({
      object: fc.constant('page'),
      entry: fc.array(
        fc.record({
          id: fc.constant('123'),
          time: fc.integer({ min: 1_700_000_000, max: 1_800_000_000 }),
          messaging: fc.array(
            fc.record({
              sender: fc.record({ id: fc.constantFrom('42', '43') }),
              recipient: fc.record({ id: fc.constant('123') }),
              timestamp: fc.oneof(
                fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }),
                hostileValue,
              ),
              message: fc.oneof(
                fc.record({ mid: fc.stringMatching(/^m_[a-z0-9]{1,10}$/), text: hostileString }),
                hostileValue,
              ),
            }),
            { maxLength: 3 },
          ),
        }),
        { maxLength: 2 },
      ),
    })
    .map((body) => JSON.stringify(body)),
  hostileValue.map((value) => JSON.stringify(value) ?? 'null'),
  deepJson(),
);
const mailBody = fc.oneof(
  fc
    .tuple(
      fc.stringMatching(/^[a-z0-9]{1,12}$/),
      fc.oneof(hostileString, fc.constantFrom('Re: commande', '=?utf-8?B?w6l0w6k=?=')),
      fc.constantFrom(
        'text/plain; charset=utf-8',
        'text/html',
        'multipart/alternative; boundary="b"',
        'text/plain; charset=x-bogus',
      ),
      fc.oneof(
        hostileString,
        fc.constantFrom('Le paiement échoue encore.', '<p>Bonjour</p>', '--b\r\n\r\nx\r\n--b--'),
      ),
      fc.constantFrom('', 'Auto-Submitted: auto-replied\r\n', 'Precedence: bulk\r\n', 'Message-ID: <>\r\n'),
    )
    .map(
      ([id, subject, type, body, extra]) =>
        `From: "Client" <client-${id}@example.com>\r\nMessage-ID: <${id}@example.com>\r\nSubject: ${subject.replace(/[\r\n]/g, ' ')}\r\n${extra}Content-Type: ${type}\r\n\r\n${body}`,
    ),
  hostileString,
);
const request = fc.oneof(
  fc.tuple(fc.constant<Kind>('chat'), chatBody),
  fc.tuple(fc.constant<Kind>('facebook'), facebookBody),
  fc.tuple(fc.constant<Kind>('email'), mailBody),
);
const signing = fc.constantFrom<Signing>(
  'valid',
  'valid',
  'valid',
  'valid',
  'valid',
  'wrong',
  'stale',
  'none',
);

/**
 * Signed inbound webhooks (chat transcripts, Meta page events, pushed RFC 822 mail) under generated
 * hostile bodies, validly signed so that the parsers are reached, or not: never a 5xx; a 4xx says
 * why and stores nothing (a refused mail leaves a dead letter with its cause); a 2xx stores what it
 * reports, and the same delivery again stores nothing.
 */
describe('properties: signed inbound webhooks', () => {
  const rejections = watchUnhandledRejections();
  const { api, db } = useApi();
  let sql: Client;
  const ids = {} as Record<Kind, string>;
  const ran: Record<string, number> = {};

  beforeAll(async () => {
    const admin = await api.key(Role.Admin);
    const sources: [Kind, Record<string, unknown>][] = [
      ['chat', { name: 'prop-chat', kind: 'chat', secrets: { signingSecret: CHAT_SECRET } }],
      [
        'facebook',
        { name: 'prop-fb', kind: 'facebook', secrets: { appSecret: APP_SECRET, verifyToken: 'verify-me' } },
      ],
      [
        'email',
        {
          name: 'prop-mail',
          kind: 'email',
          settings: { host: '127.0.0.1', port: 1, secure: false, user: 'nobody' },
          secrets: { password: 'unused', signingSecret: MAIL_SECRET },
        },
      ],
    ];
    for (const [kind, body] of sources) {
      const created = await http(api.url, 'POST', '/api/v1/sources', { key: admin, body });
      expect(created.status).toBe(201);
      ids[kind] = created.body.id as string;
    }
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });

  afterAll(async () => {
    recordRuns('signed inbound webhooks', ran);
    await sql?.end();
  });

  const counts = async () =>
    (
      await sql.query<{ verbatims: string; letters: string }>(
        `SELECT (SELECT count(*) FROM verbatim) AS verbatims,
                (SELECT count(*) FROM dead_letter WHERE job_name = 'source.email') AS letters`,
      )
    ).rows[0];

  async function deliver(kind: Kind, body: string, how: Signing) {
    const bytes = Buffer.from(body);
    const headers: Record<string, string> = {
      'content-type': kind === 'email' ? 'message/rfc822' : 'application/json',
    };
    const timestamp = String(Math.floor(Date.now() / 1000) - (how === 'stale' ? 3_600 : 0));
    const signed = how === 'wrong' ? Buffer.concat([bytes, Buffer.from(' ')]) : bytes;
    if (kind === 'facebook') {
      if (how !== 'none')
        headers['x-hub-signature-256'] =
          `sha256=${createHmac('sha256', APP_SECRET).update(signed).digest('hex')}`;
    } else if (how !== 'none') {
      const secret = kind === 'chat' ? CHAT_SECRET : MAIL_SECRET;
      headers['x-loveboard-timestamp'] = timestamp;
      headers['x-loveboard-signature'] = `sha256=${createHmac('sha256', secret)
        .update(Buffer.concat([Buffer.from(`${timestamp}.`), signed]))
        .digest('hex')}`;
    }
    const response = await fetch(`${api.url}/api/v1/webhooks/${kind}/${ids[kind]}`, {
      method: 'POST',
      headers,
      body: bytes,
    });
    const text = await response.text();
    let parsed: { message?: unknown; stored?: number } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      // not JSON: the reason check below fails with the status
    }
    return { status: response.status, body: parsed };
  }

  it('answers every delivery below 500, with a reason or exactly its rows, once', async () => {
    await fc.assert(
      fc.asyncProperty(request, signing, async ([kind, body], how) => {
        ran[`POST /api/v1/webhooks/${kind}`] = (ran[`POST /api/v1/webhooks/${kind}`] ?? 0) + 1;
        const before = await counts();
        const first = await deliver(kind, body, how);
        expect(first.status).toBeLessThan(500);
        const after = await counts();
        // Meta signs no timestamp: a "stale" Meta delivery is a valid one.
        const refused = how === 'wrong' || how === 'none' || (how === 'stale' && kind !== 'facebook');
        // Unsigned: 401, or 400 when the JSON body parser refuses the bytes before the signature check.
        if (refused) expect([400, 401]).toContain(first.status);
        if (first.status >= 400) {
          expect(JSON.stringify(first.body.message ?? '').length).toBeGreaterThan(2);
          expect(after.verbatims).toBe(before.verbatims);
          // A signed, non-empty mail refused for its content leaves a dead letter naming the cause
          // (one per message id: a second refusal of the same id updates it, so look it up by cause).
          if (kind === 'email' && !refused && body !== '' && typeof first.body.message === 'string') {
            const letters = await sql.query(
              `SELECT 1 FROM dead_letter WHERE job_name = 'source.email' AND cause = $1`,
              [first.body.message],
            );
            expect(letters.rowCount).toBeGreaterThan(0);
          }
          return;
        }
        expect(Number(after.verbatims) - Number(before.verbatims)).toBe(first.body.stored);
        const again = await deliver(kind, body, how);
        expect(again.status).toBe(200);
        expect(again.body.stored).toBe(0);
        expect((await counts()).verbatims).toBe(after.verbatims);
      }),
      params(),
    );
    rejections.check();
  });
});
