import { createHash } from 'node:crypto';

/**
 * The one catalogue of background work: each job name, the queue it runs on, the shape of its
 * payload (ids only: the handler reloads what it needs, so Redis never holds customer text), its
 * deterministic id and its retry policy.
 */
export enum JobName {
  /** Cut from an import file: validate and store its rows as verbatims. */
  ImportChunk = 'import.chunk',
  /** Redact and normalise freshly stored verbatims, moving them from `received` to `ingested`. */
  IngestVerbatims = 'verbatim.ingest',
  /** Language, category, sentiment, intent and terminal of ingested verbatims. */
  AnalyzeVerbatims = 'verbatim.analyze',
  /** Attach analysed verbatims to the irritant of their category they resemble most, or a new one. */
  ClusterVerbatims = 'verbatim.cluster',
  /** Re-enqueue work whose job was lost (a Redis restart, a crash between commit and enqueue). */
  SweepPipeline = 'pipeline.sweep',
  /** Recompute the titles of irritants whose verbatims changed (batched, debounced by size). */
  RetitleIrritants = 'irritants.retitle',
  /** Retrain the classifier (and refit the join threshold) when the triage team taught it something. */
  RetrainModel = 'model.retrain',
  /** Recompute the live board of the current week. */
  RefreshBoard = 'board.refresh',
  /** Freeze every board whose freeze time has come (the Monday after its week), once per week. */
  FreezeBoards = 'board.freeze',
  /** POST one event to one outgoing webhook, signed; retried with backoff. */
  DeliverWebhook = 'webhook.deliver',
  /** Re-enqueue webhook deliveries whose job was lost. */
  SweepWebhooks = 'webhook.sweep',
  /** Enqueue a poll for every pull source that is due (once across the installation). */
  TickSources = 'sources.tick',
  /** Pull one source from its cursor, store what it brought, move the cursor on. */
  PollSource = 'source.poll',
  /** Send last week's Monday digest to whoever has not had it, once its time has come. */
  SendDigests = 'digest.send',
  /** Enqueue a run of every monitor that is due (once across the installation). */
  TickMonitors = 'monitors.tick',
  /** Replay one synthetic journey, step by step. */
  RunMonitor = 'monitor.run',
  /** Replace raw text older than RAW_TEXT_RETENTION_DAYS by its redacted form. */
  PurgeRawText = 'retention.purge',
  /** Look for irritants whose distinct customers jump above their own baseline (mid-week alerts). */
  ScanAlerts = 'alerts.scan',
  /** Post one message to one Slack or Teams channel; retried with backoff. */
  DeliverChat = 'chat.deliver',
  /** Announce in chat what is due (the Monday summary, overdue tickets, unanswered decisions); re-enqueue lost messages. */
  TickChat = 'chat.tick',
  /** Create a ticket's issue in a tracker, or tell the issue the ticket's new status; retried with backoff. */
  PushTracker = 'tracker.push',
  /** Link new tickets to auto-creating trackers, push what is due, poll trackers that are polled. */
  TickTrackers = 'trackers.tick',
  /**
   * Regroup the recent window's irritants (merge near-duplicates, split incoherent ones) once new
   * verbatims have been clustered and things went quiet (or waited long enough): debounced.
   */
  RegroupIrritants = 'irritants.regroup',
}

export enum QueueName {
  Import = 'import',
  Ingest = 'ingest',
  Analyze = 'analyze',
  Cluster = 'cluster',
  Maintenance = 'maintenance',
  Webhooks = 'webhooks',
  Connectors = 'connectors',
  Monitors = 'monitors',
}

export interface JobPayloads {
  [JobName.ImportChunk]: { chunkId: string };
  [JobName.IngestVerbatims]: { verbatimIds: string[] };
  [JobName.AnalyzeVerbatims]: { verbatimIds: string[] };
  [JobName.ClusterVerbatims]: { verbatimIds: string[] };
  [JobName.SweepPipeline]: Record<string, never>;
  [JobName.RetitleIrritants]: Record<string, never>;
  [JobName.RetrainModel]: Record<string, never>;
  [JobName.RefreshBoard]: Record<string, never>;
  [JobName.FreezeBoards]: Record<string, never>;
  [JobName.DeliverWebhook]: { deliveryId: string };
  [JobName.SweepWebhooks]: Record<string, never>;
  [JobName.TickSources]: Record<string, never>;
  /** `slot`: the tick that asked, so that each due poll is a job of its own (and a replayed tick is not). */
  [JobName.PollSource]: { sourceId: string; slot: number };
  [JobName.SendDigests]: Record<string, never>;
  [JobName.TickMonitors]: Record<string, never>;
  [JobName.RunMonitor]: { monitorId: string; slot: number };
  [JobName.PurgeRawText]: Record<string, never>;
  [JobName.ScanAlerts]: Record<string, never>;
  [JobName.DeliverChat]: { messageId: string };
  [JobName.TickChat]: Record<string, never>;
  [JobName.PushTracker]: { linkId: string };
  [JobName.TickTrackers]: Record<string, never>;
  [JobName.RegroupIrritants]: Record<string, never>;
}

