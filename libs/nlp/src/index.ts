export { Redactor, redact, findPii } from './redaction/redact';
export type { PiiKind, PiiMatch, RedactionPattern } from './redaction/redact';
export { passesLuhn, passesIbanChecksum } from './redaction/checksums';
