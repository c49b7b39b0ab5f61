export { Source, SourceKind } from './source.entity';
export { Verbatim, VerbatimStage, Channel, SEARCH_VECTOR_SQL } from './verbatim.entity';
export { DeadLetter, DeadLetterStatus } from './dead-letter.entity';
export { AuditEvent } from './audit-event.entity';
export { User, Role } from './user.entity';
export { UserSession } from './user-session.entity';
export { ApiKey } from './api-key.entity';
export { ImportRun, ImportChunk, ImportStatus } from './import-run.entity';
export { ClassifierModel } from './classifier-model.entity';
export { Irritant, irritantTitle, irritantTitleSql, TITLE_LANGUAGES_SEPARATOR } from './irritant.entity';
export { IrritantFeedback, FeedbackKind } from './irritant-feedback.entity';
export type { RejectedRow } from './import-run.entity';
export { Board, BoardItem, BoardStatus, AxisOverride } from './board.entity';
export type { AxisView, MonitorLinkView, QuoteView, StoredReason } from './board.entity';
export { Decision, DecisionAnswer, DecisionKind, PinnedQuote, Ticket, TicketStatus } from './decision.entity';
export { IrritantRedirect } from './irritant-redirect.entity';
export { Webhook, WebhookDelivery, DeliveryStatus } from './webhook.entity';
export { IdentityLink } from './identity-link.entity';
export { DigestDelivery, DigestStatus } from './digest-delivery.entity';
export { Kpi, KpiPoint, KpiDirection, SurveyAnswer, SurveyKind } from './kpi.entity';
export {
  Monitor,
  MonitorKind,
  MonitorRun,
  RunStatus,
  IrritantLink,
  LinkProposal,
  ProposalStatus,
} from './monitor.entity';
export type { StepResult } from './monitor.entity';
export { IrritantAlert, AlertWindow, AlertStatus } from './alert.entity';
export type { AlertEvidence } from './alert.entity';
export {
  ChatChannel,
  ChatKind,
  ChatTopic,
  ChatMessage,
  ChatMessageStatus,
  ChatAnnouncement,
} from './chat.entity';
export { Tracker, TrackerKind, TicketLink, TicketLinkStatus } from './tracker.entity';
export type { TrackerSettings } from './tracker.entity';
export { TaxonomyCategory, CategoryExample } from './taxonomy.entity';
