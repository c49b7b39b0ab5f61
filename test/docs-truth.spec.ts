import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SourceKind } from '@app/database';
import { PULL_CONNECTOR_LIST } from '../libs/connectors/src/pull-connectors';
import { LEXICON } from '../libs/nlp/src/irritants/concepts';

/**
 * The docs say what works and what does not yet: this suite fails when they contradict the code
 * they name. README's "What works today" rows (the CLI commands and API routes they name exist),
 * docs/CONNECTORS.md's table of source kinds (pull and push as the code has them), and every "not
 * yet" or "(later)" note in README.md and docs/ (each has a probe of the code below: a note whose
 * probe finds the thing done fails, and so does a new note nobody gave a probe).
 */
const ROOT = join(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const README = read('README.md');
const OPENAPI = JSON.parse(read('docs/openapi.json')) as {
  paths: Record<string, Record<string, { security?: unknown[] }>>;
};
const CLI = read('apps/cli/src/main.ts');
const CLI_COMMANDS = new Set([...CLI.matchAll(/\.command\('([^' ]+)/g)].map((match) => match[1]));

/** The rows of the first markdown table after `heading`, as cells. */
function table(markdown: string, heading: RegExp): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => heading.test(line));
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('|')) {
      if (/^\|\s*-+/.test(line)) continue;
      rows.push(
        line
          .slice(1, -1)
          .split(/(?<!\\)\|/)
          .map((cell) => cell.trim()),
      );
    } else if (rows.length > 0) break;
  }
  // Without the header row (the heading may be the header itself).
  return lines[start].startsWith('|') ? rows : rows.slice(1);
}

/** `/api/v1/boards/{isoWeek}/…` or `/api/v1/verbatims`: a documented path, parameters ignored. */
const hasRoute = (path: string) => {
  const shape = (one: string) => one.replace(/\{[^}]+\}|:[A-Za-z]+/g, '{}').replace(/\/$/, '');
  return Object.keys(OPENAPI.paths).some((documented) => shape(documented) === shape(path));
};

