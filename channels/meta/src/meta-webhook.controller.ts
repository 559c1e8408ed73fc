import { Controller, Get, Header, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ChannelsErrorCode, ChannelsException, ChannelsService, ChannelType } from '@pasokh/channel-core';
import { CommonErrorCode, CommonException, ParseId, Public } from '@pasokh/common';
import { WebhookIntakeService } from '@pasokh/webhooks';
import type { Request } from 'express';
import { MetaWebhookConfig } from './meta-config';
import { secretsEqual } from './meta-signature';

const META_TYPES: readonly ChannelType[] = ['messenger', 'instagram', 'whatsapp'];

/** Meta calls one URL per channel: GET to verify the subscription, POST (signed) with events. */
@ApiExcludeController()
@Controller('webhooks/meta')
export class MetaWebhookController {
  constructor(
    private readonly intake: WebhookIntakeService,
    private readonly channels: ChannelsService,
  ) {}

  /** Meta's subscription handshake: echo hub.challenge only to a caller that knows the verify token. */
  @Public()
  @Get(':channelId')
  @Header('content-type', 'text/plain; charset=utf-8')
  async verify(@Param('channelId', ParseId) channelId: string, @Query() query: Record<string, unknown>): Promise<string> {
    const { channel } = await this.channels.resolve(channelId);
    if (!META_TYPES.includes(channel.type)) throw new ChannelsException(ChannelsErrorCode.CHANNEL_NOT_FOUND, `channel ${channelId} is not a Meta channel`);
    const { verifyToken } = channel.config as unknown as MetaWebhookConfig;
    const mode = query['hub.mode'];
    const token = query['hub.verify_token'];
    const challenge = query['hub.challenge'];
    if (mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string' || !secretsEqual(token, verifyToken)) {
      throw new CommonException(CommonErrorCode.FORBIDDEN, 'hub.mode must be subscribe and hub.verify_token must match the channel\'s verify token');
    }
    return challenge;
  }

  /** 200 only after every message and status in the batch is stored; Meta redelivers anything else. */
  @Public()
  @Post(':channelId')
  @HttpCode(200)
  async receive(@Param('channelId', ParseId) channelId: string, @Req() req: Request): Promise<{ messages: number; statuses: number }> {
    const { messages, statuses } = await this.intake.receive(channelId, META_TYPES, req);
    return { messages: messages.length, statuses };
  }
}
