import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { ParseId, Public } from '@pasokh/common';
import { IngestResult, IngestService } from '@pasokh/ingest';
import { WebhookIntakeService } from '@pasokh/webhooks';
import type { Request } from 'express';
import { ApiChannelAdapter } from './api-channel.adapter';

@ApiTags('channels')
@Controller('api/channels')
export class ApiChannelController {
  constructor(
    private readonly intake: WebhookIntakeService,
    private readonly adapter: ApiChannelAdapter,
    private readonly ingest: IngestService,
  ) {}

  /** 202 once the message is committed; the same externalMessageId again returns the same ids. */
  @Public()
  @Post(':id/inbound')
  @HttpCode(202)
  @ApiHeader({ name: 'X-Channel-Token', required: true })
  async inbound(@Param('id', ParseId) id: string, @Req() req: Request): Promise<IngestResult> {
    const { channel, request } = await this.intake.verify(id, ['api'], req);
    const [message] = await this.adapter.parseInbound(channel, request);
    return this.ingest.ingest(channel, message);
  }
}
