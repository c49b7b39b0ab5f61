import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  BadRequestException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { DecisionService } from '@app/board';
import { APP_CONFIG, AppConfig, Clock, SecretBox, outboundRefusal } from '@app/config';
import {
  TicketLink,
  TicketLinkStatus,
  TicketStatus,
  Tracker,
  TrackerKind,
  TrackerRepository,
  TrackerSettings,
} from '@app/database';
import { JobHandler, JobName, JobPayload, JobQueue, PoisonJobError, RETRY_WEBHOOK } from '@app/jobs';
import { ExternalIssue, TrackerClient, clientFor } from './clients';
import { issueDraft } from './issue-text';

export const TRACKER_KINDS: readonly TrackerKind[] = Object.values(TrackerKind);
const POLL_EVERY_MS = 5 * 60_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Linear refuses webhooks older than a minute; so do we (a replayed capture). */
const LINEAR_TOLERANCE_MS = 60_000;

export interface TrackerInput {
  kind: TrackerKind;
  name: string;
  token: string;
  webhookSecret?: string;
  autoCreate?: boolean;
  poll?: boolean;
  settings: TrackerSettings;
}

/** Where a ticket may go from each status (DecisionService's rule), to walk to what the tracker says. */
const NEXT: Record<string, readonly TicketStatus[]> = {
  todo: [TicketStatus.InProgress, TicketStatus.Fixed],
  in_progress: [TicketStatus.Todo, TicketStatus.Fixed],
  fixed: [TicketStatus.InProgress, TicketStatus.Deployed],
  deployed: [],
  dropped: [],
};

/** The steps from a ticket's status to the one an issue's status means (none: nothing to do). */
export function stepsTo(from: TicketStatus, meaning: ExternalIssue['meaning']): TicketStatus[] {
  if (meaning === null) return [];
  if (meaning === 'open') return from === TicketStatus.Fixed ? [TicketStatus.InProgress] : [];
  const target = meaning as TicketStatus;
  if (from === target) return [];
  if (NEXT[from]?.includes(target)) return [target];
  if (target === TicketStatus.Deployed && NEXT[from]?.includes(TicketStatus.Fixed))
    return [TicketStatus.Fixed, TicketStatus.Deployed];
  return [];
}

