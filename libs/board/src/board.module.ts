import { Module } from '@nestjs/common';
import { BoardService } from './board.service';
import { DecisionService } from './decision.service';
import { scoringProfileProvider } from './scoring-profile.provider';

@Module({
  providers: [scoringProfileProvider, BoardService, DecisionService],
  exports: [BoardService, DecisionService],
})
export class BoardModule {}
