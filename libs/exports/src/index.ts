export { ExportsModule } from './exports.module';
export { ExportService, MAX_VERBATIM_ROWS } from './export.service';
export type { VerbatimExportQuery } from './export.service';
export { CONTENT_TYPES, EXPORT_FORMATS, csvSafe, csvText, toCsv, toXlsx, write } from './table';
export type { Cell, ExportFormat, ExportTable } from './table';
