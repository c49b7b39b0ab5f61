import type { INestApplicationContext } from '@nestjs/common';

/**
 * SIGTERM/SIGINT: stop taking requests, let jobs in hand finish (the queues wait for them), close
 * the pool and the embedded database, then exit 0. Nest's own shutdown hooks would re-raise the
 * signal instead, which reads as a crash to a supervisor.
 */
export function closeOnSignals(app: INestApplicationContext): void {
  let closing = false;
  const close = () => {
    if (closing) return;
    closing = true;
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
}
