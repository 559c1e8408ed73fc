import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ChannelAdapter,
  ChannelAdapterRegistry,
  ChannelsErrorCode,
  ChannelsException,
  DeliveryError,
  DeliveryEvent,
  InboundMessage,
  OutboundMessage,
  PendingAttachment,
  ResolvedChannel,
  SendResult,
  WebhookRequest,
} from '@pasokh/channel-core';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import twilio from 'twilio';
import { TwilioClients } from './twilio.client';
import { describeTwilioError } from './twilio-errors';
import { downloadMms } from './twilio-media';
import { formParams, inboundText, mediaFilename, readInbound, readStatusCallback } from './twilio-payload';
import { parseTwilioSmsConfig, TwilioSmsConfig } from './twilio-sms.config';

type Channel = ResolvedChannel<TwilioSmsConfig>;

/** Twilio's error shapes (RestException, TwilioServiceException); a network failure has neither field as a number. */
interface TwilioFailure {
  status?: unknown;
  code?: unknown;
  message?: string;
}

/** SMS and MMS through Twilio: signed form webhooks in, the Messages API out, status callbacks back. */
@Injectable()
export class TwilioSmsAdapter implements ChannelAdapter<TwilioSmsConfig> {
  readonly type = 'twilio_sms' as const;
  readonly secretFields = ['authToken'];
  private readonly logger = new Logger(TwilioSmsAdapter.name);
  private readonly clients = new TwilioClients();

  constructor(
    registry: ChannelAdapterRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    registry.register(this);
  }

  /** Set as the number's (or the Messaging Service's) "A message comes in" webhook in Twilio. */
  webhookPath(channelId: string): string {
    return `/webhooks/twilio/${channelId}`;
  }

  parseConfig(raw: unknown): TwilioSmsConfig {
    return parseTwilioSmsConfig(raw);
  }

  async checkCredentials(channel: Channel): Promise<void> {
    const { accountSid } = channel.config;
    let account: { status: string };
    try {
      account = await this.clients.for(channel.config).api.v2010.accounts(accountSid).fetch();
    } catch (error) {
      const { status } = error as TwilioFailure;
      if (status === 401 || status === 403) throw rejected('Twilio refused the Account SID / Auth Token');
      if (status === 404) throw rejected(`Twilio has no account ${accountSid}`);
      throw rejected(`Twilio could not be asked about the account: ${(error as Error).message}`);
    }
    if (account.status !== 'active') throw rejected(`the Twilio account is ${account.status}`);
  }

  /**
   * Twilio signs the URL it called plus every POST parameter; the library does the check. The URL is
   * PUBLIC_URL + the path and query as received, and the parameters come from the raw body, so a
   * number behind a Messaging Service (extra MessagingServiceSid parameter, its own webhook URL)
   * verifies like any other.
   */
  verifyRequest(channel: Channel, request: WebhookRequest): boolean {
    const header = request.headers['x-twilio-signature'];
    const signature = Array.isArray(header) ? header[0] : header;
    if (!signature) return false;
    const { authToken } = channel.config;
    // JSON-bodied webhooks carry a hash of the body in the signed URL instead of form parameters.
    if (new URL(request.url).searchParams.has('bodySHA256')) return twilio.validateRequestWithBody(authToken, signature, request.url, request.rawBody.toString('utf8'));
    return twilio.validateRequest(authToken, signature, request.url, formParams(request.rawBody));
  }

  async parseInbound(channel: Channel, request: WebhookRequest): Promise<InboundMessage[]> {
    if (isStatusCallback(request)) return [];
    const inbound = readInbound(formParams(request.rawBody));
    const { accountSid, authToken } = channel.config;
    const basic = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
    const attachments: PendingAttachment[] = inbound.media.map((media, i) => ({
      fetch: () =>
        downloadMms({
          url: media.url,
          filename: mediaFilename(media.url, media.contentType, i),
          contentType: media.contentType,
          authorization: this.clients.isTwilioUrl(channel.config, new URL(media.url)) ? basic : null,
          maxBytes: this.config.maxAttachmentBytes,
        }),
    }));
    const phone = /^\+[1-9]\d{6,14}$/.test(inbound.from) ? inbound.from : null;
    return [
      {
        externalMessageId: inbound.messageSid,
        // SMS carries no name: the customer is their number until an agent names them.
        from: { externalId: inbound.from, phone },
        text: inboundText(inbound),
        attachments,
      },
    ];
  }

  parseDeliveryEvents(_channel: Channel, request: WebhookRequest): DeliveryEvent[] {
    if (!isStatusCallback(request)) return [];
    const event = readStatusCallback(formParams(request.rawBody));
    return event ? [event] : [];
  }

  async send(channel: Channel, message: OutboundMessage): Promise<SendResult> {
    const { phoneNumber, messagingServiceSid } = channel.config;
    // Twilio fetches MMS media from public URLs, and Pasokh's attachment URLs need a login: files
    // cannot go out yet. With text, the text goes (a retry would not help the file); without, say so.
    if (message.attachments.length) {
      if (!message.text.trim()) throw new DeliveryError('Twilio SMS cannot send files from Pasokh yet', true);
      this.logger.warn({ messageId: message.messageId, attachments: message.attachments.length }, 'Twilio SMS reply sent without its attachments');
    }
    let sid: string;
    try {
      const sent = await this.clients.for(channel.config).messages.create({
        to: message.to.externalId,
        // The whole text, however long: Twilio splits it into segments (UCS-2 for Persian) itself.
        body: message.text,
        // A Messaging Service picks the sender from its pool (sticky sender); else the one number.
        ...(messagingServiceSid ? { messagingServiceSid } : { from: phoneNumber! }),
        statusCallback: `${this.config.publicUrl}/webhooks/twilio/${channel.id}/status`,
      });
      sid = sent.sid;
    } catch (error) {
      throw toDeliveryError(error);
    }
    return { providerMessageId: sid };
  }
}

function isStatusCallback(request: WebhookRequest): boolean {
  return new URL(request.url).pathname.endsWith('/status');
}

/** 429 and 5xx are Twilio's trouble and pass; any other 4xx is a refusal of this message. */
function toDeliveryError(error: unknown): DeliveryError {
  const { status, code, message } = error as TwilioFailure;
  if (typeof status !== 'number') return new DeliveryError(`Twilio could not be reached: ${message ?? String(error)}`);
  const reason = describeTwilioError(typeof code === 'number' ? code : null, message);
  if (status === 429) return new DeliveryError(`Twilio is rate-limiting the account: ${reason}`);
  if (status >= 500) return new DeliveryError(`Twilio answered HTTP ${status}: ${reason}`);
  if (status === 401 || status === 403) return new DeliveryError('Twilio refused the Account SID / Auth Token', true);
  return new DeliveryError(reason, true);
}

function rejected(reason: string) {
  return new ChannelsException(ChannelsErrorCode.CREDENTIALS_REJECTED, reason);
}
