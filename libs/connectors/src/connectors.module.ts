import { Module } from '@nestjs/common';
import { IngestModule } from '@app/ingest';
import { PULL_CONNECTORS, PullConnector } from './connector';
import { PULL_CONNECTOR_LIST } from './pull-connectors';
import { SourcePoller } from './source-poller';
import { SourcesService } from './sources.service';
import { ChatConversations } from './chat/chat-conversations';

/**
 * Every pull connector, one per kind (listed in pull-connectors.ts); push sources (chat, Facebook,
 * mail webhooks) are API routes.
 */
const pullConnectors: PullConnector[] = PULL_CONNECTOR_LIST;

@Module({
  imports: [IngestModule],
  providers: [
    { provide: PULL_CONNECTORS, useValue: pullConnectors },
    SourcePoller,
    SourcesService,
    ChatConversations,
  ],
  exports: [SourcePoller, SourcesService, ChatConversations],
})
export class ConnectorsModule {}
