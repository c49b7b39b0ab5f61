import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiDocument } from '../apps/api/src/app';
import { useApi } from './support/app';

const COMMITTED = join(__dirname, '..', 'docs', 'openapi.json');
const WEB_CLIENT = join(__dirname, '..', 'apps', 'web', 'src', 'api', 'schema.ts');

/**
 * The OpenAPI document is committed so that an API change shows in the diff. Regenerate it with
 * `npm run openapi` after changing a controller or a DTO (it regenerates the web client's types too).
 */
describe('docs/openapi.json', () => {
  const { api } = useApi();

  it('matches the API', () => {
    const generated = JSON.stringify(openApiDocument(api.app), null, 2) + '\n';
    if (process.env.UPDATE_OPENAPI === '1') writeFileSync(COMMITTED, generated);
    expect(generated).toBe(readFileSync(COMMITTED, 'utf8'));
  });

  // The web client's types come from here: an answer without a schema reads as `never` there.
  it('types every answer that has a body', () => {
    const document = JSON.parse(readFileSync(COMMITTED, 'utf8')) as {
      paths: Record<string, Record<string, { responses?: Record<string, { content?: unknown }> }>>;
    };
    const untyped = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, operation]) => {
        const answers = Object.entries(operation.responses ?? {}).filter(([status]) => /^2/.test(status));
        const bodyless = answers.every(([status]) => status === '204');
        return answers.length > 0 && !bodyless && answers.every(([, answer]) => !answer.content)
          ? [`${method.toUpperCase()} ${path}`]
          : [];
      }),
    );
    expect(untyped).toEqual([]);
  });

  // The UI's types and vocabularies come from the document (openapi-typescript), never by hand.
  it('is what the web client is generated from', () => {
    const cli = join(__dirname, '..', 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
    // A default is what the API assumes when a body leaves the field out: optional to send, not
    // always there (the schemas are shared by requests and answers).
    const types = execFileSync(
      process.execPath,
      [cli, COMMITTED, '--enum-values', '--default-non-nullable=false'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    if (process.env.UPDATE_OPENAPI === '1') writeFileSync(WEB_CLIENT, types);
    expect(types).toBe(readFileSync(WEB_CLIENT, 'utf8'));
  });
});
