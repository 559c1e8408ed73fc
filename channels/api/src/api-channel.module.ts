import { Module } from '@nestjs/common';
import { WebhooksModule } from '@pasokh/webhooks';
import { ApiChannelAdapter } from './api-channel.adapter';
import { ApiChannelController } from './api-channel.controller';

@Module({
  imports: [WebhooksModule],
  controllers: [ApiChannelController],
  providers: [ApiChannelAdapter],
})
export class ApiChannelModule {}
