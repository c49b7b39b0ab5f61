import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  ConnectorError,
  checkTranscript,
  emailVerbatim,
  readEmail,
  readMetaEvents,
  transcriptMessages,
  readChatPlatform,
  CHAT_PLATFORMS,
} from '@app/connectors';
import { checkVerbatim, readImportRows } from '@app/ingest';
// The X mapping is not part of the connectors' public surface (the poller calls it); it is a pure
// function of an API answer, so it is tested here directly.
import { readSearchPage, tweetOutcome } from '../../libs/connectors/src/twitter/tweets';
import {
  anyVerbatim,
  hostileString,
  hostileValue,
  params,
  recordRuns,
  validVerbatim,
  watchUnhandledRejections,
} from './arbitraries';

/**
 * A value as it arrives in a request body: through JSON, so with ordinary prototypes (fast-check
 * builds some objects without one, which no JSON parser produces) and `__proto__` as an own key.
 */
const asJson = (value: unknown): unknown => {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
};

/** A verbatim produced by a connector either passes the ingestion checks or is refused by them, never throws. */
function checksCleanly(item: unknown): void {
  item = asJson(item);
  const check = checkVerbatim(item);
  if (!check.ok) expect(check.reason.length).toBeGreaterThan(0);
}

// ---- RFC 822 messages -------------------------------------------------------------------------

const headerValue = fc.oneof(
  hostileString.map((s) => s.replace(/[\r\n]/g, ' ')),
  fc.constantFrom(
    '=?utf-8?B?w6l0w6k=?=',
    '=?iso-8859-1?Q?caf=E9?=',
    '=?bogus?X?zz?=',
    '<a@b>',
    '<>',
    '"Jeanne" <jeanne@example.com>',
    'undisclosed-recipients:;',
    'Mon, 32 Foo 99999 99:99:99 +9999',
    'auto-replied',
  ),
);
const headerName = fc.constantFrom(
  'From',
  'To',
  'Subject',
  'Date',
  'Message-ID',
  'In-Reply-To',
  'References',
  'Auto-Submitted',
  'Precedence',
  'Content-Transfer-Encoding',
  'X-LoveBoard-Digest',
  'Content-Type',
);
const contentType = fc.constantFrom(
  'text/plain; charset=utf-8',
  'text/plain; charset=x-unknown',
  'text/html; charset=utf-8',
  'multipart/alternative; boundary="b1"',
  'multipart/mixed; boundary=',
  'multipart/mixed',
  'message/rfc822',
  'application/octet-stream',
);
const bodyText = fc.oneof(
  hostileString,
  fc.constantFrom(
    '--b1\r\nContent-Type: text/plain\r\n\r\nBonjour, le paiement échoue.\r\n--b1\r\nContent-Type: text/html\r\n\r\n<p>Bonjour</p>\r\n--b1--',
    '--b1\r\nContent-Type: text/html\r\n\r\n' +
      '<div>'.repeat(2_000) +
      'x' +
      '</div>'.repeat(2_000) +
      '\r\n--b1--',
    'SGVsbG8gd29ybGQ=',
    '=C3=A9t=C3=A9 =\r\nsoft break',
    'Merci\r\n\r\nOn Mon, Jan 1, 2024 at 9:00 AM Shop <shop@example.com> wrote:\r\n> old text',
    '-- \r\nsignature only',
  ),
);
const rawEmail: fc.Arbitrary<Buffer> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.array(fc.tuple(headerName, headerValue), { maxLength: 8 }), contentType, bodyText)
      .map(([headers, type, body]) =>
        Buffer.from(
          `From: "Client" <client@example.com>\r\nSubject: Problème\r\n${headers.map(([n, v]) => `${n}: ${v}`).join('\r\n')}\r\nContent-Type: ${type}\r\n\r\n${body}`,
        ),
      ),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: hostileString.map((s) => Buffer.from(s)) },
);

// ---- chat transcripts, Meta page events, X search answers ------------------------------------------

