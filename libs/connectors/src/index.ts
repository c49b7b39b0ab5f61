export { ConnectorsModule } from './connectors.module';
export { ConnectorError, PULL_CONNECTORS } from './connector';
export type { PullConnector, PullPage, SourceContext } from './connector';
export { SourcePoller, backoffAfter, FAILURES_TO_DEAD_LETTER } from './source-poller';
export { SourcesService } from './sources.service';
export type { SourceHealth, SourceInput } from './sources.service';
export {
  checkTimestampedSignature,
  checkHubSignature,
  checkPlatformSignature,
  SIGNATURE_TOLERANCE_MS,
} from './signature';
export { checkTranscript, transcriptMessages, Transcript } from './chat/transcript';
export { ChatConversations } from './chat/chat-conversations';
export type { ChatReceipt, ConversationGrower, VerbatimPer } from './chat/chat-conversations';
export { CHAT_PLATFORMS, readChatPlatform } from './chat/platforms';
export type { ChatPlatform } from './chat/platforms';
export { readMetaEvents } from './facebook/meta-events';
export type { MetaEventsReading } from './facebook/meta-events';
export { readEmail, MAX_EMAIL_BYTES, DIGEST_HEADER } from './email';
export type { EmailReading } from './email';
export { emailVerbatim } from './email/email-verbatim';
export { ImapConnector } from './email/imap.connector';
