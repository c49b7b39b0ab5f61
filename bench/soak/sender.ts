/**
 * A real client of the product: verbatims at a steady rate through the ingest API (batches, with an
 * API key) and chat transcripts through the signed chat webhook. It records every id it sends,
 * and retries a failed or timed-out request with the very same ids until the product accepts it,
 * as an at-least-once client must; the product's idempotent ingest turns that into exactly once.
 */
import { createHmac } from 'node:crypto';
import { apiVerbatim, chatTranscript } from './traffic';
import { sleep } from './services';

/** Largest batch one request carries (the API takes up to 1,000). */
const MAX_BATCH = 500;
/** Requests of each kind in flight at once. */
const CONCURRENCY = 4;
/** Batches leave this often: a steady request rate well under INGEST_REQUESTS_PER_MINUTE. */
const BATCH_EVERY_MS = 250;
const REQUEST_TIMEOUT_MS = 15_000;

export interface SenderOptions {
  apiUrl: string;
  apiKey: string;
  apiSource: string;
  chatSourceId: string;
  chatSecret: string;
  /** Verbatims per second, both paths together. */
  rate: number;
  /** One verbatim in `chatEvery` goes through the chat webhook. */
  chatEvery: number;
}

export interface SenderStats {
  requests: number;
  accepted: number;
  retried: number;
  /** Why requests were retried: HTTP status or `timeout` / `network`. */
  failures: Record<string, number>;
  /** Requests refused for good (a 4xx other than 408/429): each loses its ids, so the soak fails. */
  refused: string[];
  /** Milliseconds of the accepted requests (the attempt that succeeded). */
  durationsMs: number[];
  /**
   * Milliseconds of the requests answered 503, by the store that was away (`redis` when the answer
   * names Redis, else `database`): how long a client waits to be told to come back. The slowest
   * Redis one is the soak's "ingest during a Redis outage" figure.
   */
  unavailableMs: { redis: number[]; database: number[] };
}

/** p50, p95 and max of the accepted requests' durations. */
export function latencies(stats: SenderStats): { p50: number; p95: number; max: number } {
  const sorted = [...stats.durationsMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? 0 };
}

export class Sender {
  /** Every id sent at least once, per source name. */
  readonly sent = new Map<string, string[]>();
  readonly stats: SenderStats = {
    requests: 0,
    accepted: 0,
    retried: 0,
    failures: {},
    refused: [],
    durationsMs: [],
    unavailableMs: { redis: [], database: [] },
  };
  private generated = 0;
  private readonly apiQueue: number[] = [];
  private readonly chatQueue: number[] = [];
  private apiInFlight = 0;
  private chatInFlight = 0;
  private startedAt = 0;
  private generating = false;
  private abandoned = false;
  private loop: Promise<void> | null = null;
  /** Start time of the latest request the product accepted (the API answers again after a fault). */
  lastAcceptedStart = 0;

  constructor(
    private readonly options: SenderOptions,
    readonly chatSource: string,
  ) {
    this.sent.set(options.apiSource, []);
    this.sent.set(chatSource, []);
  }

  get pending(): number {
    return this.apiQueue.length + this.chatQueue.length + this.apiInFlight + this.chatInFlight;
  }

  get total(): number {
    return this.generated;
  }

  start(): void {
    this.startedAt = Date.now();
    this.generating = true;
    this.loop = this.run();
  }

  /** No new verbatims; what is queued or in flight is still delivered. */
  stopGenerating(): void {
    this.generating = false;
  }

  /** Waits until everything sent was accepted, or gives up at the deadline (those ids count as lost). */
  async finish(deadline: number): Promise<boolean> {
    this.stopGenerating();
    while (this.pending > 0 && Date.now() < deadline) await sleep(200);
    const delivered = this.pending === 0;
    this.abandoned = true;
    await this.loop;
    return delivered;
  }

  private async run(): Promise<void> {
    while (!this.abandoned && (this.generating || this.pending > 0)) {
      if (this.generating) {
        const due = Math.floor((this.options.rate * (Date.now() - this.startedAt)) / 1000);
        for (; this.generated < due; this.generated++) {
          const i = this.generated;
          if (i % this.options.chatEvery === this.options.chatEvery - 1) this.chatQueue.push(i);
          else this.apiQueue.push(i);
        }
      }
      while (this.apiQueue.length > 0 && this.apiInFlight < CONCURRENCY) {
        const batch = this.apiQueue.splice(0, MAX_BATCH);
        this.apiInFlight++;
        void this.sendBatch(batch).finally(() => this.apiInFlight--);
      }
      while (this.chatQueue.length > 0 && this.chatInFlight < CONCURRENCY) {
        const i = this.chatQueue.shift() as number;
        this.chatInFlight++;
        void this.sendConversation(i).finally(() => this.chatInFlight--);
      }
      await sleep(BATCH_EVERY_MS);
    }
  }

  private async sendBatch(indexes: number[]): Promise<void> {
    const items = indexes.map((i) => apiVerbatim(this.options.apiSource, i));
    this.sent.get(this.options.apiSource)?.push(...items.map((item) => item.externalId));
    // The same body on every attempt: a retried batch is the same batch.
    const body = JSON.stringify(items);
    await this.deliver(`batch of ${items.length}`, () =>
      fetch(`${this.options.apiUrl}/api/v1/verbatims`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.apiKey}`, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      }),
    );
  }

  private async sendConversation(i: number): Promise<void> {
    const transcript = chatTranscript(i);
    this.sent.get(this.chatSource)?.push(transcript.conversationId);
    const body = JSON.stringify(transcript);
    await this.deliver(`conversation ${transcript.conversationId}`, () => {
      // Signed afresh on each attempt: the timestamp must be within five minutes of the product's clock.
      const timestamp = Math.floor(Date.now() / 1000);
      const signature = createHmac('sha256', this.options.chatSecret)
        .update(`${timestamp}.${body}`)
        .digest('hex');
      return fetch(`${this.options.apiUrl}/api/v1/webhooks/chat/${this.options.chatSourceId}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-loveboard-timestamp': String(timestamp),
          'x-loveboard-signature': `sha256=${signature}`,
        },
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    });
  }

  /** Sends until accepted: 5xx, 408, 429, timeouts and refused connections are retried. */
  private async deliver(what: string, send: () => Promise<Response>): Promise<void> {
    for (let attempt = 1; !this.abandoned; attempt++) {
      if (attempt > 1) this.stats.retried++;
      this.stats.requests++;
      const started = Date.now();
      let wait = Math.min(5_000, 250 * 2 ** Math.min(attempt - 1, 5)) * (0.5 + Math.random() / 2);
      try {
        const response = await send();
        const text = await response.text();
        if (response.ok) {
          this.stats.accepted++;
          this.stats.durationsMs.push(Date.now() - started);
          this.lastAcceptedStart = Math.max(this.lastAcceptedStart, started);
          return;
        }
        this.count(String(response.status));
        if (response.status === 503)
          this.stats.unavailableMs[/Redis/.test(text) ? 'redis' : 'database'].push(Date.now() - started);
        if (response.status === 429) wait = Number(response.headers.get('retry-after') ?? '1') * 1000;
        else if (response.status < 500 && response.status !== 408) {
          this.stats.refused.push(`${what}: ${response.status} ${text.slice(0, 300)}`);
          return;
        }
      } catch (error) {
        this.count(error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'network');
      }
      await sleep(wait);
    }
  }

  private count(reason: string): void {
    this.stats.failures[reason] = (this.stats.failures[reason] ?? 0) + 1;
  }
}
