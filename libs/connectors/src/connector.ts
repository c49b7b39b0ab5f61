import type { SourceKind } from '@app/database';
import type { VerbatimInput } from '@app/ingest';

/** A configured source as a connector sees it: its settings, its secrets opened, its cursor. */
export interface SourceContext {
  id: string;
  name: string;
  kind: SourceKind;
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
  cursor: Record<string, unknown> | null;
  /** When the poll started, by the product's Clock: an item without its own date is dated so. */
  now: Date;
}

/** One page of a pull: the verbatims found, where to resume, and whether more is waiting now. */
export interface PullPage {
  items: VerbatimInput[];
  cursor: Record<string, unknown>;
  more: boolean;
  /** Items the source had that are not verbatims (auto-replies, bounces, our own posts), with why. */
  skipped?: { externalId: string; reason: string }[];
  /** Items refused as unusable (too large, malformed), with why: each becomes a dead letter. */
  refused?: { externalId: string | null; reason: string }[];
}

/**
 * A source the product polls (IMAP, Twitter search, RSS, Discourse). `pull` is called again and
 * again with the cursor it returned last (persisted between calls, so a restart resumes where it
 * stopped); it must be safe to call twice with the same cursor (the ingest is idempotent on the
 * source's own ids, so a page fetched twice stores nothing twice).
 */
export interface PullConnector {
  readonly kind: SourceKind;
  /**
   * The setting without which a source of this kind is push-only and never polled (e-mail: its
   * IMAP `host`; a source with only a signing secret receives raw MIME by webhook).
   */
  readonly requiredSetting?: string;
  pull(source: SourceContext, signal: AbortSignal): Promise<PullPage>;
}

/** How a pull failed: for good (bad credentials, a source that does not exist), or for now. */
export class ConnectorError extends Error {
  constructor(
    message: string,
    /** Nothing will change by retrying (credentials, configuration): the source needs a person. */
    readonly permanent = false,
    /** The provider said when to come back (rate limits), in milliseconds from now. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

export const PULL_CONNECTORS = Symbol('PULL_CONNECTORS');
