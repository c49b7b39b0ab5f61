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

export function isUnrecoverable(error: unknown): boolean {
  return (
    error instanceof UnrecoverableError || (error instanceof Error && error.name === 'UnrecoverableError')
  );
}
