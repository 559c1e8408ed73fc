import { Inject, Injectable } from '@nestjs/common';
import { ChannelsService, ResolvedChannel } from '@pasokh/channel-core';
import { DomainException } from '@pasokh/common';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { VisitorTokens } from './visitor-token';
import { WebchatConfig } from './webchat-config';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why a visitor is turned away; `code` is for the widget to act on (docs/API.md, /webchat). */
export class Refusal extends Error {
  constructor(
    readonly code: 'CHANNEL_NOT_FOUND' | 'CHANNEL_INACTIVE' | 'ORIGIN_NOT_ALLOWED' | 'INVALID_VISITOR_TOKEN',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Who may talk on a web chat channel, for the socket and for file uploads alike: an active web chat
 * channel, a page on one of its allowed origins, and a visitor token it issued (or none: a new visitor).
 */
@Injectable()
export class VisitorAdmission {
  private readonly tokens: VisitorTokens;

  constructor(
    private readonly channels: ChannelsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.tokens = new VisitorTokens(config.secretKey!);
  }

  async channel(channelId: unknown, origin: string | undefined): Promise<ResolvedChannel<WebchatConfig>> {
    if (typeof channelId !== 'string' || !UUID.test(channelId)) throw new Refusal('CHANNEL_NOT_FOUND', 'the channel id must name a web chat channel');
    const resolved = await this.channels.resolve(channelId).catch((error: unknown) => {
      if (error instanceof DomainException) return null;
      throw error;
    });
    if (!resolved || resolved.channel.type !== 'webchat') throw new Refusal('CHANNEL_NOT_FOUND', 'no web chat channel has this id');
    if (!resolved.active) throw new Refusal('CHANNEL_INACTIVE', 'this chat is switched off');
    const channel = resolved.channel as ResolvedChannel<WebchatConfig>;
    if (!this.originAllowed(channel, origin)) throw new Refusal('ORIGIN_NOT_ALLOWED', 'this site may not open the chat');
    return channel;
  }

  originAllowed(channel: ResolvedChannel<WebchatConfig>, origin: string | undefined): boolean {
    return !channel.config.allowedOrigins.length || channel.config.allowedOrigins.includes(String(origin ?? '').toLowerCase());
  }

  /** The visitor a token names; without one (null/undefined) and `allowNew`, a new visitor. */
  visitor(channelId: string, token: unknown, allowNew: boolean): { visitorId: string; token: string } {
    if ((token === undefined || token === null) && allowNew) return this.tokens.issue(channelId);
    const visitorId = typeof token === 'string' ? this.tokens.verify(channelId, token) : null;
    if (!visitorId) throw new Refusal('INVALID_VISITOR_TOKEN', 'the visitor token is not valid for this chat; start a new conversation');
    return { visitorId, token: token as string };
  }
}
