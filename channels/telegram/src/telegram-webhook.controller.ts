import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { ParseId, Public } from '@pasokh/common';
import { WebhookIntakeService } from '@pasokh/webhooks';
import type { Request } from 'express';

@ApiTags('webhooks')
@Controller('webhooks/telegram')
export class TelegramWebhookController {
  constructor(private readonly intake: WebhookIntakeService) {}

  /**
   * Telegram's webhook call. Answered 200 only once the message is committed: Telegram retries
   * anything else, and a retry of a stored message is dropped by ingest.
   */
  @Public()
  @Post(':channelId')
  @HttpCode(200)
  @ApiHeader({ name: 'X-Telegram-Bot-Api-Secret-Token', required: true })
  async receive(@Param('channelId', ParseId) channelId: string, @Req() req: Request): Promise<void> {
    await this.intake.receive(channelId, ['telegram'], req);
  }
}
