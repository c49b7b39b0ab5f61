import { Module } from '@nestjs/common';
import { MonitoringModule } from '@app/monitoring';
import { WebhooksModule } from '@app/webhooks';
import { BoardService } from './board.service';
import { DecisionService } from './decision.service';
import { scoringProfileProvider } from './scoring-profile.provider';

@Module({
  imports: [WebhooksModule, MonitoringModule],
  providers: [scoringProfileProvider, BoardService, DecisionService],
  exports: [BoardService, DecisionService],
})
export class BoardModule {}
