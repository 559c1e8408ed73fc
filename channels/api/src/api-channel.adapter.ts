import { Injectable } from '@nestjs/common';
import {
  ChannelAdapter,
  ChannelAdapterRegistry,
  ChannelsErrorCode,
  ChannelsException,
  DeliveryError,
  InboundMessage,
  OutboundMessage,
  ResolvedChannel,
  SendResult,
  WebhookRequest,
} from '@pasokh/channel-core';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { createHash, timingSafeEqual } from 'node:crypto';
import { InboundApiMessageDto } from './dto/inbound-api-message.dto';
import { signBody } from './signature';

export interface ApiChannelConfig {
  /** Where replies are POSTed; without it replies fail with a clear reason. */
  callbackUrl?: string;
  /** HMAC key for X-Pasokh-Signature on callbacks. */
  secret?: string;
}

const CALLBACK_TIMEOUT_MS = 10_000;

/** Any system talks to Pasokh over plain HTTP: messages in with a channel token, replies out to a signed callback. */
@Injectable()
export class ApiChannelAdapter implements ChannelAdapter<ApiChannelConfig> {
  readonly type = 'api' as const;
  readonly secretFields = ['secret'];
  readonly usesInboundToken = true;

  constructor(registry: ChannelAdapterRegistry) {
    registry.register(this);
  }

  webhookPath(channelId: string): string {
    return `/api/channels/${channelId}/inbound`;
  }

  parseConfig(raw: unknown): ApiChannelConfig {
    const input = (raw ?? {}) as Record<string, unknown>;
    const unknown = Object.keys(input).filter((k) => k !== 'callbackUrl' && k !== 'secret');
    if (unknown.length) throw invalidConfig(`unknown config field ${unknown.join(', ')}`);
    const config: ApiChannelConfig = {};
    if (input.callbackUrl !== undefined && input.callbackUrl !== null) {
      if (typeof input.callbackUrl !== 'string' || !/^https?:\/\//i.test(input.callbackUrl) || !URL.canParse(input.callbackUrl)) {
        throw invalidConfig('config.callbackUrl must be an http(s) URL');
      }
      config.callbackUrl = input.callbackUrl;
    }
    if (input.secret !== undefined && input.secret !== null) {
      if (typeof input.secret !== 'string' || input.secret.length < 16) throw invalidConfig('config.secret must be a string of at least 16 characters');
      config.secret = input.secret;
    }
    if (config.callbackUrl && !config.secret) throw invalidConfig('config.secret is required with callbackUrl: callbacks are signed with it');
    return config;
  }

  async checkCredentials(): Promise<void> {
    // Nothing to check: the integration proves itself on each request with the channel token.
  }

  verifyRequest(_channel: ResolvedChannel<ApiChannelConfig>, request: WebhookRequest, inboundTokenHash: string | null): boolean {
    const header = request.headers['x-channel-token'];
    const token = Array.isArray(header) ? header[0] : header;
    if (!token || !inboundTokenHash) return false;
    const given = createHash('sha256').update(token).digest();
    return timingSafeEqual(given, Buffer.from(inboundTokenHash, 'hex'));
  }

  async parseInbound(_channel: ResolvedChannel<ApiChannelConfig>, request: WebhookRequest): Promise<InboundMessage[]> {
    const dto = plainToInstance(InboundApiMessageDto, request.body);
    const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length) throw new ChannelsException(ChannelsErrorCode.INVALID_PAYLOAD, flatten(errors).join('; '));
    return [
      {
        externalMessageId: dto.externalMessageId,
        from: dto.from,
        text: dto.text,
        html: dto.html ?? null,
        subject: dto.subject ?? null,
        threadKey: dto.threadKey ?? null,
        sentAt: dto.sentAt ? new Date(dto.sentAt) : null,
        attachments: (dto.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.contentBase64, 'base64') })),
      },
    ];
  }

  /** POSTs the reply to the callback URL, signed; X-Pasokh-Delivery lets the receiver drop a redelivery. */
  async send(channel: ResolvedChannel<ApiChannelConfig>, message: OutboundMessage): Promise<SendResult> {
    const { callbackUrl, secret } = channel.config;
    if (!callbackUrl || !secret) throw new DeliveryError('this API channel has no callbackUrl, so replies cannot be delivered', true);
    const body = Buffer.from(
      JSON.stringify({
        event: 'message.created',
        message: { id: message.messageId, text: message.text, html: message.html, attachments: message.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size })) },
        ticket: { id: message.ticketId, number: message.ticketNumber, threadKey: message.threadKey },
        to: { externalId: message.to.externalId },
        agent: message.agent,
      }),
    );
    let response: Response;
    try {
      response = await fetch(callbackUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Pasokh-Signature': signBody(secret, body), 'X-Pasokh-Delivery': message.messageId },
        body,
        signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
      });
    } catch (error) {
      throw new DeliveryError(`the callback URL could not be reached: ${(error as Error).message}`);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      // 4xx means the receiver refused this message; retrying would not change its mind.
      const permanent = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
      throw new DeliveryError(`the callback URL answered HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`, permanent);
    }
    let providerMessageId: string | null = null;
    try {
      const parsed = JSON.parse(text) as { id?: unknown };
      if (typeof parsed.id === 'string' || typeof parsed.id === 'number') providerMessageId = String(parsed.id);
    } catch {
      // a bare 2xx is a fine answer
    }
    return { providerMessageId };
  }
}

function invalidConfig(message: string) {
  return new ChannelsException(ChannelsErrorCode.INVALID_CONFIG, message);
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}).map((m) => (prefix ? `${prefix}.${m}` : m)),
    ...flatten(e.children ?? [], prefix ? `${prefix}.${e.property}` : e.property),
  ]);
}
