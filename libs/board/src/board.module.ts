import { Module } from '@nestjs/common';
import { MonitoringModule } from '@app/monitoring';
import { WebhooksModule } from '@app/webhooks';
import { BoardService } from './board.service';
import { DecisionService } from './decision.service';
import { DecisionsInForce } from './in-force';
import { MondayJobs } from './monday.jobs';
import { MonitorSignals } from './monitor-signals';
import { ReadCache } from './read-cache';
import { scoringProfileProvider } from './scoring-profile.provider';

@Module({
  imports: [WebhooksModule, MonitoringModule],
  providers: [
    scoringProfileProvider,
    ReadCache,
    DecisionsInForce,
    MonitorSignals,
    BoardService,
    DecisionService,
    MondayJobs,
  ],
  exports: [BoardService, DecisionService, DecisionsInForce, MonitorSignals],
})
export class BoardModule {}
