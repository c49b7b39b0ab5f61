/**
 * Keeps the customer's own words of a plain-text body: what they wrote above the quoted history
 * (or between its quoted lines, when they answered inline), without their signature.
 *
 * The markers are the shapes mail clients write, not words of one language: an attribution is a
 * line (wrapped on up to three) that names when and who and ends the way "wrote:" does; a header
 * block is three or more "Key: value" lines that hold a sender, a subject and a date or a recipient;
 * a separator is a dashed "Original message" line. The vocabularies below cover English, French,
 * German, Spanish, Italian, Dutch, Portuguese, Polish, Russian and the Nordic languages, as Gmail,
 * Outlook (desktop, web, iOS, Android), Apple Mail, Thunderbird, Yahoo and mobile clients write them.
 * docs/CONNECTORS.md gives the figures measured on public corpora and why this is kept over the
 * libraries.
 *
 * Forwarded mail is the exception on purpose: a customer who forwards a mail ("here is the
 * confirmation, the refund never came") makes the forwarded mail part of what they say, so its
 * body is kept (its header lines, its own quotes and signature are not).
 */

export interface StripOptions {
  /**
   * The subject says Fwd:/TR:, so a separator or header block introduces a forwarded mail rather
   * than our answer quoted below a reply.
   */
  forwarded?: boolean;
}

/** What a line is to the stripping. */
type Marker =
  | { kind: 'signature' }
  | { kind: 'forward'; end: number }
  | { kind: 'quote-header'; end: number }
  | { kind: 'attribution'; end: number }
  | { kind: 'footer' };

// Long lines are prose, not headers or attributions: skipping them keeps the regexes linear.
const MAX_MARKER_LENGTH = 1000;
const MAX_ATTRIBUTION_LINES = 3;
const MAX_ATTRIBUTION_LENGTH = 400;
const HEADER_WINDOW = 10;
const MAX_FOOTER_LENGTH = 160;

/** "-- " (RFC 3676), a bare "--", dashes of typography, or the "__" of list footers. */
const SIGNATURE_DELIMITER = /^(?:--|—+|–|__)$/u;

// ---- Separators ("-----Original Message-----") and forward markers ----

const ORIGINAL_MESSAGE = [
  'original message',
  "message d['’]origine",
  'message original',
  'ursprüngliche nachricht',
  'originalnachricht',
  'oorspronkelijk bericht',
  'origineel bericht',
  'messaggio originale',
  'mensaje original',
  'mensagem original',
  'oprindelig (?:besked|meddelelse|e-?mail)',
  'opprinnelig melding',
  'ursprungligt meddelande',
  'originalmeddelande',
  'alkuperäinen viesti',
  'wiadomość oryginalna',
  'oryginalna wiadomość',
  'исходное сообщение',
  'původní zpráva',
  'eredeti üzenet',
].join('|');
const FORWARDED_MESSAGE = [
  'forwarded message',
  'message transf[ée]r[ée]',
  'message transmis',
  'weitergeleitete nachricht',
  'doorgestuurd bericht',
  'messaggio inoltrato',
  'mensaje reenviado',
  'mensagem encaminhada',
  'mensagem reencaminhada',
  'videresendt (?:besked|meddelelse|melding)',
  'vidarebefordrat meddelande',
  'välitetty viesti',
  'przekazana wiadomość',
  'wiadomość przekazana',
  'пересланное сообщение',
  'пересылаемое сообщение',
].join('|');
/** "-----Original Message-----", "-------- Message d'origine --------", "----- Original Message -----". */
const REPLY_SEPARATOR = new RegExp(
  `^[-_=*\\s]*-{2,}[-\\s]*(?:${ORIGINAL_MESSAGE})[-\\s]*-{2,}[-_=*\\s]*$`,
  'iu',
);
const FORWARD_SEPARATOR = new RegExp(
  `^[-_=*\\s]*-{2,}[-\\s]*(?:${FORWARDED_MESSAGE})[-\\s]*-{2,}\\s*$`,
  'iu',
);
/** Apple Mail and others: "Begin forwarded message:". */
const FORWARD_INTRO = new RegExp(
  '^(?:' +
    [
      'begin forwarded message',
      'd[ée]but du message r[ée]exp[ée]di[ée]',
      'anfang der weitergeleiteten nachricht',
      'inicio del mensaje reenviado',
      'begin doorgestuurd bericht',
      'inizio messaggio inoltrato',
      'in[íi]cio da mensagem (?:re)?encaminhada',
      'начало переадресованного сообщения',
      'vidarebefordrat brev',
      'videresendt (?:besked|meddelelse)',
      'välitetty viesti alkaa',
    ].join('|') +
    ')\\s*:$',
  'iu',
);
/** Outlook (web, iOS, Android) draws this rule above the quoted mail's header block. */
const OUTLOOK_RULE = /^_{20,}$/u;

