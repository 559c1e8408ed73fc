import { Module } from '@nestjs/common';
import { WebhooksModule } from '@pasokh/webhooks';
import { InstagramAdapter } from './instagram.adapter';
import { MessengerAdapter } from './messenger.adapter';
import { MetaWebhookController } from './meta-webhook.controller';
import { WhatsAppAdapter } from './whatsapp.adapter';

/** Messenger, Instagram Direct and WhatsApp Cloud API: one webhook URL shape, three adapters. */
@Module({
  imports: [WebhooksModule],
  controllers: [MetaWebhookController],
  providers: [MessengerAdapter, InstagramAdapter, WhatsAppAdapter],
})
export class MetaModule {}
