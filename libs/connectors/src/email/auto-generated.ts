import type { ParsedMail } from 'mailparser';
import { DIGEST_HEADER } from './email-reading';
import { hasHeader, headerStrings, rawHeader, senderOf, structuredHeader } from './parsed-mail';

/**
 * What wrote a mail that is not a customer's: the first words of every skip reason, so that a
 * reason reads "bounce: …", "auto-reply: …" and can be counted by kind.
 */
export type MachineKind =
  | 'bounce'
  | 'abuse report'
  | 'read receipt'
  | 'automated report'
  | 'auto-reply'
  | 'bulk mail'
  | 'mailing-list notice'
  | 'automated sender'
  | 'null sender'
  | 'LoveBoard digest';

/** What the checks read: the parsed mail, its body text, and the content types of all its parts. */
interface Mail {
  parsed: ParsedMail;
  body: string;
  types: Set<string>;
}

type Check = (mail: Mail) => string | null;

const DELIVERY_STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const FEEDBACK_REPORT = 'message/feedback-report';
const DISPOSITION_TYPES = new Set([
  'message/disposition-notification',
  'message/global-disposition-notification',
]);
/** What a bounce carries back: the message, or its headers. */
const RETURNED_TYPES = new Set([
  'message/rfc822',
  'text/rfc822-headers',
  'message/global',
  'message/global-headers',
]);

/** Mail systems' own mailboxes (RFC 2142 and what MTAs really use), by local part. */
const DAEMON_LOCAL_PART =
  /^(?:mailer[-_.]?daemon|mail[-_.]?daemon|post[-_.]?master|post[-_.]?office|microsoftexchange[0-9a-f]{32})(?:[-_.+].*)?$/iu;
/** …and by display name, for a From without an address ("MAILER-DAEMON <>"). */
const DAEMON_NAME =
  /^(?:mailer[-_. ]?daemon|mail[-_. ]?daemon|post[-_ ]?master|mail delivery (?:system|subsystem|service)|mail administrator|mail system|delivery status notification|courrier (?:de )?non remis|e-?mail delivery system)\b/iu;
/** Senders that announce they read nothing: no-reply, ne-pas-répondre, do-not-reply. */
const NO_REPLY_LOCAL_PART =
  /^(?:no[-_.]?reply|noreply|do[-_.]?not[-_.]?reply|ne[-_.]?pas[-_.]?r[ée]pondre|nepasrepondre|no[-_.]?responder|nao[-_.]?responda|non[-_.]?rispondere|nicht[-_.]?antworten)(?:[-_.+].*)?$/iu;
/** Mailing-list software writes from the list's robot addresses (owner-x, x-request, x-admin…). */
const LIST_ROBOT_LOCAL_PART = /^(?:owner-.+|.+-(?:owner|request|admin|bounces?|ctl))$/iu;
const LIST_SERVER_HEADERS = [
  'x-mlserver',
  'x-ml-name',
  'x-mailman-version',
  'mailing-list',
  'list-id',
  'x-ml-info',
];

/** Subjects of delivery failures and delays, in the languages of MTAs and Exchange. */
const BOUNCE_SUBJECT = new RegExp(
  '^\\s*(?:(?:fwd?|tr|wg)\\s*:\\s*)*(?:' +
    [
      'undeliver(?:able|ed)\\b',
      'undelivered mail',
      'delivery status notification',
      'delivery (?:notification|failure|failed|has failed|problem|delayed|report)',
      'failure notice',
      'failed delivery',
      'returned mail',
      'return(?:ed)? to sender',
      'mail delivery (?:failed|failure|problem|error|subsystem)',
      'message delivery (?:failed|failure|delayed)',
      'mail(?: system)? error',
      'non[- ]?deliver(?:y|able|ed)',
      'could not (?:be )?deliver',
      'message not delivered',
      'delivery (?:to the following recipients? )?failed',
      'warning: (?:could not send|message delayed|delayed mail)',
      'mail could not be delivered',
      'unzustellbar',
      'nicht zustellbar',
      'zustellung (?:fehlgeschlagen|verz[öo]gert)',
      'non remis',
      'non distribu[ée]',
      '[ée]chec de (?:la )?(?:remise|distribution)',
      "notification d['’][ée]tat de (?:la )?(?:remise|distribution)",
      'impossible de remettre',
      'onbestelbaar',
      'niet bezorgd',
      'no se (?:puede|pudo) entregar',
      'notificaci[óo]n de estado de entrega',
      'non recapitabile',
      'mancato recapito',
      'n[ãa]o (?:foi )?entregue',
      'niedostarczalne',
      'не доставлено',
      'kan inte levereras',
      'kunne ikke leveres',
    ].join('|') +
    ')',
  'iu',
);