const turn = fc.record(
  {
    role: fc.constantFrom('customer', 'agent', 'bot'),
    text: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), hostileValue),
    at: fc.oneof(fc.constant('2026-11-23T09:00:00Z'), hostileValue),
    failed: fc.oneof(fc.boolean(), hostileValue),
  },
  { requiredKeys: ['role', 'text'] },
);
const transcript = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      {
        conversationId: fc.oneof(fc.stringMatching(/^[a-z0-9-]{1,20}$/), hostileValue),
        startedAt: fc.oneof(fc.constant('2026-11-23T09:00:00Z'), hostileString),
        customer: fc.oneof(
          fc.record({ id: fc.string({ maxLength: 20 }), email: hostileString }),
          hostileValue,
        ),
        turns: fc.oneof(fc.array(turn, { maxLength: 6 }), hostileValue),
        lang: fc.oneof(fc.constantFrom('fr', 'en'), hostileString),
      },
      { requiredKeys: ['conversationId', 'turns'] },
    ),
  },
  { weight: 1, arbitrary: hostileValue },
);

const pageEvents = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      object: fc.oneof(fc.constantFrom('page', 'instagram'), hostileValue),
      entry: fc.oneof(
        fc.array(
          fc.record(
            {
              id: fc.oneof(fc.constant('123'), hostileValue),
              time: fc.oneof(fc.integer(), fc.double(), hostileString),
              changes: fc.array(
                fc.record({
                  field: fc.oneof(fc.constantFrom('feed', 'comments', 'mentions'), hostileValue),
                  value: fc.record(
                    {
                      item: fc.oneof(
                        fc.constantFrom('comment', 'status', 'rating', 'reaction'),
                        hostileValue,
                      ),
                      id: fc.oneof(fc.constant('17865799348089039'), hostileValue),
                      text: fc.oneof(fc.string({ maxLength: 60 }), hostileValue),
                      post_id: fc.oneof(fc.constant('123_456'), hostileValue),
                      review_text: fc.oneof(fc.string({ maxLength: 60 }), hostileValue),
                      reviewer_id: fc.oneof(fc.constant('77'), hostileValue),
                      verb: fc.oneof(fc.constantFrom('add', 'edited', 'remove'), hostileValue),
                      comment_id: fc.oneof(fc.constant('1_2'), hostileValue),
                      message: fc.oneof(fc.string({ maxLength: 60 }), hostileValue),
                      from: fc.oneof(fc.record({ id: fc.constant('9'), name: hostileString }), hostileValue),
                      created_time: fc.oneof(fc.integer(), fc.constant(8.64e15), hostileString),
                    },
                    { requiredKeys: [] },
                  ),
                }),
                { maxLength: 3 },
              ),
              messaging: fc.array(
                fc.record(
                  {
                    sender: fc.oneof(fc.record({ id: fc.constant('42') }), hostileValue),
                    recipient: fc.oneof(fc.record({ id: fc.constant('123') }), hostileValue),
                    timestamp: fc.oneof(fc.integer(), fc.constant(1e20), hostileString),
                    message: fc.oneof(
                      fc.record({ mid: fc.constant('m_1'), text: hostileString, is_echo: fc.boolean() }),
                      hostileValue,
                    ),
                  },
                  { requiredKeys: [] },
                ),
                { maxLength: 3 },
              ),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
        hostileValue,
      ),
    }),
  },
  { weight: 1, arbitrary: hostileValue },
);

const tweetId = fc.oneof(fc.bigInt({ min: 1n, max: 10n ** 19n }).map(String), hostileValue);
const searchAnswer: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record(
        {
          data: fc.oneof(
            fc.array(
              fc.record(
                {
                  id: tweetId,
                  text: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 80 }), hostileValue),
                  author_id: tweetId,
                  created_at: fc.oneof(fc.constant('2026-11-23T09:00:00.000Z'), hostileString),
                  lang: fc.oneof(fc.constantFrom('fr', 'en', 'und', 'qme'), hostileValue),
                  conversation_id: tweetId,
                  referenced_tweets: fc.oneof(
                    fc.array(
                      fc.record({ type: fc.constantFrom('replied_to', 'retweeted', 'quoted'), id: tweetId }),
                    ),
                    hostileValue,
                  ),
                },
                { requiredKeys: ['id'] },
              ),
              { maxLength: 4 },
            ),
            hostileValue,
          ),
          meta: fc.oneof(
            fc.record(
              {
                newest_id: tweetId,
                next_token: fc.oneof(fc.string(), hostileValue),
                result_count: fc.integer(),
              },
              { requiredKeys: [] },
            ),
            hostileValue,
          ),
          includes: fc.oneof(
            fc.record({ users: fc.array(fc.record({ id: tweetId, username: hostileValue })) }),
            hostileValue,
          ),
          errors: hostileValue,
        },
        { requiredKeys: [] },
      )
      .map((answer) => JSON.stringify(answer)),
  },
  { weight: 1, arbitrary: hostileString },
);

