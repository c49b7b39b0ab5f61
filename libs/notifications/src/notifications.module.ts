import { Module } from '@nestjs/common';
import { AlertsModule } from '@app/alerts';
import { BoardModule } from '@app/board';
import { DigestModule } from '@app/digest';
import { ChatService } from './chat.service';

@Module({
  imports: [AlertsModule, BoardModule, DigestModule],
  providers: [ChatService],
  exports: [ChatService],
})
export class NotificationsModule {}
