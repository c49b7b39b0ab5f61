import { Module } from '@nestjs/common';
import { BoardModule } from '@app/board';
import { ExportService } from './export.service';

@Module({ imports: [BoardModule], providers: [ExportService], exports: [ExportService] })
export class ExportsModule {}
