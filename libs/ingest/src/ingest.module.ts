import { Module } from '@nestjs/common';
import { CsatModule } from '@pasokh/csat';
import { MessagesModule } from '@pasokh/messages';
import { SlaModule } from '@pasokh/sla';
import { IngestBatcher } from './ingest-batcher';
import { IngestRepository } from './ingest.repository';
import { IngestService } from './ingest.service';

@Module({
  imports: [MessagesModule, SlaModule, CsatModule],
  providers: [IngestRepository, IngestBatcher, IngestService],
  exports: [IngestService],
})
export class IngestModule {}
