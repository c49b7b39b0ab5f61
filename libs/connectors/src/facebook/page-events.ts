import { Channel } from '@app/database';
import type { VerbatimInput } from '@app/ingest';

export interface PageEventsReading {
  items: VerbatimInput[];
  /** Entries that carry no customer words (the page's own posts, edits, removals, echoes), with why. */
  skipped: { externalId: string; reason: string }[];
  /** Entries the payload got wrong, with why. */
  refused: string[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : null;
const id = (value: unknown): string | null =>
  (typeof value === 'string' && /^[\w.:-]{1,200}$/.test(value)) || typeof value === 'number'
    ? String(value)
    : null;

/** Meta sends seconds (feed) or milliseconds (messaging): both become an ISO date, or null. */
function when(value: unknown): string | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(n)) return null;
  const date = new Date(typeof value === 'number' && n < 1e12 ? n * 1000 : n);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * A Meta page webhook's POST body: comments on the page's posts (`changes`, field `feed`, item
 * `comment`, verb `add`) and messages to the page (`messaging`) become verbatims; the page's own
 * comments, echoes of its own messages, edits and removals do not.
 */
export function readPageEvents(source: string, body: unknown): PageEventsReading {
  const reading: PageEventsReading = { items: [], skipped: [], refused: [] };
  if (!isObject(body) || body.object !== 'page' || !Array.isArray(body.entry)) {
    reading.refused.push('not a page webhook (object must be "page" with an entry list)');
    return reading;
  }
  for (const [e, entry] of body.entry.slice(0, 1_000).entries()) {
    if (!isObject(entry)) {
      reading.refused.push(`entry ${e}: not an object`);
      continue;
    }
    const pageId = id(entry.id);
    for (const change of Array.isArray(entry.changes) ? entry.changes.slice(0, 1_000) : []) {
      const value = isObject(change) && isObject(change.value) ? change.value : null;
      if (!value || change.field !== 'feed' || value.item !== 'comment') continue;
      const commentId = id(value.comment_id);
      if (!commentId) {
        reading.refused.push(`entry ${e}: a comment without comment_id`);
        continue;
      }
      const from = isObject(value.from) ? id(value.from.id) : null;
      const message = text(value.message);
      const at = when(value.created_time) ?? when(entry.time);
      if (value.verb !== 'add')
        reading.skipped.push({ externalId: commentId, reason: `comment ${String(value.verb)}` });
      else if (from !== null && from === pageId)
        reading.skipped.push({ externalId: commentId, reason: "the page's own comment" });
      else if (!from || !message || !at)
        reading.refused.push(`comment ${commentId}: from, message and created_time are required`);
      else
        reading.items.push({
          source,
          externalId: `comment:${commentId}`,
          author: `facebook:${from}`,
          channel: Channel.Facebook,
          receivedAt: at,
          text: message.slice(0, 20_000),
          metadata: { kind: 'comment', postId: id(value.post_id) },
        });
    }
    for (const event of Array.isArray(entry.messaging) ? entry.messaging.slice(0, 1_000) : []) {
      if (!isObject(event) || !isObject(event.message)) continue;
      const mid = id(event.message.mid);
      const sender = isObject(event.sender) ? id(event.sender.id) : null;
      const message = text(event.message.text);
      const at = when(event.timestamp);
      if (!mid) reading.refused.push(`entry ${e}: a message without mid`);
      else if (event.message.is_echo === true)
        reading.skipped.push({ externalId: mid, reason: "an echo of the page's own message" });
      else if (!sender || !at) reading.refused.push(`message ${mid}: sender and timestamp are required`);
      else if (!message) reading.skipped.push({ externalId: mid, reason: 'no text (attachment or sticker)' });
      else
        reading.items.push({
          source,
          externalId: `message:${mid}`,
          author: `facebook:${sender}`,
          channel: Channel.Facebook,
          receivedAt: at,
          text: message.slice(0, 20_000),
          metadata: { kind: 'message' },
        });
    }
  }
  return reading;
}