// ---- Header blocks ("From: … / Sent: … / To: … / Subject: …") ----

const FROM_KEYS = [
  'from',
  'de',
  'von',
  'van',
  'da',
  'fra',
  'från',
  'od',
  'от',
  'lähettäjä',
  'feladó',
  'remitente',
  'afzender',
  'avsändare',
  'mittente',
];
const DATE_KEYS = [
  'sent',
  'date',
  'envoy[ée](?: le)?',
  'gesendet',
  'datum',
  'verzonden',
  'verstuurd',
  'inviato',
  'data',
  'enviado(?: el)?',
  'enviada',
  'fecha',
  'sendt',
  'skickat',
  'dato',
  'wysłano',
  'wysłane',
  'отправлено',
  'дата',
  'lähetetty',
  'päivämäärä',
  'elküldve',
  'dátum',
  'message du',
];
const TO_KEYS = [
  'to',
  'à',
  'a',
  'an',
  'aan',
  'para',
  'til',
  'till',
  'do',
  'кому',
  'vastaanottaja',
  'címzett',
];
const SUBJECT_KEYS = [
  'subject',
  'objet',
  'sujet',
  'betreff',
  'onderwerp',
  'oggetto',
  'asunto',
  'assunto',
  'emne',
  'ämne',
  'temat',
  'тема',
  'aihe',
  'tárgy',
];
const OTHER_KEYS = [
  'cc',
  'cci',
  'bcc',
  'copie(?: à)?',
  'kopie',
  'kopia',
  'копия',
  'reply-to',
  'répondre à',
  'importance',
  'priorité',
];
const keyPattern = (keys: string[]) => new RegExp(`^\\*{0,2}(?:${keys.join('|')})\\s*\\*{0,2}\\s*:`, 'iu');
const FROM_KEY = keyPattern(FROM_KEYS);
const DATE_KEY = keyPattern(DATE_KEYS);
const TO_KEY = keyPattern(TO_KEYS);
const SUBJECT_KEY = keyPattern(SUBJECT_KEYS);
const ANY_KEY = keyPattern([...FROM_KEYS, ...DATE_KEYS, ...TO_KEYS, ...SUBJECT_KEYS, ...OTHER_KEYS]);
/** Some HTML-to-text conversions put the whole block on the From line. */
const inlineKey = (keys: string[]) => new RegExp(`\\s\\*{0,2}(?:${keys.join('|')})\\s*\\*{0,2}\\s*:`, 'iu');
const DATE_KEY_INLINE = inlineKey(DATE_KEYS);
const SUBJECT_KEY_INLINE = inlineKey(SUBJECT_KEYS);

// ---- Attributions ("On … wrote:") ----

/** The verbs clients end an attribution with, by language. */
const WROTE = [
  'wrote',
  'writes',
  'a [ée]crit',
  'schrieb',
  'hat geschrieben',
  'schreef',
  'het volgende geschreven',
  'geschreven',
  'ha scritto',
  'scrisse',
  'escribi[óo]',
  'escreveu',
  'napisał\\(a\\)',
  'napisała?',
  'pisze',
  'написал\\(а\\)',
  'написала?',
  'пишет',
  'kirjoitti',
  'skrev',
  'skrivit',
  'írta',
  'napsal\\(a\\)',
  'napsala?',
].join('|');
const ENDS_WITH_WROTE = new RegExp(`(?:^|[\\s,>)"'])(?:${WROTE})\\s*:?$`, 'iu');
const HAS_WROTE = new RegExp(`(?:^|[\\s,])(?:${WROTE})(?=[\\s:]|$)`, 'iu');
/** Words attributions open with: "On", "Le", "Am", "Op", "Il giorno", "El", "Em", "W dniu", "Den"… */
const OPENER =
  /^(?:on|le|am|op|il(?: giorno)?|in data|el|em|w dniu|dnia|den|dne|d\.|på|wiadomość napisana|от|в)\s/iu;
