import { Module } from '@nestjs/common';
import { WebhooksModule } from '@pasokh/webhooks';
import { TwilioSmsAdapter } from './twilio-sms.adapter';
import { TwilioWebhookController } from './twilio-webhook.controller';

@Module({
  imports: [WebhooksModule],
  controllers: [TwilioWebhookController],
  providers: [TwilioSmsAdapter],
})
export class TwilioSmsModule {}
