import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Local HTTP peers that answer as Slack and Microsoft Teams do, for the subset of their documented
 * APIs LoveBoard uses, and check what they are sent: the shape of Block Kit messages and Adaptive
 * Cards, the bot token. Each can be told to fail its next requests, so that retries are seen.
 */
export interface Peer {
  url: string;
  close(): Promise<void>;
}

async function listen(handler: (request: IncomingMessage, body: string, response: ServerResponse) => void) {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handler(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const BLOCK_TYPES = new Set(['header', 'section', 'context', 'actions', 'divider']);

/** What Slack checks of Block Kit (https://api.slack.com/reference/block-kit): a few of its limits. */
export function blockKitProblems(body: { text?: unknown; blocks?: unknown }): string[] {
  const problems: string[] = [];
  if (typeof body.text !== 'string' || body.text.length === 0) problems.push('no text fallback');
  if (!Array.isArray(body.blocks)) return [...problems, 'no blocks'];
  if (body.blocks.length > 50) problems.push('more than 50 blocks');
  for (const block of body.blocks as Record<string, unknown>[]) {
    if (!BLOCK_TYPES.has(String(block.type))) problems.push(`unknown block ${String(block.type)}`);
    const text = block.text as { type?: string; text?: string } | undefined;
    if (block.type === 'header' && (text?.type !== 'plain_text' || (text.text ?? '').length > 150))
      problems.push('a header is plain_text of 150 characters at most');
    if (block.type === 'section' && (!text || (text.text ?? '').length > 3000))
      problems.push('a section has a text of 3,000 characters at most');
    if (block.type === 'actions')
      for (const element of block.elements as { type: string; url?: string }[])
        if (element.type === 'button' && !/^https?:\/\//.test(element.url ?? ''))
          problems.push('a button needs an http(s) url');
  }
  return problems;
}

const CARD_ELEMENTS = new Set(['TextBlock', 'RichTextBlock', 'FactSet', 'Container', 'ColumnSet', 'Image']);

/** What Teams checks of a message with an Adaptive Card (schema 1.x, known elements, OpenUrl actions). */
export function adaptiveCardProblems(body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (body.type !== 'message') problems.push('type must be message');
  const [attachment] = (body.attachments as Record<string, unknown>[] | undefined) ?? [];
  if (attachment?.contentType !== 'application/vnd.microsoft.card.adaptive')
    return [...problems, 'no Adaptive Card attachment'];
  const card = attachment.content as Record<string, unknown>;
  if (card.type !== 'AdaptiveCard' || !/^1\.\d$/.test(String(card.version)))
    problems.push('not an Adaptive Card 1.x');
  for (const element of (card.body as Record<string, unknown>[]) ?? []) {
    if (!CARD_ELEMENTS.has(String(element.type))) problems.push(`unknown element ${String(element.type)}`);
    if (element.type === 'RichTextBlock')
      for (const inline of element.inlines as Record<string, unknown>[])
        if (inline.type !== 'TextRun' || typeof inline.text !== 'string')
          problems.push('an inline is a TextRun with text');
  }
  for (const action of (card.actions as Record<string, unknown>[]) ?? [])
    if (action.type !== 'Action.OpenUrl' || !/^https?:\/\//.test(String(action.url)))
      problems.push('an action opens an http(s) url');
  return problems;
}

/** A Slack incoming webhook: answers "ok", or the failures it was told to give. */
export async function startSlackWebhook(): Promise<
  Peer & {
    received: { text: string; blocks: Record<string, unknown>[] }[];
    failNext(n: number, status?: number): void;
  }
> {
  const received: { text: string; blocks: Record<string, unknown>[] }[] = [];
  let failures = 0;
  let failStatus = 500;
  const peer = await listen((request, raw, response) => {
    if (request.method !== 'POST' || request.headers['content-type'] !== 'application/json') {
      response.writeHead(400).end('invalid_payload');
      return;
    }
    if (failures > 0) {
      failures--;
      response.writeHead(failStatus).end(failStatus === 404 ? 'no_service' : 'internal_error');
      return;
    }
    let body: { text: string; blocks: Record<string, unknown>[] };
    try {
      body = JSON.parse(raw);
    } catch {
      response.writeHead(400).end('invalid_payload');
      return;
    }
    if (blockKitProblems(body).length > 0) {
      response.writeHead(400).end(`invalid_blocks: ${blockKitProblems(body).join('; ')}`);
      return;
    }
    received.push(body);
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  return { ...peer, received, failNext: (n, status = 500) => ((failures = n), (failStatus = status)) };
}

interface PostedMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: Record<string, unknown>[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

/**
 * The Slack Web API methods the bot uses: chat.postMessage and conversations.history (form or
 * JSON bodies as @slack/web-api sends them, `Authorization: Bearer <token>`), answering `{ok}`
 * with Slack's error codes. `loseNextAnswers` posts the message and then answers 500: the answer
 * lost on the way, which a client must not turn into a second message.
 */
export async function startSlackApi(
  token: string,
): Promise<Peer & { posted: PostedMessage[]; loseNextAnswers(n: number): void; calls: string[] }> {
  const posted: PostedMessage[] = [];
  const calls: string[] = [];
  let lose = 0;
  let clock = 1_800_000_000;
  const peer = await listen((request, raw, response) => {
    const method = (request.url ?? '').replace(/^\/api\//, '').split('?')[0];
    calls.push(method);
    const answer = (body: Record<string, unknown>, status = 200) =>
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (request.headers.authorization !== `Bearer ${token}`)
      return answer({ ok: false, error: 'invalid_auth' });
    const type = String(request.headers['content-type'] ?? '');
    let args: Record<string, unknown>;
    if (type.startsWith('application/json')) args = JSON.parse(raw || '{}');
    else {
      args = Object.fromEntries(new URLSearchParams(raw));
      for (const key of ['blocks', 'metadata'])
        if (typeof args[key] === 'string') args[key] = JSON.parse(args[key]);
    }
    if (method === 'chat.postMessage') {
      if (typeof args.channel !== 'string' || !/^C[A-Z0-9]+$/.test(args.channel))
        return answer({ ok: false, error: 'channel_not_found' });
      const problems = blockKitProblems(args);
      if (problems.length > 0) return answer({ ok: false, error: 'invalid_blocks', errors: problems });
      const message: PostedMessage = {
        channel: args.channel,
        ts: `${clock++}.000100`,
        text: args.text as string,
        blocks: args.blocks as Record<string, unknown>[],
        metadata: args.metadata as PostedMessage['metadata'],
      };
      posted.push(message);
      if (lose > 0) {
        lose--;
        return answer({ ok: false, error: 'internal_error' }, 500);
      }
      return answer({ ok: true, channel: message.channel, ts: message.ts, message });
    }
    if (method === 'conversations.history') {
      const oldest = Number(args.oldest ?? 0);
      const messages = posted
        .filter((one) => one.channel === args.channel && Number(one.ts) >= oldest)
        .map((one) => ({
          type: 'message',
          ts: one.ts,
          text: one.text,
          ...(args.include_all_metadata === true || args.include_all_metadata === 'true'
            ? { metadata: one.metadata }
            : {}),
        }))
        .reverse();
      return answer({ ok: true, messages, has_more: false });
    }
    return answer({ ok: false, error: 'unknown_method' });
  });
  return { ...peer, posted, calls, loseNextAnswers: (n) => (lose = n) };
}

/** A Teams incoming webhook (Workflows): 202 for a valid card, 400 otherwise, or 429 when told. */
export async function startTeamsWebhook(): Promise<
  Peer & { received: Record<string, unknown>[]; throttleNext(n: number): void }
> {
  const received: Record<string, unknown>[] = [];
  let throttled = 0;
  const peer = await listen((request, raw, response) => {
    if (throttled > 0) {
      throttled--;
      response.writeHead(429, { 'retry-after': '1' }).end('Too Many Requests');
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw);
    } catch {
      response.writeHead(400).end('Bad payload');
      return;
    }
    const problems = adaptiveCardProblems(body);
    if (problems.length > 0) {
      response.writeHead(400).end(problems.join('; '));
      return;
    }
    received.push(body);
    response.writeHead(202).end();
  });
  return { ...peer, received, throttleNext: (n) => (throttled = n) };
}

/** Every text of an Adaptive Card, in order (TextBlocks and TextRuns). */
export function cardTexts(body: Record<string, unknown>): string[] {
  const card = ((body.attachments as Record<string, unknown>[])[0].content ?? {}) as Record<string, unknown>;
  const texts: string[] = [];
  for (const element of card.body as Record<string, unknown>[]) {
    if (element.type === 'TextBlock') texts.push(String(element.text));
    if (element.type === 'RichTextBlock')
      texts.push((element.inlines as { text: string }[]).map((inline) => inline.text).join(''));
  }
  for (const action of (card.actions as { title: string; url: string }[]) ?? [])
    texts.push(`${action.title} ${action.url}`);
  return texts;
}
