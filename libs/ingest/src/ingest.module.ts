import { Module } from '@nestjs/common';
import { MessagesModule } from '@pasokh/messages';
import { SlaModule } from '@pasokh/sla';
import { IngestRepository } from './ingest.repository';
import { IngestService } from './ingest.service';

@Module({
  imports: [MessagesModule, SlaModule],
  providers: [IngestRepository, IngestService],
  exports: [IngestService],
})
export class IngestModule {}
