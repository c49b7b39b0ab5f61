import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { SecretBox } from '@app/config';
import {
  IdentityLinkRepository,
  IrritantRepository,
  Source,
  SourceKind,
  SourceRepository,
} from '@app/database';
import { AuthorKeys } from '@app/ingest';

export interface SourceInput {
  name: string;
  kind: SourceKind;
  settings?: Record<string, unknown>;
  /** Tokens, passwords, signing secrets: sealed before they are stored, never returned. */
  secrets?: Record<string, string>;
  pollEverySeconds?: number;
  enabled?: boolean;
}

export interface SourceHealth {
  lastSuccessAt: Date | null;
  lastErrorAt: Date | null;
  lastError: string | null;
  /** Seconds since the newest verbatim it brought (null: none yet). */
  lagSeconds: number | null;
  itemsLast24h: number;
  consecutiveFailures: number;
  backoffUntil: Date | null;
}

/** Configured sources (admin), their secrets sealed, their health; and identity links. */
@Injectable()
export class SourcesService {
  constructor(
    private readonly sources: SourceRepository,
    private readonly secrets: SecretBox,
    private readonly links: IdentityLinkRepository,
    private readonly irritants: IrritantRepository,
    private readonly authorKeys: AuthorKeys,
  ) {}

  async create(input: SourceInput): Promise<Source> {
    if (await this.sources.findByName(input.name))
      throw new ConflictException(`a source named ${input.name} exists`);
    return this.sources.create({
      name: input.name,
      kind: input.kind,
      settings: input.settings ?? {},
      secretsSealed: input.secrets ? this.secrets.seal(JSON.stringify(input.secrets)) : null,
      pollEverySeconds: input.pollEverySeconds ?? 300,
      enabled: input.enabled ?? true,
    });
  }

  async update(id: string, change: Partial<Omit<SourceInput, 'name' | 'kind'>>): Promise<Source> {
    const source = await this.get(id);
    await this.sources.update(id, {
      ...(change.settings !== undefined ? { settings: change.settings } : {}),
      ...(change.secrets !== undefined
        ? { secretsSealed: this.secrets.seal(JSON.stringify(change.secrets)) }
        : {}),
      ...(change.pollEverySeconds !== undefined ? { pollEverySeconds: change.pollEverySeconds } : {}),
      // Switching a source back on gives it a fresh start.
      ...(change.enabled !== undefined
        ? {
            enabled: change.enabled,
            ...(change.enabled && !source.enabled ? { backoffUntil: null, consecutiveFailures: 0 } : {}),
          }
        : {}),
    });
    return this.get(id);
  }

  list(): Promise<Source[]> {
    return this.sources.list();
  }

  async get(id: string): Promise<Source> {
    const source = await this.sources.findById(id);
    if (!source) throw new NotFoundException(`source ${id} does not exist`);
    return source;
  }

  /** The secrets of a source, opened: for the webhook receivers that verify signatures. */
  secretsOf(source: Source): Record<string, string> {
    return source.secretsSealed
      ? (JSON.parse(this.secrets.open(source.secretsSealed)) as Record<string, string>)
      : {};
  }

  async health(id: string, now = new Date()): Promise<SourceHealth> {
    const source = await this.get(id);
    const activity = await this.sources.activity(id, now);
    return {
      lastSuccessAt: source.lastSuccessAt,
      lastErrorAt: source.lastErrorAt,
      lastError: source.lastError,
      lagSeconds: activity.newestAt
        ? Math.max(0, Math.round((now.getTime() - activity.newestAt.getTime()) / 1000))
        : null,
      itemsLast24h: activity.last24h,
      consecutiveFailures: source.consecutiveFailures,
      backoffUntil: source.backoffUntil,
    };
  }

  /**
   * "These are one customer": `identity` counts as `sameAs` from now on, verbatims already stored
   * included, and the irritants they are in are recounted.
   */
  async link(identity: string, sameAs: string, actor: string): Promise<{ recounted: number }> {
    const from = this.authorKeys.of(identity);
    const to = this.authorKeys.of(sameAs);
    if (from === to) throw new BadRequestException('an identity is already itself');
    const irritants = await this.links.link(from, to, actor);
    await this.irritants.recountNow(irritants);
    return { recounted: irritants.length };
  }
}