/** …or a date first ("2017-11-24", "30.09.2017", "11:00 AM"), or a weekday ("pe 20.", "tir. 18.", "ср, 30"). */
const DATE_FIRST = /^(?:\d|[\p{L}]{1,4}\.?,?\s+\d)/u;
const ADDRESS = /[^\s<>()[\]"'`:;,]+@[^\s<>()[\]"'`:;,]+\.[^\s<>()[\]"'`:;,]{2,}/u;
const TIME = /(?:^|\D)\d{1,2}[:.h]\d{2}(?!\d)/u;
const DATE = /\b(?:19|20)\d{2}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b/u;
const SENTENCE_END = /[.!?]$/u;

// ---- Mobile and webmail footers ("Sent from my iPhone") ----

const FOOTER_PREFIX = new RegExp(
  '^(?:' +
    [
      'sent (?:from|with|via|using|on)',
      'envoy[ée] (?:de|depuis|à partir de|a partir de|avec|via)',
      'gesendet (?:von|mit|vom|über)',
      'enviado (?:desde|do|de|con|com|a partir do)',
      'enviada (?:desde|do|de)',
      'inviato (?:da|dal|dalla|con)',
      'verstuurd (?:vanaf|vanuit|met|via)',
      'verzonden (?:vanaf|vanuit|met|via)',
      'wysłane (?:z|przez)',
      'wysłano (?:z|przez)',
      'отправлено (?:с|из|через)',
      'skickat (?:från|med)',
      'sendt (?:fra|med)',
      'lähetetty',
    ].join('|') +
    ')\\s',
  'iu',
);
/** What footers name: the device or the mail app. */
const DEVICE =
  /\b(?:iphone|ipad|android|samsung|galaxy|blackberry|huawei|xiaomi|pixel|mobile|smartphone|phone|tablet|t[ée]l[ée]phone|handy|móvil|cellulare|telefoon|telefon|телефона?|outlook|gmail|yahoo|proton\s?mail|k-9|aquamail|bluemail|spark)\b/iu;
const FOOTER_OTHER = [
  /^von meinem [^,]{1,60} gesendet\.?$/iu,
  // "Get Outlook for iOS", "Télécharger Outlook pour Android", "Outlook für iOS beziehen", "Scarica Outlook per Android"…
  /^(?:get|download|obtenir|télécharger|obtener|descargar|scarica|ottieni|baixe|obter|pobierz|скачайте|hämta|hent|hanki|holen sie sich)\b.{0,40}\boutlook\b.{0,40}\b(?:ios|android)\b.{0,80}$/iu,
  /^outlook (?:für|voor|for|pour) (?:ios|android) (?:beziehen|herunterladen|downloaden|downloads?)\b.{0,80}$/iu,
];
/**
 * What follows "Sent from": a device or app named in five words at most ("my Wiko RIDGE FAB 4G"),
 * and what it is for or with ("Yahoo Mail for iPhone", "my Android phone with K-9 Mail").
 */
const FOOTER_NAME =
  /^(?:\S+\s+){0,4}\S+(?:\s+(?:for|pour|für|on|sur|with|avec|mit|via|per|para|com|til|för|dla|для|voor|van)\s+(?:\S+\s+){0,3}\S+)?$/iu;
/** A link a footer carries: "Get Outlook for iOS<https://aka.ms/o0ukef>". */
const TRAILING_LINK = /\s*<(?:https?:|mailto:)[^>]*>\s*$/iu;
const RULE_LINE = /^[-_=*~•—–]{2,}$/u;
const FORWARD_SUBJECT = /^\s*(?:fwd?|tr|wg|rv|enc|doorst|pd|vs|vb|fs)\s*:/iu;

/** Whether a subject announces a forwarded mail (Fwd:, Fw:, TR:, WG:, RV:…). */
export function isForwardSubject(subject: string): boolean {
  return FORWARD_SUBJECT.test(subject);
}

/** The customer's own lines of `body` (line ends '\n'), see the file comment. */
export function stripReply(body: string, options: StripOptions = {}): string {
  const lines = body.split('\n');
  const kept: string[] = [];
  let forwarded = options.forwarded ?? false;
  let spoke = false;
  // The last line read was quoted: an unquoted line right under it is the rest of a wrapped quote.
  let afterQuote: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') {
      afterQuote = null;
      kept.push('');
      continue;
    }
    if (isQuoted(line)) {
      afterQuote = line;
      continue;
    }
    if (afterQuote !== null && continuesQuote(afterQuote, line)) continue;
    afterQuote = null;
    const marker = line.length > MAX_MARKER_LENGTH ? null : markerAt(lines, i, forwarded);
    if (marker === null) {
      kept.push(lines[i]);
      spoke ||= isText(line);
      continue;
    }
    if (marker.kind === 'signature') break;
    if (marker.kind === 'forward') {
      kept.push('');
      i = afterForwardHeader(lines, marker.end) - 1;
      forwarded = false;
      continue;
    }
    if (marker.kind === 'quote-header') {
      // A quoted mail, nothing of the customer above it: nothing of theirs below either.
      break;
    }
    if (marker.kind === 'footer') {
      // "Sent from my …" ends what the customer typed; what follows is the quoted history.
      if (spoke) break;
      continue;
    }
    // An attribution: a quote marked with '>' follows, in which the customer may answer inline;
    // an unmarked quote follows, which is all history, unless nothing came before (bottom-posting).
    if (spoke && !quoteFollows(lines, marker.end)) break;
    i = marker.end - 1;
  }
  while (kept.length > 0 && !isText(kept[kept.length - 1].trim())) kept.pop();
  return kept.join('\n');
}

function markerAt(lines: string[], i: number, forwarded: boolean): Marker | null {
  const line = lines[i].trim();
  if (SIGNATURE_DELIMITER.test(line)) return { kind: 'signature' };
  if (FORWARD_SEPARATOR.test(line) || FORWARD_INTRO.test(line)) return { kind: 'forward', end: i + 1 };
  const separator = REPLY_SEPARATOR.test(line) || OUTLOOK_RULE.test(line);
  if (separator || headerBlockAt(lines, i)) {
    return forwarded ? { kind: 'forward', end: separator ? i + 1 : i } : { kind: 'quote-header', end: i + 1 };
  }
  const span = attributionSpan(lines, i);
  if (span > 0) return { kind: 'attribution', end: i + span };
  if (isFooter(line, (lines[i + 1] ?? '').trim())) return { kind: 'footer' };
  return null;
}

/** Whether line i starts a quoted mail's header block (see the file comment). */
function headerBlockAt(lines: string[], i: number): boolean {
  if (i < 0 || i >= lines.length) return false;
  const first = unstarred(lines[i]);
  if (!ANY_KEY.test(first)) return false;
  if (FROM_KEY.test(first) && DATE_KEY_INLINE.test(first) && SUBJECT_KEY_INLINE.test(first)) return true;
  let from = false;
  let date = false;
  let to = false;
  let subject = false;
  let continuations = 0;
  for (let j = i; j < Math.min(lines.length, i + HEADER_WINDOW); j++) {
    const line = unstarred(lines[j]);
    if (line === '' || isQuoted(line)) break;
    if (!ANY_KEY.test(line)) {
      // A value wrapped onto the next line ("From: Human Resources" / "<hr@example.com>").
      if (++continuations > 2) break;
      continue;
    }
    from ||= FROM_KEY.test(line);
    date ||= DATE_KEY.test(line);
    to ||= TO_KEY.test(line);
    subject ||= SUBJECT_KEY.test(line);
    if (from && subject && (date || to)) return true;
  }
  return false;
}

/** How many lines (1 to 3, as clients wrap it) the attribution starting at line i spans, or 0. */
function attributionSpan(lines: string[], i: number): number {
  let joined = dashless(lines[i].trim());
  const opens = OPENER.test(joined) || DATE_FIRST.test(joined);
  for (let span = 1; span <= MAX_ATTRIBUTION_LINES; span++) {
    if (joined.length > MAX_ATTRIBUTION_LENGTH) return 0;
    if (isAttribution(joined, opens)) return span;
    const next = (lines[i + span] ?? '').trim();
    // "…skrev Name <test@example.com" / ">:": the '>' closes the address, it quotes nothing.
    const closesAddress = unclosedAngle(joined) && /^>\s*:?$/u.test(next);
    if (!next || (isQuoted(next) && !closesAddress) || !mayWrap(joined, opens)) return 0;
    joined = dashless(`${joined} ${next}`);
  }
  return 0;
}

/**
 * An attribution names who wrote (an address) or when (a time, a date), and ends with a verb of
 * writing or with a colon. Prose that ends with "wrote:" names neither ("the agent wrote:").
 */
function isAttribution(text: string, opens: boolean): boolean {
  const address = ADDRESS.test(text) || /&lt;\S+@\S+&gt;/u.test(text);
  const time = TIME.test(text);
  const date = DATE.test(text);
  const colon = text.endsWith(':');
  if (ENDS_WITH_WROTE.test(text)) {
    // "On Wed, 14 Nov 2018 … <x> wrote" without its colon: only with both who and when.
    if (!colon) return address && (time || date);
    return address || time || (date && opens);
  }
  if (!colon) return false;
  // "Am 14.01.2024 um 10:00 schrieb Hans Mueller <hans@example.de>:", "… skrev Name <addr>:".
  if (HAS_WROTE.test(text) && (time || date) && (opens || address)) return true;
  // No verb at all: "2017-11-24 16:32 GMT+01:00 Name <addr>:", "ср, 30 апр. 2025 г. в 15:19, Name <addr>:".
  return address && (time || date);
}

/** A wrapped attribution starts like one and breaks mid-phrase, never after a sentence. */
function mayWrap(joined: string, opens: boolean): boolean {
  if (SENTENCE_END.test(joined)) return false;
  return opens || ADDRESS.test(joined) || unclosedAngle(joined);
}

function unclosedAngle(text: string): boolean {
  return text.lastIndexOf('<') > text.lastIndexOf('>');
}

/** Zoho writes "---- On … wrote ----". */
function dashless(text: string): string {
  return text.replace(/^-{2,}\s*/u, '').replace(/\s*-{2,}$/u, '');
}

/** A footer line; the long forms only when nothing follows on the next line (it ends a paragraph). */
function isFooter(line: string, next: string): boolean {
  if (line.length > MAX_FOOTER_LENGTH) return false;
  const text = line.replace(TRAILING_LINK, '').trim();
  if (FOOTER_OTHER.some((footer) => footer.test(text))) return true;
  const prefix = FOOTER_PREFIX.exec(text);
  if (!prefix) return false;
  // "Sent from my Samsung Galaxy smartphone." is a footer; "Sent from my desk, is much easier…" and
  // "Envoyé de mon téléphone car l’appli plante" are prose; "Sent from my Android phone with K-9
  // Mail. Please excuse my brevity." is a footer again, when it ends its paragraph.
  const rest = text.slice(prefix[0].length).replace(/[.!]$/u, '').trim();
  if (!/[,;:?]/u.test(rest) && FOOTER_NAME.test(rest)) return true;
  const head = rest.split(/[,.;]\s/u)[0];
  return (
    (next === '' || isQuoted(next)) &&
    rest.split(/\s+/u).length <= 14 &&
    FOOTER_NAME.test(head) &&
    DEVICE.test(head)
  );
}

/** Whether the first line with text at or after `from` is a '>' quote. */
function quoteFollows(lines: string[], from: number): boolean {
  const next = nextText(lines, from);
  return next >= 0 && isQuoted(lines[next].trim());
}

function nextText(lines: string[], from: number): number {
  for (let i = from; i < lines.length; i++) if (lines[i].trim() !== '') return i;
  return -1;
}

/**
 * An unquoted line right under a quoted one, with no blank line between, is the end of a quoted
 * line the client wrapped without its '>' ("…pharetra d" / "ignissim odio?"): it starts in lower
 * case, or follows a long quoted line that stops mid-sentence.
 */
function continuesQuote(quoted: string, line: string): boolean {
  if (/^\p{Ll}/u.test(line)) return true;
  const text = quoted.replace(/^(?:>\s?)+/u, '');
  return text.length >= 60 && !/[.!?:;"')\]]$/u.test(text);
}

/** First line of a forwarded mail's body: its From/Date/Subject/To lines skipped. */
function afterForwardHeader(lines: string[], from: number): number {
  let i = from;
  let inHeader = false;
  while (i < lines.length) {
    const line = unstarred(lines[i]);
    if (line === '') {
      i++;
      continue;
    }
    if (ANY_KEY.test(line)) inHeader = true;
    // A header value wrapped onto an indented line.
    else if (!(inHeader && /^\s/u.test(lines[i]) && i > from)) break;
    i++;
  }
  return i;
}

function unstarred(line: string): string {
  return line.trim().replace(/^\*(\S[^*]*?)\s*:\s*\*/u, '$1:');
}

function isQuoted(line: string): boolean {
  return line.startsWith('>');
}

/** Not blank, and not a rule line (an <hr> or a separator left above a cut). */
function isText(line: string): boolean {
  return line !== '' && !RULE_LINE.test(line);
}
