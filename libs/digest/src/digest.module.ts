import { Module } from '@nestjs/common';
import { BoardModule } from '@app/board';
import { MonitoringModule } from '@app/monitoring';
import { DigestService } from './digest.service';

@Module({ imports: [BoardModule, MonitoringModule], providers: [DigestService], exports: [DigestService] })
export class DigestModule {}
