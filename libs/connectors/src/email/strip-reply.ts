/**
 * Keeps the customer's own words of a plain-text body: what they wrote above the quoted history,
 * without their signature.
 *
 * Forwarded mail is the exception on purpose: a customer who forwards a mail ("here is the
 * confirmation, the refund never came") makes the forwarded mail part of what they say, so its
 * body is kept (its header lines, its own quotes and signature are not).
 */

/** Where the customer's text stops: a reply's quoted history, or a forwarded mail that follows. */
interface Boundary {
  /** 'reply' ends the text; 'attribution' too, unless nothing came before (bottom-posting). */
  kind: 'reply' | 'attribution' | 'forward';
  /** First line of the boundary. */
  start: number;
  /** First line after the boundary's own lines. */
  end: number;
}

export interface StripOptions {
  /**
   * The subject says Fwd:/TR:, so an Outlook header block (From/Sent/To/Subject) introduces a
   * forwarded mail rather than our answer quoted below a reply.
   */
  forwarded?: boolean;
}

// "On Mon, 3 Nov 2026 at 10:00, X <x@y> wrote:" / "Le lun. 3 nov. 2026 à 10:00, X <x@y> a écrit :"
const ATTRIBUTION_START = /^(?:on|le)\s/iu;
const ATTRIBUTION_END = /(?:\bwrote|\bwrites|\ba\s+[ée]crit)\s*:$/iu;
// Attributions carry a time, a year or a numeric date; "Le train avait 2 heures de retard" does not.
const ATTRIBUTION_DATE = /\d{1,2}[:h]\d{2}|\b(?:19|20)\d{2}\b|\d{1,2}\/\d{1,2}/u;
// …or the address of who wrote: "<care@example.com>" (clients wrap lines inside the brackets).
const ATTRIBUTION_ADDRESS = /<\s*[^<>\s@]+@[^<>\s]+\s*>|^[^\s@]+@[^\s@]+\s/u;
// A wrapped attribution breaks mid-phrase, never after the end of a sentence.
const SENTENCE_END = /[.!?]$/u;
const MAX_ATTRIBUTION_LINES = 3;
const MAX_ATTRIBUTION_LENGTH = 400;

