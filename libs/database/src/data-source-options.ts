import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';
import {
  ApiKey,
  AuditEvent,
  ClassifierModel,
  DeadLetter,
  ImportChunk,
  ImportRun,
  Irritant,
  IrritantFeedback,
  Board,
  BoardItem,
  AxisOverride,
  Decision,
  Ticket,
  Webhook,
  WebhookDelivery,
  IdentityLink,
  DigestDelivery,
  Kpi,
  KpiPoint,
  SurveyAnswer,
  Monitor,
  MonitorRun,
  IrritantLink,
  Source,
  User,
  Verbatim,
} from './entities';

export const ENTITIES = [
  Source,
  Verbatim,
  DeadLetter,
  AuditEvent,
  User,
  ApiKey,
  ImportRun,
  ImportChunk,
  ClassifierModel,
  Irritant,
  IrritantFeedback,
  Board,
  BoardItem,
  AxisOverride,
  Decision,
  Ticket,
  Webhook,
  WebhookDelivery,
  IdentityLink,
  DigestDelivery,
  Kpi,
  KpiPoint,
  SurveyAnswer,
  Monitor,
  MonitorRun,
  IrritantLink,
];

/** The one set of options behind the app's DataSource and the TypeORM CLI's. */
export function dataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    // Listed, not globbed: the same list works from compiled code, from ts under jest, and in bundles.
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migration',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is core PostgreSQL since 13: no extension to install, on the server or in PGlite.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    logging: false,
    extra: { max: poolSize, connectionTimeoutMillis: 10_000 },
  };
}
