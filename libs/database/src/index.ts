export * from './entities';
export { DatabaseModule } from './database.module';
export type { DatabaseModuleOptions } from './database.module';
export { dataSourceOptions, ENTITIES } from './data-source-options';
export { openEmbeddedPostgres, DataDirInUseError, embeddedLockPath } from './embedded-postgres';
export type { EmbeddedPostgres } from './embedded-postgres';
export { runMigrationsOnce } from './migrate';
export { VerbatimRepository } from './repositories/verbatim.repository';
export { TaxonomyRepository } from './repositories/taxonomy.repository';
export type {
  AnalyzedVerbatim,
  NewVerbatim,
  StoredVerbatimRef,
  VerbatimFilter,
} from './repositories/verbatim.repository';
export { SourceRepository } from './repositories/source.repository';
export { DeadLetterRepository } from './repositories/dead-letter.repository';
export { mapStrings, wellFormed } from './well-formed';
export type { NewDeadLetter } from './repositories/dead-letter.repository';
export { AuditRepository } from './repositories/audit.repository';
export type { NewAuditEvent } from './repositories/audit.repository';
export { ApiKeyRepository } from './repositories/api-key.repository';
export { UserRepository, UserConflictError } from './repositories/user.repository';
export type { NewUser, UserChanges } from './repositories/user.repository';
export { SessionRepository } from './repositories/session.repository';
export type { NewSession } from './repositories/session.repository';
export { ImportRepository } from './repositories/import.repository';
export { ClassifierModelRepository } from './repositories/classifier-model.repository';
export { IrritantRepository, MAX_CANDIDATES } from './repositories/irritant.repository';
export { IrritantTitleRepository } from './repositories/irritant-title.repository';
export type { StoredTitle } from './repositories/irritant-title.repository';
export type { IrritantCentroid, NewCentroid } from './repositories/irritant.repository';
export { BoardRepository } from './repositories/board.repository';
export { TicketRepository, OPEN_TICKET_STATUSES } from './repositories/ticket.repository';
export type { DecisionInForceRow, TicketRow, TicketFilter } from './repositories/ticket.repository';
export { RedirectRepository } from './repositories/redirect.repository';
export { WebhookRepository } from './repositories/webhook.repository';
export { IdentityLinkRepository } from './repositories/identity-link.repository';
export { DigestRepository } from './repositories/digest.repository';
export { KpiRepository } from './repositories/kpi.repository';
export type { WeekRow } from './repositories/kpi.repository';
export { MonitorRepository } from './repositories/monitor.repository';
export type { MonitorStatsRow, WeekRuns } from './repositories/monitor.repository';
export { PrivacyRepository } from './repositories/privacy.repository';
export type { Erasure } from './repositories/privacy.repository';
export type { IrritantWeekRow, NewBoardItem } from './repositories/board.repository';
export type { ImportSummary, ImportRow } from './repositories/import.repository';
export { ExportRepository } from './repositories/export.repository';
export { AlertRepository } from './repositories/alert.repository';
export { ChatRepository } from './repositories/chat.repository';
export { TrackerRepository } from './repositories/tracker.repository';
export type { IssueSource } from './repositories/tracker.repository';
export type { WindowCount } from './repositories/alert.repository';
export { Transactions } from './transactions';
export type { Tx } from './transactions';
