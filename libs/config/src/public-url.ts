import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from './env';
import { listeningUrl } from './env';

export const APP_CONFIG_TOKEN = Symbol.for('loveboard.APP_CONFIG');

/**
 * The address people open the product at, for the links it sends (the digest): PUBLIC_URL when
 * set; else where this process's API listens, its real port included (PORT=0 picks one); else
 * HOST and PORT as configured (a worker, which does not listen, shares the API's variables).
 */
@Injectable()
export class PublicUrl {
  private listening: string | null = null;

  constructor(@Inject(APP_CONFIG_TOKEN) private readonly config: AppConfig) {}

  get(): string {
    return this.config.publicUrlSet ? this.config.publicUrl : (this.listening ?? this.config.publicUrl);
  }

  /** Called once the HTTP server listens, with the address it got. */
  listeningOn(address: { address: string; port: number } | string | null): void {
    if (address === null || typeof address === 'string') return;
    this.listening = listeningUrl(this.config.host, address.port);
  }
}
