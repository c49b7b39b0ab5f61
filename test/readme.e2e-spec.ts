import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Role } from '@app/database';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { waitForLastStage } from './support/database';
import { http } from './support/http';
import { ROOT } from './support/processes';

const run = promisify(execFile);

/** The fenced shell block of the README that begins with `marker`, as written. */
async function readmeBlock(marker: string): Promise<string> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]);
  const block = blocks.find((one) => one.startsWith(marker));
  if (!block) throw new Error(`no README block starts with ${marker}`);
  return block;
}

/** The JSON answers curl printed one after the other (no newline between them). */
function jsonValues(output: string): unknown[] {
  const values: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < output.length; i++) {
    const c = output[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth++ === 0) start = i;
    } else if ((c === '}' || c === ']') && --depth === 0) values.push(JSON.parse(output.slice(start, i + 1)));
  }
  return values;
}

/** The README's example of the Monday loop, run as written by bash and curl against a real API. */
describe('README', () => {
  const { api, db } = useApi();
  let admin: string;

  beforeAll(async () => {
    // A Monday: the meeting's board is last week's.
    api.clock.freeze(new Date('2026-11-30T09:00:00Z'));
    admin = await api.key(Role.Admin);
    const posted = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: admin,
      body: ['a', 'b', 'c'].map((who, i) =>
        verbatim({
          source: 'readme',
          externalId: `readme-${i}`,
          author: `${who}@example.com`,
          text: 'Paiement refusé au 3-D Secure, impossible de payer mon billet',
          lang: 'fr',
          receivedAt: '2026-11-25T10:00:00Z',
        }),
      ),
    });
    await waitForLastStage(
      db.url,
      posted.body.items.map((item: { id: string }) => item.id),
    );
  });

  it('runs the Monday loop example as written: decide, claim, fix, deploy', async () => {
    const block = await readmeBlock('# The Monday loop');
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', block], {
      env: { PATH: process.env.PATH, LB: api.url, KEY: admin },
      timeout: 60_000,
    });
    const answers = jsonValues(stdout);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of several shapes
    const read = answers as any[];
    expect(read[0]).toMatchObject({ isoWeek: '2026-W48', kind: 'fix', owner: 'payments-team' });
    expect(read.map((answer) => answer.status).filter(Boolean)).toEqual(['in_progress', 'fixed', 'deployed']);
    expect(read.at(-1)).toEqual([
      expect.objectContaining({
        kind: 'fix',
        ticket: expect.objectContaining({ status: 'deployed', release: '12.5.0' }),
        targetDays: 21,
      }),
    ]);
  });
});
