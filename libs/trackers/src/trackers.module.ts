import { Module } from '@nestjs/common';
import { BoardModule } from '@app/board';
import { TrackerService } from './tracker.service';

@Module({ imports: [BoardModule], providers: [TrackerService], exports: [TrackerService] })
export class TrackersModule {}
