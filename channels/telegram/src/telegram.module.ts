import { Module } from '@nestjs/common';
import { WebhooksModule } from '@pasokh/webhooks';
import { TelegramPoller } from './telegram-poller.service';
import { TelegramWebhookController } from './telegram-webhook.controller';
import { TelegramAdapter } from './telegram.adapter';

@Module({
  imports: [WebhooksModule],
  controllers: [TelegramWebhookController],
  providers: [TelegramAdapter, TelegramPoller],
})
export class TelegramModule {}