/** Out-of-office and auto-reply subjects, in the product's languages and the others Exchange writes. */
const OUT_OF_OFFICE_SUBJECT = new RegExp(
  '^\\s*\\[?\\s*(?:' +
    [
      'out of (?:the )?office',
      'automatic reply',
      'auto[- ]?reply',
      'auto[- ]?response',
      'auto[- ]?respons',
      'auto\\s*:',
      'away from (?:the )?office',
      'on vacation',
      'on holiday',
      'r[ée]ponse automatique',
      'r[ée]ponse auto\\b',
      'r[ée]pondeur automatique',
      'absence du bureau',
      'absente? du bureau',
      'je suis absente?',
      "message d['’]absence",
      "notification d['’]absence",
      'abwesenheitsnotiz',
      'automatische antwort',
      'ich bin (?:zurzeit |derzeit )?nicht im b[üu]ro',
      'automatisch antwoord',
      'afwezigheidsbericht',
      'respuesta autom[áa]tica',
      'fuera de la oficina',
      'risposta automatica',
      'fuori sede',
      "fuori dall['’]ufficio",
      'resposta autom[áa]tica',
      'aus[êe]ncia tempor[áa]ria',
      'fora do escrit[óo]rio',
      'automatyczna odpowied[źz]',
      'poza biurem',
      'автоматический ответ',
      'автоответ',
      'automatiskt svar',
      'automatisk svar',
      'autosvar',
      'fr[åa]nvaro',
      'frav[æa]r',
      'ikke (?:p[åa]|til stede p[åa]) kontoret',
      'automaattinen vastaus',
      'poissa toimistolta',
    ].join('|') +
    ')',
  'iu',
);

/** A delivery-status report typed into the body (a forwarded bounce, or one with broken MIME). */
const DSN_RECIPIENT = /^[>\s]*(?:final|original)-recipient\s*:\s*\S/imu;
const DSN_OUTCOME = /^[>\s]*(?:action\s*:\s*(?:failed|delayed)|status\s*:\s*[45]\.\d{1,3}\.\d{1,3})\b/imu;
/** Microsoft's Junk Mail Reporting Program: a complaint with the reported message attached. */
const JMRP_SUBJECT = /^\s*complaint about message from \d{1,3}(?:\.\d{1,3}){3}\b/iu;
const AUTO_RESPONSE_SUPPRESS = /\b(?:all|oof|autoreply)\b/iu;

/** The checks in order: the first that answers names why the mail is not a customer's. */
const CHECKS: Check[] = [
  digest,
  report,
  daemonSender,
  bounceSubject,
  deliveryStatusInBody,
  jmrpComplaint,
  autoSubmitted,
  autoReplyHeaders,
  exchangeHeaders,
  loopHeader,
  precedence,
  outOfOfficeSubject,
  listNotice,
  noReplySender,
  otherReport,
  nullReturnPath,
];

/**
 * Why `parsed` was written by a machine rather than a customer ("<kind>: <evidence>"), or null when
 * it was not. `body` is its text as read (for bounces whose report is typed into the body), `raw`
 * the message (mailparser folds inline message/rfc822 parts into the text: their types are read
 * from the raw Content-Type lines).
 */
export function autoGeneratedReason(parsed: ParsedMail, body = '', raw?: Buffer): string | null {
  const mail: Mail = { parsed, body, types: contentTypes(parsed, raw) };
  for (const check of CHECKS) {
    const reason = check(mail);
    if (reason) return reason;
  }
  return null;
}

const CONTENT_TYPE_LINE = /^content-type[ \t]*:[ \t]*([\w.+-]+\/[\w.+-]+)/gim;