const twitterSettings = fc.record({
  queries: fc.constant<string[]>(['paiement']),
  includeReplies: fc.boolean(),
  includeRetweets: fc.boolean(),
  ownAccountIds: fc.constant(new Set(['1'])),
  v2Prefix: fc.constant('https://api.x.com/2/'),
  bearerToken: fc.constant('unused'),
});

// ---- CSV / JSONL import files -----------------------------------------------------------------

const csvCell = (value: unknown) =>
  `"${String(typeof value === 'string' ? value : JSON.stringify(value)).replace(/"/g, '""')}"`;
const importFile: fc.Arbitrary<{ format: 'csv' | 'jsonl'; text: string }> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc
      .array(
        fc.oneof(
          anyVerbatim.map((v) => JSON.stringify(v) ?? 'null'),
          hostileString,
        ),
        { maxLength: 6 },
      )
      .map((lines) => ({ format: 'jsonl' as const, text: lines.join('\n') })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          'externalId,author,channel,receivedAt,text',
          'externalId,author,channel,receivedAt,text,lang,metadata',
          '\uFEFFexternalId,author,channel,receivedAt,text',
          'externalId,externalId,text',
          '__proto__,constructor,text',
          '',
        ),
        fc.array(
          fc.oneof(
            validVerbatim.map((v) =>
              [v.externalId, v.author, v.channel, v.receivedAt, v.text].map(csvCell).join(','),
            ),
            hostileString,
          ),
          {
            maxLength: 6,
          },
        ),
      )
      .map(([header, lines]) => ({ format: 'csv' as const, text: [header, ...lines].join('\r\n') })),
  },
);

/**
 * The parsers behind every connector and `cli import`, called in-process with generated hostile
 * input: they return a reading or a reason and never throw anything but their documented error.
 */
