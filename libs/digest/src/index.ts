export { DigestModule } from './digest.module';
export { DigestService, DigestRefusedError, DIGEST_HEADER_NAME, digestRetryAfter } from './digest.service';
export type { SendOptions } from './digest.service';
export type { DigestData, DigestDecision, DigestItem, DigestLang } from './digest-data';
export { renderHtml, renderText, surveyCosts } from './render';
