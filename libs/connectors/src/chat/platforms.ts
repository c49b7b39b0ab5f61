import { htmlToPlainText } from '../email/html-text';

/**
 * Chat platforms' own webhooks (Chatwoot, Intercom, Crisp, Zendesk messaging) read into one shape:
 * the messages of a conversation, each with its platform id, who wrote it and when. Everything
 * else a platform sends (typing, status changes, notes, edits, attachments) is skipped with its
 * reason; an event that cannot be read is refused with its reason (a dead letter), on its own.
 */
export type ChatPlatform = 'chatwoot' | 'intercom' | 'crisp' | 'zendesk';
export const CHAT_PLATFORMS: readonly ChatPlatform[] = ['chatwoot', 'intercom', 'crisp', 'zendesk'];

export interface ChatMessage {
  conversationId: string;
  /** The platform's own id of the message: a replayed delivery carries the same. */
  messageId: string;
  role: 'customer' | 'agent' | 'bot';
  text: string;
  /** ISO 8601. */
  at: string;
  /** Who the customer of the conversation is (an e-mail, or the platform's id of the contact). */
  customerId: string | null;
}

export interface ChatReading {
  messages: ChatMessage[];
  skipped: { id: string; reason: string }[];
  refused: { id: string; reason: string; input: unknown }[];
}

const MAX_EVENTS = 1_000;
const MAX_ID = 200;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const idOf = (value: unknown): string | null =>
  (typeof value === 'string' && value.trim() !== '' && value.length <= MAX_ID) ||
  (typeof value === 'number' && Number.isSafeInteger(value))
    ? String(value).trim()
    : null;
const textOf = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
const emailOf = (value: unknown): string | null =>
  typeof value === 'string' && /^[^\s@]+@[^\s@]+$/.test(value.trim()) ? value.trim().toLowerCase() : null;

