import { Module } from '@nestjs/common';
import { MessagesModule } from '@pasokh/messages';
import { IngestRepository } from './ingest.repository';
import { IngestService } from './ingest.service';

@Module({
  imports: [MessagesModule],
  providers: [IngestRepository, IngestService],
  exports: [IngestService],
})
export class IngestModule {}
