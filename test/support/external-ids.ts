import { PersonalKeys } from '@app/config';
import { storedExternalId as storedExternalIdOf } from '@app/ingest';
import { testConfig } from './app';

/**
 * How the tests' installation stores a source's id (a keyed hash when it names a person, issue 19):
 * for suites that look a verbatim up by the id its source gave it.
 */
export function storedExternalId(id: string): string {
  return storedExternalIdOf(id, new PersonalKeys(testConfig({})));
}
