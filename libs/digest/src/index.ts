export { DigestModule } from './digest.module';
export { DigestService, DIGEST_HEADER_NAME, digestRetryAfter } from './digest.service';
export type { DigestData, DigestItem, DigestLang } from './digest-data';
export { renderHtml, renderText, surveyCosts } from './render';
