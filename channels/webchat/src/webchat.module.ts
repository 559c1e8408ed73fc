import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { memoryStorage } from 'multer';
import { WebhooksModule } from '@pasokh/webhooks';
import { DeliveryModule } from '@pasokh/delivery';
import { MessagesModule } from '@pasokh/messages';
import { SlaModule } from '@pasokh/sla';
import { AgentTypingRelay } from './agent-typing.relay';
import { VisitorAdmission } from './visitor-admission';
import { VisitorFilesController } from './visitor-files.controller';
import { VisitorMessagesRepository } from './visitor-messages.repository';
import { VisitorRooms } from './visitor-rooms';
import { WebchatAdapter } from './webchat.adapter';
import { WebchatGateway } from './webchat.gateway';
import { WidgetController } from './widget.controller';

@Module({
  imports: [
    WebhooksModule,
    DeliveryModule,
    MessagesModule,
    SlaModule,
    // Multer answers 413 itself once a file passes the limit, before it is all in memory.
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ storage: memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: config.maxAttachmentBytes, files: 1 } }),
    }),
  ],
  controllers: [WidgetController, VisitorFilesController],
  providers: [VisitorAdmission, VisitorRooms, WebchatAdapter, WebchatGateway, VisitorMessagesRepository, AgentTypingRelay],
})
export class WebchatModule {}
