import { createHash } from 'node:crypto';
import type { LinearClient } from '@linear/sdk';
import type { Octokit } from '@octokit/rest';
import type { Version2Client } from 'jira.js';
import { TicketStatus, TrackerKind, type Tracker } from '@app/database';

/** An issue as LoveBoard reads it, whatever the tracker. */
export interface ExternalIssue {
  id: string;
  key: string;
  url: string;
  /** The tracker's own name of its status (Jira "In Review", GitHub "closed", Linear "Done"). */
  status: string;
  /**
   * What it means for the ticket: `open` (not started or under way), `in_progress`, `fixed`,
   * `deployed` (the released pattern matched), or null (cancelled, not planned: nothing to do).
   */
  meaning: 'open' | 'in_progress' | 'fixed' | 'deployed' | null;
}

export interface IssueDraft {
  ticketId: string;
  title: string;
  /** Markdown (GitHub, Linear). */
  markdown: string;
  /** Jira wiki markup (REST v2, Cloud and Data Center alike). */
  wiki: string;
}

export interface TrackerClient {
  /** The issue an earlier attempt made for this ticket, if it did (its answer may have been lost). */
  find(ticketId: string): Promise<ExternalIssue | null>;
  create(draft: IssueDraft): Promise<ExternalIssue>;
  get(id: string): Promise<ExternalIssue>;
  /** Moves the issue to what the ticket's status means there. @returns the issue after. */
  move(id: string, status: TicketStatus): Promise<ExternalIssue>;
}

/** The label every LoveBoard issue carries, and the one that names its ticket (for a retry's search). */
export const LABEL = 'loveboard';
export const ticketLabel = (ticketId: string) => `loveboard-${ticketId}`;
/** In GitHub bodies: a retry lists recent issues and finds its own by this marker. */
export const marker = (ticketId: string) => `<!-- loveboard-ticket:${ticketId} -->`;

const DEFAULT_RELEASED = 'released|deployed|shipped|livr|mis en prod|en production';
const released = (tracker: Tracker) => new RegExp(tracker.settings.releasedPattern || DEFAULT_RELEASED, 'i');

