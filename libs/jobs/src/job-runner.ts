import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { DeadLetterRepository } from '@app/database';
import { ALL_JOB_NAMES, JOB_CATALOGUE, JobName, isJobName } from './catalogue';
import { PoisonJobError, isUnrecoverable } from './errors';
import { JOB_HANDLER } from './job-handler.decorator';

type Handler = (payload: unknown) => Promise<unknown>;

export interface JobContext {
  jobId: string | null;
  /** 1 for the first run. */
  attempt: number;
  maxAttempts: number;
}

/**
 * Finds the `@JobHandler` of every job and runs it: the one entry point of both queue backends
 * (BullMQ workers and the in-process queue), so a stage never knows which one called it. A job
 * that fails for good (poison, or out of retries) is written to the dead-letter table here.
 */
@Injectable()
export class JobRunner implements OnModuleInit {
  private readonly logger = new Logger(JobRunner.name);
  private readonly handlers = new Map<JobName, Handler>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly deadLetters: DeadLetterRepository,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (!prototype) continue;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = (instance as Record<string, unknown>)[method];
        if (typeof fn !== 'function') continue;
        const name = this.reflector.get<JobName | undefined>(JOB_HANDLER, fn as Handler);
        if (!name) continue;
        if (this.handlers.has(name))
          throw new Error(`job ${name} has two handlers; it must have exactly one`);
        this.handlers.set(name, (payload) => (fn as Handler).call(instance, payload));
      }
    }
  }

  /** A process that consumes jobs must be able to run every one of them. */
  assertEveryJobHasAHandler(): void {
    const missing = ALL_JOB_NAMES.filter((name) => !this.handlers.has(name));
    if (missing.length > 0) throw new Error(`jobs without a handler: ${missing.join(', ')}`);
  }

  async run(name: string, payload: unknown, context: JobContext): Promise<void> {
    try {
      if (!isJobName(name)) throw new PoisonJobError(`unknown job ${JSON.stringify(name).slice(0, 80)}`);
      const handler = this.handlers.get(name);
      if (!handler) throw new Error(`no handler for job ${name} in this process`);
      if (!JOB_CATALOGUE[name].isValid(payload))
        throw new PoisonJobError(`malformed payload for job ${name}`);
      await handler(payload);
    } catch (error) {
      const final = isUnrecoverable(error) || context.attempt >= context.maxAttempts;
      const cause = error instanceof Error ? error.message : String(error);
      this.logger.warn(
        { job: name, jobId: context.jobId, attempt: context.attempt, final, cause },
        'job failed',
      );
      if (final) await this.deadLetter(name, payload, context, error);
      throw error;
    }
  }

  /** Also used by the BullMQ worker for jobs that died with their process too many times (stalled). */
  async deadLetter(name: string, payload: unknown, context: JobContext, error: unknown): Promise<void> {
    await this.deadLetters.record({
      jobName: name.slice(0, 64),
      jobId: context.jobId,
      payload:
        typeof payload === 'object' && payload !== null
          ? (payload as Record<string, unknown>)
          : { value: payload },
      input: error instanceof PoisonJobError ? error.input : undefined,
      cause: error instanceof Error ? error.message : String(error),
      attempts: context.attempt,
    });
  }
}
