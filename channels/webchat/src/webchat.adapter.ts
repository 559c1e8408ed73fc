import { Injectable } from '@nestjs/common';
import {
  ChannelAdapter,
  ChannelAdapterRegistry,
  ChannelsErrorCode,
  ChannelsException,
  DeliveryError,
  OutboundMessage,
  ResolvedChannel,
  SendResult,
} from '@pasokh/channel-core';
import { BusinessHours } from '@pasokh/sla';
import { parseWebchatConfig, WebchatConfig } from './webchat-config';
import { VisitorRooms } from './visitor-rooms';

/**
 * The website chat widget: visitors write over the /webchat socket (WebchatGateway), replies go back
 * to every open tab of that visitor. A visitor with no tab open reads the reply in the widget's
 * history the next time they open it.
 */
@Injectable()
export class WebchatAdapter implements ChannelAdapter<WebchatConfig> {
  readonly type = 'webchat' as const;
  readonly secretFields = [];

  constructor(
    registry: ChannelAdapterRegistry,
    private readonly rooms: VisitorRooms,
    private readonly businessHours: BusinessHours,
  ) {
    registry.register(this);
  }

  parseConfig(raw: unknown): WebchatConfig {
    return parseWebchatConfig(raw);
  }

  /** No provider to ask (the widget connects to us); the business hours it names must exist. */
  async checkCredentials(channel: ResolvedChannel<WebchatConfig>): Promise<void> {
    if (channel.config.calendarId && !(await this.businessHours.state(channel.config.calendarId))) {
      throw new ChannelsException(ChannelsErrorCode.INVALID_CONFIG, 'config.calendarId names no business hours (GET /api/calendars)');
    }
  }

  async send(channel: ResolvedChannel<WebchatConfig>, message: OutboundMessage): Promise<SendResult> {
    // Only an instance that serves socket.io can reach the visitors (through the adapter, on any instance).
    if (!this.rooms.available) throw new DeliveryError('this instance does not serve the web chat; another will retry');
    this.rooms.send(channel.id, message.to.externalId, {
      id: message.messageId,
      direction: 'outbound',
      text: message.text,
      createdAt: new Date().toISOString(),
      agentName: message.agent?.name ?? null,
      attachments: message.attachments.map(({ id, filename, contentType, size }) => ({ id, filename, contentType, size })),
      ...(message.quickReplies.length ? { quickReplies: message.quickReplies } : {}),
    });
    // The widget reports receipt and reading by our own message id.
    return { providerMessageId: message.messageId };
  }
}
