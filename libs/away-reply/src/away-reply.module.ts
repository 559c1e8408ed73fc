import { Module } from '@nestjs/common';
import { MessagesModule } from '@pasokh/messages';
import { SlaModule } from '@pasokh/sla';
import { AwayReplyService } from './away-reply.service';

/** The reply to a new ticket outside its channel's business hours. */
@Module({
  imports: [MessagesModule, SlaModule],
  providers: [AwayReplyService],
})
export class AwayReplyModule {}