function contentTypes(parsed: ParsedMail, raw: Buffer | undefined): Set<string> {
  const types = new Set(parsed.attachments.map((attachment) => attachment.contentType.toLowerCase()));
  if (raw)
    for (const match of raw.toString('latin1').matchAll(CONTENT_TYPE_LINE)) types.add(match[1].toLowerCase());
  return types;
}

const because = (kind: MachineKind, evidence: string) => `${kind}: ${evidence}`;

function digest({ parsed }: Mail): string | null {
  return hasHeader(parsed, DIGEST_HEADER) ? because('LoveBoard digest', DIGEST_HEADER) : null;
}

function reportType(parsed: ParsedMail): { isReport: boolean; type: string } {
  const contentType = structuredHeader(parsed, 'content-type');
  return {
    isReport: contentType?.value.toLowerCase() === 'multipart/report',
    type: (contentType?.params?.['report-type'] ?? '').toLowerCase(),
  };
}

/** multipart/report (RFC 6522) and the parts it carries: DSN (RFC 3464), ARF (RFC 5965), MDN (RFC 8098). */
function report({ parsed, types }: Mail): string | null {
  const { isReport, type } = reportType(parsed);
  if ((isReport && type === 'delivery-status') || [...DELIVERY_STATUS_TYPES].some((t) => types.has(t)))
    return because('bounce', 'delivery status report (RFC 3464)');
  if ((isReport && type === 'feedback-report') || types.has(FEEDBACK_REPORT))
    return because('abuse report', 'feedback report (ARF, RFC 5965)');
  if ((isReport && type === 'disposition-notification') || [...DISPOSITION_TYPES].some((t) => types.has(t)))
    return because('read receipt', 'disposition notification (RFC 8098)');
  return null;
}

/** A report of another or no type: after the other checks, which may say better what it is. */
function otherReport({ parsed }: Mail): string | null {
  const { isReport, type } = reportType(parsed);
  return isReport ? because('automated report', `multipart/report; report-type=${type || 'none'}`) : null;
}

function localPart(address: string): string {
  return address.slice(0, address.lastIndexOf('@'));
}

/** MAILER-DAEMON, postmaster, "Mail Delivery System": by address, or by name when there is none. */
function daemonSender({ parsed }: Mail): string | null {
  const { from, fromName } = senderOf(parsed);
  if (from && DAEMON_LOCAL_PART.test(localPart(from)))
    return because('bounce', `sent by ${localPart(from)}@ (a mail system)`);
  const name = fromName ?? rawFromName(parsed);
  if (name && DAEMON_NAME.test(name))
    return because('bounce', `sent by "${name.slice(0, 60)}" (a mail system)`);
  return null;
}

