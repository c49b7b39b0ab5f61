import { createServer, IncomingMessage, ServerResponse } from 'node:http';

/**
 * Local HTTP peers that answer as Jira (REST v2, Cloud and Data Center), GitHub (REST v3) and Linear
 * (GraphQL) do, for the subset LoveBoard's official clients call, and check what they are sent
 * (authentication, required fields). Each holds its issues, lets a test change an issue's status as
 * a person would in the tracker, and can lose the answer of its next creation (the issue is made,
 * the answer is a 5xx): a client that creates again makes a duplicate, which the test sees.
 */
interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

type Handler = (request: Request) => { status: number; body?: unknown };

async function serve(handler: Handler) {
  const calls: string[] = [];
  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://peer');
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown>;
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        response.writeHead(400).end('{"message":"Problems parsing JSON"}');
        return;
      }
      calls.push(`${incoming.method} ${url.pathname}`);
      const answer = handler({
        method: incoming.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
        body,
      });
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---------- Jira ----------

export interface JiraIssue {
  id: string;
  key: string;
  summary: string;
  description: string;
  labels: string[];
  issuetype: string;
  status: string;
}

const JIRA_STATUSES: Record<string, { id: string; category: 'new' | 'indeterminate' | 'done' }> = {
  'To Do': { id: '11', category: 'new' },
  'In Progress': { id: '21', category: 'indeterminate' },
  Done: { id: '31', category: 'done' },
  Released: { id: '41', category: 'done' },
};

export async function startJira(options: { project: string; auth: string }) {
  const issues: JiraIssue[] = [];
  let lose = 0;
  const read = (issue: JiraIssue) => ({
    id: issue.id,
    key: issue.key,
    self: `/rest/api/2/issue/${issue.id}`,
    fields: {
      status: { name: issue.status, statusCategory: { key: JIRA_STATUSES[issue.status].category } },
    },
  });
  const find = (idOrKey: string) => issues.find((issue) => issue.id === idOrKey || issue.key === idOrKey);
  const peer = await serve((request) => {
    if (request.headers.authorization !== options.auth)
      return { status: 401, body: { errorMessages: ['You are not authenticated'] } };
    const issuePath = /^\/rest\/api\/2\/issue\/([^/]+)(\/transitions)?$/.exec(request.path);
    if (request.method === 'POST' && request.path === '/rest/api/2/issue') {
      const fields = request.body.fields as Record<
        string,
        { key?: string; name?: string } | string | string[]
      >;
      const problems: Record<string, string> = {};
      if ((fields?.project as { key?: string })?.key !== options.project)
        problems.project = 'valid project is required';
      if (!(fields?.issuetype as { name?: string })?.name) problems.issuetype = 'issue type is required';
      if (typeof fields?.summary !== 'string' || fields.summary.length === 0 || fields.summary.length > 255)
        problems.summary = 'You must specify a summary of the issue (255 characters at most).';
      if (Object.keys(problems).length > 0)
        return { status: 400, body: { errorMessages: [], errors: problems } };
      const issue: JiraIssue = {
        id: String(10_000 + issues.length + 1),
        key: `${options.project}-${issues.length + 1}`,
        summary: fields.summary as string,
        description: typeof fields.description === 'string' ? fields.description : '',
        labels: (fields.labels as string[]) ?? [],
        issuetype: (fields.issuetype as { name: string }).name,
        status: 'To Do',
      };
      issues.push(issue);
      if (lose > 0) {
        lose--;
        return { status: 503, body: { errorMessages: ['Service Unavailable'] } };
      }
      return { status: 201, body: { id: issue.id, key: issue.key, self: `/rest/api/2/issue/${issue.id}` } };
    }
    if (
      request.method === 'GET' &&
      (request.path === '/rest/api/2/search/jql' || request.path === '/rest/api/2/search')
    ) {
      const label = /labels = "([^"]+)"/.exec(request.query.get('jql') ?? '')?.[1];
      const found = issues.filter((issue) => label && issue.labels.includes(label)).map(read);
      return {
        status: 200,
        body: { issues: found, ...(request.path.endsWith('jql') ? {} : { total: found.length }) },
      };
    }
    if (issuePath) {
      const issue = find(decodeURIComponent(issuePath[1]));
      if (!issue)
        return {
          status: 404,
          body: { errorMessages: ['Issue does not exist or you do not have permission to see it.'] },
        };
      if (!issuePath[2] && request.method === 'GET') return { status: 200, body: read(issue) };
      if (issuePath[2] && request.method === 'GET')
        return {
          status: 200,
          body: {
            transitions: Object.entries(JIRA_STATUSES)
              .filter(([name]) => name !== issue.status)
              .map(([name, status]) => ({
                id: status.id,
                name,
                to: { name, statusCategory: { key: status.category } },
              })),
          },
        };
      if (issuePath[2] && request.method === 'POST') {
        const id = (request.body.transition as { id?: string })?.id;
        const target = Object.entries(JIRA_STATUSES).find(([, status]) => status.id === id);
        if (!target)
          return { status: 400, body: { errorMessages: ['Transition id is not valid for this issue.'] } };
        issue.status = target[0];
        return { status: 204 };
      }
    }
    return { status: 404, body: { errorMessages: ['Not found'] } };
  });
  return {
    ...peer,
    issues,
    loseNextCreate: (n: number) => (lose = n),
    /** A person moves the issue in Jira. */
    setStatus: (key: string, status: keyof typeof JIRA_STATUSES) => {
      const issue = find(key);
      if (issue) issue.status = status;
      return issue;
    },
    /** The body Jira POSTs to a webhook for an issue's update. */
    webhook: (issue: JiraIssue) => ({
      timestamp: 1_800_000_000_000,
      webhookEvent: 'jira:issue_updated',
      issue: read(issue),
      changelog: { items: [{ field: 'status', toString: issue.status }] },
    }),
  };
}

