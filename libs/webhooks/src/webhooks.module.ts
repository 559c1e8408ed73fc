import { Module } from '@nestjs/common';
import { DeliveryModule } from '@pasokh/delivery';
import { IngestModule } from '@pasokh/ingest';
import { WebhookIntakeService } from './webhook-intake.service';

@Module({
  imports: [IngestModule, DeliveryModule],
  providers: [WebhookIntakeService],
  exports: [WebhookIntakeService, IngestModule],
})
export class WebhooksModule {}