/** A v4-shaped UUID derived from the ticket and the tracker: the same issue id at every attempt. */
export function issueUuid(ticketId: string, trackerId: string): string {
  const hex = createHash('sha256')
    .update(`loveboard:${trackerId}:${ticketId}`)
    .digest('hex')
    .slice(0, 32)
    .split('');
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---------- Jira (Cloud and Data Center, REST v2 through jira.js) ----------

interface JiraIssue {
  id: string;
  key: string;
  fields?: { status?: { name?: string; statusCategory?: { key?: string } } };
}

export function jiraClient(tracker: Tracker, token: string, Jira: typeof Version2Client): TrackerClient {
  const settings = tracker.settings;
  const base = (settings.baseUrl ?? '').replace(/\/+$/, '');
  const cloud = settings.deployment !== 'datacenter';
  // Cloud: the account's e-mail and an API token (basic); Data Center: a personal access token (bearer).
  const client = cloud
    ? new Jira({
        host: base,
        authentication: { basic: { email: settings.email ?? '', apiToken: token } },
        baseRequestConfig: { timeout: 10_000 },
      })
    : new Jira({
        host: base,
        baseRequestConfig: { timeout: 10_000, headers: { Authorization: `Bearer ${token}` } },
      });
  const pattern = released(tracker);
  const read = (issue: JiraIssue): ExternalIssue => {
    const status = issue.fields?.status?.name ?? '';
    const category = issue.fields?.status?.statusCategory?.key;
    return {
      id: String(issue.id),
      key: issue.key,
      url: `${base}/browse/${issue.key}`,
      status,
      meaning:
        category === 'done'
          ? pattern.test(status)
            ? 'deployed'
            : /won.?t|cancel|reject|declin|duplicate|abandon/i.test(status)
              ? null
              : 'fixed'
          : category === 'indeterminate'
            ? 'in_progress'
            : 'open',
    };
  };
  const get = async (id: string) =>
    read(await client.issues.getIssue<JiraIssue>({ issueIdOrKey: id, fields: ['status'] }));
  return {
    async find(ticketId) {
      const jql = `project = "${settings.projectKey}" AND labels = "${ticketLabel(ticketId)}"`;
      // Cloud retired /rest/api/2/search for /search/jql; Data Center has only the former.
      const found = cloud
        ? await client.issueSearch.searchForIssuesUsingJqlEnhancedSearch({
            jql,
            fields: ['status'],
            maxResults: 1,
          })
        : await client.issueSearch.searchForIssuesUsingJql({ jql, fields: ['status'], maxResults: 1 });
      const [issue] = (found.issues ?? []) as JiraIssue[];
      return issue ? read(issue) : null;
    },
    async create(draft) {
      const created = await client.issues.createIssue({
        fields: {
          project: { key: settings.projectKey },
          issuetype: { name: settings.issueType ?? 'Bug' },
          summary: draft.title,
          description: draft.wiki,
          labels: [LABEL, ticketLabel(draft.ticketId)],
        },
      });
      return get(String(created.id));
    },
    get,
    async move(id, status) {
      const issue = await get(id);
      if (meansAlready(issue.meaning, status)) return issue;
      const { transitions = [] } = await client.issues.getTransitions({ issueIdOrKey: id });
      const want =
        status === TicketStatus.InProgress ? 'indeterminate' : status === TicketStatus.Todo ? 'new' : 'done';
      const candidates = transitions.filter((t) => t.to?.statusCategory?.key === want);
      const prefer = (test: (name: string) => boolean) =>
        candidates.find((t) => test(t.to?.name ?? t.name ?? ''));
      const chosen =
        status === TicketStatus.Deployed
          ? (prefer((name) => pattern.test(name)) ?? candidates[0])
          : status === TicketStatus.Dropped
            ? (prefer((name) => /won.?t|cancel|reject|declin/i.test(name)) ?? candidates[0])
            : (prefer((name) => !pattern.test(name)) ?? candidates[0]);
      if (!chosen?.id) return issue;
      await client.issues.doTransition({ issueIdOrKey: id, transition: { id: chosen.id } });
      return get(id);
    },
  };
}

/** Whether the issue already says what the ticket's status does (nothing to push). */
function meansAlready(meaning: ExternalIssue['meaning'], status: TicketStatus): boolean {
  switch (status) {
    case TicketStatus.Todo:
      return meaning === 'open';
    case TicketStatus.InProgress:
      return meaning === 'in_progress';
    case TicketStatus.Fixed:
      return meaning === 'fixed';
    case TicketStatus.Deployed:
      return meaning === 'deployed';
    case TicketStatus.Dropped:
      return meaning === null;
  }
}

// ---------- GitHub Issues (@octokit/rest) ----------

interface GitHubIssue {
  id: number;
  number: number;
  html_url: string;
  state: string;
  state_reason?: string | null;
  body?: string | null;
  labels: (string | { name?: string })[];
}

export function githubClient(tracker: Tracker, token: string, GitHub: typeof Octokit): TrackerClient {
  const { owner = '', repo = '', apiUrl } = tracker.settings;
  const octokit = new GitHub({
    auth: token,
    baseUrl: (apiUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
    userAgent: 'LoveBoard-Trackers/1',
    // Failures are the job's to log (once, scrubbed), not the client's on the console.
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  const releasedLabel = tracker.settings.releasedPattern || 'released';
  const labelsOf = (issue: GitHubIssue) =>
    issue.labels.map((label) => (typeof label === 'string' ? label : (label.name ?? '')));
  const read = (issue: GitHubIssue): ExternalIssue => {
    const isReleased = labelsOf(issue).some((label) => new RegExp(`^(?:${releasedLabel})$`, 'i').test(label));
    return {
      id: String(issue.number),
      key: `${owner}/${repo}#${issue.number}`,
      url: issue.html_url,
      status:
        issue.state === 'closed' ? `closed${issue.state_reason ? ` (${issue.state_reason})` : ''}` : 'open',
      meaning:
        issue.state === 'closed'
          ? issue.state_reason === 'not_planned'
            ? null
            : isReleased
              ? 'deployed'
              : 'fixed'
          : 'open',
    };
  };
  const get = async (id: string) =>
    read((await octokit.rest.issues.get({ owner, repo, issue_number: Number(id) })).data);
  return {
    async find(ticketId) {
      const { data } = await octokit.rest.issues.listForRepo({
        owner,
        repo,
        state: 'all',
        labels: LABEL,
        sort: 'created',
        direction: 'desc',
        per_page: 100,
      });
      const issue = (data as GitHubIssue[]).find((one) => (one.body ?? '').includes(marker(ticketId)));
      return issue ? read(issue) : null;
    },
    async create(draft) {
      const { data } = await octokit.rest.issues.create({
        owner,
        repo,
        title: draft.title,
        body: `${draft.markdown}\n\n${marker(draft.ticketId)}`,
        labels: [LABEL],
      });
      return read(data);
    },
    get,
    async move(id, status) {
      const issue = await get(id);
      if (meansAlready(issue.meaning, status)) return issue;
      const issue_number = Number(id);
      if (status === TicketStatus.Todo || status === TicketStatus.InProgress) {
        if (issue.meaning !== 'open')
          await octokit.rest.issues.update({
            owner,
            repo,
            issue_number,
            state: 'open',
            state_reason: 'reopened',
          });
      } else if (status === TicketStatus.Dropped) {
        await octokit.rest.issues.update({
          owner,
          repo,
          issue_number,
          state: 'closed',
          state_reason: 'not_planned',
        });
      } else {
        if (issue.meaning === 'open' || issue.meaning === 'in_progress')
          await octokit.rest.issues.update({
            owner,
            repo,
            issue_number,
            state: 'closed',
            state_reason: 'completed',
          });
        if (status === TicketStatus.Deployed)
          await octokit.rest.issues.addLabels({ owner, repo, issue_number, labels: [releasedLabel] });
      }
      return get(id);
    },
  };
}

// ---------- Linear (@linear/sdk's GraphQL client) ----------

const ISSUE_FIELDS = 'id identifier url state { id name type }';
interface LinearIssue {
  id: string;
  identifier: string;
  url: string;
  state?: { id: string; name: string; type: string } | null;
}

export function linearClient(tracker: Tracker, token: string, Linear: typeof LinearClient): TrackerClient {
  const { teamId = '', apiUrl } = tracker.settings;
  const linear = new Linear({
    // Personal API keys go as they are; OAuth access tokens as Bearer.
    ...(token.startsWith('lin_oauth_') ? { accessToken: token } : { apiKey: token }),
    ...(apiUrl ? { apiUrl } : {}),
  });
  const pattern = released(tracker);
  const request = async <T>(query: string, variables: Record<string, unknown>): Promise<T> =>
    (await linear.client.rawRequest<T, Record<string, unknown>>(query, variables)).data as T;
  const read = (issue: LinearIssue): ExternalIssue => {
    const type = issue.state?.type ?? '';
    const name = issue.state?.name ?? '';
    return {
      id: issue.id,
      key: issue.identifier,
      url: issue.url,
      status: name,
      meaning:
        type === 'completed'
          ? pattern.test(name)
            ? 'deployed'
            : 'fixed'
          : type === 'started'
            ? 'in_progress'
            : type === 'canceled'
              ? null
              : 'open',
    };
  };
  const get = async (id: string) => {
    const { issue } = await request<{ issue: LinearIssue | null }>(
      `query LoveBoardIssue($id: String!) { issue(id: $id) { ${ISSUE_FIELDS} } }`,
      { id },
    );
    if (!issue) throw new Error(`Linear issue ${id} not found`);
    return read(issue);
  };
  return {
    async find(ticketId) {
      try {
        return await get(issueUuid(ticketId, tracker.id));
      } catch (error) {
        if (/not found|entity not found/i.test(error instanceof Error ? error.message : String(error)))
          return null;
        throw error;
      }
    },
    async create(draft) {
      // Linear takes the new issue's id from us: the same id at every attempt, never two issues.
      const { issueCreate } = await request<{ issueCreate: { success: boolean; issue: LinearIssue } }>(
        `mutation LoveBoardIssueCreate($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { ${ISSUE_FIELDS} } } }`,
        {
          input: {
            id: issueUuid(draft.ticketId, tracker.id),
            teamId,
            title: draft.title,
            description: draft.markdown,
          },
        },
      );
      return read(issueCreate.issue);
    },
    get,
    async move(id, status) {
      const issue = await get(id);
      if (meansAlready(issue.meaning, status)) return issue;
      const { team } = await request<{
        team: { states: { nodes: { id: string; name: string; type: string }[] } };
      }>(
        `query LoveBoardStates($teamId: String!) { team(id: $teamId) { states { nodes { id name type } } } }`,
        { teamId },
      );
      const states = team.states.nodes;
      const type =
        status === TicketStatus.Todo
          ? 'unstarted'
          : status === TicketStatus.InProgress
            ? 'started'
            : status === TicketStatus.Dropped
              ? 'canceled'
              : 'completed';
      const ofType = states.filter((state) => state.type === type);
      const chosen =
        status === TicketStatus.Deployed
          ? (ofType.find((state) => pattern.test(state.name)) ?? ofType[0])
          : status === TicketStatus.Fixed
            ? (ofType.find((state) => !pattern.test(state.name)) ?? ofType[0])
            : ofType[0];
      if (!chosen) return issue;
      const { issueUpdate } = await request<{ issueUpdate: { success: boolean; issue: LinearIssue } }>(
        `mutation LoveBoardIssueUpdate($id: String!, $input: IssueUpdateInput!) { issueUpdate(id: $id, input: $input) { success issue { ${ISSUE_FIELDS} } } }`,
        { id, input: { stateId: chosen.id } },
      );
      return read(issueUpdate.issue);
    },
  };
}

/**
 * The client of a tracker. Each SDK is loaded when first used: together they weigh seconds of
 * start-up, which no process should pay before it talks to a tracker (the CLI, most workers).
 */
export async function clientFor(tracker: Tracker, token: string): Promise<TrackerClient> {
  switch (tracker.kind) {
    case TrackerKind.Jira:
      return jiraClient(tracker, token, (await import('jira.js')).Version2Client);
    case TrackerKind.GitHub:
      return githubClient(tracker, token, (await import('@octokit/rest')).Octokit);
    case TrackerKind.Linear:
      return linearClient(tracker, token, (await import('@linear/sdk')).LinearClient);
  }
}