// ---------- GitHub ----------

export interface GitHubIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: string[];
}

export async function startGitHub(options: { owner: string; repo: string; token: string }) {
  const issues: GitHubIssue[] = [];
  let lose = 0;
  const base = `/repos/${options.owner}/${options.repo}/issues`;
  const read = (issue: GitHubIssue, url: string) => ({
    id: 900_000 + issue.number,
    number: issue.number,
    html_url: `${url}/${options.owner}/${options.repo}/issues/${issue.number}`,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    state_reason: issue.state_reason,
    labels: issue.labels.map((name) => ({ name })),
  });
  let self = '';
  const peer = await serve((request) => {
    const auth = request.headers.authorization ?? '';
    if (auth !== `token ${options.token}` && auth !== `Bearer ${options.token}`)
      return { status: 401, body: { message: 'Bad credentials' } };
    if (!String(request.headers.accept ?? '').includes('application/vnd.github'))
      return { status: 415, body: { message: 'Unsupported media type' } };
    if (request.path === base && request.method === 'POST') {
      if (typeof request.body.title !== 'string' || request.body.title === '')
        return {
          status: 422,
          body: { message: 'Validation Failed', errors: [{ field: 'title', code: 'missing_field' }] },
        };
      const issue: GitHubIssue = {
        number: issues.length + 1,
        title: request.body.title,
        body: typeof request.body.body === 'string' ? request.body.body : '',
        state: 'open',
        state_reason: null,
        labels: (request.body.labels as string[]) ?? [],
      };
      issues.push(issue);
      if (lose > 0) {
        lose--;
        return { status: 502, body: { message: 'Server Error' } };
      }
      return { status: 201, body: read(issue, self) };
    }
    if (request.path === base && request.method === 'GET') {
      const label = request.query.get('labels');
      const found = issues.filter((issue) => !label || issue.labels.includes(label)).reverse();
      return { status: 200, body: found.map((issue) => read(issue, self)) };
    }
    const one = new RegExp(`^${base}/(\\d+)(/labels)?$`).exec(request.path);
    const issue = one ? issues.find((candidate) => candidate.number === Number(one[1])) : undefined;
    if (one && !issue) return { status: 404, body: { message: 'Not Found' } };
    if (issue && !one?.[2] && request.method === 'GET') return { status: 200, body: read(issue, self) };
    if (issue && !one?.[2] && request.method === 'PATCH') {
      if (request.body.state === 'closed' || request.body.state === 'open') issue.state = request.body.state;
      issue.state_reason =
        (request.body.state_reason as string | undefined) ?? (issue.state === 'closed' ? 'completed' : null);
      return { status: 200, body: read(issue, self) };
    }
    if (issue && one?.[2] && request.method === 'POST') {
      for (const label of (request.body.labels as string[]) ?? [])
        if (!issue.labels.includes(label)) issue.labels.push(label);
      return { status: 200, body: issue.labels.map((name) => ({ name })) };
    }
    return { status: 404, body: { message: 'Not Found' } };
  });
  self = peer.url;
  return {
    ...peer,
    issues,
    loseNextCreate: (n: number) => (lose = n),
    /** A person closes the issue (or labels it released) on GitHub. */
    closeIssue: (number: number, reason = 'completed') => {
      const issue = issues.find((candidate) => candidate.number === number);
      if (issue) Object.assign(issue, { state: 'closed', state_reason: reason });
      return issue;
    },
    label: (number: number, name: string) =>
      issues.find((candidate) => candidate.number === number)?.labels.push(name),
    webhook: (issue: GitHubIssue, action: string) => ({
      action,
      issue: read(issue, self),
      repository: { full_name: `${options.owner}/${options.repo}` },
    }),
  };
}

