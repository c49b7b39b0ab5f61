import { Channel } from '@app/database';
import { MAX_TEXT_LENGTH, type VerbatimInput } from '@app/ingest';

/**
 * A Meta webhook delivery (Facebook page, Messenger, Instagram) as LoveBoard reads it: each event
 * on its own a verbatim, a skip with its reason, or a refusal (dead-lettered) with its reason. A
 * delivery is never refused whole: Meta retries anything but a 200, forever.
 */
export interface MetaEventsReading {
  items: VerbatimInput[];
  /** Events that carry no customer words (the page's own posts, edits, reactions, echoes…), with why. */
  skipped: { id: string; reason: string }[];
  /** Events Meta got wrong or that cannot be read, with why and the event itself (for the dead letter). */
  refused: { id: string; reason: string; input: unknown }[];
}

const MAX_EVENTS = 1_000;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const textOf = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
const idOf = (value: unknown): string | null =>
  (typeof value === 'string' && /^[\w.:-]{1,200}$/.test(value)) ||
  (typeof value === 'number' && Number.isSafeInteger(value))
    ? String(value)
    : null;
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value.slice(0, MAX_EVENTS) : []);

/** Meta sends seconds (feed, Instagram) or milliseconds (messaging), or ISO dates: an ISO date, or null. */
function when(value: unknown): string | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(n)) return null;
  const date = new Date(typeof value === 'number' && n < 1e12 ? n * 1000 : n);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Feed items that are someone's post on the page (the visitor posts of the page's timeline). */
const POST_ITEMS = new Set(['status', 'post', 'photo', 'video', 'share', 'link', 'note']);
/** Feed items without words: reactions, likes, follows and the like. */
const WORDLESS_ITEMS = new Set(['reaction', 'like', 'follow', 'event', 'page', 'mention', 'tag']);

interface Context {
  source: string;
  reading: MetaEventsReading;
  /** Page or Instagram account id of the entry: what it posts itself is not a customer's. */
  ownId: string | null;
  /** The entry's time, for events that carry none of their own. */
  entryTime: string | null;
  /** When the delivery came, for events with no time at all. */
  now: Date;
}

function verbatim(
  context: Context,
  externalId: string,
  author: string,
  channel: Channel,
  at: string | null,
  text: string,
  metadata: Record<string, unknown>,
): void {
  context.reading.items.push({
    source: context.source,
    externalId,
    author,
    channel,
    receivedAt: at ?? context.entryTime ?? context.now.toISOString(),
    text: text.slice(0, MAX_TEXT_LENGTH),
    metadata,
  });
}

/**
 * A Meta webhook's POST body: `object: "page"` (the page's feed, its Messenger conversations) or
 * `object: "instagram"` (comments on the account's media, Instagram Direct messages). See
 * docs/CONNECTORS.md for what becomes a verbatim and what is skipped.
 */
export function readMetaEvents(source: string, body: unknown, now: Date): MetaEventsReading {
  const reading: MetaEventsReading = { items: [], skipped: [], refused: [] };
  const object = isObject(body) ? body.object : undefined;
  if (!isObject(body) || (object !== 'page' && object !== 'instagram') || !Array.isArray(body.entry)) {
    reading.refused.push({
      id: 'delivery',
      reason: 'not a Meta webhook delivery: object must be "page" or "instagram", with an entry list',
      input: body,
    });
    return reading;
  }
  for (const [e, entry] of list(body.entry).entries()) {
    if (!isObject(entry)) {
      reading.refused.push({ id: `entry ${e}`, reason: 'entry is not an object', input: entry });
      continue;
    }
    const context: Context = { source, reading, ownId: idOf(entry.id), entryTime: when(entry.time), now };
    // Business Login for Instagram puts one change on the entry itself, without a changes list.
    const changes = [...list(entry.changes), ...(typeof entry.field === 'string' ? [entry] : [])];
    for (const change of changes) {
      if (object === 'page') pageChange(context, change);
      else instagramChange(context, change);
    }
    for (const event of [...list(entry.messaging), ...list(entry.standby)])
      messagingEvent(context, event, object === 'page' ? 'facebook' : 'instagram');
  }
  return reading;
}

