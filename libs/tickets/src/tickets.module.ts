import { Module } from '@nestjs/common';
import { SlaModule } from '@pasokh/sla';
import { TicketsController } from './tickets.controller';
import { TicketsRepository } from './tickets.repository';
import { SnoozeWaker } from './snooze-waker';
import { TicketsService } from './tickets.service';

@Module({
  imports: [SlaModule],
  controllers: [TicketsController],
  providers: [TicketsRepository, TicketsService, SnoozeWaker],
  exports: [TicketsRepository, TicketsService],
})
export class TicketsModule {}
