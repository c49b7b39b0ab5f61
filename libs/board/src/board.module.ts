import { Module } from '@nestjs/common';
import { BoardService } from './board.service';
import { scoringProfileProvider } from './scoring-profile.provider';

@Module({ providers: [scoringProfileProvider, BoardService], exports: [BoardService] })
export class BoardModule {}
