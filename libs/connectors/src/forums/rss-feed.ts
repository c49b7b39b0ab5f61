import Parser from 'rss-parser';
import { Channel } from '@app/database';
import type { VerbatimInput } from '@app/ingest';
import { ConnectorError, PullPage, SourceContext } from '../connector';
import { get, httpUrl, readBody } from './forum-http';
import { checked, clipText, oneLine, plainText, sha256 } from './forum-text';

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

/** The XML as text, in the charset the server or the XML declaration names (French feeds in Latin-1 exist). */
function decode(body: Uint8Array, contentType: string | null): string {
  const declared =
    /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1] ??
    /^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(
      Buffer.from(body.subarray(0, 200)).toString('latin1'),
    )?.[1];
  try {
    return new TextDecoder(declared ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
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

/** The author as an identity: an RSS `<author>` is "address (Name)", and the address is the customer. */
function authorOf(item: FeedItem): string | undefined {
  const author = oneLine(textOf(item.creator) ?? textOf(item.author), 320);
  const address = author && /^([^\s@()<>]+@[^\s@()<>]+\.[^\s@()<>]+)\s*(?:\(.*\))?$/.exec(author)?.[1];
  return address ? address.toLowerCase() : author;
}

function entryOf(item: FeedItem, source: SourceContext, feedHost: string, lang: string | undefined): Entry {
  const rawTitle = textOf(item.title);
  // Feeds often escape titles twice (Atom type="html", "&amp;eacute;" in RSS): read them as HTML then.
  const title = oneLine(rawTitle && /[&<]/.test(rawTitle) ? plainText(rawTitle) : rawTitle, 500);
  const id = textOf(item.guid) ?? textOf(item.id) ?? textOf(item.link);
  const dateText = item.isoDate ?? item.pubDate ?? textOf(item.date);
  const at = dateText ? Date.parse(dateText) : NaN;
  const externalId =
    id && id.length <= 512 ? id : `sha256:${sha256(id ?? `${title ?? ''}\n${dateText ?? ''}`)}`;
  const key = sha256(externalId).slice(0, 16);
  const html = textOf(item['content:encoded']) ?? textOf(item.content) ?? textOf(item.summary) ?? '';
  const body = plainText(html);
  const refuse = (reason: string): Entry => ({ key, externalId, at: null, outcome: { refused: reason } });
  if (item.badDate !== undefined || (dateText !== undefined && Number.isNaN(at)))
    return refuse(`item date is not a date: ${JSON.stringify(item.badDate ?? dateText).slice(0, 100)}`);
  if (dateText === undefined)
    return refuse('item has no date (pubDate, dc:date, published or updated): its time is unknown');
  const text = [title, body].filter(Boolean).join('\n');
  if (!text) return refuse('item has neither a title nor any content');
  const link = textOf(item.link);
  const outcome = checked({
    source: source.name,
    externalId,
    author: authorOf(item) ?? `rss:${feedHost}`,
    channel: Channel.Forum,
    receivedAt: new Date(at).toISOString(),
    text: clipText(text),
    ...(lang ? { lang } : {}),
    metadata: {
      ...(title ? { title: title.slice(0, 300) } : {}),
      ...(link ? { url: link.slice(0, 1000) } : {}),
    },
  });
  return { key, externalId, at, outcome };
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
    feed = await lenientParser().parseString(xhtmlAsHtml(xml));
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
    throw new ConnectorError(`feed is not valid RSS or Atom: ${reason.slice(0, 300)}`);
  }
  const lang = /^([a-z]{2})(?:[-_]|$)/i.exec(textOf(feed.language) ?? '')?.[1]?.toLowerCase();
  const entries = feed.items.map((item) => entryOf(item, source, feedUrl.host, lang));

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
