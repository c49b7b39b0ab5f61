/**
 * The DataSource of the TypeORM CLI (`npm run migration:generate|migration:run`), built from the same
 * validated config and options as the application's. Without DATABASE_URL it opens the embedded
 * database (and refuses while a server has it open).
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfigOrExit } from '@app/config';
import { dataSourceOptions } from './data-source-options';
import { openEmbeddedPostgres } from './embedded-postgres';

async function cliDataSource(): Promise<DataSource> {
  const config = loadConfigOrExit();
  let url = config.databaseUrl;
  if (url === null) {
    const embedded = await openEmbeddedPostgres(config.dataDir);
    url = embedded.url;
    process.once('beforeExit', () => void embedded.close());
  }
  return new DataSource(dataSourceOptions(url, 1));
}

export const dataSource = cliDataSource();