const REPLY_SEPARATORS = [
  /^-{2,}\s*(?:original message|message d['’]origine|message original)\s*-{2,}$/iu,
  /^_{20,}$/u,
];
const FORWARD_MARKERS = [
  /^-{2,}\s*(?:forwarded message|message transf[ée]r[ée])\s*-{2,}$/iu,
  /^(?:begin forwarded message|d[ée]but du message r[ée]exp[ée]di[ée])\s*:$/iu,
];

// Outlook's header block above the quoted mail: "From: … / Sent: … / To: … / Subject: …".
const HEADER_FROM = /^\*?(?:from|de)\s*:\*?\s*\S/iu;
const HEADER_SENT = /^\*?(?:sent|envoy[ée]|date)\s*:/iu;
const HEADER_SUBJECT = /^\*?(?:subject|objet)\s*:/iu;
const HEADER_SENT_INLINE = /\b(?:sent|envoy[ée]|date)\s*:/iu;
const HEADER_SUBJECT_INLINE = /\b(?:subject|objet)\s*:/iu;
const HEADER_WINDOW = 6;
const FORWARD_HEADER =
  /^\*?(?:from|de|date|sent|envoy[ée]|to|à|a|cc|cci|bcc|subject|objet|reply-to|répondre à)\s*:/iu;

const SIGNATURE_DELIMITER = /^--\s*$/;
const DEVICES =
  'iphone|ipad|android|mobile|smartphone|samsung|galaxy|huawei|xiaomi|pixel|appareil|phone|téléphone|' +
  'tablette|tablet|blackberry|outlook|mail|yahoo|gmail|protonmail|proton';
const MOBILE_FOOTERS = [
  new RegExp(
    '^(?:sent|envoy[ée])\\s+(?:from|de|depuis|à partir de|via)\\s+' + // Sent from, Envoyé depuis
      "(?:(?:my|mon|ma|un|une)\\s+|l['’])?(?:[\\p{L}\\d'’-]+\\s+){0,3}?" + // my Samsung…, l'app…
      `(?:${DEVICES})` +
      '(?:\\s+(?:for|pour|on|sur|de)\\s+[\\p{L}\\d ]{1,20})?[.!]?$', // …for iPhone, …pour Android
    'iu',
  ),
  /^(?:get|download|obtenir|télécharger)\s+outlook\s+(?:for|pour)\s+(?:ios|android)\b.{0,80}$/iu,
];
const MAX_FOOTER_LENGTH = 120;
const RULE_LINE = /^[-_=*~•]{3,}$/u;
const FORWARD_SUBJECT = /^\s*(?:fwd?|tr)\s*:/iu;
// Long lines are prose, not headers or attributions: skipping them keeps the regexes linear.
const MAX_MARKER_LENGTH = 1000;

/** Whether a subject announces a forwarded mail (Fwd:, Fw:, TR:). */
export function isForwardSubject(subject: string): boolean {
  return FORWARD_SUBJECT.test(subject);
}

/** The customer's own lines of `body` (line ends '\n'), see the file comment. */
export function stripReply(body: string, options: StripOptions = {}): string {
  const lines = body.split('\n');
  const kept: string[] = [];
  let forwarded = options.forwarded ?? false;
  let spoke = false;
  let from = 0;
  for (;;) {
    const boundary = findBoundary(lines, from, forwarded);
    const own = ownLines(lines.slice(from, boundary?.start ?? lines.length));
    appendAll(kept, own);
    spoke ||= own.length > 0;
    if (!boundary || boundary.kind === 'reply') break;
    // Top-posted text above "On … wrote:" is the reply; with nothing above, the customer answered
    // below the quote (bottom-posting or inline answers), so the unquoted lines after it count.
    if (boundary.kind === 'attribution' && spoke) break;
    from = boundary.kind === 'forward' ? afterForwardHeader(lines, boundary.end) : boundary.end;
    forwarded = false;
    kept.push('');
  }
  return kept.join('\n');
}

function findBoundary(lines: string[], from: number, forwarded: boolean): Boundary | null {
  for (let i = from; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || isQuoted(line) || line.length > MAX_MARKER_LENGTH) continue;
    if (FORWARD_MARKERS.some((marker) => marker.test(line))) return { kind: 'forward', start: i, end: i + 1 };
    const quoteKind = forwarded ? 'forward' : 'reply';
    if (REPLY_SEPARATORS.some((separator) => separator.test(line))) {
      return { kind: quoteKind, start: i, end: i + 1 };
    }
    if (isHeaderBlock(lines, i)) return { kind: quoteKind, start: i, end: i };
    const span = attributionSpan(lines, i);
    if (span > 0) return { kind: 'attribution', start: i, end: i + span };
  }
  return null;
}

/** A segment's lines without its signature, quoted lines, mobile footers and trailing rules. */
function ownLines(segment: string[]): string[] {
  const signature = segment.findIndex((line) => SIGNATURE_DELIMITER.test(line));
  const body = signature < 0 ? segment : segment.slice(0, signature);
  const own = body.filter((line) => !isQuoted(line) && !isMobileFooter(line));
  while (own.length > 0 && !isText(own[own.length - 1])) own.pop();
  return own;
}

function isHeaderBlock(lines: string[], i: number): boolean {
  const line = lines[i].trim();
  if (!HEADER_FROM.test(line)) return false;
  // Some HTML-to-text conversions put the whole block on the From line.
  if (HEADER_SENT_INLINE.test(line) && HEADER_SUBJECT_INLINE.test(line)) return true;
  const next = lines.slice(i + 1, i + 1 + HEADER_WINDOW).map((l) => l.trim());
  return next.some((l) => HEADER_SENT.test(l)) && next.some((l) => HEADER_SUBJECT.test(l));
}

/** How many lines (1 to 3, as clients wrap it) the attribution starting at line i spans, or 0. */
function attributionSpan(lines: string[], i: number): number {
  let joined = lines[i].trim();
  for (let span = 1; span <= MAX_ATTRIBUTION_LINES; span++) {
    if (joined.length > MAX_ATTRIBUTION_LENGTH) return 0;
    if (isAttribution(joined)) return span;
    const next = (lines[i + span] ?? '').trim();
    if (!next || isQuoted(next) || !ATTRIBUTION_START.test(joined) || SENTENCE_END.test(joined)) return 0;
    joined = `${joined} ${next}`;
  }
  return 0;
}

function isAttribution(line: string): boolean {
  if (!ATTRIBUTION_END.test(line)) return false;
  return (ATTRIBUTION_START.test(line) && ATTRIBUTION_DATE.test(line)) || ATTRIBUTION_ADDRESS.test(line);
}

/** First line of a forwarded mail's body: its From/Date/Subject/To lines skipped. */
function afterForwardHeader(lines: string[], from: number): number {
  let i = from;
  while (i < lines.length && (!lines[i].trim() || FORWARD_HEADER.test(lines[i].trim()))) i++;
  return i;
}

function isQuoted(line: string): boolean {
  return /^\s*>/.test(line);
}

function isMobileFooter(line: string): boolean {
  const trimmed = line.trim();
  return trimmed.length <= MAX_FOOTER_LENGTH && MOBILE_FOOTERS.some((footer) => footer.test(trimmed));
}

/** Not blank, and not a rule line (an <hr> or a separator left above a cut). */
function isText(line: string): boolean {
  const trimmed = line.trim();
  return trimmed !== '' && !RULE_LINE.test(trimmed);
}

// Spreading a huge array into push() overflows the call stack.
function appendAll(target: string[], items: string[]): void {
  for (const item of items) target.push(item);
}