/** Seconds, milliseconds, ISO 8601 or "2020-03-03 13:05:57 UTC" (Chatwoot): an ISO date, or null. */
export function dateOf(value: unknown): string | null {
  let ms = Number.NaN;
  if (typeof value === 'number') ms = value < 1e12 ? value * 1000 : value;
  else if (typeof value === 'string' && value.trim() !== '') {
    const text = value.trim();
    ms = /^\d+$/.test(text)
      ? Number(text) * (text.length <= 10 ? 1000 : 1)
      : Date.parse(text.replace(/ UTC$/, 'Z').replace(' ', 'T'));
    if (Number.isNaN(ms)) ms = Date.parse(text);
  }
  if (!Number.isFinite(ms)) return null;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function empty(): ChatReading {
  return { messages: [], skipped: [], refused: [] };
}

export function readChatPlatform(platform: ChatPlatform, body: unknown): ChatReading {
  switch (platform) {
    case 'chatwoot':
      return readChatwoot(body);
    case 'intercom':
      return readIntercom(body);
    case 'crisp':
      return readCrisp(body);
    case 'zendesk':
      return readZendesk(body);
  }
}

// ---- Chatwoot: one event per delivery (`message_created`, …), the message at the top level ----

const CHATWOOT_TYPES = ['incoming', 'outgoing', 'activity', 'template'];

export function readChatwoot(body: unknown): ChatReading {
  const reading = empty();
  if (!isObject(body) || typeof body.event !== 'string') {
    reading.refused.push({ id: 'delivery', reason: 'not a Chatwoot event: no "event"', input: body });
    return reading;
  }
  const id = idOf(body.id) ?? 'event';
  if (body.event === 'message_updated') {
    reading.skipped.push({ id, reason: 'a message edited (the version first received is kept)' });
    return reading;
  }
  if (body.event !== 'message_created') {
    reading.skipped.push({ id, reason: `Chatwoot event ${body.event.slice(0, 60)} (not a message)` });
    return reading;
  }
  const conversation = isObject(body.conversation) ? body.conversation : {};
  const conversationId = idOf(conversation.id) ?? idOf(conversation.display_id);
  const messageId = idOf(body.id);
  if (!conversationId || !messageId) {
    reading.refused.push({
      id,
      reason: 'a Chatwoot message without its id or its conversation id',
      input: body,
    });
    return reading;
  }
  const type = typeof body.message_type === 'number' ? CHATWOOT_TYPES[body.message_type] : body.message_type;
  if (body.private === true) return skip(reading, messageId, 'a private note');
  if (type === 'activity') return skip(reading, messageId, 'an activity message (assignment, status)');
  const sender = isObject(body.sender) ? body.sender : {};
  const role = type === 'incoming' ? 'customer' : sender.type === 'agent_bot' ? 'bot' : 'agent';
  const text = textOf(body.content);
  if (!text) return skip(reading, messageId, 'a message without text (an attachment)');
  const at = dateOf(body.created_at);
  if (!at) {
    reading.refused.push({
      id: messageId,
      reason: 'a Chatwoot message without a readable created_at',
      input: body,
    });
    return reading;
  }
  // The contact: the sender of an incoming message, else the conversation's.
  const meta =
    isObject(conversation.meta) && isObject(conversation.meta.sender) ? conversation.meta.sender : {};
  const contact = role === 'customer' ? sender : isObject(body.contact) ? body.contact : meta;
  const customerId = emailOf(contact.email) ?? (idOf(contact.id) ? `chatwoot:${idOf(contact.id)}` : null);
  reading.messages.push({ conversationId, messageId, role, text, at, customerId });
  return reading;
}

// ---- Intercom: a notification whose item is the conversation, with its newest parts ----

const INTERCOM_CUSTOMERS = new Set(['user', 'lead', 'contact']);

export function readIntercom(body: unknown): ChatReading {
  const reading = empty();
  if (!isObject(body) || body.type !== 'notification_event' || typeof body.topic !== 'string') {
    reading.refused.push({
      id: 'delivery',
      reason: 'not an Intercom notification (type notification_event)',
      input: body,
    });
    return reading;
  }
  const notification = idOf(body.id) ?? 'notification';
  if (body.topic === 'ping') return skip(reading, notification, 'Intercom ping');
  if (!body.topic.startsWith('conversation.'))
    return skip(reading, notification, `Intercom topic ${body.topic.slice(0, 60)}`);
  const data = isObject(body.data) ? body.data : {};
  const item = isObject(data.item) ? data.item : null;
  const conversationId = item ? idOf(item.id) : null;
  if (!item || !conversationId) {
    reading.refused.push({
      id: notification,
      reason: 'an Intercom conversation notification without its conversation',
      input: body,
    });
    return reading;
  }
  const source = isObject(item.source) ? item.source : null;
  const contacts =
    isObject(item.contacts) && Array.isArray(item.contacts.contacts) ? item.contacts.contacts : [];
  const firstContact = isObject(contacts[0]) ? contacts[0] : {};
  const sourceAuthor = source && isObject(source.author) ? source.author : {};
  const customerId =
    emailOf(INTERCOM_CUSTOMERS.has(String(sourceAuthor.type)) ? sourceAuthor.email : undefined) ??
    emailOf(firstContact.email) ??
    idOf(firstContact.external_id) ??
    (idOf(firstContact.id) ? `intercom:${idOf(firstContact.id)}` : null);
  const part = (
    id: string | null,
    kind: string,
    html: unknown,
    author: Record<string, unknown>,
    created: unknown,
    raw: unknown,
  ) => {
    if (!id) {
      reading.refused.push({ id: conversationId, reason: `an Intercom ${kind} without id`, input: raw });
      return;
    }
    if (kind === 'note') return void skip(reading, id, 'a private note');
    const text = typeof html === 'string' ? htmlToPlainText(html).trim() : '';
    if (!text) return void skip(reading, id, `an Intercom ${kind} without text`);
    const at = dateOf(created) ?? dateOf(item.updated_at) ?? dateOf(body.created_at);
    if (!at) {
      reading.refused.push({ id, reason: `an Intercom ${kind} without a date`, input: raw });
      return;
    }
    const type = typeof author.type === 'string' ? author.type : '';
    const role = INTERCOM_CUSTOMERS.has(type) ? 'customer' : type === 'bot' ? 'bot' : 'agent';
    reading.messages.push({ conversationId, messageId: id, role, text, at, customerId });
  };
  // The conversation's first message, on the notification that opens it.
  if (
    source &&
    (body.topic === 'conversation.user.created' || body.topic === 'conversation.admin.single.created')
  )
    part(
      idOf(source.id) ?? `${conversationId}:source`,
      'message',
      source.body,
      sourceAuthor,
      item.created_at,
      source,
    );
  const parts =
    isObject(item.conversation_parts) && Array.isArray(item.conversation_parts.conversation_parts)
      ? item.conversation_parts.conversation_parts.slice(0, MAX_EVENTS)
      : [];
  for (const one of parts) {
    if (!isObject(one)) continue;
    const kind = typeof one.part_type === 'string' ? one.part_type : 'part';
    if (kind !== 'comment' && kind !== 'note' && kind !== 'open' && one.body == null) {
      skip(reading, idOf(one.id) ?? conversationId, `an Intercom ${kind} (no words)`);
      continue;
    }
    part(idOf(one.id), kind, one.body, isObject(one.author) ? one.author : {}, one.created_at, one);
  }
  if (reading.messages.length === 0 && reading.skipped.length === 0 && reading.refused.length === 0)
    skip(reading, conversationId, `Intercom ${body.topic} without a message`);
  return reading;
}

// ---- Crisp: `message:send` (the visitor) and `message:received` (an operator), one per delivery ----

export function readCrisp(body: unknown): ChatReading {
  const reading = empty();
  if (!isObject(body) || typeof body.event !== 'string' || !isObject(body.data)) {
    reading.refused.push({ id: 'delivery', reason: 'not a Crisp web hook (event and data)', input: body });
    return reading;
  }
  const data = body.data;
  const messageId = idOf(data.fingerprint);
  const sessionId = idOf(data.session_id);
  if (body.event !== 'message:send' && body.event !== 'message:received')
    return skip(
      reading,
      messageId ?? sessionId ?? 'event',
      `Crisp event ${body.event.slice(0, 60)} (not a message)`,
    );
  if (!messageId || !sessionId) {
    reading.refused.push({
      id: 'message',
      reason: 'a Crisp message without fingerprint or session_id',
      input: body,
    });
    return reading;
  }
  if (data.type === 'note') return skip(reading, messageId, 'a private note');
  const text = data.type === 'text' ? textOf(data.content) : null;
  if (!text)
    return skip(
      reading,
      messageId,
      `a Crisp ${typeof data.type === 'string' ? data.type.slice(0, 40) : 'message'} message without text`,
    );
  const at = dateOf(data.timestamp) ?? dateOf(body.timestamp);
  if (!at) {
    reading.refused.push({ id: messageId, reason: 'a Crisp message without a timestamp', input: body });
    return reading;
  }
  const user = isObject(data.user) ? data.user : {};
  const role = data.from === 'user' ? 'customer' : data.automated === true ? 'bot' : 'agent';
  const customerId =
    role === 'customer'
      ? (emailOf(user.email) ?? (idOf(user.user_id) ? `crisp:${idOf(user.user_id)}` : `crisp:${sessionId}`))
      : null;
  reading.messages.push({ conversationId: sessionId, messageId, role, text, at, customerId });
  return reading;
}

// ---- Zendesk messaging (Sunshine Conversations v2): a list of events ----

export function readZendesk(body: unknown): ChatReading {
  const reading = empty();
  if (!isObject(body) || !Array.isArray(body.events)) {
    reading.refused.push({
      id: 'delivery',
      reason: 'not a Zendesk messaging webhook (an events list)',
      input: body,
    });
    return reading;
  }
  for (const event of body.events.slice(0, MAX_EVENTS)) {
    if (!isObject(event)) {
      reading.refused.push({ id: 'event', reason: 'event is not an object', input: event });
      continue;
    }
    const eventId = idOf(event.id) ?? 'event';
    if (event.type !== 'conversation:message') {
      skip(reading, eventId, `Zendesk event ${String(event.type).slice(0, 60)} (not a message)`);
      continue;
    }
    const payload = isObject(event.payload) ? event.payload : {};
    const conversationId = isObject(payload.conversation) ? idOf(payload.conversation.id) : null;
    const message = isObject(payload.message) ? payload.message : null;
    const messageId = message ? idOf(message.id) : null;
    if (!conversationId || !message || !messageId) {
      reading.refused.push({
        id: eventId,
        reason: 'a Zendesk message without its id or its conversation',
        input: event,
      });
      continue;
    }
    const content = isObject(message.content) ? message.content : {};
    const text = content.type === 'text' ? textOf(content.text) : null;
    if (!text) {
      skip(
        reading,
        messageId,
        `a Zendesk ${typeof content.type === 'string' ? content.type.slice(0, 40) : 'message'} message without text`,
      );
      continue;
    }
    const at = dateOf(message.received) ?? dateOf(event.createdAt);
    if (!at) {
      reading.refused.push({ id: messageId, reason: 'a Zendesk message without a date', input: event });
      continue;
    }
    const author = isObject(message.author) ? message.author : {};
    const subtypes = Array.isArray(author.subtypes) ? author.subtypes : [];
    const role = author.type === 'user' ? 'customer' : subtypes.includes('AI') ? 'bot' : 'agent';
    const user = isObject(author.user) ? author.user : {};
    const customerId =
      role === 'customer'
        ? (emailOf(isObject(user.profile) ? user.profile.email : undefined) ??
          idOf(user.externalId) ??
          (idOf(author.userId) ? `zendesk:${idOf(author.userId)}` : null))
        : null;
    reading.messages.push({ conversationId, messageId, role, text, at, customerId });
  }
  return reading;
}

function skip(reading: ChatReading, id: string, reason: string): ChatReading {
  reading.skipped.push({ id, reason });
  return reading;
}
