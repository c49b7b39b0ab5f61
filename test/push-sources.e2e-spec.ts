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
  body: { stored?: number; duplicates?: number; skipped?: number; message?: unknown };
}> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as never };
}

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
    expect(first).toEqual({ status: 200, body: { stored: 1, duplicates: 0, skipped: 0 } });
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
    const sign = (secret: string) => `sha256=${createHmac('sha256', secret).update(payload).digest('hex')}`;
    const url = `${api.url}/api/v1/webhooks/facebook/${facebookId}`;
    expect((await signedPost(url, payload, { 'x-hub-signature-256': sign('nope') })).status).toBe(401);
    expect((await signedPost(url, payload, {})).status).toBe(401);
    const received = await signedPost(url, payload, { 'x-hub-signature-256': sign('meta-app-secret') });
    expect(received).toEqual({ status: 200, body: { stored: 2, duplicates: 0, skipped: 2 } });
    expect(
      (await signedPost(url, payload, { 'x-hub-signature-256': sign('meta-app-secret') })).body,
    ).toMatchObject({
      stored: 0,
      duplicates: 2,
    });
    const rows = await query<{ external_id: string; channel: string }>(
      db.url,
      `SELECT external_id, channel FROM verbatim WHERE channel = 'facebook' ORDER BY external_id`,
    );
    expect(rows).toEqual([
      { external_id: 'comment:C1', channel: 'facebook' },
      { external_id: 'message:M1', channel: 'facebook' },
    ]);
    const garbage = '{"object":"instagram"}';
    const refused = await signedPost(url, garbage, {
      'x-hub-signature-256': `sha256=${createHmac('sha256', 'meta-app-secret').update(garbage).digest('hex')}`,
    });
    expect(refused.status).toBe(400);
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
