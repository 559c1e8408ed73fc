import { Module } from '@nestjs/common';
import { DeliveryModule } from '@pasokh/delivery';
import { IngestModule } from '@pasokh/ingest';
import { MessagesModule } from '@pasokh/messages';
import { EmailIntakeService } from './email-intake.service';
import { EmailSender } from './email-sender';
import { EmailSyncService } from './email-sync.service';
import { EmailThreadsRepository } from './email-threads.repository';
import { EmailAdapter } from './email.adapter';
import { QuarantineController } from './quarantine/quarantine.controller';
import { QuarantineRepository } from './quarantine/quarantine.repository';

@Module({
  imports: [IngestModule, DeliveryModule, MessagesModule],
  controllers: [QuarantineController],
  providers: [EmailAdapter, EmailSender, EmailIntakeService, EmailThreadsRepository, EmailSyncService, QuarantineRepository],
})
export class EmailModule {}
