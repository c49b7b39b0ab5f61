export { IngestModule } from './ingest.module';
export { IngestService } from './ingest.service';
export { AuthorKeys } from './author-key';
export { ImportService, IMPORT_CHUNK_ROWS } from './import.service';
export type { ImportProgress } from './import.service';
export {
  formatOf,
  readImportRows,
  parseFieldMap,
  isoDate,
  ImportFileError,
  IMPORT_FIELDS,
} from './import-file';
export type { ImportFormat, FieldMap } from './import-file';
export { PipelineSweeper } from './pipeline-sweeper';
export { OrphanedHandOns, HAND_ON_RETRY_MS } from './orphaned-hand-ons';
export {
  VerbatimInput,
  checkVerbatim,
  MAX_TEXT_LENGTH,
  MAX_BATCH_SIZE,
  MAX_METADATA_BYTES,
  SOURCE_NAME_PATTERN,
} from './verbatim-input';
export type { VerbatimCheck } from './verbatim-input';
export { ExternalIds, storedExternalId } from './external-ids';