function pageChange(context: Context, change: unknown): void {
  const value = isObject(change) && isObject(change.value) ? change.value : null;
  const field = isObject(change) ? change.field : undefined;
  if (!value) {
    context.reading.refused.push({
      id: `change ${String(field)}`,
      reason: 'change has no value',
      input: change,
    });
    return;
  }
  if (field !== 'feed') {
    context.reading.skipped.push({
      id: `change ${String(field)}`,
      reason: `page field ${String(field)} (not the feed)`,
    });
    return;
  }
  const item = typeof value.item === 'string' ? value.item : '';
  const verb = typeof value.verb === 'string' ? value.verb : '';
  if (item === 'comment') return pageComment(context, value, verb);
  if (POST_ITEMS.has(item)) return visitorPost(context, value, item, verb);
  if (item === 'rating') return pageRating(context, value, verb);
  const id =
    idOf(value.comment_id) ?? idOf(value.post_id) ?? idOf(value.parent_id) ?? `${item || 'feed'} event`;
  context.reading.skipped.push({
    id,
    reason: WORDLESS_ITEMS.has(item)
      ? `a ${item} (no words)`
      : `feed item ${item || '(none)'} ${verb}`.trim(),
  });
}

/** Who wrote: the sender's id, or null when Meta left it out (it does, for users it does not name). */
function fromOf(value: Record<string, unknown>): string | null {
  return isObject(value.from) ? idOf(value.from.id) : null;
}

function notAdded(context: Context, id: string, what: string, verb: string): boolean {
  if (verb === 'add') return false;
  context.reading.skipped.push({
    id,
    reason:
      verb === 'edited' || verb === 'edit'
        ? `${what} edited (the version first received is kept)`
        : `${what} ${verb || 'without a verb'}`,
  });
  return true;
}

function pageComment(context: Context, value: Record<string, unknown>, verb: string): void {
  const commentId = idOf(value.comment_id);
  if (!commentId) {
    context.reading.refused.push({ id: 'comment', reason: 'a comment without comment_id', input: value });
    return;
  }
  if (notAdded(context, commentId, 'comment', verb)) return;
  const from = fromOf(value);
  if (from !== null && from === context.ownId) {
    context.reading.skipped.push({ id: commentId, reason: "the page's own comment" });
    return;
  }
  const message = textOf(value.message);
  if (!message) {
    context.reading.skipped.push({ id: commentId, reason: 'a comment without text (a sticker, a photo)' });
    return;
  }
  verbatim(
    context,
    `comment:${commentId}`,
    // Without `from`, each such comment counts as its own unknown customer.
    from ? `facebook:${from}` : `facebook:comment:${commentId}`,
    Channel.Facebook,
    when(value.created_time),
    message,
    {
      kind: 'comment',
      postId: idOf(value.post_id),
      ...(idOf(value.parent_id) !== idOf(value.post_id) ? { parentId: idOf(value.parent_id) } : {}),
      ...(from ? {} : { authorKnown: false }),
    },
  );
}

function visitorPost(context: Context, value: Record<string, unknown>, item: string, verb: string): void {
  const postId = idOf(value.post_id);
  if (!postId) {
    context.reading.refused.push({ id: `${item} post`, reason: `a ${item} without post_id`, input: value });
    return;
  }
  if (notAdded(context, postId, 'post', verb)) return;
  const from = fromOf(value);
  if (from !== null && from === context.ownId) {
    context.reading.skipped.push({ id: postId, reason: "the page's own post" });
    return;
  }
  const message = textOf(value.message);
  if (!message) {
    context.reading.skipped.push({ id: postId, reason: `a ${item} post without text` });
    return;
  }
  verbatim(
    context,
    `post:${postId}`,
    from ? `facebook:${from}` : `facebook:post:${postId}`,
    Channel.Facebook,
    when(value.created_time),
    message,
    { kind: 'visitor post', item, ...(from ? {} : { authorKnown: false }) },
  );
}

/** A recommendation (or review) of the page: the reviewer's words and whether they recommend it. */
function pageRating(context: Context, value: Record<string, unknown>, verb: string): void {
  const reviewer = idOf(value.reviewer_id);
  const id = idOf(value.open_graph_story_id) ?? (reviewer ? `by-${reviewer}` : null);
  if (!id) {
    context.reading.refused.push({ id: 'rating', reason: 'a rating without reviewer_id', input: value });
    return;
  }
  if (notAdded(context, id, 'rating', verb)) return;
  const review = textOf(value.review_text);
  if (!review) {
    context.reading.skipped.push({ id, reason: 'a rating without review text' });
    return;
  }
  verbatim(
    context,
    `rating:${id}`,
    reviewer ? `facebook:${reviewer}` : `facebook:rating:${id}`,
    Channel.Facebook,
    when(value.created_time),
    review,
    {
      kind: 'rating',
      ...(typeof value.recommendation_type === 'string' ? { recommendation: value.recommendation_type } : {}),
      ...(typeof value.rating === 'number' ? { rating: value.rating } : {}),
    },
  );
}