describe('properties: parsers (import files, MIME, chat, Meta, X)', () => {
  const rejections = watchUnhandledRejections();
  const ran: Record<string, number> = {};
  const count = (name: string) => (ran[name] = (ran[name] ?? 0) + 1);
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lb-properties-'));
  });
  afterAll(() => {
    recordRuns('parsers', ran);
    rmSync(dir, { recursive: true, force: true });
  });

  it('checkVerbatim (the ingestion check) answers every value with a verdict', () => {
    fc.assert(
      fc.property(fc.oneof(anyVerbatim, hostileValue), (item) => {
        count('checkVerbatim');
        checksCleanly(item);
      }),
      params(),
    );
  });

  it('readImportRows (cli import) reads every file as rows or reasons', async () => {
    await fc.assert(
      fc.asyncProperty(importFile, async ({ format, text }) => {
        count('readImportRows');
        const path = join(dir, `import.${format}`);
        writeFileSync(path, text);
        for await (const row of readImportRows(path, format)) {
          expect(row.line).toBeGreaterThanOrEqual(0);
          if ('error' in row && row.error !== undefined) expect(row.error.length).toBeGreaterThan(0);
          else checksCleanly(row.value);
        }
      }),
      params(),
    );
  });

  it('readEmail + emailVerbatim read every message as a verbatim, a skip or a refusal', async () => {
    await fc.assert(
      fc.asyncProperty(rawEmail, async (raw) => {
        count('readEmail + emailVerbatim');
        const reading = await readEmail(raw);
        expect(['verbatim', 'skipped', 'refused']).toContain(reading.kind);
        const outcome = emailVerbatim('mail-in', reading, null, new Date());
        if ('verbatim' in outcome) checksCleanly(outcome.verbatim);
        else expect(('skipped' in outcome ? outcome.skipped : outcome.refused).length).toBeGreaterThan(0);
      }),
      params(),
    );
  });

  it('readChatPlatform reads every body a chat platform could post as messages, skips or refusals', () => {
    const platformBody = fc.oneof(
      hostileValue,
      fc.record(
        {
          event: fc.oneof(
            fc.constantFrom('message_created', 'message:send', 'message:received'),
            hostileValue,
          ),
          type: fc.oneof(fc.constant('notification_event'), hostileValue),
          topic: fc.oneof(
            fc.constantFrom('conversation.user.replied', 'conversation.user.created', 'ping'),
            hostileValue,
          ),
          id: fc.oneof(fc.integer(), hostileValue),
          content: fc.oneof(fc.string({ maxLength: 40 }), hostileValue),
          message_type: fc.oneof(fc.constantFrom('incoming', 'outgoing', 0, 1, 2), hostileValue),
          created_at: fc.oneof(fc.integer(), fc.constant('2026-11-23 09:00:00 UTC'), hostileString),
          conversation: fc.oneof(fc.record({ id: fc.oneof(fc.integer(), hostileValue) }), hostileValue),
          data: fc.oneof(
            fc.record(
              {
                session_id: fc.oneof(fc.constant('session_1'), hostileValue),
                fingerprint: fc.oneof(fc.integer(), hostileValue),
                type: fc.oneof(fc.constantFrom('text', 'note', 'file'), hostileValue),
                content: fc.oneof(fc.string({ maxLength: 40 }), hostileValue),
                from: fc.oneof(fc.constantFrom('user', 'operator'), hostileValue),
                timestamp: fc.oneof(fc.integer(), hostileValue),
                item: hostileValue,
              },
              { requiredKeys: [] },
            ),
            hostileValue,
          ),
          events: fc.oneof(fc.array(hostileValue, { maxLength: 3 }), hostileValue),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(platformBody, fc.constantFrom(...CHAT_PLATFORMS), (body, platform) => {
        count('readChatPlatform');
        const reading = readChatPlatform(platform, asJson(body));
        for (const message of reading.messages) {
          expect(message.text.trim()).not.toBe('');
          expect(Number.isNaN(Date.parse(message.at))).toBe(false);
          expect(message.conversationId.length).toBeGreaterThan(0);
        }
        for (const one of [...reading.skipped, ...reading.refused])
          expect(one.reason.length).toBeGreaterThan(0);
      }),
      params(),
    );
  });

  it('checkTranscript + transcriptMessages turn every chat body into messages or reasons', () => {
    fc.assert(
      fc.property(transcript, fc.constantFrom('conversation' as const, 'turn' as const), (body, per) => {
        count('checkTranscript + transcriptMessages');
        const checked = checkTranscript(asJson(body));
        if (checked.errors) {
          expect(checked.errors.length).toBeGreaterThan(0);
          return;
        }
        const { messages } = transcriptMessages(checked.transcript);
        for (const message of messages) {
          expect(typeof message.text).toBe('string');
          expect(Number.isNaN(Date.parse(message.at))).toBe(false);
        }
        expect(['conversation', 'turn']).toContain(per);
      }),
      params({
        // Regression (seed -26157043): a transcript without customer passed the check, then the
        // mapping read customer.id (a TypeError: a 500 from the chat webhook).
        examples: [
          [
            { conversationId: 'a', turns: [{ role: 'customer', text: '!', at: '2026-11-23T09:00:00Z' }] },
            'conversation',
          ],
        ],
      }),
    );
  });

  it('readMetaEvents turns every Meta body into verbatims, skips and refusals', () => {
    fc.assert(
      fc.property(pageEvents, (body) => {
        count('readMetaEvents');
        const reading = readMetaEvents('fb-page', asJson(body), new Date('2026-11-23T09:00:00Z'));
        for (const item of reading.items) checksCleanly(item);
        for (const refusal of reading.refused) expect(refusal.reason.length).toBeGreaterThan(0);
        for (const skip of reading.skipped) expect(skip.reason.length).toBeGreaterThan(0);
      }),
      params(),
    );
  });

  it('readSearchPage + tweetOutcome map every X answer to verbatims or a ConnectorError', () => {
    fc.assert(
      fc.property(searchAnswer, twitterSettings, (answer, settings) => {
        count('readSearchPage + tweetOutcome');
        let page: ReturnType<typeof readSearchPage>;
        try {
          page = readSearchPage(answer, 'tweets/search/recent');
        } catch (error) {
          // The one documented failure: the poll fails and backs off, with a reason.
          expect(error).toBeInstanceOf(ConnectorError);
          expect((error as Error).message.length).toBeGreaterThan(0);
          return;
        }
        for (const tweet of page.tweets) {
          const outcome = tweetOutcome(tweet, page, 'paiement', 'x-brand', settings);
          if ('verbatim' in outcome) checksCleanly(outcome.verbatim);
        }
      }),
      params(),
    );
  });

  afterAll(() => rejections.check());
});
