import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { SlaModule } from '@pasokh/sla';
import { TicketsModule } from '@pasokh/tickets';
import { memoryStorage } from 'multer';
import { AttachmentStorage, LocalDiskStorage } from './attachment-storage';
import { MessagesController } from './messages.controller';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';

@Module({
  imports: [
    TicketsModule,
    SlaModule,
    // Multer answers 413 itself once a file passes the limit, before it is all in memory.
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      // Browsers send UTF-8 file names (فاکتور.pdf); busboy's default would read them as latin1.
      useFactory: (config: AppConfig) => ({ storage: memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: config.maxAttachmentBytes, files: 1 } }),
    }),
  ],
  controllers: [MessagesController],
  providers: [MessagesRepository, MessagesService, { provide: AttachmentStorage, useClass: LocalDiskStorage }],
  exports: [MessagesRepository, MessagesService, AttachmentStorage],
})
export class MessagesModule {}
