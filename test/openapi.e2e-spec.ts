import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiDocument } from '../apps/api/src/app';
import { useApi } from './support/app';

const COMMITTED = join(__dirname, '..', 'docs', 'openapi.json');

/**
 * The OpenAPI document is committed so that an API change shows in the diff. Regenerate it with
 * `npm run openapi` after changing a controller or a DTO.
 */
describe('docs/openapi.json', () => {
  const { api } = useApi();

  it('matches the API', () => {
    const generated = JSON.stringify(openApiDocument(api.app), null, 2) + '\n';
    if (process.env.UPDATE_OPENAPI === '1') writeFileSync(COMMITTED, generated);
    expect(generated).toBe(readFileSync(COMMITTED, 'utf8'));
  });
});
