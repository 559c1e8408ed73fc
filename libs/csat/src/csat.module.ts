import { Module } from '@nestjs/common';
import { MessagesModule } from '@pasokh/messages';
import { CsatRepository } from './csat.repository';
import { CsatService } from './csat.service';

/** Customer satisfaction: the survey when a ticket is resolved, and the rating in the customer's reply. */
@Module({
  imports: [MessagesModule],
  providers: [CsatRepository, CsatService],
  exports: [CsatService],
})
export class CsatModule {}
