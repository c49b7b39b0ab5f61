import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { QueueUnavailableError } from '@app/jobs';
import { BEARER_CHALLENGE } from '../auth/credentials';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** Per-item reasons of a rejected batch. */
  details?: unknown;
  /** Quote it to the operators: the log line with the stack carries the same id. */
  errorId?: string;
}

/** How long a request waits for Redis to take its jobs before it answers 503 (ms). */
export const ENQUEUE_TIMEOUT_MS = 1_500;

/**
 * What a 503 tells the caller to wait before replaying (s): the hand-on retry of what was stored
 * runs every few seconds, and a replay of the same verbatims creates nothing twice.
 */
export const QUEUE_RETRY_AFTER_S = 10;

/** One stable error body for every failure; a 500 says nothing of the internals, only an id to look up. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    let body: ErrorBody;
    if (exception instanceof QueueUnavailableError) {
      // Stored but not handed on: nothing is lost (the rows wait for the hand-on retry and the
      // sweeper), and the caller is told when to come back.
      response.setHeader('Retry-After', String(QUEUE_RETRY_AFTER_S));
      body = {
        statusCode: 503,
        error: 'Service Unavailable',
        message: `the job queue (Redis) is unavailable: anything stored is kept and processed once it is back; retry after ${QUEUE_RETRY_AFTER_S} s`,
      };
    } else if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      const fields =
        typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : { message: raw };
      const message = Array.isArray(fields.message)
        ? fields.message.join('; ')
        : typeof fields.message === 'string'
          ? fields.message
          : exception.message;
      body = {
        statusCode: status,
        error: typeof fields.error === 'string' ? fields.error : (HttpStatus[status] ?? 'Error'),
        message,
        ...(fields.details !== undefined ? { details: fields.details } : {}),
      };
      // A Bearer challenge, never Basic: a browser would prompt for Basic and then replay it to
      // every route with no CSRF token (only /api/docs and /admin/queues challenge Basic).
      if (status === 401) response.setHeader('WWW-Authenticate', BEARER_CHALLENGE);
    } else if (databaseUnavailable(exception)) {
      // Not a bug, a moment: the caller may try again, and says so to its user.
      this.logger.warn({ cause: (exception as Error).message }, 'database not answering');
      response.setHeader('Retry-After', '5');
      body = {
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'the database is not answering at the moment; try again in a few seconds',
      };
    } else {
      const errorId = randomUUID();
      this.logger.error({ errorId, err: exception }, 'unhandled error');
      body = { statusCode: 500, error: 'Internal Server Error', message: 'unexpected error', errorId };
    }
    if (!response.headersSent) response.status(body.statusCode).json(body);
  }
}

/** PostgreSQL codes of a server that cannot take the request now (too many clients, starting up, shutting down). */
const UNAVAILABLE_CODES = new Set([
  '53300',
  '57P01',
  '57P02',
  '57P03',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
]);

/** The database could not be reached or refused the connection: a passing outage, not a fault of the request. */
function databaseUnavailable(exception: unknown): boolean {
  if (!(exception instanceof Error)) return false;
  const code = (exception as Error & { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  // pg-pool's own errors carry no code, only these words.
  return /^(timeout exceeded when trying to connect|Connection terminated due to connection timeout|Connection terminated unexpectedly)$/.test(
    exception.message,
  );
}
