import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { LRUCache } from 'lru-cache';
import { APP_CONFIG, AppConfig } from '@app/config';

const FAILURE_WINDOW_MS = 60_000;

/**
 * Failed authentications per address (wrong API keys, wrong passwords): past
 * AUTH_FAILURES_PER_MINUTE the address is refused (429) for the rest of the minute, whatever it
 * presents. Guessing costs a minute per AUTH_FAILURES_PER_MINUTE tries. Per process, in memory.
 */
@Injectable()
export class FailureLimiter {
  private readonly failures = new LRUCache<string, { count: number; until: number }>({ max: 100_000 });

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Throws a 429 with Retry-After when the address has failed too often this minute. */
  check(address: string, response: Response, now = Date.now()): void {
    const failed = this.failures.get(address);
    if (failed && failed.until > now && failed.count >= this.config.authFailuresPerMinute) {
      response.setHeader('Retry-After', String(Math.ceil((failed.until - now) / 1000)));
      throw new HttpException(
        'too many failed authentications from this address: try again later',
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }

  fail(address: string, now = Date.now()): void {
    const failed = this.failures.get(address);
    const current = failed && failed.until > now ? failed : { count: 0, until: now + FAILURE_WINDOW_MS };
    this.failures.set(address, { count: current.count + 1, until: current.until });
  }
}
