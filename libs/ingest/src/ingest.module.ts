import { Module } from '@nestjs/common';
import { CustomersModule } from '@pasokh/customers';
import { MessagesModule } from '@pasokh/messages';
import { TicketsModule } from '@pasokh/tickets';
import { IngestService } from './ingest.service';

@Module({
  imports: [CustomersModule, TicketsModule, MessagesModule],
  providers: [IngestService],
  exports: [IngestService],
})
export class IngestModule {}