function checkedUrl(value: string | undefined, what: string): string {
  let url: URL;
  try {
    url = new URL(value ?? '');
  } catch {
    throw new BadRequestException(`${what} must be a URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
    throw new BadRequestException(`${what} must be an https URL (http only on the loopback)`);
  if (url.username || url.password)
    throw new BadRequestException(`${what} must not carry a user or password`);
  return url.toString().replace(/\/+$/, '');
}

const equal = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
const hmac = (secret: string, body: Buffer) => createHmac('sha256', secret).update(body).digest('hex');

/**
 * Trackers both ways. A fix or small evolution gets its issue in Jira (Cloud or Data Center),
 * GitHub Issues or Linear: by itself for an auto-creating tracker (`trackers.tick` links every new
 * ticket), or when a person asks. The issue carries the irritant's title, its reasons, 3 to 5
 * redacted quotes, the customers count and a link back; its key and URL are kept on the ticket
 * (`ticket_link`). A ticket's status change is pushed to the issue; the issue's status comes back
 * by the tracker's signed webhook or by polling and moves the ticket (done → fixed, released →
 * deployed), so time-to-fix runs by itself. Every push is a `tracker.push` job retried like the
 * webhooks; a creation that may have reached the tracker (an attempt was started) looks for the
 * issue first, so a lost answer never makes two issues.
 */
@Injectable()
export class TrackerService {
  private readonly logger = new Logger(TrackerService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly trackers: TrackerRepository,
    private readonly secrets: SecretBox,
    private readonly jobs: JobQueue,
    private readonly decisions: DecisionService,
  ) {}

  async create(input: TrackerInput): Promise<Tracker> {
    const settings: TrackerSettings = {};
    const given = input.settings ?? {};
    if (input.kind === TrackerKind.Jira) {
      settings.baseUrl = checkedUrl(given.baseUrl, 'baseUrl');
      settings.deployment = given.deployment === 'datacenter' ? 'datacenter' : 'cloud';
      if (settings.deployment === 'cloud') {
        if (!given.email || !/^[^\s@]+@[^\s@]+$/.test(given.email))
          throw new BadRequestException(
            'Jira Cloud needs the e-mail of the account the API token belongs to',
          );
        settings.email = given.email;
      }
      if (!given.projectKey || !/^[A-Z][A-Z0-9_]{0,19}$/.test(given.projectKey))
        throw new BadRequestException('Jira needs a project key (like PAY)');
      settings.projectKey = given.projectKey;
      settings.issueType = (given.issueType ?? 'Bug').slice(0, 60);
    } else if (input.kind === TrackerKind.GitHub) {
      if (
        !given.owner ||
        !/^[A-Za-z0-9-]{1,39}$/.test(given.owner) ||
        !given.repo ||
        !/^[A-Za-z0-9._-]{1,100}$/.test(given.repo)
      )
        throw new BadRequestException('GitHub needs owner and repo');
      settings.owner = given.owner;
      settings.repo = given.repo;
      if (given.apiUrl) settings.apiUrl = checkedUrl(given.apiUrl, 'apiUrl');
    } else if (input.kind === TrackerKind.Linear) {
      if (!given.teamId || !/^[0-9a-f-]{36}$/i.test(given.teamId))
        throw new BadRequestException('Linear needs the team id');
      settings.teamId = given.teamId;
      if (given.apiUrl) settings.apiUrl = checkedUrl(given.apiUrl, 'apiUrl');
    } else {
      throw new BadRequestException(`kind must be one of ${TRACKER_KINDS.join(', ')}`);
    }
    for (const url of [settings.baseUrl, settings.apiUrl]) {
      const refusal =
        url === undefined ? null : await outboundRefusal(url, this.config.outboundPrivateAllowed);
      if (refusal !== null) throw new BadRequestException(`url refused: ${refusal}`);
    }
    if (given.releasedPattern) {
      try {
        new RegExp(given.releasedPattern, 'i');
      } catch {
        throw new BadRequestException('releasedPattern must be a regular expression');
      }
      settings.releasedPattern = given.releasedPattern.slice(0, 200);
    }
    if (!input.token || input.token.length < 8)
      throw new BadRequestException('the tracker needs its API token');
    if (input.webhookSecret !== undefined && input.webhookSecret.length < 16)
      throw new BadRequestException('webhookSecret must have 16 characters or more');
    return this.trackers.create({
      kind: input.kind,
      name: input.name,
      settings,
      tokenSealed: this.secrets.seal(input.token),
      webhookSecretSealed: input.webhookSecret ? this.secrets.seal(input.webhookSecret) : null,
      autoCreate: input.autoCreate ?? true,
      poll: input.poll ?? false,
    });
  }

  list(): Promise<Tracker[]> {
    return this.trackers.list();
  }

  async deactivate(id: string): Promise<void> {
    if (!(await this.trackers.deactivate(id)))
      throw new NotFoundException(`active tracker ${id} does not exist`);
  }

  /** A person asks for a ticket's issue in a tracker (once: asking again answers the same link). */
  async requestIssue(ticketId: string, trackerId: string): Promise<TicketLink> {
    const tracker = await this.trackers.find(trackerId);
    if (!tracker?.active) throw new NotFoundException(`active tracker ${trackerId} does not exist`);
    await this.decisions.ticket(ticketId);
    const link = await this.trackers.link(ticketId, trackerId);
    await this.dispatch([link.id]);
    return link;
  }

  linksOfTickets(ticketIds: readonly string[]) {
    return this.trackers.linksOfTickets(ticketIds);
  }

  linksOfIrritants(irritantIds: readonly string[]) {
    return this.trackers.linksOfIrritants(irritantIds);
  }

  private async dispatch(linkIds: readonly string[]): Promise<void> {
    for (const linkId of linkIds) await this.jobs.requeue(JobName.PushTracker, { linkId });
  }

  @JobHandler(JobName.TickTrackers)
  async tick(): Promise<void> {
    await this.trackers.linkNewTickets();
    await this.dispatch(await this.trackers.due(500));
    const now = this.clock.now();
    for (const tracker of await this.trackers.list()) {
      if (!tracker.active || !tracker.poll) continue;
      if (tracker.polledAt && now.getTime() - tracker.polledAt.getTime() < POLL_EVERY_MS) continue;
      await this.poll(tracker);
      await this.trackers.polled(tracker.id, now);
    }
  }

  /** Reads the open linked issues of a tracker and applies their statuses. @returns tickets moved. */
  async poll(tracker: Tracker): Promise<number> {
    const client = await this.client(tracker);
    let moved = 0;
    for (const link of await this.trackers.openLinks(tracker.id, 200)) {
      try {
        if (await this.apply(tracker, link, await client.get(link.externalId ?? ''))) moved++;
      } catch (error) {
        // One unreadable issue does not stop the others; the next poll reads it again.
        this.logger.warn(
          {
            tracker: tracker.id,
            link: link.id,
            cause: error instanceof Error ? error.message : String(error),
          },
          'issue not read',
        );
      }
    }
    return moved;
  }

  private client(tracker: Tracker): Promise<TrackerClient> {
    return clientFor(tracker, this.secrets.open(tracker.tokenSealed));
  }

  @JobHandler(JobName.PushTracker)
  async push({ linkId }: JobPayload<JobName.PushTracker>): Promise<void> {
    const link = await this.trackers.findLink(linkId);
    if (!link) throw new PoisonJobError(`ticket link ${linkId} does not exist`);
    const tracker = await this.trackers.find(link.trackerId);
    if (!tracker?.active) return;
    const source = await this.trackers.issueSource(link.ticketId, 5);
    if (!source) throw new PoisonJobError(`ticket ${link.ticketId} does not exist`);
    const client = await this.client(tracker);
    try {
      if (link.status !== TicketLinkStatus.Created) {
        // Counted before the call: if this process dies after the tracker made the issue, the
        // next attempt knows one may exist and looks for it first.
        const started = await this.trackers.failedAttempt(link.id, 'creating the issue');
        let issue = started > 1 ? await client.find(link.ticketId) : null;
        issue ??= await client.create(
          issueDraft(
            source,
            `${this.config.publicUrl}/irritants/${source.irritantId}?week=${source.isoWeek}`,
          ),
        );
        if (source.status !== TicketStatus.Todo) issue = await client.move(issue.id, source.status);
        await this.trackers.update(link.id, {
          status: TicketLinkStatus.Created,
          externalId: issue.id,
          externalKey: issue.key,
          externalUrl: issue.url,
          externalStatus: issue.status,
          syncedStatus: source.status,
          lastError: null,
        });
        this.logger.log(
          { tracker: tracker.id, ticket: link.ticketId, key: issue.key },
          'tracker issue created',
        );
        return;
      }
      if (source.status === link.syncedStatus || !link.externalId) return;
      const issue = await client.move(link.externalId, source.status);
      await this.trackers.update(link.id, {
        externalStatus: issue.status,
        syncedStatus: source.status,
        lastError: null,
      });
    } catch (error) {
      const cause = error instanceof Error ? error.message : String(error);
      const creating = link.status !== TicketLinkStatus.Created;
      const attempts = creating
        ? await this.trackers.noteError(link.id, cause)
        : await this.trackers.failedAttempt(link.id, cause);
      if (creating && attempts >= RETRY_WEBHOOK.attempts)
        await this.trackers.update(link.id, { status: TicketLinkStatus.Failed });
      // The token is in a header, never in the message: the tracker's answer is.
      throw new Error(
        `tracker ${tracker.id} (${tracker.kind}) ticket ${link.ticketId}: ${cause.slice(0, 300)}`,
        { cause: error },
      );
    }
  }

  /**
   * Moves the ticket to what its issue's status means, step by step along the ticket's rule
   * (todo → fixed → deployed), as `tracker:<name>`; records what the issue says.
   * @returns whether the ticket moved.
   */
  private async apply(tracker: Tracker, link: TicketLink, issue: ExternalIssue): Promise<boolean> {
    const { ticket } = await this.decisions.ticket(link.ticketId);
    const steps = stepsTo(ticket.status, issue.meaning);
    let status = ticket.status;
    for (const step of steps) {
      await this.decisions.update(link.ticketId, { status: step }, `tracker:${tracker.name}`.slice(0, 80));
      status = step;
    }
    // What the tracker said is in sync by definition: pushing it back would only echo.
    await this.trackers.update(link.id, {
      externalStatus: issue.status,
      ...(steps.length > 0 || link.syncedStatus === null ? { syncedStatus: status } : {}),
    });
    return steps.length > 0;
  }

  /**
   * A tracker's webhook, verified as that tracker signs it: GitHub `X-Hub-Signature-256`
   * (sha256=HMAC of the body), Jira `X-Hub-Signature` (sha256=HMAC of the body, the secret given
   * when the webhook was registered), Linear `Linear-Signature` (hex HMAC of the body) with its
   * `webhookTimestamp` within a minute. Issues that are not LoveBoard's are ignored.
   */
  async receive(
    trackerId: string,
    headers: Record<string, string | string[] | undefined>,
    raw: Buffer,
    body: unknown,
  ): Promise<{ moved: boolean; ignored?: string }> {
    const tracker = await this.trackers.find(trackerId);
    if (!tracker?.active) throw new NotFoundException(`active tracker ${trackerId} does not exist`);
    if (!tracker.webhookSecretSealed)
      throw new UnauthorizedException('this tracker has no webhook secret: it is polled');
    const secret = this.secrets.open(tracker.webhookSecretSealed);
    const header = (name: string) => {
      const value = headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const payload = (body ?? {}) as Record<string, unknown>;
    let externalId: string | undefined;
    if (tracker.kind === TrackerKind.GitHub) {
      const signature = header('x-hub-signature-256') ?? '';
      if (!equal(`sha256=${hmac(secret, raw)}`, signature))
        throw new UnauthorizedException('signature does not match');
      if (header('x-github-event') !== 'issues') return { moved: false, ignored: 'not an issues event' };
      const data = payload.issue as Record<string, unknown> | undefined;
      externalId = typeof data?.number === 'number' ? String(data.number) : undefined;
    } else if (tracker.kind === TrackerKind.Jira) {
      const signature = header('x-hub-signature') ?? '';
      if (!equal(`sha256=${hmac(secret, raw)}`, signature))
        throw new UnauthorizedException('signature does not match');
      const data = payload.issue as Record<string, unknown> | undefined;
      externalId = typeof data?.id === 'string' || typeof data?.id === 'number' ? String(data.id) : undefined;
    } else {
      const signature = header('linear-signature') ?? '';
      if (!equal(hmac(secret, raw), signature)) throw new UnauthorizedException('signature does not match');
      const timestamp = Number(payload.webhookTimestamp);
      if (!Number.isFinite(timestamp) || Math.abs(Date.now() - timestamp) > LINEAR_TOLERANCE_MS)
        throw new UnauthorizedException('webhookTimestamp outside the one-minute window');
      if (payload.type !== 'Issue') return { moved: false, ignored: 'not an Issue event' };
      const data = payload.data as Record<string, unknown> | undefined;
      externalId = typeof data?.id === 'string' ? data.id : undefined;
    }
    if (!externalId) throw new BadRequestException('no issue in the payload');
    const link = await this.trackers.findByExternal(tracker.id, externalId);
    if (!link) return { moved: false, ignored: 'not an issue of LoveBoard' };
    // The payload is signed, but its shape differs with versions and events: the issue's status is
    // read from the tracker itself, the same way polling reads it.
    const issue = await (await this.client(tracker)).get(externalId);
    return { moved: await this.apply(tracker, link, issue) };
  }
}