export type JobPayload<N extends JobName> = JobPayloads[N];

export interface RetryPolicy {
  readonly attempts: number;
  /** First delay; each further attempt waits twice as long. */
  readonly backoffMs: number;
}

/** Database hiccups and restarts: retried for about a minute and a half before dead-lettering. */
export const RETRY_TRANSIENT: RetryPolicy = Object.freeze({ attempts: 7, backoffMs: 1_000 });
/** A receiver that is down: retried for about 20 minutes (8 attempts from 5 s), then dead-lettered. */
export const RETRY_WEBHOOK: RetryPolicy = Object.freeze({ attempts: 8, backoffMs: 5_000 });
/** Periodic work: the next run is the retry. */
export const RETRY_NEXT_RUN: RetryPolicy = Object.freeze({ attempts: 1, backoffMs: 0 });

interface JobDefinition<N extends JobName> {
  readonly queue: QueueName;
  readonly retry: RetryPolicy;
  /** Same work, same id: BullMQ (and the in-process queue) then keep one copy of it. */
  readonly jobId: (payload: JobPayload<N>) => string;
  /** Payloads come back from Redis: checked before a handler sees them. */
  readonly isValid: (payload: unknown) => payload is JobPayload<N>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isIdList(payload: unknown): payload is { verbatimIds: string[] } {
  return (
    isObject(payload) &&
    Array.isArray(payload.verbatimIds) &&
    payload.verbatimIds.length > 0 &&
    payload.verbatimIds.length <= MAX_IDS_PER_JOB &&
    payload.verbatimIds.every((id) => typeof id === 'string' && UUID.test(id))
  );
}

/** A digest of many ids keeps job ids short; `-` because BullMQ refuses `:` in custom ids. */
function digest(ids: readonly string[]): string {
  return createHash('sha1')
    .update([...ids].sort().join(','))
    .digest('hex');
}

export const JOB_CATALOGUE: { readonly [N in JobName]: JobDefinition<N> } = {
  [JobName.ImportChunk]: {
    queue: QueueName.Import,
    retry: RETRY_TRANSIENT,
    jobId: (payload) => `import-chunk-${payload.chunkId}`,
    isValid: (payload): payload is JobPayloads[JobName.ImportChunk] =>
      isObject(payload) && typeof payload.chunkId === 'string' && UUID.test(payload.chunkId),
  },
  [JobName.IngestVerbatims]: {
    queue: QueueName.Ingest,
    retry: RETRY_TRANSIENT,
    jobId: (payload) => `ingest-${digest(payload.verbatimIds)}`,
    isValid: (payload): payload is JobPayloads[JobName.IngestVerbatims] => isIdList(payload),
  },
  [JobName.AnalyzeVerbatims]: {
    queue: QueueName.Analyze,
    retry: RETRY_TRANSIENT,
    jobId: (payload) => `analyze-${digest(payload.verbatimIds)}`,
    isValid: (payload): payload is JobPayloads[JobName.AnalyzeVerbatims] => isIdList(payload),
  },
  [JobName.ClusterVerbatims]: {
    queue: QueueName.Cluster,
    retry: RETRY_TRANSIENT,
    jobId: (payload) => `cluster-${digest(payload.verbatimIds)}`,
    isValid: (payload): payload is JobPayloads[JobName.ClusterVerbatims] => isIdList(payload),
  },
  [JobName.SweepPipeline]: {
    queue: QueueName.Maintenance,
    retry: RETRY_NEXT_RUN,
    jobId: () => 'sweep-pipeline',
    isValid: (payload): payload is Record<string, never> => isObject(payload),
  },
  [JobName.RetitleIrritants]: {
    queue: QueueName.Maintenance,
    retry: RETRY_NEXT_RUN,
    jobId: () => 'irritants-retitle',
    isValid: (payload): payload is Record<string, never> => isObject(payload),
  },
  [JobName.RetrainModel]: {
    queue: QueueName.Maintenance,
    retry: RETRY_NEXT_RUN,
    jobId: () => 'retrain-model',
    isValid: (payload): payload is Record<string, never> => isObject(payload),
  },
  [JobName.RefreshBoard]: {
    queue: QueueName.Maintenance,
    retry: RETRY_NEXT_RUN,
    jobId: () => 'board-refresh',
    isValid: (payload): payload is Record<string, never> => isObject(payload),
  },
  [JobName.FreezeBoards]: {
    queue: QueueName.Maintenance,
    retry: RETRY_NEXT_RUN,
    jobId: () => 'board-freeze',
    isValid: (payload): payload is Record<string, never> => isObject(payload),
  },
  [JobName.DeliverWebhook]: {
    queue: QueueName.Webhooks,
    retry: RETRY_WEBHOOK,
    jobId: (payload) => `webhook-${payload.deliveryId}`,
    isValid: (payload): payload is JobPayloads[JobName.DeliverWebhook] =>
      isObject(payload) && typeof payload.deliveryId === 'string' && UUID.test(payload.deliveryId),
  },
  [JobName.SweepWebhooks]: {
    queue: QueueName.Maintenance,
    retry: RETRY_NEXT_RUN,
    jobId: () => 'webhook-sweep',
    isValid: (payload): payload is Record<string, never> => isObject(payload),
  },
  [JobName.TickSources]: {
    queue: QueueName.Maintenance,
    retry: RETRY_NEXT_RUN,
    jobId: () => 'sources-tick',
    isValid: (payload): payload is Record<string, never> => isObject(payload),
  },
  [JobName.PollSource]: {
    queue: QueueName.Connectors,
    // The poller records failures and backs off itself: the next tick is the retry.
    retry: RETRY_NEXT_RUN,
    jobId: (payload) => `poll-${payload.sourceId}-${payload.slot}`,
    isValid: (payload): payload is JobPayloads[JobName.PollSource] =>
      isObject(payload) &&
      typeof payload.sourceId === 'string' &&
      UUID.test(payload.sourceId) &&
      Number.isSafeInteger(payload.slot),
  },
  [JobName.SendDigests]: {
    queue: QueueName.Maintenance,
    retry: RETRY_NEXT_RUN,
    jobId: () => 'digest-send',
    isValid: (payload): payload is Record<string, never> => isObject(payload),
  },
  [JobName.TickMonitors]: {
    queue: QueueName.Maintenance,
    retry: RETRY_NEXT_RUN,
    jobId: () => 'monitors-tick',
    isValid: (payload): payload is Record<string, never> => isObject(payload),
  },
  [JobName.RunMonitor]: {
    queue: QueueName.Monitors,
    // A run is a measure at an instant: replaying a failed one later would measure another instant.
    retry: RETRY_NEXT_RUN,
    jobId: (payload) => `monitor-${payload.monitorId}-${payload.slot}`,
    isValid: (payload): payload is JobPayloads[JobName.RunMonitor] =>
      isObject(payload) &&
      typeof payload.monitorId === 'string' &&
      UUID.test(payload.monitorId) &&
      Number.isSafeInteger(payload.slot),
  },
  [JobName.PurgeRawText]: {
    queue: QueueName.Maintenance,
    retry: RETRY_NEXT_RUN,
    jobId: () => 'retention-purge',
    isValid: (payload): payload is Record<string, never> => isObject(payload),
  },
  [JobName.ScanAlerts]: {
    queue: QueueName.Maintenance,
    retry: RETRY_NEXT_RUN,
    jobId: () => 'alerts-scan',
    isValid: (payload): payload is Record<string, never> => isObject(payload),
  },
  [JobName.DeliverChat]: {
    queue: QueueName.Webhooks,
    retry: RETRY_WEBHOOK,
    jobId: (payload) => `chat-${payload.messageId}`,
    isValid: (payload): payload is JobPayloads[JobName.DeliverChat] =>
      isObject(payload) && typeof payload.messageId === 'string' && UUID.test(payload.messageId),
  },
  [JobName.TickChat]: {
    queue: QueueName.Maintenance,
    retry: RETRY_NEXT_RUN,
    jobId: () => 'chat-tick',
    isValid: (payload): payload is Record<string, never> => isObject(payload),
  },
  [JobName.PushTracker]: {
    queue: QueueName.Webhooks,
    retry: RETRY_WEBHOOK,
    // Not per link alone: a link is pushed again at each status change; one job at a time per link.
    jobId: (payload) => `tracker-${payload.linkId}`,
    isValid: (payload): payload is JobPayloads[JobName.PushTracker] =>
      isObject(payload) && typeof payload.linkId === 'string' && UUID.test(payload.linkId),
  },
  [JobName.TickTrackers]: {
    queue: QueueName.Maintenance,
    retry: RETRY_NEXT_RUN,
    jobId: () => 'trackers-tick',
    isValid: (payload): payload is Record<string, never> => isObject(payload),
  },
  [JobName.RegroupIrritants]: {
    queue: QueueName.Maintenance,
    retry: RETRY_NEXT_RUN,
    jobId: () => 'irritants-regroup',
    isValid: (payload): payload is Record<string, never> => isObject(payload),
  },
};

/** How often new tickets are linked to trackers and due pushes are found. */
export const TRACKERS_TICK_EVERY_MS = 30_000;

/** How often emerging irritants are looked for (the windows end at the scan's instant). */
export const ALERTS_SCAN_EVERY_MS = 5 * 60_000;

/** How often due monitors are looked for. */
export const MONITORS_TICK_EVERY_MS = 30_000;

/** How often the digest sender checks whether Monday's time has come. */
export const DIGEST_CHECK_EVERY_MS = 60_000;

/** How often due sources are looked for. */
export const SOURCES_TICK_EVERY_MS = 15_000;

/** How often the board freezer checks whether a week's freeze time has come. */
export const FREEZE_CHECK_EVERY_MS = 60_000;

/** How often irritants whose verbatims changed are retitled: titles trail clustering by this much. */
export const RETITLE_EVERY_MS = 10_000;

/** How often the pipeline sweeper looks for lost work. */
export const SWEEP_EVERY_MS = 60_000;

/**
 * The periodic jobs, set by every process that starts (API and workers alike): setting them is
 * idempotent, and each fires once per period across the whole installation.
 */
export async function scheduleRecurringJobs(
  jobs: { schedule(name: JobName, everyMs: number): Promise<void> },
  config: { modelRetrainHours: number; boardRefreshMinutes: number; regroupCheckSeconds: number },
): Promise<void> {
  await jobs.schedule(JobName.SweepPipeline, SWEEP_EVERY_MS);
  await jobs.schedule(JobName.RetitleIrritants, RETITLE_EVERY_MS);
  await jobs.schedule(JobName.RefreshBoard, config.boardRefreshMinutes * 60_000);
  // Checked often, acted on once: the freeze itself is keyed by ISO week.
  await jobs.schedule(JobName.FreezeBoards, FREEZE_CHECK_EVERY_MS);
  await jobs.schedule(JobName.SweepWebhooks, SWEEP_EVERY_MS);
  await jobs.schedule(JobName.TickSources, SOURCES_TICK_EVERY_MS);
  await jobs.schedule(JobName.SendDigests, DIGEST_CHECK_EVERY_MS);
  await jobs.schedule(JobName.TickMonitors, MONITORS_TICK_EVERY_MS);
  // Hourly: each run purges a bounded batch, so a first run on a big installation does not block.
  await jobs.schedule(JobName.PurgeRawText, 3_600_000);
  await jobs.schedule(JobName.ScanAlerts, ALERTS_SCAN_EVERY_MS);
  await jobs.schedule(JobName.TickChat, SWEEP_EVERY_MS);
  await jobs.schedule(JobName.TickTrackers, TRACKERS_TICK_EVERY_MS);
  // Checked often, run only when verbatims were clustered since the last regrouping (debounced).
  if (config.regroupCheckSeconds > 0) {
    await jobs.schedule(JobName.RegroupIrritants, config.regroupCheckSeconds * 1_000);
  }
  if (config.modelRetrainHours > 0) {
    await jobs.schedule(JobName.RetrainModel, config.modelRetrainHours * 3_600_000);
  }
}

/** Keeps a job's payload and its database round trip small enough to stay fast. */
export const MAX_IDS_PER_JOB = 1_000;

/**
 * Verbatims handed to a stage per job: one database round trip each, small payloads. 1,000 (was
 * 500): a placement's fixed costs (its transaction, the irritants others grew meanwhile read
 * again, the locks) are paid half as often.
 */
export const VERBATIMS_PER_JOB = 1_000;

/** The payloads of a stage's jobs for these verbatims. */
export function verbatimBatches(ids: readonly string[]): { verbatimIds: string[] }[] {
  const batches: { verbatimIds: string[] }[] = [];
  for (let i = 0; i < ids.length; i += VERBATIMS_PER_JOB)
    batches.push({ verbatimIds: ids.slice(i, i + VERBATIMS_PER_JOB) });
  return batches;
}

export const ALL_JOB_NAMES: readonly JobName[] = Object.values(JobName);
export const ALL_QUEUE_NAMES: readonly QueueName[] = Object.values(QueueName);

export function isJobName(name: string): name is JobName {
  return (ALL_JOB_NAMES as readonly string[]).includes(name);
}

/** Exponential backoff of a policy for the given attempt (1-based: the wait after attempt n failed). */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return policy.backoffMs * 2 ** Math.max(0, attempt - 1);
}
