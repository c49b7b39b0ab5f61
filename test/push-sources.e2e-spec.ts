import { createHmac } from 'node:crypto';
import { Role } from '@app/database';
import { useApi } from './support/app';
import { query, waitForLastStage } from './support/database';
import { http } from './support/http';

/** A signed POST as a chat platform or Meta sends it: the raw bytes, the signature over them. */
async function signedPost(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{
  status: number;
  body: {
    stored?: number;
    duplicates?: number;
    skipped?: number;
    skippedReasons?: { id: string; reason: string }[];
    deadLettered?: number;
    message?: unknown;
  };
}> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as never };
}

const metaSignature = (secret: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

const chatSignature = (secret: string, timestamp: number, body: string) =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

/** Push sources: sources configured by admins (secrets sealed), chat transcripts and Meta webhooks. */
describe('push sources', () => {
  const { api, db } = useApi();
  let admin: string;
  let viewer: string;
  let chatId: string;
  let facebookId: string;

  beforeAll(async () => {
    [admin, viewer] = await Promise.all([api.key(Role.Admin), api.key(Role.Viewer)]);
  });

  it('configures sources as an admin, with secrets sealed and never returned', async () => {
    const body = { name: 'site-chat', kind: 'chat', secrets: { signingSecret: 'chat-signing-secret-0123' } };
    expect((await http(api.url, 'POST', '/api/v1/sources', { key: viewer, body })).status).toBe(403);
    expect(
      (await http(api.url, 'POST', '/api/v1/sources', { key: admin, body: { ...body, kind: 'pigeon' } }))
        .status,
    ).toBe(400);
    expect(
      (await http(api.url, 'POST', '/api/v1/sources', { key: admin, body: { ...body, name: 'Bad Name' } }))
        .status,
    ).toBe(400);
    const chat = await http(api.url, 'POST', '/api/v1/sources', { key: admin, body });
    expect(chat.status).toBe(201);
    expect(chat.body).toMatchObject({ name: 'site-chat', kind: 'chat', hasSecrets: true });
    expect(JSON.stringify(chat.body)).not.toContain('chat-signing-secret');
    chatId = chat.body.id;
    expect((await http(api.url, 'POST', '/api/v1/sources', { key: admin, body })).status).toBe(409);
    const facebook = await http(api.url, 'POST', '/api/v1/sources', {
      key: admin,
      body: {
        name: 'page',
        kind: 'facebook',
        secrets: { appSecret: 'meta-app-secret', verifyToken: 'verify-me' },
      },
    });
    facebookId = facebook.body.id;
    const listed = await http(api.url, 'GET', '/api/v1/sources', { key: viewer });
    expect(JSON.stringify(listed.body)).not.toMatch(/chat-signing-secret|meta-app-secret|verify-me/);
    const [stored] = await query<{ secrets_sealed: string }>(
      db.url,
      'SELECT secrets_sealed FROM source WHERE id = $1',
      [chatId],
    );
    expect(stored.secrets_sealed).not.toContain('chat-signing-secret');
  });

  const transcript = {
    conversationId: 'conv-1',
    customer: { id: 'jeanne@example.com' },
    turns: [
      { role: 'bot', text: 'Bonjour, que puis-je faire pour vous ?', at: '2026-11-23T09:00:00Z' },
      { role: 'customer', text: 'Mon paiement est refusé au 3-D Secure', at: '2026-11-23T09:00:10Z' },
      { role: 'bot', text: "Désolé, je n'ai pas compris votre demande.", at: '2026-11-23T09:00:12Z' },
      { role: 'customer', text: 'PAIEMENT REFUSÉ, je veux un conseiller', at: '2026-11-23T09:00:30Z' },
      { role: 'agent', text: 'Je regarde votre dossier.', at: '2026-11-23T09:01:00Z' },
    ],
  };

  it('stores a signed chat transcript once, as the customer’s words, with the bot’s failures as a signal', async () => {
    const body = JSON.stringify(transcript);
    const now = Math.floor(Date.now() / 1000);
    const url = `${api.url}/api/v1/webhooks/chat/${chatId}`;
    const headers = (secret: string, at = now, payload = body) => ({
      'x-loveboard-timestamp': String(at),
      'x-loveboard-signature': chatSignature(secret, at, payload),
    });
    expect((await signedPost(url, body, headers('wrong-secret'))).status).toBe(401);
    expect(
      (await signedPost(url, body.replace('refusé', 'accepté'), headers('chat-signing-secret-0123'))).status,
    ).toBe(401);
    const stale = await signedPost(url, body, headers('chat-signing-secret-0123', now - 301));
    expect(stale.status).toBe(401);
    expect(JSON.stringify(stale.body.message)).toContain('5-minute');
    expect((await signedPost(url, body, {})).status).toBe(401);

    const first = await signedPost(url, body, headers('chat-signing-secret-0123'));
    // The bot's greeting and the agent's answer are not the customer's words: skipped, with why.
    expect(first).toMatchObject({ status: 200, body: { stored: 1, duplicates: 0, skipped: 2 } });
    expect(first.body.skippedReasons?.map((skip) => skip.reason)).toEqual([
      "a bot's answer (not the customer's words)",
      "an agent's message (not the customer's words)",
    ]);
    expect((await signedPost(url, body, headers('chat-signing-secret-0123'))).body).toMatchObject({
      stored: 0,
      duplicates: 1,
    });
    const [row] = await query<{
      id: string;
      raw_text: string;
      channel: string;
      metadata: Record<string, unknown>;
    }>(db.url, `SELECT id, raw_text, channel, metadata FROM verbatim WHERE external_id = 'conv-1'`);
    expect(row.raw_text).toBe(
      'Mon paiement est refusé au 3-D Secure\nPAIEMENT REFUSÉ, je veux un conseiller',
    );
    expect(row.channel).toBe('chatbot');
    expect(row.metadata).toMatchObject({ botFailed: true, botFailures: 1, agentTurns: 1 });
    await waitForLastStage(db.url, [row.id]);
  });

  it('refuses a malformed transcript with reasons, storing nothing', async () => {
    const bad = JSON.stringify({
      conversationId: '',
      customer: {},
      turns: [{ role: 'robot', text: 3, at: 'yesterday' }],
    });
    const now = Math.floor(Date.now() / 1000);
    const response = await signedPost(`${api.url}/api/v1/webhooks/chat/${chatId}`, bad, {
      'x-loveboard-timestamp': String(now),
      'x-loveboard-signature': chatSignature('chat-signing-secret-0123', now, bad),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.message)).toMatch(/role must be customer, agent or bot/);
    expect(JSON.stringify(response.body.message)).toMatch(/at must be an ISO 8601/);
    const [{ n }] = await query<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM verbatim`);
    expect(n).toBe(1);
    // Unknown or wrong-kind sources are not found, whatever the signature.
    expect((await signedPost(`${api.url}/api/v1/webhooks/chat/${facebookId}`, bad, {})).status).toBe(404);
  });

  it('answers Meta’s handshake with the right token only, and takes signed page comments and messages', async () => {
    const handshake = (token: string) =>
      fetch(
        `${api.url}/api/v1/webhooks/facebook/${facebookId}?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`,
      );
    const ok = await handshake('verify-me');
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    expect((await handshake('guess')).status).toBe(403);

    const payload = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: 'PAGE1',
          time: 1795900000,
          changes: [
            {
              field: 'feed',
              value: {
                item: 'comment',
                verb: 'add',
                comment_id: 'C1',
                post_id: 'P1',
                message: 'Toujours pas remboursé de mon TGV annulé !',
                from: { id: 'U1', name: 'Jeanne' },
                created_time: 1795900000,
              },
            },
            {
              field: 'feed',
              value: {
                item: 'comment',
                verb: 'add',
                comment_id: 'C2',
                message: 'Merci pour votre message',
                from: { id: 'PAGE1' },
              },
            },
          ],
          messaging: [
            {
              sender: { id: 'U2' },
              recipient: { id: 'PAGE1' },
              timestamp: 1795900000123,
              message: { mid: 'M1', text: 'My e-ticket never arrived' },
            },
            {
              sender: { id: 'PAGE1' },
              recipient: { id: 'U2' },
              timestamp: 1795900000456,
              message: { mid: 'M2', text: 'Sorry!', is_echo: true },
            },
          ],
        },
      ],
    });
    const url = `${api.url}/api/v1/webhooks/facebook/${facebookId}`;
    expect(
      (await signedPost(url, payload, { 'x-hub-signature-256': metaSignature('nope', payload) })).status,
    ).toBe(401);
    expect((await signedPost(url, payload, {})).status).toBe(401);
    const received = await signedPost(url, payload, {
      'x-hub-signature-256': metaSignature('meta-app-secret', payload),
    });
    expect(received).toMatchObject({ status: 200, body: { stored: 2, duplicates: 0, skipped: 2 } });
    expect(received.body.skippedReasons).toEqual([
      { id: 'C2', reason: "the page's own comment" },
      { id: 'M2', reason: "an echo of the page's own message" },
    ]);
    expect(
      (await signedPost(url, payload, { 'x-hub-signature-256': metaSignature('meta-app-secret', payload) }))
        .body,
    ).toMatchObject({ stored: 0, duplicates: 2 });
    const rows = await query<{ external_id: string; channel: string }>(
      db.url,
      `SELECT external_id, channel FROM verbatim WHERE channel = 'facebook' ORDER BY external_id`,
    );
    expect(rows).toEqual([
      { external_id: 'comment:C1', channel: 'facebook' },
      { external_id: 'message:M1', channel: 'facebook' },
    ]);
  });

  it('takes the Meta payloads as documented: visitor posts, comments with or without from, ratings, Messenger, Instagram; always 200', async () => {
    const url = `${api.url}/api/v1/webhooks/facebook/${facebookId}`;
    const deliver = (body: unknown) => {
      const raw = JSON.stringify(body);
      return signedPost(url, raw, { 'x-hub-signature-256': metaSignature('meta-app-secret', raw) });
    };
    const lettersBefore = (
      await query(db.url, `SELECT id FROM dead_letter WHERE job_name = 'source.facebook'`)
    ).length;
    // Webhooks for Pages, field "feed" (Graph API reference, page feed): one entry, several changes.
    const page = await deliver({
      object: 'page',
      entry: [
        {
          id: '1142469655832956',
          time: 1795900100,
          changes: [
            {
              field: 'feed',
              value: {
                from: { id: '24680', name: 'Visitor' },
                item: 'status',
                post_id: '1142469655832956_1164870100259578',
                verb: 'add',
                published: 1,
                created_time: 1795900100,
                message: 'Le site plante au paiement depuis hier, impossible de réserver.',
              },
            },
            {
              field: 'feed',
              value: {
                item: 'comment',
                verb: 'add',
                comment_id: '1164870100259578_1234',
                post_id: '1142469655832956_1164870100259578',
                parent_id: '1142469655832956_1164870100259578',
                created_time: 1795900160,
                message: 'Pareil pour moi, paiement refusé.',
              },
            },
            {
              field: 'feed',
              value: {
                item: 'comment',
                verb: 'edited',
                comment_id: '1164870100259578_1234',
                post_id: '1142469655832956_1164870100259578',
                created_time: 1795900200,
                message: 'Pareil pour moi, paiement refusé deux fois.',
              },
            },
            {
              field: 'feed',
              value: {
                item: 'reaction',
                verb: 'add',
                reaction_type: 'angry',
                parent_id: '1142469655832956_1164870100259578',
                post_id: '1142469655832956_1164870100259578',
                from: { id: '13579' },
                created_time: 1795900220,
              },
            },
            {
              field: 'feed',
              value: {
                item: 'post',
                verb: 'add',
                post_id: '1142469655832956_999',
                from: { id: '1142469655832956' },
                message: 'Nos équipes sont mobilisées.',
                created_time: 1795900230,
              },
            },
            {
              field: 'feed',
              value: {
                item: 'rating',
                verb: 'add',
                reviewer_id: '97531',
                reviewer_name: 'Paul',
                open_graph_story_id: '555666777',
                recommendation_type: 'negative',
                review_text: 'Service client injoignable, je ne recommande pas.',
                created_time: 1795900240,
              },
            },
            // Meta got this one wrong: it is dead-lettered, the others still count.
            { field: 'feed', value: { item: 'comment', verb: 'add', message: 'sans identifiant' } },
          ],
          messaging: [
            {
              sender: { id: '24680' },
              recipient: { id: '1142469655832956' },
              timestamp: 1795900300000,
              message: {
                mid: 'm_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P',
                text: 'Bonjour, où est mon billet ?',
              },
            },
            {
              sender: { id: '24680' },
              recipient: { id: '1142469655832956' },
              timestamp: 1795900301000,
              read: { watermark: 1795900300000 },
            },
          ],
        },
      ],
    });
    expect(page).toMatchObject({
      status: 200,
      body: { stored: 4, duplicates: 0, skipped: 4, deadLettered: 1 },
    });
    // Instagram webhooks: comments as a change (Facebook Login) and on the entry (Business Login),
    // the account's own reply, a mention (no text), and Instagram Direct messages.
    const instagram = await deliver({
      object: 'instagram',
      entry: [
        {
          id: '17841405822304914',
          time: 1795900400,
          changes: [
            {
              field: 'comments',
              value: {
                from: { id: '232323232', username: 'jeanne_voyage' },
                media: { id: '123123123', media_product_type: 'FEED' },
                id: '17865799348089039',
                text: 'Mon train de 8h est encore supprimé 😡',
              },
            },
            {
              field: 'comments',
              value: {
                from: { id: '17841405822304914', username: 'loverail' },
                media: { id: '123123123', media_product_type: 'FEED' },
                id: '17865799348089040',
                parent_id: '17865799348089039',
                text: 'Nous sommes désolés.',
              },
            },
            { field: 'mentions', value: { media_id: '999888', comment_id: '4444' } },
          ],
          messaging: [
            {
              sender: { id: '112233' },
              recipient: { id: '17841405822304914' },
              timestamp: 1795900500000,
              message: {
                mid: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA1',
                text: 'Remboursement toujours pas reçu',
              },
            },
            {
              sender: { id: '17841405822304914' },
              recipient: { id: '112233' },
              timestamp: 1795900501000,
              message: {
                mid: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA2',
                text: 'On regarde',
                is_echo: true,
              },
            },
          ],
        },
        {
          id: '17841405822304914',
          time: 1795900600,
          field: 'comments',
          value: {
            id: '17865799348089041',
            from: { id: '445566', username: 'paul' },
            text: 'Appli inutilisable depuis la mise à jour',
            media: { id: '123123124', media_product_type: 'REELS' },
          },
        },
      ],
    });
    expect(instagram).toMatchObject({ status: 200, body: { stored: 3, duplicates: 0, skipped: 3 } });
    const rows = await query<{ external_id: string; channel: string; metadata: Record<string, unknown> }>(
      db.url,
      `SELECT external_id, channel, metadata FROM verbatim WHERE channel IN ('facebook', 'instagram') AND external_id NOT IN ('comment:C1', 'message:M1') ORDER BY external_id`,
    );
    expect(rows.map((row) => [row.external_id, row.channel])).toEqual([
      ['comment:1164870100259578_1234', 'facebook'],
      ['ig-comment:17865799348089039', 'instagram'],
      ['ig-comment:17865799348089041', 'instagram'],
      ['ig-message:aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA1', 'instagram'],
      [
        'message:m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P',
        'facebook',
      ],
      ['post:1142469655832956_1164870100259578', 'facebook'],
      ['rating:555666777', 'facebook'],
    ]);
    expect(rows[0].metadata).toMatchObject({ kind: 'comment', authorKnown: false });
    expect(rows[6].metadata).toMatchObject({ kind: 'rating', recommendation: 'negative' });
    // Not a delivery at all, but signed: 200 still (Meta would retry forever), and a dead letter.
    const garbage = await deliver({ object: 'instagram' });
    expect(garbage).toMatchObject({ status: 200, body: { stored: 0, deadLettered: 1 } });
    const letters = await query<{ cause: string }>(
      db.url,
      `SELECT cause FROM dead_letter WHERE job_name = 'source.facebook' ORDER BY created_at`,
    );
    expect(letters.slice(lettersBefore).map((letter) => letter.cause)).toEqual([
      'a comment without comment_id',
      'not a Meta webhook delivery: object must be "page" or "instagram", with an entry list',
    ]);
  });

  it('counts one customer across channels once their identities are linked, stored verbatims included', async () => {
    // The chat customer (jeanne@example.com) and the Facebook commenter U1 are the same person.
    const link = await http(api.url, 'POST', '/api/v1/identity-links', {
      key: admin,
      body: { identity: 'facebook:U1', sameAs: 'jeanne@example.com' },
    });
    expect(link.status).toBe(200);
    const keys = await query<{ author_key: string }>(
      db.url,
      `SELECT DISTINCT author_key FROM verbatim WHERE external_id IN ('conv-1', 'comment:C1')`,
    );
    expect(keys).toHaveLength(1);
    expect(JSON.stringify(await query(db.url, 'SELECT * FROM identity_link'))).not.toContain('jeanne');
    expect(
      (
        await http(api.url, 'POST', '/api/v1/identity-links', {
          key: viewer,
          body: { identity: 'a', sameAs: 'b' },
        })
      ).status,
    ).toBe(403);
  });

  it('reports each source’s health', async () => {
    const health = await http(api.url, 'GET', `/api/v1/sources/${chatId}/health`, { key: viewer });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ itemsLast24h: 1, consecutiveFailures: 0, lastError: null });
    expect(health.body.lagSeconds).toBeGreaterThan(0);
  });
});
