import type { ConnectionOptions } from 'bullmq';

/** BullMQ connection options from a `redis://` or `rediss://` URL. */
export function redisConnection(url: string): ConnectionOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    // Workers block on Redis; BullMQ requires this to be null so that a Redis restart is waited out.
    maxRetriesPerRequest: null,
  };
}
