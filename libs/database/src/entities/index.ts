export { Source, SourceKind } from './source.entity';
export { Verbatim, VerbatimStage, Channel, SEARCH_VECTOR_SQL } from './verbatim.entity';
export { DeadLetter, DeadLetterStatus } from './dead-letter.entity';
export { AuditEvent } from './audit-event.entity';
export { User, Role } from './user.entity';
export { ApiKey } from './api-key.entity';
export { ImportRun, ImportChunk, ImportStatus } from './import-run.entity';
export { ClassifierModel } from './classifier-model.entity';
export type { RejectedRow } from './import-run.entity';
