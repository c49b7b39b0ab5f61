import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { closeOnSignals, loadConfigOrExit } from '@app/config';
import { JobQueue, JobRunner, scheduleRecurringJobs } from '@app/jobs';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  if (config.redisUrl === null) {
    process.stderr.write(
      'Invalid configuration: REDIS_URL: expected a redis:// URL (without it the API runs the jobs itself)\n',
    );
    process.exit(78);
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  closeOnSignals(app);
  app.get(JobRunner).assertEveryJobHasAHandler();
  // Idempotent (BullMQ job schedulers): whichever process starts first sets them, each fires once per period.
  await scheduleRecurringJobs(app.get(JobQueue), config);
  // A start banner on stdout whatever the log level, as the API prints one: operators and tests wait on it.
  process.stdout.write(
    `LoveBoard worker ${process.pid} consuming (${config.jobConcurrency} jobs at once per queue)\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Worker cannot start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