// ---------- Linear ----------

export interface LinearIssue {
  id: string;
  identifier: string;
  title: string;
  description: string;
  teamId: string;
  stateId: string;
}

export const LINEAR_STATES = [
  { id: 's-backlog', name: 'Backlog', type: 'backlog' },
  { id: 's-todo', name: 'Todo', type: 'unstarted' },
  { id: 's-progress', name: 'In Progress', type: 'started' },
  { id: 's-done', name: 'Done', type: 'completed' },
  { id: 's-released', name: 'Released', type: 'completed' },
  { id: 's-canceled', name: 'Canceled', type: 'canceled' },
];

export async function startLinear(options: { teamId: string; apiKey: string }) {
  const issues: LinearIssue[] = [];
  let self = '';
  const read = (issue: LinearIssue) => ({
    id: issue.id,
    identifier: issue.identifier,
    url: `${self}/acme/issue/${issue.identifier}`,
    state: LINEAR_STATES.find((state) => state.id === issue.stateId),
  });
  const notFound = {
    status: 200,
    body: {
      data: null,
      errors: [
        { message: 'Entity not found: Issue', extensions: { type: 'invalid input', code: 'INPUT_ERROR' } },
      ],
    },
  };
  const peer = await serve((request) => {
    if (request.path !== '/graphql' || request.method !== 'POST')
      return { status: 404, body: { errors: [{ message: 'not found' }] } };
    // API keys go as they are (no Bearer): what @linear/sdk sends for `apiKey`.
    if (request.headers.authorization !== options.apiKey)
      return {
        status: 401,
        body: {
          errors: [
            {
              message: 'Authentication required, not authenticated',
              extensions: { type: 'authentication error', code: 'AUTHENTICATION_ERROR' },
            },
          ],
        },
      };
    const query = typeof request.body.query === 'string' ? request.body.query : '';
    const variables = (request.body.variables ?? {}) as Record<string, Record<string, string> | string>;
    if (query.includes('issueCreate(')) {
      const input = variables.input as Record<string, string>;
      if (!input?.teamId || input.teamId !== options.teamId || !input.title)
        return {
          status: 200,
          body: {
            data: null,
            errors: [{ message: 'Argument Validation Error', extensions: { code: 'INPUT_ERROR' } }],
          },
        };
      if (input.id && issues.some((issue) => issue.id === input.id))
        return {
          status: 200,
          body: {
            data: null,
            errors: [{ message: 'Entity already exists', extensions: { code: 'INPUT_ERROR' } }],
          },
        };
      const issue: LinearIssue = {
        id: input.id ?? `generated-${issues.length + 1}`,
        identifier: `ENG-${issues.length + 1}`,
        title: input.title,
        description: input.description ?? '',
        teamId: input.teamId,
        stateId: 's-todo',
      };
      issues.push(issue);
      return { status: 200, body: { data: { issueCreate: { success: true, issue: read(issue) } } } };
    }
    if (query.includes('issueUpdate(')) {
      const issue = issues.find((candidate) => candidate.id === variables.id);
      if (!issue) return notFound;
      const stateId = (variables.input as Record<string, string>)?.stateId;
      if (!LINEAR_STATES.some((state) => state.id === stateId)) return notFound;
      issue.stateId = stateId;
      return { status: 200, body: { data: { issueUpdate: { success: true, issue: read(issue) } } } };
    }
    if (query.includes('team(')) {
      if (variables.teamId !== options.teamId) return notFound;
      return { status: 200, body: { data: { team: { states: { nodes: LINEAR_STATES } } } } };
    }
    if (query.includes('issue(')) {
      const issue = issues.find((candidate) => candidate.id === variables.id);
      return issue ? { status: 200, body: { data: { issue: read(issue) } } } : notFound;
    }
    return { status: 400, body: { errors: [{ message: 'Cannot query this field' }] } };
  });
  self = peer.url;
  return {
    ...peer,
    issues,
    setState: (id: string, stateId: string) => {
      const issue = issues.find((candidate) => candidate.id === id);
      if (issue) issue.stateId = stateId;
      return issue;
    },
    webhook: (issue: LinearIssue, at: number) => ({
      action: 'update',
      type: 'Issue',
      data: { id: issue.id, identifier: issue.identifier, stateId: issue.stateId },
      url: `${self}/acme/issue/${issue.identifier}`,
      webhookTimestamp: at,
    }),
  };
}
