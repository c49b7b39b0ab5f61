import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { DIGEST_HEADER, MAX_EMAIL_BYTES, readEmail, type EmailReading } from './index';

const FIXTURES = join(__dirname, '../../../../test/fixtures/eml');

interface Expectation {
  kind: EmailReading['kind'];
  contains?: string[];
  notContains?: string[];
  reasonContains?: string;
  messageIdPrefix?: string;
  subject?: string;
  from?: string | null;
  fromName?: string | null;
  date?: string | null;
  messageId?: string;
  attachments?: number;
  inReplyTo?: string | null;
  references?: string[];
}

const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<
  string,
  Expectation
>;
const fixtures = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.eml'))
  .sort();

/** A raw message from header lines and body lines, CRLF as on the wire. */
function message(headers: string[], body: string | Buffer): Buffer {
  const head = Buffer.from(`${headers.join('\r\n')}\r\n\r\n`, 'utf8');
  const text = typeof body === 'string' ? Buffer.from(body.replace(/\r?\n/g, '\r\n'), 'utf8') : body;
  return Buffer.concat([head, text]);
}

const CUSTOMER = [
  'From: Jeanne Martin <jeanne.martin@example.org>',
  'To: service-client@example.com',
  'Subject: Mon billet',
  'Date: Mon, 3 Nov 2026 10:00:00 +0100',
  'Message-ID: <spec-1@example.org>',
  'MIME-Version: 1.0',
];

async function verbatim(raw: Buffer): Promise<Extract<EmailReading, { kind: 'verbatim' }>> {
  const reading = await readEmail(raw);
  if (reading.kind !== 'verbatim') throw new Error(`expected a verbatim, got ${JSON.stringify(reading)}`);
  return reading;
}

async function textOf(body: string, subject = 'Mon billet'): Promise<string> {
  const headers = [...CUSTOMER.filter((h) => !h.startsWith('Subject:')), `Subject: ${subject}`];
  return (await verbatim(message([...headers, 'Content-Type: text/plain; charset=utf-8'], body))).text;
}

// Windows-1252 bytes of a string: Latin-1 plus the few characters Windows puts in 0x80-0x9f.
const CP1252_EXTRAS: Record<string, number> = { '€': 0x80, '’': 0x92, œ: 0x9c, Œ: 0x8c, '…': 0x85 };
function cp1252(text: string): Buffer {
  return Buffer.from([...text].map((c) => CP1252_EXTRAS[c] ?? c.charCodeAt(0)));
}

describe('readEmail on the fixtures', () => {
  it('has at least 32 fixtures, each with an expectation and each expectation with a fixture', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(32);
    expect(Object.keys(expected).sort()).toEqual(fixtures);
  });

  it.each(fixtures)('%s', async (name) => {
    const raw = readFileSync(join(FIXTURES, name));
    const want = expected[name];
    const reading = await readEmail(raw);

    expect(reading.kind).toBe(want.kind);
    if (reading.kind !== 'verbatim') {
      expect(reading.reason).toContain(want.reasonContains);
      return;
    }
    expect(reading.text).not.toBe('');
    expect(reading.text).toBe(reading.text.trim());
    for (const part of want.contains ?? []) expect(reading.text).toContain(part);
    for (const part of want.notContains ?? []) expect(reading.text).not.toContain(part);
    if (want.messageIdPrefix) expect(reading.messageId.startsWith(want.messageIdPrefix)).toBe(true);
    else expect(reading.messageId).not.toMatch(/^sha256:|[<>]/);
    const { subject, from, fromName, date, messageId, attachments, inReplyTo, references } = want;
    const exact = { subject, from, fromName, date, messageId, attachments, inReplyTo, references };
    for (const [field, value] of Object.entries(exact)) {
      if (value === undefined) continue;
      const actual = reading[field as keyof typeof reading];
      expect([field, actual instanceof Date ? actual.toISOString() : actual]).toEqual([field, value]);
    }
  });
});

