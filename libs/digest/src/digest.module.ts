import { Module } from '@nestjs/common';
import { BoardModule } from '@app/board';
import { DigestService } from './digest.service';

@Module({ imports: [BoardModule], providers: [DigestService], exports: [DigestService] })
export class DigestModule {}
