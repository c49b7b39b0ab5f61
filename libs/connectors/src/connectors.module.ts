import { Module } from '@nestjs/common';
import { IngestModule } from '@app/ingest';
import { PULL_CONNECTORS, PullConnector } from './connector';
import { SourcePoller } from './source-poller';
import { SourcesService } from './sources.service';

/** Every pull connector, by kind; push sources (chat, Facebook, mail webhooks) are API routes. */
const pullConnectors: PullConnector[] = [];

@Module({
  imports: [IngestModule],
  providers: [{ provide: PULL_CONNECTORS, useValue: pullConnectors }, SourcePoller, SourcesService],
  exports: [SourcePoller, SourcesService],
})
export class ConnectorsModule {}
