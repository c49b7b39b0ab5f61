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
import { AuditRepository } from './repositories/audit.repository';
import { ClassifierModelRepository } from './repositories/classifier-model.repository';
import { DeadLetterRepository } from './repositories/dead-letter.repository';
import { ImportRepository } from './repositories/import.repository';
import { SourceRepository } from './repositories/source.repository';
import { VerbatimRepository } from './repositories/verbatim.repository';

const EMBEDDED_POSTGRES = Symbol('EMBEDDED_POSTGRES');

export interface DatabaseModuleOptions {
  /** Apply pending migrations at boot (under an advisory lock, so concurrent processes apply them once). */
  migrate: boolean;
  /** In embedded mode, go through the process that has the data directory open instead of refusing. */
  joinEmbedded: boolean;
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
  VerbatimRepository,
  SourceRepository,
  DeadLetterRepository,
  AuditRepository,
  ApiKeyRepository,
  ImportRepository,
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
            config.databaseUrl === null
              ? openEmbeddedPostgres(config.dataDir, {
                  // Room for a CLI (its own pool) joining this process through the socket.
                  maxConnections: config.databasePoolSize * 2 + 4,
                  join: options.joinEmbedded,
                })
              : null,
        },
        {
          provide: DataSource,
          inject: [APP_CONFIG, EMBEDDED_POSTGRES],
          useFactory: async (config: AppConfig, embedded: EmbeddedPostgres | null) => {
            const url = embedded?.url ?? config.databaseUrl;
            if (url === null) throw new Error('no database URL');
            const dataSource = new DataSource(dataSourceOptions(url, config.databasePoolSize));
            await dataSource.initialize();
            if (options.migrate) {
              const applied = await runMigrationsOnce(dataSource);
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
