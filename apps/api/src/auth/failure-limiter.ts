import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { LRUCache } from 'lru-cache';
import { APP_CONFIG, AppConfig } from '@app/config';

const FAILURE_WINDOW_MS = 60_000;

interface Window {
  count: number;
  until: number;
}

/**
 * Failed authentications (wrong API keys, wrong passwords), counted per address and per address and
 * credential (the key's id, the e-mail address). The address is the client's as Express sees it:
 * the socket's peer, or with TRUST_PROXY the client named by the trusted proxies' X-Forwarded-For.
 *
 * - A wrong credential from an address past AUTH_FAILURES_PER_MINUTE failures this minute is
 *   answered 429 (with Retry-After) instead of 401: guessing costs a minute per that many tries.
 * - A right credential is never refused for what others did from the same address: everyone behind
 *   one proxy (or one NAT) shares an address, and one person's typos or a scanner must not lock the
 *   others out. API keys carry 256 random bits: checking one is cheap and guessing one hopeless.
 * - A password is the guessable credential: once an e-mail address has failed that many times from
 *   one address, that pair is refused before its password is checked (`checkCredential`). The same
 *   person from elsewhere, and everyone else from that address, are not.
 *
 * Per process, in memory: N API processes allow N times the limit.
 */
@Injectable()
export class FailureLimiter {
  private readonly byAddress = new LRUCache<string, Window>({ max: 100_000 });
  private readonly byCredential = new LRUCache<string, Window>({ max: 100_000 });

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /**
   * Before a guessable credential is checked: a 429 when it has failed too often from this address
   * this minute.
   */
  checkCredential(address: string, credential: string, response: Response, now = Date.now()): void {
    this.refuseIfOver(this.byCredential.get(pairOf(address, credential)), response, now);
  }

  /**
   * A credential was wrong: counted, then a 429 when the address or this credential from it had
   * already failed too often this minute; else the caller answers its own 401.
   */
  failed(address: string, credential: string, response: Response, now = Date.now()): void {
    const previous = [
      this.count(this.byAddress, address, now),
      this.count(this.byCredential, pairOf(address, credential), now),
    ];
    for (const window of previous) this.refuseIfOver(window, response, now);
  }

  /** Counts one failure; returns the window as it was before it (what the caller is judged on). */
  private count(cache: LRUCache<string, Window>, key: string, now: number): Window | undefined {
    const before = cache.get(key);
    const current = before && before.until > now ? before : { count: 0, until: now + FAILURE_WINDOW_MS };
    cache.set(key, { count: current.count + 1, until: current.until });
    return before && before.until > now ? before : undefined;
  }

  private refuseIfOver(window: Window | undefined, response: Response, now: number): void {
    if (!window || window.until <= now || window.count < this.config.authFailuresPerMinute) return;
    response.setHeader('Retry-After', String(Math.max(1, Math.ceil((window.until - now) / 1000))));
    throw new HttpException(
      'too many failed authentications from this address: try again later',
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

const pairOf = (address: string, credential: string) => `${address}\n${credential}`;
