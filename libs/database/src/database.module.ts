import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { dataSourceOptions } from './data-source-options';
import { EmbeddedPostgres, openEmbeddedPostgres } from './embedded-postgres';
import { runMigrationsOnce } from './migrate';
import { Transactions } from './transactions';
import { ApiKeyRepository } from './repositories/api-key.repository';
import { SessionRepository } from './repositories/session.repository';
import { UserRepository } from './repositories/user.repository';
import { AuditRepository } from './repositories/audit.repository';
import { ClassifierModelRepository } from './repositories/classifier-model.repository';
import { DeadLetterRepository } from './repositories/dead-letter.repository';
import { ImportRepository } from './repositories/import.repository';
import { IrritantRepository } from './repositories/irritant.repository';
import { IrritantTitleRepository } from './repositories/irritant-title.repository';
import { BoardRepository } from './repositories/board.repository';
import { TicketRepository } from './repositories/ticket.repository';
import { RedirectRepository } from './repositories/redirect.repository';
import { WebhookRepository } from './repositories/webhook.repository';
import { IdentityLinkRepository } from './repositories/identity-link.repository';
import { DigestRepository } from './repositories/digest.repository';
import { KpiRepository } from './repositories/kpi.repository';
import { MonitorRepository } from './repositories/monitor.repository';
import { PrivacyRepository } from './repositories/privacy.repository';
import { SourceRepository } from './repositories/source.repository';
import { VerbatimRepository } from './repositories/verbatim.repository';
import { ExportRepository } from './repositories/export.repository';
import { AlertRepository } from './repositories/alert.repository';
import { ChatRepository } from './repositories/chat.repository';
import { TrackerRepository } from './repositories/tracker.repository';
import { TaxonomyRepository } from './repositories/taxonomy.repository';

const EMBEDDED_POSTGRES = Symbol('EMBEDDED_POSTGRES');

export interface DatabaseModuleOptions {
  /** Apply pending migrations at boot (under an advisory lock, so concurrent processes apply them once). */
  migrate: boolean;
}

/** Closes the pool before the embedded database it talks to, whatever order Nest tears modules down in. */
@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EMBEDDED_POSTGRES) private readonly embedded: EmbeddedPostgres | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.embedded?.close();
  }
}

const REPOSITORIES = [
  Transactions,
  ClassifierModelRepository,
  TaxonomyRepository,
  VerbatimRepository,
  SourceRepository,
  DeadLetterRepository,
  AuditRepository,
  ApiKeyRepository,
  UserRepository,
  SessionRepository,
  ImportRepository,
  IrritantRepository,
  IrritantTitleRepository,
  BoardRepository,
  TicketRepository,
  RedirectRepository,
  WebhookRepository,
  IdentityLinkRepository,
  DigestRepository,
  KpiRepository,
  MonitorRepository,
  PrivacyRepository,
  ExportRepository,
  AlertRepository,
  ChatRepository,
  TrackerRepository,
];

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: EMBEDDED_POSTGRES,
          inject: [APP_CONFIG],
          useFactory: async (config: AppConfig) =>
            config.databaseUrl === null ? openEmbeddedPostgres(config.dataDir) : null,
        },
        {
          provide: DataSource,
          inject: [APP_CONFIG, EMBEDDED_POSTGRES],
          useFactory: async (config: AppConfig, embedded: EmbeddedPostgres | null) => {
            const url = embedded?.url ?? config.databaseUrl;
            if (url === null) throw new Error('no database URL');
            // PGlite is one session behind its socket: one connection, or the queries of concurrent
            // connections interleave (see embedded-postgres.ts).
            const poolSize = embedded ? 1 : config.databasePoolSize;
            const dataSource = new DataSource(dataSourceOptions(url, poolSize));
            await dataSource.initialize();
            if (options.migrate) {
              // One process owns an embedded database: no one to race, and no second connection for the lock.
              const applied = await runMigrationsOnce(dataSource, { lock: !embedded });
              if (applied.length > 0) new Logger('Database').log(`applied migrations: ${applied.join(', ')}`);
            }
            return dataSource;
          },
        },
        DatabaseLifecycle,
        ...REPOSITORIES,
      ],
      exports: [DataSource, ...REPOSITORIES],
    };
  }
}
