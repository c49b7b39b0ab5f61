import { UnrecoverableError } from 'bullmq';

/**
 * Work that can never succeed, whatever the number of retries: a malformed payload, a record that
 * does not exist, an input no parser accepts. It goes straight to the dead-letter table, with the
 * poison input when there is one. Extends BullMQ's own error so that BullMQ stops retrying too.
 */
export class PoisonJobError extends UnrecoverableError {
  constructor(
    message: string,
    readonly input?: unknown,
  ) {
    super(message);
    this.name = 'PoisonJobError';
  }
}

/**
 * The queue backend (Redis) did not take the job in time: down, restarting or unreachable. What the
 * caller stored is safe in the database; the API answers 503 with Retry-After, and the rows wait
 * for a hand-on retry (`OrphanedHandOns`) or the pipeline sweeper.
 */
export class QueueUnavailableError extends Error {
  constructor(reason: string) {
    super(`the job queue is unavailable: ${reason}`);
    this.name = 'QueueUnavailableError';
  }
}

export function isUnrecoverable(error: unknown): boolean {
  return (
    error instanceof UnrecoverableError || (error instanceof Error && error.name === 'UnrecoverableError')
  );
}
