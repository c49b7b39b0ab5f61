import Parser from 'rss-parser';
import { Channel } from '@app/database';
import type { VerbatimInput } from '@app/ingest';
import { ConnectorError, PullPage, SourceContext } from '../connector';
import { decodeBytes } from '../email/charsets';
import { get, httpUrl, readBody } from './forum-http';
import { checked, clipText, htmlText, oneLine, sha256 } from './forum-text';

/** New items handed over per page (a feed rarely holds more than 100). */
const PAGE_SIZE = 200;
/** Item keys remembered beyond those still in the feed (the feed's own are always kept). */
const MAX_SEEN = 500;

/**
 * What an RSS/Atom source remembers: the validators of the last answer read through (for a
 * conditional GET) and the keys of the items already handed over. Items are told apart by key,
 * not by date, so an item added with an older date, or a feed that reorders itself, loses nothing.
 */
export interface RssCursor {
  etag?: string;
  lastModified?: string;
  /** sha256(externalId) prefixes (16 hex, whatever the id's length): those in the feed first. */
  seen: string[];
}

type FeedItem = Parser.Item & {
  id?: unknown;
  author?: unknown;
  creator?: unknown;
  'content:encoded'?: unknown;
  date?: unknown;
  /** Set by the lenient Atom reading below when the entry's date could not be read. */
  badDate?: string;
};

interface Entry {
  key: string;
  externalId: string;
  at: number | null;
  outcome: { verbatim: VerbatimInput } | { refused: string };
}

function cursorOf(source: SourceContext): RssCursor {
  const cursor = source.cursor ?? {};
  const seen = Array.isArray(cursor.seen)
    ? cursor.seen.filter((key): key is string => typeof key === 'string')
    : [];
  return {
    seen,
    ...(typeof cursor.etag === 'string' ? { etag: cursor.etag } : {}),
    ...(typeof cursor.lastModified === 'string' ? { lastModified: cursor.lastModified } : {}),
  };
}

/** A string out of what xml2js makes of an element: text, `{_: text}` or Atom's `{name: [text]}`. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (Array.isArray(value)) return textOf(value[0]);
  if (value && typeof value === 'object') {
    const node = value as { _?: unknown; name?: unknown };
    return textOf(node._) ?? textOf(node.name);
  }
  return undefined;
}

type FeedParser = Parser<{ language?: unknown }, FeedItem>;

/**
 * rss-parser turns an Atom entry whose <published>/<updated> is not a date into a RangeError for
 * the whole feed; one bad entry should be refused on its own instead.
 */
function lenientParser(): FeedParser {
  const parser: FeedParser = new Parser();
  const atom = parser as unknown as { parseItemAtom?: (entry: Record<string, unknown>) => FeedItem };
  const parseItemAtom = atom.parseItemAtom?.bind(parser);
  if (parseItemAtom) {
    atom.parseItemAtom = (entry) => {
      try {
        return parseItemAtom(entry);
      } catch {
        const item = parseItemAtom({ ...entry, published: undefined, updated: undefined });
        item.badDate = textOf(entry.published) ?? textOf(entry.updated) ?? '';
        return item;
      }
    };
  }
  return parser;
}

/**
 * The XML as text, in the charset the server or the XML declaration names, corrected when the bytes
 * prove it wrong (French and Portuguese feeds in Latin-1 without a declaration exist).
 */
function decode(body: Uint8Array, contentType: string | null): string {
  const declared =
    /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1] ??
    /^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(
      Buffer.from(body.subarray(0, 200)).toString('latin1'),
    )?.[1];
  return decodeBytes(Buffer.from(body), declared ?? 'utf-8');
}

/**
 * Atom's `type="xhtml"` content is inline markup, which xml2js takes apart into fields and rss-parser
 * rebuilds out of order ("says for , the one…"); handed over as escaped HTML it reads as written.
 */
