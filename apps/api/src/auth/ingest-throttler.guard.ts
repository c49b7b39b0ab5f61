import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { AuthenticatedRequest } from './api-key.guard';

/**
 * Ingestion floods are counted per API key (or person) (the authentication guard has run: the principal is
 * known), not per address: many senders may share a proxy, one key may be spread over many hosts.
 */
@Injectable()
export class IngestThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const principal = (request as unknown as AuthenticatedRequest).principal;
    return Promise.resolve(principal ? `${principal.kind}:${principal.id}` : `ip:${String(request.ip)}`);
  }
}