describe('README "What works today"', () => {
  const rows = table(README, /^## What works today/);

  it('lists parts, each done', () => {
    expect(rows.length).toBeGreaterThan(10);
    for (const [part, state] of rows) expect([part.slice(0, 40), state]).toEqual([part.slice(0, 40), 'done']);
  });

  it('names CLI commands that exist', () => {
    const row = rows.find(([part]) => part.startsWith('CLI:'));
    expect(row).toBeDefined();
    const named = [...(row as string[])[0].matchAll(/`([a-z][a-z:-]*(?: [a-z/-]+)?)`/g)].map(
      (match) => match[1],
    );
    expect(named.length).toBeGreaterThan(5);
    for (const command of named) {
      const [first, rest] = command.split(' ');
      const words = [first, ...(rest ? rest.split('/') : [])];
      for (const word of words) expect([command, CLI_COMMANDS.has(word)]).toEqual([command, true]);
    }
  });

  it('names API routes that exist', () => {
    for (const [part] of rows)
      for (const [, path] of part.matchAll(/`(?:[A-Z/]+ )?(\/api\/v1\/[^`?\s]*)`/g))
        expect([path, hasRoute(path)]).toEqual([path, true]);
  });

  it('points at docs that exist', () => {
    for (const [part] of rows)
      for (const [doc] of part.matchAll(/docs\/[A-Z_]+\.md/g))
        expect(readdirSync(join(ROOT, 'docs'))).toContain(doc.slice(5));
  });
});

describe('docs/CONNECTORS.md, the source kinds', () => {
  const rows = table(read('docs/CONNECTORS.md'), /^\| kind\s+\| how/);
  const kinds = rows.map(([kind]) => kind.replace(/`/g, ''));
  const pulled = new Set(PULL_CONNECTOR_LIST.map((connector) => connector.kind as string));

  it('lists every kind a connector brings verbatims from', () => {
    const connectorKinds = Object.values(SourceKind).filter(
      (kind) => kind !== SourceKind.Api && kind !== SourceKind.Import,
    );
    expect([...kinds].sort()).toEqual([...connectorKinds].sort());
  });

  it('says pull and push as the code has them, and done only for what works', () => {
    for (const [cell, how, state] of rows) {
      const kind = cell.replace(/`/g, '');
      const pushed = hasRoute(`/api/v1/webhooks/${kind}/{sourceId}`);
      expect([kind, 'pull', /\bpull:/.test(how)]).toEqual([kind, 'pull', pulled.has(kind)]);
      expect([kind, 'push', /\bpush:/.test(how)]).toEqual([kind, 'push', pushed]);
      expect([kind, state]).toEqual([kind, pulled.has(kind) || pushed ? 'done' : 'not yet']);
    }
  });
});

/** Every "not yet" in the docs, with what would make it false. */
const NOT_YET: { file: string; says: RegExp; doneWhen: () => boolean }[] = [
  {
    file: 'docs/ARCHITECTURE.md',
    says: /Not yet: e-mail to a department \(a webhook only\), the routed decision's answer by the\s+department itself through a signed link/,
    // An answer route a department could use without an API key.
    doneWhen: () =>
      Object.entries(OPENAPI.paths).some(
        ([path, operations]) =>
          /decisions.*answer/.test(path) &&
          Object.values(operations).some((one) => one.security?.length === 0),
      ) || /sendMail|nodemailer/.test(read('libs/board/src/decision.service.ts')),
  },
  {
    file: 'docs/AUTH.md',
    says: /Bull Board \(`\/admin\/queues`\) still takes an API key/,
    // Its route behind the key check alone, as `/api/docs` was before it took an admin's session.
    doneWhen: () => !/app\.use\('\/admin\/queues', requireKey\(/.test(read('apps/api/src/app.ts')),
  },
  {
    file: 'docs/AUTH.md',
    says: /No self-service password change/,
    doneWhen: () => Object.keys(OPENAPI.paths).some((path) => /\/me\/password|\/password$/.test(path)),
  },
  {
    file: 'docs/AUTH.md',
    says: /The failure limiter is per process/,
    doneWhen: () => /redis/i.test(read('apps/api/src/auth/failure-limiter.ts')),
  },
];

/** Notes that once contradicted the code: they must not come back while the code does it. */
const FALSE_NOTES: { says: RegExp; because: string; done: () => boolean }[] = [
  {
    says: /French and English versions of one complaint are separate irritants/,
    because: 'bilingual concepts bring them together (libs/nlp/src/irritants/concepts.ts)',
    done: () => LEXICON.length > 0,
  },
  {
    says: /\(later\) decides/,
    because: 'triagers decide on the board',
    done: () => hasRoute('/api/v1/boards/{isoWeek}/items/{irritantId}/decision'),
  },
  {
    says: /later pulls tickets/,
    because: 'developers pull tickets',
    done: () => hasRoute('/api/v1/tickets') && hasRoute('/api/v1/tickets/{id}/claim'),
  },
  {
    says: /IMAP[^.\n]*not yet|not yet[^.\n]*IMAP/i,
    because: 'e-mail is pulled over IMAP',
    done: () => pulled('email'),
  },
  { says: /\bX\b[^.\n]*not yet|not yet[^.\n]*\bX\b/, because: 'X is pulled', done: () => pulled('twitter') },
  {
    says: /forums?[^.\n]*not yet|not yet[^.\n]*forums?/i,
    because: 'forums are pulled',
    done: () => pulled('forum'),
  },
];
const pulled = (kind: string) => PULL_CONNECTOR_LIST.some((connector) => (connector.kind as string) === kind);

/** README and docs/*.md: what they say about what is not done. */
function docs(): [file: string, text: string][] {
  return [
    ['README.md', README],
    ...readdirSync(join(ROOT, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name): [string, string] => [`docs/${name}`, read(`docs/${name}`)]),
  ];
}

describe('"not yet" notes in README and docs', () => {
  it('are each still true of the code', () => {
    for (const note of NOT_YET) {
      expect([note.file, note.says.test(read(note.file))]).toEqual([note.file, true]);
      expect([String(note.says), note.doneWhen()]).toEqual([String(note.says), false]);
    }
  });

  it('never say again what the code has done since', () => {
    for (const [file, text] of docs())
      for (const note of FALSE_NOTES)
        if (note.says.test(text))
          expect([file, String(note.says), note.done()]).toEqual([file, note.because, false]);
  });

  it('each have a probe here (a new "not yet" gets one)', () => {
    const unprobed: string[] = [];
    for (const [file, text] of docs()) {
      const lines = text.split('\n');
      lines.forEach((line, i) => {
        // "not yet clustered", "not yet fixed": states of things, not notes on the product.
        if (!/\bnot yet\b(?! (?:clustered|fixed|answered))|\(later\)|## Not yet/i.test(line)) return;
        const around = lines.slice(i, i + 3).join('\n');
        const probed =
          /## Not yet/.test(line) ||
          NOT_YET.some((note) => note.file === file && note.says.test(around)) ||
          (file === 'docs/AUTH.md' && NOT_YET.some((note) => note.file === file && note.says.test(line)));
        if (!probed) unprobed.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(unprobed).toEqual([]);
  });
});

describe('the V8 flags the apps run with', () => {
  // bench/support.ts's SERVER_NODE_FLAGS, read as text: bench/ is outside the unit tier's modules.
  const flags = [...read('bench/support.ts').matchAll(/SERVER_NODE_FLAGS = \[([^\]]*)\]/g)].flatMap(
    ([, list]) => [...list.matchAll(/'([^']+)'/g)].map(([, flag]) => flag),
  );

  it('are the ones the benchmarks measure: in the start scripts and the image', () => {
    expect(flags.length).toBeGreaterThan(0);
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    for (const name of ['start', 'start:api', 'start:worker'])
      expect(scripts[name]).toBe(`node ${flags.join(' ')} ${scripts[name].split(' ').pop()}`);
    expect(read('docker/Dockerfile')).toContain(`NODE_OPTIONS=${flags.join(' ')}`);
  });
});
