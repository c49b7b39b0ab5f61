/**
 * What customers say during the soak: synthetic French and English verbatims, chat transcripts,
 * and forum posts in an RSS feed that the product's forum connector polls.
 */
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { EN, FR } from '../customer-texts';

const CHANNELS = ['email', 'chat', 'twitter', 'facebook', 'phone', 'survey'];

export function customerText(i: number): { text: string; lang: 'fr' | 'en' } {
  const french = i % 3 !== 0;
  const templates = french ? FR : EN;
  return {
    text: `${templates[i % templates.length].replace('{n}', String(100_000 + i))} (#${i})`,
    lang: french ? 'fr' : 'en',
  };
}

export const customer = (i: number) => `customer-${i % 5_000}@example.com`;

/** One item of `POST /api/v1/verbatims`. */
export function apiVerbatim(source: string, i: number) {
  return {
    source,
    externalId: `api-${i}`,
    author: customer(i),
    channel: CHANNELS[i % CHANNELS.length],
    receivedAt: new Date().toISOString(),
    ...customerText(i),
  };
}

/** One conversation as a chat platform posts it to `POST /api/v1/webhooks/chat/:sourceId`. */
export function chatTranscript(i: number) {
  const at = Date.now();
  const { text } = customerText(i);
  return {
    conversationId: `chat-${i}`,
    customer: { id: customer(i) },
    turns: [
      {
        role: 'bot',
        text: 'Bonjour, que puis-je faire pour vous ?',
        at: new Date(at - 20_000).toISOString(),
      },
      { role: 'customer', text, at: new Date(at - 10_000).toISOString() },
      { role: 'agent', text: 'Je regarde votre dossier.', at: new Date(at).toISOString() },
    ],
  };
}

const escapeXml = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A forum's RSS feed, growing as customers post. It keeps every post (a short soak adds a few
 * hundred), so what the connector sees depends only on the product, not on the feed's window.
 * A POISON post says nothing (no title, no content): the connector must refuse it as a dead letter
 * naming why. (An undated post is no poison: it is dated when first seen.)
 */
export class FeedPeer {
  readonly ids: string[] = [];
  readonly poisonIds: string[] = [];
  url = '';
  requests = 0;
  private items: string[] = [];
  private lastModified = new Date().toUTCString();
  private server: Server | null = null;

  add(i: number, poison: boolean): string {
    const id = `rss-${i}`;
    // French posts only: the feed says `<language>fr-FR</language>`, and the connector believes it.
    const { text } = customerText(3 * i + 1);
    const date = `<pubDate>${new Date().toUTCString()}</pubDate>`;
    const words = poison
      ? ''
      : `<title>${escapeXml(text.slice(0, 60))}</title><description>${escapeXml(text)}</description>`;
    this.items.unshift(
      `<item><guid isPermaLink="false">${id}</guid>${words}` +
        `<link>https://forum.example.com/t/${i}</link><author>${customer(i)} (Client ${i})</author>` +
        `${date}</item>`,
    );
    (poison ? this.poisonIds : this.ids).push(id);
    this.lastModified = new Date().toUTCString();
    return id;
  }

  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      this.requests++;
      const etag = `"${this.items.length}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag }).end();
        return;
      }
      res.writeHead(200, {
        'content-type': 'application/rss+xml; charset=utf-8',
        etag,
        'last-modified': this.lastModified,
      });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Communauté</title>` +
          `<link>https://forum.example.com</link><description>Forum</description><language>fr-FR</language>\n` +
          `${this.items.join('\n')}\n</channel></rss>\n`,
      );
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/feed.rss`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = null;
  }
}
