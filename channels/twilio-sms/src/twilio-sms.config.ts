import { ChannelsErrorCode, ChannelsException } from '@pasokh/channel-core';

export interface TwilioSmsConfig {
  accountSid: string;
  authToken: string;
  /** The E.164 number replies are sent from, when there is no Messaging Service. */
  phoneNumber?: string;
  /** Replies go through this Messaging Service (Twilio picks the sender from its pool). */
  messagingServiceSid?: string;
  /** Twilio's REST API root; tests point it at a local fake. */
  apiBaseUrl?: string;
}

const FIELDS = ['accountSid', 'authToken', 'phoneNumber', 'messagingServiceSid', 'apiBaseUrl'];

export function parseTwilioSmsConfig(raw: unknown): TwilioSmsConfig {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalidConfig('config must be an object');
  const input = raw as Record<string, unknown>;
  const unknown = Object.keys(input).filter((k) => !FIELDS.includes(k));
  if (unknown.length) throw invalidConfig(`unknown config field ${unknown.join(', ')}`);

  const accountSid = input.accountSid;
  if (typeof accountSid !== 'string' || !/^AC[0-9a-fA-F]{32}$/.test(accountSid)) throw invalidConfig('config.accountSid must be a Twilio Account SID (AC followed by 32 hex digits)');
  const authToken = input.authToken;
  if (typeof authToken !== 'string' || !/^\S{16,}$/.test(authToken)) throw invalidConfig('config.authToken must be the Twilio Auth Token of the account');
  const config: TwilioSmsConfig = { accountSid, authToken };

  if (present(input.phoneNumber)) {
    if (typeof input.phoneNumber !== 'string' || !/^\+[1-9]\d{6,14}$/.test(input.phoneNumber)) throw invalidConfig('config.phoneNumber must be an E.164 number such as +15005550006');
    config.phoneNumber = input.phoneNumber;
  }
  if (present(input.messagingServiceSid)) {
    if (typeof input.messagingServiceSid !== 'string' || !/^MG[0-9a-fA-F]{32}$/.test(input.messagingServiceSid)) {
      throw invalidConfig('config.messagingServiceSid must be a Messaging Service SID (MG followed by 32 hex digits)');
    }
    config.messagingServiceSid = input.messagingServiceSid;
  }
  if (!config.phoneNumber && !config.messagingServiceSid) throw invalidConfig('config.phoneNumber or config.messagingServiceSid is required: replies are sent from it');

  if (present(input.apiBaseUrl)) {
    if (typeof input.apiBaseUrl !== 'string' || !/^https?:\/\//i.test(input.apiBaseUrl) || !URL.canParse(input.apiBaseUrl)) throw invalidConfig('config.apiBaseUrl must be an http(s) URL');
    config.apiBaseUrl = input.apiBaseUrl.replace(/\/+$/, '');
  }
  return config;
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function invalidConfig(message: string) {
  return new ChannelsException(ChannelsErrorCode.INVALID_CONFIG, message);
}