describe('readEmail limits', () => {
  it('refuses a message over 10 MB before parsing it, naming its size', async () => {
    const line = `${'x'.repeat(76)}\r\n`;
    const raw = message(CUSTOMER, line.repeat(Math.ceil((11 * 1024 * 1024) / line.length)));
    expect(raw.length).toBeGreaterThan(11 * 1024 * 1024);

    const reading = await readEmail(raw);

    expect(reading).toEqual({
      kind: 'refused',
      messageId: 'spec-1@example.org',
      reason: 'message is 11.0 MB, over the 10 MB limit',
    });
  });

  it('reads a message of exactly MAX_EMAIL_BYTES', async () => {
    const head = message(
      [...CUSTOMER, 'Content-Type: text/plain; charset=utf-8'],
      'Mon billet est introuvable.\r\n',
    );
    const raw = Buffer.concat([head, Buffer.alloc(MAX_EMAIL_BYTES - head.length, ' ')]);
    expect(raw.length).toBe(MAX_EMAIL_BYTES);

    expect((await verbatim(raw)).text).toBe('Mon billet est introuvable.');
  });

  it('refuses what mailparser cannot parse, with its reason and the raw Message-ID', async () => {
    const raw = message([...CUSTOMER, `X-Huge: ${'a'.repeat(1_200_000)}`], 'Bonjour.\r\n');

    const reading = await readEmail(raw);

    expect(reading.kind).toBe('refused');
    expect(reading.messageId).toBe('spec-1@example.org');
    if (reading.kind === 'refused') expect(reading.reason).toMatch(/^unparseable: ./);
  });

  it('gives the hash of the bytes as id to a refused message without a Message-ID', async () => {
    const raw = Buffer.alloc(MAX_EMAIL_BYTES + 1, 'a');
    const reading = await readEmail(raw);
    expect(reading.kind).toBe('refused');
    expect(reading.messageId).toBe(`sha256:${createHash('sha256').update(raw).digest('hex')}`);
  });
});

