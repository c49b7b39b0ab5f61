import { randomUUID } from 'node:crypto';
import { recordPostedText } from './log-scan';

export interface VerbatimBody {
  source?: string;
  externalId?: string;
  author?: string;
  channel?: string;
  receivedAt?: string;
  text?: string;
  lang?: string;
  metadata?: Record<string, unknown>;
}

/** A valid verbatim; override what the test is about (undefined removes a field). */
export function verbatim(overrides: VerbatimBody = {}): VerbatimBody {
  const base: VerbatimBody = {
    source: 'tests',
    externalId: randomUUID(),
    author: `customer-${randomUUID().slice(0, 8)}@example.com`,
    channel: 'email',
    receivedAt: '2026-11-23T09:14:00Z',
    text: 'Bonjour, le paiement est refusé à l’étape 3-D Secure sur mobile.',
    lang: 'fr',
  };
  const merged: Record<string, unknown> = { ...base, ...overrides };
  for (const key of Object.keys(overrides))
    if (overrides[key as keyof VerbatimBody] === undefined) delete merged[key];
  // Remembered for the end-of-run log scan (test/global-teardown.ts): no log line may quote it.
  recordPostedText(merged.text);
  return merged;
}
