import { createHmac } from 'node:crypto';
import { Role } from '@app/database';
import { useApi } from './support/app';
import { query, waitForLastStage } from './support/database';
import { http } from './support/http';

interface Answer {
  status: number;
  body: {
    stored?: number;
    duplicates?: number;
    skipped?: number;
    grown?: number;
    skippedReasons?: { id: string; reason: string }[];
    deadLettered?: number;
    message?: unknown;
  };
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const hmac = (algorithm: string, secret: string, data: string) =>
  createHmac(algorithm, secret).update(data).digest('hex');
const now = () => Math.floor(Date.now() / 1000);

/** Each platform's own signature, as its documentation gives it. */
const sign = {
  chatwoot: (secret: string, body: string, at = now()) => ({
    'x-chatwoot-timestamp': String(at),
    'x-chatwoot-signature': `sha256=${hmac('sha256', secret, `${at}.${body}`)}`,
    'x-chatwoot-delivery': `delivery-${at}`,
  }),
  intercom: (secret: string, body: string) => ({ 'x-hub-signature': `sha1=${hmac('sha1', secret, body)}` }),
  crisp: (secret: string, body: string, at = Date.now()) => ({
    'x-crisp-request-timestamp': String(at),
    'x-crisp-signature': hmac('sha256', secret, `[${at};${body}]`),
  }),
  zendesk: (secret: string) => ({ 'x-api-key': secret }),
};

/**
 * Chat platforms' own webhooks (Chatwoot, Intercom, Crisp, Zendesk messaging), with their payloads
 * and signature schemes as each documents them: a conversation that grows message by message is
 * one verbatim that grows, or one per message; replays change nothing.
 */
describe('chat platforms', () => {
  const { api, db } = useApi();
  let admin: string;
  const ids: Record<string, string> = {};

  const source = async (name: string, platform: string, secret: string, per?: 'turn') => {
    const created = await http(api.url, 'POST', '/api/v1/sources', {
      key: admin,
      body: {
        name,
        kind: 'chat',
        secrets: { signingSecret: secret },
        settings: { platform, ...(per ? { verbatimPer: per } : {}) },
      },
    });
    expect(created.status).toBe(201);
    ids[name] = created.body.id;
    return `${api.url}/api/v1/webhooks/chat/${created.body.id}`;
  };
  const row = async (externalId: string) =>
    (
      await query<{
        id: string;
        raw_text: string;
        channel: string;
        stage: string;
        metadata: Record<string, unknown>;
      }>(db.url, 'SELECT id, raw_text, channel, stage, metadata FROM verbatim WHERE external_id = $1', [
        externalId,
      ])
    )[0];

  beforeAll(async () => {
    admin = await api.key(Role.Admin);
  });

  it('Chatwoot: message_created events grow one verbatim per conversation, signed over "<timestamp>.<body>"', async () => {
    const url = await source('chatwoot-site', 'chatwoot', 'chatwoot-hmac-secret');
    // As Chatwoot's webhook documentation shows a message_created event.
    const message = (id: number, content: string, type: string, extra: Record<string, unknown> = {}) => ({
      event: 'message_created',
      id,
      content,
      created_at: `2026-11-23 09:0${id % 10}:00 UTC`,
      message_type: type,
      content_type: 'text',
      content_attributes: {},
      source_id: null,
      private: false,
      sender:
        type === 'incoming'
          ? { id: 57, name: 'Jeanne', email: 'jeanne@example.com', type: 'contact' }
          : { id: 3, name: 'Paul', email: 'paul@loverail.example', type: 'user' },
      contact: { id: 57, name: 'Jeanne', email: 'jeanne@example.com' },
      conversation: {
        id: 4242,
        display_id: 12,
        inbox_id: 1,
        status: 'open',
        additional_attributes: { browser: { browser_name: 'Safari', platform_name: 'iOS' } },
        meta: { sender: { id: 57, email: 'jeanne@example.com', type: 'contact' } },
      },
      account: { id: 1, name: 'LoveRail' },
      inbox: { id: 1, name: 'Site' },
      ...extra,
    });
    const deliver = (body: unknown, secret = 'chatwoot-hmac-secret', at?: number) => {
      const raw = JSON.stringify(body);
      return post(url, raw, sign.chatwoot(secret, raw, at));
    };
    const first = message(1, 'Mon paiement est refusé au 3-D Secure', 'incoming');
    expect((await deliver(first, 'wrong-secret')).status).toBe(401);
    const stale = await deliver(first, 'chatwoot-hmac-secret', now() - 600);
    expect(stale.status).toBe(401);
    expect(JSON.stringify(stale.body.message)).toContain('5-minute');
    expect((await deliver(first)).body).toMatchObject({ stored: 1, duplicates: 0, skipped: 0 });
    const created = await row('4242');
    await waitForLastStage(db.url, [created.id]);

    expect((await deliver(message(2, 'Je regarde votre dossier.', 'outgoing'))).body).toMatchObject({
      stored: 0,
      skipped: 1,
      skippedReasons: [{ id: '2', reason: "an agent's message (not the customer's words)" }],
    });
    expect(
      (await deliver(message(3, 'Note interne : carte bloquée', 'outgoing', { private: true }))).body,
    ).toMatchObject({
      skippedReasons: [{ id: '3', reason: 'a private note' }],
    });
    expect(
      (await deliver(message(4, 'Toujours refusé ce matin, je vais annuler', 'incoming'))).body,
    ).toMatchObject({
      stored: 0,
      grown: 1,
    });
    // A replay of either message changes nothing.
    expect(
      (await deliver(message(4, 'Toujours refusé ce matin, je vais annuler', 'incoming'))).body,
    ).toMatchObject({
      stored: 0,
      duplicates: 1,
    });
    expect((await deliver(first)).body).toMatchObject({ stored: 0, duplicates: 1 });
    const grown = await row('4242');
    expect(grown.id).toBe(created.id);
    expect(grown.raw_text).toBe(
      'Mon paiement est refusé au 3-D Secure\nToujours refusé ce matin, je vais annuler',
    );
    expect(grown.metadata).toMatchObject({ platform: 'chatwoot', conversationId: '4242', customerTurns: 2 });
    // Read again whole: redacted, analysed and clustered, counted once in its irritant.
    await waitForLastStage(db.url, [grown.id]);
    const [counts] = await query<{ in_irritant: number; verbatim_count: number }>(
      db.url,
      `SELECT (SELECT count(*)::int FROM verbatim WHERE irritant_id = i.id) AS in_irritant, i.verbatim_count
         FROM verbatim v JOIN irritant i ON i.id = v.irritant_id WHERE v.id = $1`,
      [grown.id],
    );
    expect(counts.verbatim_count).toBe(counts.in_irritant);
    // Not a message, or one Chatwoot got wrong: 200 (Chatwoot would retry), skipped or dead-lettered.
    expect(
      (await deliver({ event: 'conversation_status_changed', id: 4242, status: 'resolved' })).body,
    ).toMatchObject({
      skipped: 1,
    });
    expect(
      (await deliver({ event: 'message_created', id: 9, content: 'sans conversation' })).body,
    ).toMatchObject({
      deadLettered: 1,
    });
  });

  it('Intercom: the conversation from its notifications, signed X-Hub-Signature sha1 with the client secret', async () => {
    const url = await source('intercom-app', 'intercom', 'intercom-client-secret');
    const author = { type: 'user', id: '6650b1', name: 'Léa', email: 'lea@example.com' };
    // As Intercom's webhook model documents a notification and its conversation item.
    const notification = (topic: string, parts: unknown[], id: string) => ({
      type: 'notification_event',
      app_id: 'abc123',
      data: {
        type: 'notification_event_data',
        item: {
          type: 'conversation',
          id: '147000123',
          created_at: 1795900000,
          updated_at: 1795900600,
          source: {
            type: 'conversation',
            id: '2310000001',
            delivered_as: 'customer_initiated',
            subject: '',
            body: '<p>Bonjour, mon e-billet n’apparaît pas dans l’appli.</p>',
            author,
          },
          contacts: {
            type: 'contact.list',
            contacts: [{ type: 'contact', id: '6650b1', external_id: 'cust-88' }],
          },
          conversation_parts: {
            type: 'conversation_part.list',
            conversation_parts: parts,
            total_count: parts.length,
          },
        },
      },
      links: {},
      id,
      topic,
      delivery_status: 'pending',
      delivery_attempts: 1,
      delivered_at: 0,
      first_sent_at: 1795900600,
      created_at: 1795900600,
    });
    const deliver = (body: unknown, secret = 'intercom-client-secret') => {
      const raw = JSON.stringify(body);
      return post(url, raw, sign.intercom(secret, raw));
    };
    const opened = notification('conversation.user.created', [], 'notif_1');
    expect((await deliver(opened, 'not-it')).status).toBe(401);
    expect((await deliver(opened)).body).toMatchObject({ stored: 1 });
    const admin = {
      type: 'conversation_part',
      id: '9001',
      part_type: 'comment',
      body: '<p>Pouvez-vous vous reconnecter ?</p>',
      created_at: 1795900300,
      author: { type: 'admin', id: '77', name: 'Agent' },
    };
    expect(
      (await deliver(notification('conversation.admin.replied', [admin], 'notif_2'))).body,
    ).toMatchObject({
      skipped: 1,
    });
    const reply = {
      type: 'conversation_part',
      id: '9002',
      part_type: 'comment',
      body: '<p>Déjà fait, <b>toujours rien</b>.</p>',
      created_at: 1795900600,
      author,
    };
    expect((await deliver(notification('conversation.user.replied', [reply], 'notif_3'))).body).toMatchObject(
      { grown: 1 },
    );
    expect((await deliver(notification('conversation.user.replied', [reply], 'notif_3'))).body).toMatchObject(
      {
        duplicates: 1,
      },
    );
    expect(
      (await deliver({ type: 'notification_event', topic: 'ping', id: 'notif_ping', data: {} })).body,
    ).toMatchObject({
      skippedReasons: [{ reason: 'Intercom ping' }],
    });
    const stored = await row('147000123');
    expect(stored.raw_text).toBe(
      'Bonjour, mon e-billet n’apparaît pas dans l’appli.\nDéjà fait, toujours rien.',
    );
  });

  it('Crisp: message:send events, signed "[<timestamp>;<body>]"; operators skipped', async () => {
    const url = await source('crisp-site', 'crisp', 'crisp-hook-secret');
    // As Crisp's Web Hooks reference shows message:send.
    const hook = (event: string, fingerprint: number, content: string, from: string) => ({
      website_id: '42286ab3-b29a-4fde-8538-da0ae501d825',
      event,
      data: {
        website_id: '42286ab3-b29a-4fde-8538-da0ae501d825',
        session_id: 'session_36ba3566-9651-4790-afc8-ffedbccc317f',
        type: 'text',
        content,
        from,
        origin: 'chat',
        stamped: true,
        timestamp: 1795900000000 + (fingerprint % 1000) * 1000,
        fingerprint,
        user: { nickname: 'visitor493603', user_id: 'session_36ba3566-9651-4790-afc8-ffedbccc317f' },
      },
      timestamp: 1795900000000 + (fingerprint % 1000) * 1000,
    });
    const deliver = (body: unknown, secret = 'crisp-hook-secret') => {
      const raw = JSON.stringify(body);
      return post(url, raw, sign.crisp(secret, raw));
    };
    const first = hook('message:send', 150698569649423, 'The app crashes when I open my tickets', 'user');
    expect((await deliver(first, 'nope')).status).toBe(401);
    expect((await deliver(first)).body).toMatchObject({ stored: 1 });
    expect(
      (await deliver(hook('message:received', 150698569649424, 'Which phone?', 'operator'))).body,
    ).toMatchObject({
      skipped: 1,
    });
    expect(
      (await deliver(hook('message:send', 150698569649425, 'An iPhone 15, iOS 18', 'user'))).body,
    ).toMatchObject({
      grown: 1,
    });
    expect((await row('session_36ba3566-9651-4790-afc8-ffedbccc317f')).raw_text).toBe(
      'The app crashes when I open my tickets\nAn iPhone 15, iOS 18',
    );
  });

  it('Zendesk messaging: conversation:message events, X-API-Key; one verbatim per message when so configured', async () => {
    const url = await source('zendesk-messaging', 'zendesk', 'sunco-webhook-secret', 'turn');
    // As the Sunshine Conversations v2 webhook documents a conversation:message event.
    const event = (id: string, type: string, text: string) => ({
      id: `evt-${id}`,
      createdAt: '2026-11-23T09:00:00.000Z',
      type: 'conversation:message',
      payload: {
        conversation: { id: '5f7a0cd2ea6e3b000cb5f9a3', type: 'personal' },
        message: {
          id,
          received: `2026-11-23T09:0${id.length % 10}:00.000Z`,
          author:
            type === 'user'
              ? {
                  userId: '5f7a0cd1ea6e3b000cb5f9a0',
                  displayName: 'Marie',
                  type: 'user',
                  user: { id: '5f7a0cd1ea6e3b000cb5f9a0', externalId: 'client-991' },
                }
              : { type: 'business', displayName: 'LoveRail' },
          content: { type: 'text', text },
          source: { type: 'web', integrationId: '5f7a0c5b8f3ab6000c9f4b3e' },
        },
      },
    });
    const body = JSON.stringify({
      app: { id: '5f7a0c5b8f3ab6000c9f4b3d' },
      webhook: { id: '5f7a0c5b8f3ab6000c9f4b40', version: 'v2' },
      events: [
        event('m1', 'user', 'Ma réservation a disparu de mon compte'),
        event('m02', 'business', 'Je vérifie'),
        event('m003', 'user', 'Elle était pour le 12 décembre'),
        { id: 'evt-typing', type: 'conversation:typing', payload: {} },
      ],
    });
    expect((await post(url, body, sign.zendesk('guess'))).status).toBe(401);
    expect((await post(url, body, sign.zendesk('sunco-webhook-secret'))).body).toMatchObject({
      stored: 2,
      skipped: 2,
    });
    expect((await post(url, body, sign.zendesk('sunco-webhook-secret'))).body).toMatchObject({
      stored: 0,
      duplicates: 2,
    });
    const rows = await query<{ external_id: string; raw_text: string }>(
      db.url,
      `SELECT v.external_id, v.raw_text FROM verbatim v JOIN source s ON s.id = v.source_id WHERE s.name = 'zendesk-messaging' ORDER BY v.external_id`,
    );
    expect(rows).toEqual([
      { external_id: '5f7a0cd2ea6e3b000cb5f9a3:m003', raw_text: 'Elle était pour le 12 décembre' },
      { external_id: '5f7a0cd2ea6e3b000cb5f9a3:m1', raw_text: 'Ma réservation a disparu de mon compte' },
    ]);
  });

  it('LoveBoard transcripts posted again as they grow: one verbatim that grows, the bot’s failures as a signal', async () => {
    const url = await source('own-chat', 'loveboard', 'own-chat-signing-secret');
    const deliver = (transcript: unknown) => {
      const raw = JSON.stringify(transcript);
      const at = now();
      return post(url, raw, {
        'x-loveboard-timestamp': String(at),
        'x-loveboard-signature': `sha256=${hmac('sha256', 'own-chat-signing-secret', `${at}.${raw}`)}`,
      });
    };
    const turns = [
      { role: 'bot', text: 'Bonjour, que puis-je faire pour vous ?', at: '2026-11-23T09:00:00Z' },
      { role: 'customer', text: 'Remboursement de mon TGV annulé', at: '2026-11-23T09:00:10Z' },
    ];
    expect(
      (await deliver({ conversationId: 'c-77', customer: { id: 'zoe@example.com' }, turns })).body,
    ).toMatchObject({
      stored: 1,
    });
    const more = [
      ...turns,
      { role: 'bot', text: "Désolé, je n'ai pas compris.", at: '2026-11-23T09:00:12Z' },
      { role: 'customer', text: 'Je veux un conseiller', at: '2026-11-23T09:00:30Z' },
    ];
    expect(
      (await deliver({ conversationId: 'c-77', customer: { id: 'zoe@example.com' }, turns: more })).body,
    ).toMatchObject({ stored: 0, grown: 1 });
    expect(
      (await deliver({ conversationId: 'c-77', customer: { id: 'zoe@example.com' }, turns: more })).body,
    ).toMatchObject({ stored: 0, duplicates: 1 });
    const stored = await row('c-77');
    expect(stored.raw_text).toBe('Remboursement de mon TGV annulé\nJe veux un conseiller');
    expect(stored.channel).toBe('chatbot');
    expect(stored.metadata).toMatchObject({ botFailed: true, botFailures: 1, botTurns: 2, customerTurns: 2 });
  });
});