describe('readEmail charsets', () => {
  const WORDS = 'Payé 12,50 € pour le cœur de l’été, reçu à Besançon : ça coûte très cher… Œuvre à part.';

  it('decodes windows-1252 in 8bit, quoted-printable and base64', async () => {
    const bytes = cp1252(WORDS);
    const qp = [...bytes].map((b) =>
      b < 0x80 && b !== 0x3d ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`,
    );
    const bodies: [string, Buffer][] = [
      ['8bit', bytes],
      ['quoted-printable', Buffer.from(qp.join(''), 'ascii')],
      ['base64', Buffer.from(bytes.toString('base64'), 'ascii')],
    ];
    for (const [encoding, body] of bodies) {
      const raw = message(
        [
          ...CUSTOMER,
          'Content-Type: text/plain; charset=windows-1252',
          `Content-Transfer-Encoding: ${encoding}`,
        ],
        body,
      );
      expect([encoding, (await verbatim(raw)).text]).toEqual([encoding, WORDS]);
    }
  });

  it('reads ISO-8859-1 as the windows-1252 that mailers really send under that name', async () => {
    const raw = message(
      [...CUSTOMER, 'Content-Type: text/plain; charset=ISO-8859-1', 'Content-Transfer-Encoding: 8bit'],
      cp1252(WORDS),
    );
    expect((await verbatim(raw)).text).toBe(WORDS);
  });

  it('repairs a subject and sender name written in raw Latin-1', async () => {
    const head = Buffer.from(
      'From: Hélène Fauré <helene@example.org>\r\nSubject: Réclamation : siège déjà occupé\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n',
      'latin1',
    );
    const reading = await verbatim(
      Buffer.concat([head, Buffer.from('Bonjour, ma place était prise.\r\n', 'utf8')]),
    );
    expect(reading.subject).toBe('Réclamation : siège déjà occupé');
    expect(reading.fromName).toBe('Hélène Fauré');
    expect(reading.text).toBe('Bonjour, ma place était prise.');
  });

  it('decodes UTF-7 bodies and encoded words', async () => {
    const utf7 = (text: string) => iconv.encode(text, 'utf7').toString('ascii');
    const raw = message(
      [
        ...CUSTOMER.filter((h) => !h.startsWith('Subject')),
        `Subject: =?UTF-7?Q?${utf7('Réclamation')}?=`,
        'Content-Type: text/plain; charset=utf-7',
      ],
      utf7(WORDS),
    );
    const reading = await verbatim(raw);
    expect(reading.subject).toBe('Réclamation');
    expect(reading.text).toBe(WORDS);
  });

  it('reads Latin-1 bytes mislabelled UTF-8, and UTF-8 bytes mislabelled Latin-1, as what they are', async () => {
    const latin1InUtf8 = message(
      [
        ...CUSTOMER.filter((h) => !h.startsWith('Subject') && !h.startsWith('From')),
        'From: =?utf-8?Q?H=E9l=E8ne_Faur=E9?= <helene@example.org>',
        'Subject: =?utf-8?Q?R=E9clamation_:_si=E8ge?= =?utf-8?B?' +
          cp1252(' déjà pris').toString('base64') +
          '?=',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
      ],
      cp1252(WORDS),
    );
    const first = await verbatim(latin1InUtf8);
    expect([first.fromName, first.subject, first.text]).toEqual([
      'Hélène Fauré',
      'Réclamation : siège déjà pris',
      WORDS,
    ]);
    const utf8InLatin1 = message(
      [...CUSTOMER, 'Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: 8bit'],
      Buffer.from(WORDS, 'utf8'),
    );
    expect((await verbatim(utf8InLatin1)).text).toBe(WORDS);
    // A UTF-8 character split across two encoded words is put back together.
    const bytes = Buffer.from('Remboursé', 'utf8');
    const split = message(
      [
        ...CUSTOMER.filter((h) => !h.startsWith('Subject')),
        `Subject: =?utf-8?B?${bytes.subarray(0, 9).toString('base64')}?=\r\n =?utf-8?B?${bytes.subarray(9).toString('base64')}?=`,
        'Content-Type: text/plain; charset=utf-8',
      ],
      'x',
    );
    expect((await verbatim(split)).subject).toBe('Remboursé');
  });

  it('composes decomposed accents (macOS) and turns no-break spaces into spaces', async () => {
    expect(await textOf('Le contro\u0302leur a refuse\u0301 mon billet\u00a0: 12\u202f€.')).toBe(
      'Le contrôleur a refusé mon billet : 12 €.',
    );
  });
});

describe('readEmail identities and headers', () => {
  it('falls back to a stable sha256 of the raw bytes when there is no Message-ID', async () => {
    const headers = CUSTOMER.filter((h) => !h.startsWith('Message-ID'));
    const raw = message([...headers, 'Content-Type: text/plain'], 'Mon e-billet est vide.\r\n');
    const first = await verbatim(raw);
    const again = await verbatim(Buffer.from(raw));
    const other = await verbatim(
      message([...headers, 'Content-Type: text/plain'], 'Mon e-billet est vide !\r\n'),
    );

    expect(first.messageId).toBe(`sha256:${createHash('sha256').update(raw).digest('hex')}`);
    expect(again.messageId).toBe(first.messageId);
    expect(other.messageId).not.toBe(first.messageId);
  });

  it('uses the hash for a Message-ID too long to be an id', async () => {
    const headers = [
      ...CUSTOMER.filter((h) => !h.startsWith('Message-ID')),
      `Message-ID: <${'a'.repeat(300)}@x>`,
    ];
    expect((await verbatim(message(headers, 'Bonjour.\r\n'))).messageId).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('lower-cases the sender, keeps the date, strips <> from the thread ids', async () => {
    const reading = await verbatim(
      message(
        [
          'From: "Martin, Jeanne" <Jeanne.MARTIN@Example.ORG>',
          'Date: Mon, 3 Nov 2026 10:00:00 +0100 (CET)',
          'Message-ID: <reply-2@example.org>',
          'In-Reply-To: <answer-1@example.com>',
          'References: <ask-1@example.org>\r\n <answer-1@example.com>',
        ],
        'Merci.\r\n',
      ),
    );
    expect(reading).toMatchObject({
      messageId: 'reply-2@example.org',
      from: 'jeanne.martin@example.org',
      fromName: 'Martin, Jeanne',
      subject: '',
      inReplyTo: 'answer-1@example.com',
      references: ['ask-1@example.org', 'answer-1@example.com'],
    });
    expect(reading.date?.toISOString()).toBe('2026-11-03T09:00:00.000Z');
  });

  it('gives null for a missing sender and a garbage date instead of inventing them', async () => {
    const reading = await verbatim(message(['Date: hier soir', 'Subject: =?utf-8?B?!!!?='], 'Bonjour.\r\n'));
    expect(reading.from).toBeNull();
    expect(reading.fromName).toBeNull();
    expect(reading.date).toBeNull();
  });
});

describe('readEmail: the customer’s own words', () => {
  it('keeps the text above a French attribution wrapped on two lines and drops the quote', async () => {
    const text = await textOf(
      [
        'Bonjour,',
        'Le billet n’est toujours pas arrivé.',
        '',
        'Le lun. 3 nov. 2026 à 10:00, LoveRail Service client <',
        'service-client@example.com> a écrit :',
        '> Nous vous avons renvoyé le billet.',
      ].join('\n'),
    );
    expect(text).toBe('Bonjour,\nLe billet n’est toujours pas arrivé.');
  });

  it('drops an English attribution and everything after, even unquoted', async () => {
    const text = await textOf(
      'Still broken.\n\nOn Mon, 3 Nov 2026 at 10:00, Care <care@example.com> wrote:\nWe fixed it.\n',
    );
    expect(text).toBe('Still broken.');
  });

  it('keeps an answer written below the quote (bottom-posting)', async () => {
    const text = await textOf('On 03/11/2026 10:00, Care wrote:\n> Which browser?\n\nSafari on iOS 18.\n');
    expect(text).toBe('Safari on iOS 18.');
  });

  it('cuts at Outlook header blocks, in French and English, and at their separators', async () => {
    const blocks = [
      'De : Service client <service-client@example.com>\nEnvoyé : lundi 3 novembre 2026 10:00\nÀ : Moi\nObjet : RE: billet',
      'From: Care <care@example.com>\nSent: Monday, November 3, 2026 10:00 AM\nTo: Me\nSubject: RE: ticket',
      '-----Original Message-----\nWe answered.',
      "-----Message d'origine-----\nNous avons répondu.",
      '________________________________\nNous avons répondu.',
    ];
    for (const block of blocks) {
      expect(await textOf(`Toujours rien.\n\n${block}\n\nNotre réponse.`)).toBe('Toujours rien.');
    }
  });

  it('does not mistake a trip description or prose for a reply header', async () => {
    const body = [
      'Mon trajet :',
      'De : Paris Gare de Lyon',
      'À : Marseille',
      'Date : 12 novembre',
      'Le train avait 2 heures de retard et personne ne nous a prévenus.',
      'Le contrôleur a écrit :',
      'Envoyé de mon téléphone car l’appli plante au paiement.',
    ].join('\n');
    expect(await textOf(body)).toBe(body);
  });

  it('drops the signature and mobile footers but not the text before them', async () => {
    expect(await textOf('Le QR code ne s’affiche pas.\n\nEnvoyé de mon iPhone')).toBe(
      'Le QR code ne s’affiche pas.',
    );
    expect(await textOf('App crash on launch.\n\nSent from my Samsung Galaxy smartphone.')).toBe(
      'App crash on launch.',
    );
    expect(await textOf('Refund please.\nGet Outlook for iOS<https://aka.ms/o0ukef>')).toBe('Refund please.');
    expect(await textOf('Remboursez-moi.\n\n-- \nJean Dupont\n06 00 00 00 00')).toBe('Remboursez-moi.');
    expect(await textOf('Envoyé depuis mon mobile\nLe paiement a échoué.')).toBe('Le paiement a échoué.');
  });

  it('keeps a forwarded mail, without its header lines', async () => {
    const text = await textOf(
      [
        'Regardez, le remboursement n’est jamais arrivé.',
        '',
        '---------- Message transféré ---------',
        'De : LoveRail <no-reply@example.com>',
        'Date: lun. 27 oct. 2026 à 06:02',
        'Subject: Train annulé',
        'To: <jeanne@example.org>',
        '',
        'Vous serez remboursée sous 7 jours.',
        '-- ',
        'L’équipe LoveRail',
      ].join('\n'),
      'Fwd: Train annulé',
    );
    expect(text).toBe(
      'Regardez, le remboursement n’est jamais arrivé.\n\nVous serez remboursée sous 7 jours.',
    );
  });

  it('falls back to the subject without Re:/TR: when nothing of the customer is left', async () => {
    expect(await textOf('> only a quote\n', 'RE: TR: Billet introuvable')).toBe('Billet introuvable');
  });

  it('refuses a message with neither text nor subject', async () => {
    const raw = message(
      CUSTOMER.filter((h) => !h.startsWith('Subject')),
      '\r\n\r\n',
    );
    expect(await readEmail(raw)).toEqual({
      kind: 'refused',
      messageId: 'spec-1@example.org',
      reason: 'empty message',
    });
  });

  it('drops blockquotes, style and script from HTML-only mail', async () => {
    const html =
      '<html><head><style>p{color:red}</style><script>var x = "tracker";</script></head><body>' +
      '<p>Paiement refusé&nbsp;!</p><blockquote>Ancienne réponse</blockquote></body></html>';
    const raw = message([...CUSTOMER, 'Content-Type: text/html; charset=utf-8'], html);
    expect((await verbatim(raw)).text).toBe('Paiement refusé !');
  });

  it('does not hand html-to-text markup nested deep enough to take minutes', async () => {
    const html = `${'<b>'.repeat(200_000)}Bonjour${'</b>'.repeat(200_000)}`;
    const raw = message([...CUSTOMER, 'Content-Type: text/html; charset=utf-8'], html);
    // Handed over, this would take minutes: the test's own timeout catches that, no clock read here.
    const reading = await verbatim(raw);
    expect(reading.text).toBe('Mon billet');
  }, 60_000);
});

describe('readEmail: mail written by machines', () => {
  async function reasonFor(headers: string[], from = 'Client <client@example.org>'): Promise<string | null> {
    const reading = await readEmail(
      message([`From: ${from}`, 'Message-ID: <m@example.org>', ...headers], 'Texte.\r\n'),
    );
    return reading.kind === 'skipped' ? reading.reason : null;
  }

  it('skips out-of-office subjects in the languages Exchange and webmails write them', async () => {
    const subjects = [
      'Out of Office: Votre demande',
      'Automatic reply: Your request 48213',
      'Auto: Jean Dupont est absent',
      'Réponse automatique : Votre demande',
      'Réponse automatique d’absence',
      'Absence du bureau',
      'Je suis absente jusqu’au 3 novembre',
      "Message d'absence",
      '[Auto-Reply] Re: ticket',
      'Abwesenheitsnotiz: Ihre Anfrage',
      'Automatische Antwort: Ihre Anfrage',
      'Automatisch antwoord: Uw vraag',
      'Respuesta automática: Su solicitud',
      'Risposta automatica: La sua richiesta',
      'Resposta automática: O seu pedido',
      'Automatyczna odpowiedź: Twoje zapytanie',
      'Автоматический ответ: Ваш запрос',
      'Automatiskt svar: Din fråga',
      'Automatisk svar: Din forespørgsel',
      'Automaattinen vastaus: Kysymyksesi',
    ];
    for (const subject of subjects) {
      expect([subject, await reasonFor([`Subject: ${subject}`])]).toEqual([
        subject,
        'auto-reply: out-of-office subject',
      ]);
    }
  });

  it('does not skip customers whose subject only looks alike', async () => {
    for (const subject of [
      'Absence de remboursement',
      'Autorisation de paiement refusée',
      'Réponse à votre mail',
      // A delivery-failure subject without what a bounce carries (returned message, null sender, report).
      'Delivery failure: my e-ticket never arrived',
      'Undelivered ticket for booking 48213',
      'Returned mail? I never got the refund',
    ]) {
      expect([subject, await reasonFor([`Subject: ${subject}`])]).toEqual([subject, null]);
    }
  });

  it('skips on Auto-Submitted other than no, on Precedence and on the auto-reply headers', async () => {
    expect(await reasonFor(['Auto-Submitted: auto-generated; owner-email="x@example.com"'])).toBe(
      'auto-reply: Auto-Submitted: auto-generated (RFC 3834)',
    );
    expect(await reasonFor(['Auto-Submitted: No'])).toBeNull();
    for (const value of ['bulk', 'junk', 'list']) {
      expect(await reasonFor([`Precedence: ${value}`])).toBe(`bulk mail: Precedence: ${value}`);
    }
    expect(await reasonFor(['Precedence: auto_reply'])).toBe('auto-reply: Precedence: auto_reply');
    expect(await reasonFor(['Precedence: first-class'])).toBeNull();
    expect(await reasonFor(['X-Autorespond: yes'])).toBe('auto-reply: X-Autorespond header');
    expect(await reasonFor(['Return-Path: <>'])).toBe(
      'null sender: Return-Path: <> (bounces and auto-replies only)',
    );
    expect(await reasonFor([`${DIGEST_HEADER}: 2026-W45`])).toBe(`LoveBoard digest: ${DIGEST_HEADER}`);
  });

  it('skips Exchange auto-replies and inbox rules, and X-Loop', async () => {
    expect(await reasonFor(['X-Auto-Response-Suppress: All'])).toBe(
      'auto-reply: X-Auto-Response-Suppress: all (Exchange)',
    );
    expect(await reasonFor(['X-Auto-Response-Suppress: DR, OOF, AutoReply'])).toMatch(
      /^auto-reply: X-Auto-Response-Suppress/,
    );
    // Delivery and read receipts suppressed only: an ordinary message may ask that.
    expect(await reasonFor(['X-Auto-Response-Suppress: DR, RN, NRN'])).toBeNull();
    expect(await reasonFor(['X-MS-Exchange-Inbox-Rules-Loop: client@example.org'])).toBe(
      'auto-reply: X-MS-Exchange-Inbox-Rules-Loop (an Exchange inbox rule sent it)',
    );
    expect(await reasonFor(['X-Loop: helpdesk@example.org'])).toBe('auto-reply: X-Loop header');
  });

  it('skips mail systems by address or by name, and no-reply senders, and only them', async () => {
    const daemons = [
      'MAILER-DAEMON@mx.example.org',
      'postmaster@example.org',
      'post_master@vtext.example.com',
      'Mail Delivery System <mailer-daemon@example.org>',
      'MAILER-DAEMON <>',
      'Mail Delivery Subsystem <MAILER-DAEMON>',
    ];
    for (const from of daemons) {
      expect([from, await reasonFor([], from)]).toEqual([from, expect.stringMatching(/^bounce: sent by /)]);
    }
    const robots = [
      'noreply@example.com',
      'no-reply+bounce@example.com',
      'ne-pas-repondre@example.org',
      'nepasrepondre@example.org',
      'donotreply@example.com',
    ];
    for (const address of robots) {
      expect(await reasonFor([], address)).toBe(`automated sender: sent by ${address.split('@')[0]}@`);
    }
    expect(await reasonFor([], 'noreen.reply@example.com')).toBeNull();
    expect(await reasonFor([], 'Marie Postel <marie.postel@example.org>')).toBeNull();
  });

  it('skips a bounce whose report is only typed into the body (a forwarded one, broken MIME)', async () => {
    const raw = message(
      [
        'From: Jeanne <jeanne@example.org>',
        'Message-ID: <fwd-bounce@example.org>',
        'Subject: Fwd: your mail',
        'Content-Type: text/plain; charset=utf-8',
      ],
      'Look at this.\n\n> Final-Recipient: rfc822; care@example.com\n> Action: failed\n> Status: 5.1.1\n',
    );
    expect(await readEmail(raw)).toMatchObject({
      kind: 'skipped',
      reason: expect.stringMatching(/^bounce: /),
    });
  });

  it('keeps a customer who attaches a mail (message/rfc822) to theirs', async () => {
    const raw = message(
      [...CUSTOMER, 'Content-Type: multipart/mixed; boundary="b"'],
      [
        '--b',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Voici le mail reçu, le billet est faux.',
        '--b',
        'Content-Type: message/rfc822',
        'Content-Disposition: attachment; filename="billet.eml"',
        '',
        'From: LoveRail <billets@example.com>',
        'Subject: Votre billet',
        '',
        'Votre billet est en pièce jointe.',
        '--b--',
        '',
      ].join('\r\n'),
    );
    expect(await verbatim(raw)).toMatchObject({ text: 'Voici le mail reçu, le billet est faux.' });
  });
});

describe('readEmail never throws', () => {
  // A small seeded generator keeps failures reproducible.
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  const FRAGMENTS = [
    'From: ',
    'Subject: =?utf-8?B?',
    '=?iso-8859-1?Q?=E9',
    '?=',
    'Content-Type: multipart/mixed; boundary="b"',
    'Content-Type: multipart/report; report-type=delivery-status',
    'Content-Type: text/html; charset=x-unknown',
    'Content-Transfer-Encoding: base64',
    'Content-Transfer-Encoding: quoted-printable',
    '--b',
    '--b--',
    '<blockquote><div class="gmail_quote">',
    '<b><i><span>',
    '> quoted',
    'Le 3 nov. 2026, X a écrit :',
    'De : x\nEnvoyé : y\nObjet : z',
    '-- ',
    '\r\n',
    '\r\n\r\n',
    '\n',
    '\u0000',
    '\uffff',
    'é€',
  ];

  it('answers a valid reading for a few hundred random and half-structured inputs', async () => {
    const next = random(20261103);
    const kinds = new Set<string>();
    const pick = (n: number) => Math.floor(next() * n);
    const bytes = () => Buffer.from(Array.from({ length: pick(4096) }, () => pick(256)));
    const fragments = () =>
      Buffer.from(Array.from({ length: pick(60) }, () => FRAGMENTS[pick(FRAGMENTS.length)]).join(''));
    for (let i = 0; i < 300; i++) {
      const raw = i % 2 === 0 ? bytes() : fragments();
      const reading = await readEmail(raw);
      kinds.add(reading.kind);
      expect(['verbatim', 'skipped', 'refused']).toContain(reading.kind);
      if (reading.kind === 'verbatim') expect(reading.text.trim()).not.toBe('');
      if (reading.kind !== 'refused') expect(reading.messageId).not.toBe('');
    }
    expect(kinds.size).toBeGreaterThan(1);
  });

  it('refuses an empty buffer', async () => {
    expect(await readEmail(Buffer.alloc(0))).toMatchObject({ kind: 'refused', reason: 'empty message' });
  });
});