function xhtmlAsHtml(xml: string): string {
  return xml.replace(
    /<(content|summary)(\s[^>]*?)\btype\s*=\s*(["'])xhtml\3([^>]*)>([\s\S]*?)<\/\1>/g,
    (_whole, tag: string, before: string, _quote: string, after: string, inner: string) =>
      `<${tag}${before}type="html"${after}>${inner.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</${tag}>`,
  );
}

/** Month names of feeds written in French, Portuguese, Spanish, German, Italian and Dutch. */
const MONTHS: Record<string, string> = Object.fromEntries(
  Object.entries({
    Jan: 'janv janvier janeiro enero januar gen gennaio januari',
    Feb: 'févr fevr février fevrier fev fevereiro febrero februar febbraio februari',
    Mar: 'mars março marco marzo märz maerz mär mrt maart',
    Apr: 'avr avril abr abril aprile',
    May: 'mai maio mayo mag maggio mei',
    Jun: 'juin junho junio juni giu giugno',
    Jul: 'juil juillet julho julio juli lug luglio',
    Aug: 'août aout ago agosto augustus',
    Sep: 'sept septembre set setembro septiembre settembre',
    Oct: 'octobre out outubro octubre okt oktober ott ottobre',
    Nov: 'novembre novembro noviembre',
    Dec: 'déc dec décembre decembre dez dezembro dic diciembre dezember dicembre december',
  }).flatMap(([english, names]) => names.split(' ').map((name) => [name, english])),
);

/**
 * A feed's date: ISO 8601 or RFC 822 as JavaScript reads them, or RFC 822 written in another
 * language ("Seg, 24 Set 2018 19:42:40 -0300", "lun., 3 nov. 2026 10:00:00 +0100"). NaN otherwise.
 */
export function feedDate(text: string): number {
  const direct = Date.parse(text);
  if (!Number.isNaN(direct)) return direct;
  const english = text
    .trim()
    .replace(/^[\p{L}.]+,?\s+(?=\d)/u, '')
    .replace(/\p{L}+\.?/gu, (word) => MONTHS[word.replace(/\.$/, '').toLowerCase()] ?? word);
  return Date.parse(english);
}

/**
 * `<rss>` without its `version` attribute (old publishers' feeds) is RSS 2.0 as far as any reader
 * can tell; rss-parser refuses it otherwise.
 */
function withRssVersion(xml: string): string {
  return xml.replace(/<rss(?![^>]*\bversion\s*=)(?=[\s>])/i, '<rss version="2.0"');
}

/** The author as an identity: an RSS `<author>` is "address (Name)", and the address is the customer. */
function authorOf(item: FeedItem): string | undefined {
  const author = oneLine(textOf(item.creator) ?? textOf(item.author), 320);
  const address = author && /^([^\s@()<>]+@[^\s@()<>]+\.[^\s@()<>]+)\s*(?:\(.*\))?$/.exec(author)?.[1];
  return address ? address.toLowerCase() : author;
}

function entryOf(item: FeedItem, source: SourceContext, feedHost: string, lang: string | undefined): Entry {
  const rawTitle = textOf(item.title);
  // Feeds often escape titles twice (Atom type="html", "&amp;eacute;" in RSS): read them as HTML then.
  const title = oneLine(rawTitle && /[&<]/.test(rawTitle) ? htmlText(rawTitle) : rawTitle, 500);
  const id = textOf(item.guid) ?? textOf(item.id) ?? textOf(item.link);
  const dateText = item.badDate ?? item.isoDate ?? item.pubDate ?? textOf(item.date);
  const at = dateText ? feedDate(dateText) : NaN;
  const html = textOf(item['content:encoded']) ?? textOf(item.content) ?? textOf(item.summary) ?? '';
  const body = htmlText(html);
  // Without guid, id or link, an item is told apart by what it says (and its date, if any).
  const externalId =
    id && id.length <= 512 ? id : `sha256:${sha256(id ?? `${title ?? ''}\n${dateText ?? ''}\n${body}`)}`;
  const key = sha256(externalId).slice(0, 16);
  const refuse = (reason: string): Entry => ({ key, externalId, at: null, outcome: { refused: reason } });
  const text = [title, body].filter(Boolean).join('\n');
  if (!text) return refuse('item has neither a title nor any content');
  // An item without a readable date is dated when first seen: handed over once (by its key), the
  // date stays; what it said is kept in its metadata.
  const dated = !Number.isNaN(at);
  const receivedAt = dated ? new Date(at) : source.now;
  const link = textOf(item.link);
  const outcome = checked({
    source: source.name,
    externalId,
    author: authorOf(item) ?? `rss:${feedHost}`,
    channel: Channel.Forum,
    receivedAt: receivedAt.toISOString(),
    text: clipText(text),
    ...(lang ? { lang } : {}),
    metadata: {
      ...(title ? { title: title.slice(0, 300) } : {}),
      ...(link ? { url: link.slice(0, 1000) } : {}),
      ...(dated ? {} : { dated: 'when first seen' }),
      ...(!dated && dateText ? { dateAsGiven: dateText.slice(0, 100) } : {}),
    },
  });
  return { key, externalId, at: receivedAt.getTime(), outcome };
}

/**
 * Publishers sometimes give two different items the same guid. Each is kept: of those that say
 * different things under one id, the earliest keeps the id (it is the one an earlier poll stored),
 * the others are told apart by their text's hash.
 */
function distinctIds(entries: Entry[]): Entry[] {
  const byId = new Map<string, Entry[]>();
  for (const entry of entries) byId.set(entry.externalId, [...(byId.get(entry.externalId) ?? []), entry]);
  return entries.map((entry) => {
    const same = byId.get(entry.externalId) ?? [];
    if (same.length < 2 || !('verbatim' in entry.outcome)) return entry;
    const textOfEntry = (one: Entry) => ('verbatim' in one.outcome ? one.outcome.verbatim.text : '');
    const ordered = [...same].sort(
      (a, b) =>
        (a.at ?? Infinity) - (b.at ?? Infinity) ||
        sha256(textOfEntry(a)).localeCompare(sha256(textOfEntry(b))),
    );
    if (ordered[0] === entry || textOfEntry(ordered[0]) === textOfEntry(entry)) return entry;
    const externalId = `${entry.externalId.slice(0, 480)}#${sha256(textOfEntry(entry)).slice(0, 16)}`;
    return {
      ...entry,
      externalId,
      key: sha256(externalId).slice(0, 16),
      outcome: { verbatim: { ...entry.outcome.verbatim, externalId } },
    };
  });
}

/**
 * An RSS 2.0 or Atom feed (a forum's, a review site's): a conditional GET, then every item not
 * handed over before, oldest first.
 */
export async function pullFeed(source: SourceContext, signal: AbortSignal): Promise<PullPage> {
  const feedUrl = httpUrl(source.settings.feedUrl, 'settings.feedUrl');
  const previous = cursorOf(source);
  const headers: Record<string, string> = {
    accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5',
  };
  if (previous.etag) headers['if-none-match'] = previous.etag;
  if (previous.lastModified) headers['if-modified-since'] = previous.lastModified;
  const response = await get(feedUrl, headers, signal, 'feed');
  if (response.status === 304) {
    await response.body?.cancel().catch(() => undefined);
    return { items: [], cursor: { ...previous }, more: false };
  }
  const xml = decode(await readBody(response, 'feed'), response.headers.get('content-type'));
  let feed: Awaited<ReturnType<FeedParser['parseString']>>;
  try {
    feed = await lenientParser().parseString(withRssVersion(xhtmlAsHtml(xml)));
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
    throw new ConnectorError(`feed is not valid RSS or Atom: ${reason.slice(0, 300)}`);
  }
  const lang = /^([a-z]{2})(?:[-_]|$)/i.exec(textOf(feed.language) ?? '')?.[1]?.toLowerCase();
  const entries = distinctIds(feed.items.map((item) => entryOf(item, source, feedUrl.host, lang)));

  const seen = new Set(previous.seen);
  const fresh = [...new Map(entries.filter((e) => !seen.has(e.key)).map((e) => [e.key, e])).values()]
    // Oldest first, undated (refused) last: a page cut short leaves the newest for the next one.
    .sort((a, b) => (a.at ?? Infinity) - (b.at ?? Infinity));
  const page = fresh.slice(0, PAGE_SIZE);
  const more = fresh.length > page.length;
  for (const entry of page) seen.add(entry.key);

  // The feed's own keys are always kept (forgetting one would bring it back); older ones up to MAX_SEEN.
  const inFeed = [...new Set(entries.map((e) => e.key))].filter((key) => seen.has(key));
  const inFeedSet = new Set(inFeed);
  const older = previous.seen.filter((key) => !inFeedSet.has(key));
  const keep = [...inFeed, ...older].slice(0, Math.max(MAX_SEEN, inFeed.length));

  const cursor: RssCursor = { seen: keep };
  // Validators only once everything in this answer is handed over: a 304 must not hide the rest.
  if (!more) {
    const etag = response.headers.get('etag');
    const lastModified = response.headers.get('last-modified');
    if (etag) cursor.etag = etag;
    if (lastModified) cursor.lastModified = lastModified;
  }
  const result: PullPage = { items: [], refused: [], cursor: { ...cursor }, more };
  for (const entry of page) {
    if ('verbatim' in entry.outcome) result.items.push(entry.outcome.verbatim);
    else result.refused?.push({ externalId: entry.externalId, reason: entry.outcome.refused });
  }
  return result;
}