/** The From header's text when mailparser found no mailbox in it ("MAILER-DAEMON", "<>"). */
function rawFromName(mail: ParsedMail): string | null {
  const raw = rawHeader(mail, 'from');
  if (!raw) return null;
  const name = raw
    .replace(/<[^>]*>/g, '')
    .replace(/["']/g, '')
    .trim();
  return name || null;
}

/**
 * A delivery-failure subject is a bounce only with what bounces also carry: the returned message
 * or its headers, a null envelope sender, or a report in the body. A customer writing "Delivery
 * failure" about their e-ticket carries none of them.
 */
function bounceSubject(mail: Mail): string | null {
  const subject = mail.parsed.subject ?? '';
  if (!BOUNCE_SUBJECT.test(subject)) return null;
  const returned = [...RETURNED_TYPES].some((type) => mail.types.has(type));
  const nullSender = isNullReturnPath(mail.parsed);
  const transcript = /\b[45]\d\d[ -][45]\.\d{1,3}\.\d{1,3}\b|\b(?:550|551|552|553|554)\b/u.test(mail.body);
  if (!returned && !nullSender && !transcript && !deliveryStatusInBody(mail)) return null;
  return because('bounce', `delivery failure "${subject.trim().slice(0, 80)}"`);
}

function deliveryStatusInBody({ body }: Mail): string | null {
  return DSN_RECIPIENT.test(body) && DSN_OUTCOME.test(body)
    ? because('bounce', 'delivery status fields in the body (Final-Recipient, Action/Status)')
    : null;
}

function jmrpComplaint({ parsed, types }: Mail): string | null {
  return JMRP_SUBJECT.test(parsed.subject ?? '') && types.has('message/rfc822')
    ? because('abuse report', 'complaint about a message (Microsoft JMRP)')
    : null;
}

/** RFC 3834: anything but "no" means a program sent it. */
function autoSubmitted({ parsed: mail }: Mail): string | null {
  const value = headerStrings(mail, 'auto-submitted')
    .map((v) => v.split(/[;(]/)[0].trim())
    .find((v) => v !== '' && v !== 'no');
  return value ? because('auto-reply', `Auto-Submitted: ${value} (RFC 3834)`) : null;
}

function autoReplyHeaders({ parsed: mail }: Mail): string | null {
  for (const name of [
    'x-autoreply',
    'x-autorespond',
    'x-autoresponse',
    'x-autoreply-from',
    'x-mail-autoreply',
  ]) {
    const value = headerStrings(mail, name)[0];
    if (value !== undefined && value !== 'no' && value !== 'false')
      return because('auto-reply', `${canonical(name)} header`);
  }
  return null;
}

/**
 * Exchange marks its automatic replies (X-Auto-Response-Suppress, so that they are not answered
 * in turn) and the mail its inbox rules send or forward (X-MS-Exchange-Inbox-Rules-Loop).
 */
function exchangeHeaders({ parsed: mail }: Mail): string | null {
  const suppress = headerStrings(mail, 'x-auto-response-suppress').find((v) =>
    AUTO_RESPONSE_SUPPRESS.test(v),
  );
  if (suppress) return because('auto-reply', `X-Auto-Response-Suppress: ${suppress} (Exchange)`);
  if (hasHeader(mail, 'x-ms-exchange-inbox-rules-loop'))
    return because('auto-reply', 'X-MS-Exchange-Inbox-Rules-Loop (an Exchange inbox rule sent it)');
  if (hasHeader(mail, 'x-ms-exchange-generated-message-source'))
    return because('auto-reply', 'X-MS-Exchange-Generated-Message-Source (Exchange generated it)');
  return null;
}

/** Ticketing systems and procmail recipes mark what they send with X-Loop, so as not to answer it. */
function loopHeader({ parsed: mail }: Mail): string | null {
  return hasHeader(mail, 'x-loop') ? because('auto-reply', 'X-Loop header') : null;
}

function precedence({ parsed: mail }: Mail): string | null {
  const values = [...headerStrings(mail, 'precedence'), ...headerStrings(mail, 'x-precedence')];
  if (values.includes('auto_reply')) return because('auto-reply', 'Precedence: auto_reply');
  const bulk = values.find((v) => v === 'bulk' || v === 'junk' || v === 'list');
  return bulk ? because('bulk mail', `Precedence: ${bulk}`) : null;
}

function outOfOfficeSubject({ parsed: mail }: Mail): string | null {
  return OUT_OF_OFFICE_SUBJECT.test(mail.subject ?? '')
    ? because('auto-reply', 'out-of-office subject')
    : null;
}

/** List software's own notices ("you are not a member"), from its robot address. */
function listNotice({ parsed: mail }: Mail): string | null {
  const { from } = senderOf(mail);
  if (!from || !LIST_ROBOT_LOCAL_PART.test(localPart(from))) return null;
  if (!LIST_SERVER_HEADERS.some((name) => hasHeader(mail, name))) return null;
  return because('mailing-list notice', `sent by ${localPart(from)}@ (list software)`);
}

function noReplySender({ parsed: mail }: Mail): string | null {
  const { from } = senderOf(mail);
  return from && NO_REPLY_LOCAL_PART.test(localPart(from))
    ? because('automated sender', `sent by ${localPart(from)}@`)
    : null;
}

function isNullReturnPath(mail: ParsedMail): boolean {
  return rawHeader(mail, 'return-path')?.replace(/\s+/g, '') === '<>';
}

/** Only bounces and auto-replies are sent with the null envelope sender (RFC 5321, RFC 3834). */
function nullReturnPath({ parsed: mail }: Mail): string | null {
  return isNullReturnPath(mail)
    ? because('null sender', 'Return-Path: <> (bounces and auto-replies only)')
    : null;
}

function canonical(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_all, dash: string, letter: string) => dash + letter.toUpperCase());
}