function instagramChange(context: Context, change: unknown): void {
  const value = isObject(change) && isObject(change.value) ? change.value : null;
  const field = isObject(change) ? change.field : undefined;
  if (!value) {
    context.reading.refused.push({
      id: `change ${String(field)}`,
      reason: 'change has no value',
      input: change,
    });
    return;
  }
  if (field !== 'comments' && field !== 'live_comments') {
    const id = idOf(value.comment_id) ?? idOf(value.media_id) ?? idOf(value.id) ?? `${String(field)} event`;
    context.reading.skipped.push({ id, reason: `Instagram field ${String(field)} (no comment text)` });
    return;
  }
  const commentId = idOf(value.id);
  if (!commentId) {
    context.reading.refused.push({ id: 'comment', reason: 'an Instagram comment without id', input: value });
    return;
  }
  const from = fromOf(value);
  if (from !== null && from === context.ownId) {
    context.reading.skipped.push({ id: commentId, reason: "the account's own comment" });
    return;
  }
  const text = textOf(value.text);
  if (!text) {
    context.reading.skipped.push({ id: commentId, reason: 'an Instagram comment without text' });
    return;
  }
  const media = isObject(value.media) ? value.media : {};
  verbatim(
    context,
    `ig-comment:${commentId}`,
    from ? `instagram:${from}` : `instagram:comment:${commentId}`,
    Channel.Instagram,
    when(value.timestamp) ?? when(value.created_time),
    text,
    {
      kind: field === 'live_comments' ? 'live comment' : 'comment',
      mediaId: idOf(media.id),
      ...(typeof media.media_product_type === 'string' ? { mediaType: media.media_product_type } : {}),
      ...(idOf(value.parent_id) ? { parentId: idOf(value.parent_id) } : {}),
      ...(isObject(value.from) && typeof value.from.username === 'string'
        ? { username: value.from.username.slice(0, 100) }
        : {}),
      ...(from ? {} : { authorKnown: false }),
    },
  );
}

/** A Messenger or Instagram Direct event: a customer's message, or something that carries no words. */
function messagingEvent(context: Context, event: unknown, platform: 'facebook' | 'instagram'): void {
  if (!isObject(event)) {
    context.reading.refused.push({
      id: 'messaging',
      reason: 'messaging event is not an object',
      input: event,
    });
    return;
  }
  if (!isObject(event.message)) {
    const kind = [
      'postback',
      'read',
      'delivery',
      'reaction',
      'optin',
      'referral',
      'pass_thread_control',
    ].find((name) => name in event);
    context.reading.skipped.push({
      id: `${platform} ${kind ?? 'event'}`,
      reason: `a messaging ${kind ?? 'event'} without a message`,
    });
    return;
  }
  const message = event.message;
  const mid = idOf(message.mid);
  const sender = isObject(event.sender) ? idOf(event.sender.id) : null;
  if (!mid) {
    context.reading.refused.push({ id: 'message', reason: 'a message without mid', input: event });
    return;
  }
  if (message.is_echo === true || (sender !== null && sender === context.ownId)) {
    context.reading.skipped.push({
      id: mid,
      reason: `an echo of the ${platform === 'facebook' ? 'page' : 'account'}'s own message`,
    });
    return;
  }
  if (message.is_deleted === true) {
    context.reading.skipped.push({ id: mid, reason: 'a message deleted by its sender' });
    return;
  }
  if (!sender) {
    context.reading.refused.push({ id: mid, reason: 'a message without sender', input: event });
    return;
  }
  const text = textOf(message.text);
  if (!text) {
    context.reading.skipped.push({ id: mid, reason: 'a message without text (an attachment, a sticker)' });
    return;
  }
  verbatim(
    context,
    `${platform === 'facebook' ? 'message' : 'ig-message'}:${mid}`,
    `${platform}:${sender}`,
    platform === 'facebook' ? Channel.Facebook : Channel.Instagram,
    when(event.timestamp),
    text,
    { kind: 'message' },
  );
}
