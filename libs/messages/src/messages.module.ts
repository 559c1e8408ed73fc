import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { TicketsModule } from '@pasokh/tickets';
import { memoryStorage } from 'multer';
import { AttachmentStorage, LocalDiskStorage } from './attachment-storage';
import { MessagesController } from './messages.controller';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';

@Module({
  imports: [
    TicketsModule,
    // Multer answers 413 itself once a file passes the limit, before it is all in memory.
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ storage: memoryStorage(), limits: { fileSize: config.maxAttachmentBytes, files: 1 } }),
    }),
  ],
  controllers: [MessagesController],
  providers: [MessagesRepository, MessagesService, { provide: AttachmentStorage, useClass: LocalDiskStorage }],
  exports: [MessagesRepository, AttachmentStorage],
})
export class MessagesModule {}
