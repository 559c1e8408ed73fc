import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type { TwilioSmsConfig } from './twilio-sms.config';

const REQUEST_TIMEOUT_MS = 15_000;
const TWILIO_HOST = /(^|\.)twilio\.com$/i;

/**
 * The SDK builds absolute https://api.twilio.com/… URLs; this sends them to the configured API root
 * instead (a regional proxy, or the local fake in tests), keeping the path and query.
 */
class BaseUrlRequestClient extends twilio.RequestClient {
  constructor(private readonly apiBaseUrl: string | undefined) {
    // Retries belong to the outbox (backoff, attempt limit, the reason on the message), not the SDK.
    super({ timeout: REQUEST_TIMEOUT_MS, autoRetry: false });
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    if (this.apiBaseUrl) {
      const uri = new URL(opts.uri);
      if (TWILIO_HOST.test(uri.hostname)) opts = { ...opts, uri: this.apiBaseUrl + uri.pathname + uri.search };
    }
    return super.request(opts);
  }
}

/**
 * One SDK client per set of credentials, kept so its connections are reused. Private to the
 * adapter: nothing outside channels/twilio-sms sees the SDK.
 */
export class TwilioClients {
  private readonly clients = new Map<string, twilio.Twilio>();

  for(config: TwilioSmsConfig): twilio.Twilio {
    const key = `${config.accountSid}\n${config.authToken}\n${config.apiBaseUrl ?? ''}`;
    let client = this.clients.get(key);
    if (!client) {
      client = twilio(config.accountSid, config.authToken, { httpClient: new BaseUrlRequestClient(config.apiBaseUrl) });
      this.clients.set(key, client);
    }
    return client;
  }

  /** True for a URL on Twilio's API (or the configured root): only those get the account's credentials. */
  isTwilioUrl(config: TwilioSmsConfig, url: URL): boolean {
    if (config.apiBaseUrl && url.origin === new URL(config.apiBaseUrl).origin) return true;
    return url.protocol === 'https:' && TWILIO_HOST.test(url.hostname);
  }
}
