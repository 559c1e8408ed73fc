import { Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { ChannelsErrorCode, ChannelsException, ChannelsService } from '@pasokh/channel-core';
import { ParseId, Public } from '@pasokh/common';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { IngestResult, IngestService } from '@pasokh/ingest';
import type { Request } from 'express';
import { ApiChannelAdapter } from './api-channel.adapter';

@ApiTags('channels')
@Controller('api/channels')
export class ApiChannelController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly adapter: ApiChannelAdapter,
    private readonly ingest: IngestService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** 202 once the message is committed; the same externalMessageId again returns the same ids. */
  @Public()
  @Post(':id/inbound')
  @HttpCode(202)
  @ApiHeader({ name: 'X-Channel-Token', required: true })
  async inbound(@Param('id', ParseId) id: string, @Req() req: Request & { rawBody?: Buffer }): Promise<IngestResult> {
    const { channel, active, inboundTokenHash } = await this.channels.resolve(id);
    if (channel.type !== 'api') throw new ChannelsException(ChannelsErrorCode.CHANNEL_NOT_FOUND, `channel ${id} is not an API channel`);
    const request = { url: this.config.publicUrl + req.originalUrl, headers: req.headers, rawBody: req.rawBody ?? Buffer.alloc(0), body: req.body };
    if (!this.adapter.verifyRequest(channel, request, inboundTokenHash)) {
      throw new ChannelsException(ChannelsErrorCode.INVALID_SIGNATURE, 'X-Channel-Token is missing or wrong');
    }
    if (!active) throw new ChannelsException(ChannelsErrorCode.CHANNEL_INACTIVE, `channel ${id} is deactivated`);
    const [message] = await this.adapter.parseInbound(channel, request);
    return this.ingest.ingest(channel, message);
  }
}
