import { Inject, Injectable } from '@nestjs/common';
import {
  ChannelAdapterRegistry,
  ChannelsErrorCode,
  ChannelsException,
  ChannelsService,
  ChannelType,
  ResolvedChannel,
  toWebhookRequest,
  WebhookRequest,
} from '@pasokh/channel-core';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { DeliveryStatusService } from '@pasokh/delivery';
import { IngestResult, IngestService } from '@pasokh/ingest';
import type { Request } from 'express';

export interface VerifiedWebhook {
  channel: ResolvedChannel;
  request: WebhookRequest;
}

/**
 * What every provider webhook does, in one place: find the channel by the id in the URL (never from
 * the payload), check it is of the expected type, verify the signature on the raw bytes, then store
 * messages (exactly once) and apply delivery statuses — and only then answer 2xx.
 */
@Injectable()
export class WebhookIntakeService {
  constructor(
    private readonly channels: ChannelsService,
    private readonly adapters: ChannelAdapterRegistry,
    private readonly ingest: IngestService,
    private readonly statuses: DeliveryStatusService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The channel behind a webhook URL if the request is really from its provider; else 404/401. */
  async verify(channelId: string, types: readonly ChannelType[], req: Request): Promise<VerifiedWebhook> {
    const { channel, active, inboundTokenHash } = await this.channels.resolve(channelId);
    if (!types.includes(channel.type)) throw new ChannelsException(ChannelsErrorCode.CHANNEL_NOT_FOUND, `channel ${channelId} is not a ${types.join(' / ')} channel`);
    const request = toWebhookRequest(req, this.config.publicUrl);
    const adapter = this.adapters.get(channel.type);
    if (!adapter.verifyRequest?.(channel, request, inboundTokenHash)) {
      throw new ChannelsException(ChannelsErrorCode.INVALID_SIGNATURE, 'the request signature is missing or wrong');
    }
    if (!active) throw new ChannelsException(ChannelsErrorCode.CHANNEL_INACTIVE, `channel ${channelId} is deactivated`);
    return { channel, request };
  }

  /** Verifies, then stores every message and delivery status the request carries. */
  async receive(channelId: string, types: readonly ChannelType[], req: Request): Promise<{ messages: IngestResult[]; statuses: number }> {
    const { channel, request } = await this.verify(channelId, types, req);
    const adapter = this.adapters.get(channel.type);
    const messages: IngestResult[] = [];
    // In order: a provider batch (Meta sends several) keeps its sequence in the ticket.
    for (const message of (await adapter.parseInbound?.(channel, request)) ?? []) messages.push(await this.ingest.ingest(channel, message));
    const statuses = adapter.parseDeliveryEvents?.(channel, request) ?? [];
    await this.statuses.apply(channel.id, statuses);
    return { messages, statuses: statuses.length };
  }
}
