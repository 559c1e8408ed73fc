import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import twilio from 'twilio';

/** What the fake's Messages endpoint received, as the bytes and parameters that came in. */
export interface FakeSentMessage {
  sid: string;
  rawBody: Buffer;
  params: Record<string, string>;
  authorization: string | undefined;
}

export interface FakeWebhookResponse {
  status: number;
  body: string;
  contentType: string | null;
}

export interface SignOptions {
  /** Sign with another token (a forger). */
  authToken?: string;
  /** Sign against another URL than the public one. */
  signedUrl?: string;
  /** Send this header value instead of the computed one; null sends none. */
  signature?: string | null;
  /** Appended to the webhook path, e.g. "?source=messaging-service". */
  query?: string;
}

interface PlannedFailure {
  status: number;
  code: number;
  message: string;
}

/**
 * A local stand-in for Twilio's REST API (api.twilio.com/2010-04-01) and its webhooks: a real HTTP
 * server speaking Twilio's endpoints and JSON shapes, with HTTP Basic auth against one account.
 * It records what it received, fails on demand, serves MMS media, and calls our webhooks signed the
 * way Twilio signs them (HMAC-SHA1 of the URL + sorted POST parameters with the Auth Token).
 */
export class TwilioFake {
  readonly accountSid = `AC${randomBytes(16).toString('hex')}`;
  readonly authToken = randomBytes(16).toString('hex');
  readonly messagingServiceSid = `MG${randomBytes(16).toString('hex')}`;
  readonly phoneNumber = '+15005550006';
  accountStatus: 'active' | 'suspended' | 'closed' = 'active';

  readonly sent: FakeSentMessage[] = [];
  /** Every request, for asserting what was (not) called. */
  readonly requests: Array<{ method: string; path: string; authorization: string | undefined }> = [];
  private readonly failures: PlannedFailure[] = [];
  private readonly media = new Map<string, { contentType: string; body: Buffer }>();
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks), res));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The next `times` message sends fail with Twilio's error JSON. */
  failNext(status: number, code: number, times = 1, message = defaultErrorMessage(status, code)): void {
    for (let i = 0; i < times; i++) this.failures.push({ status, code, message });
  }

  reset(): void {
    this.sent.length = 0;
    this.requests.length = 0;
    this.failures.length = 0;
    this.accountStatus = 'active';
  }

  /** Serves a file under /media/<name> (Basic auth required, as with Twilio's media URLs); returns its URL. */
  addMedia(name: string, contentType: string, body: Buffer): string {
    this.media.set(name, { contentType, body });
    return `${this.url}/media/${name}`;
  }

  /** A fresh Twilio message SID ("SM" + 32 hex digits); MMS use "MM". */
  newSid(prefix: 'SM' | 'MM' = 'SM'): string {
    return prefix + randomBytes(16).toString('hex');
  }

  /** POSTs an incoming-message webhook to our server, signed against publicUrl + path. */
  sendInbound(serverUrl: string, publicUrl: string, channelId: string, params: Record<string, string>, options: SignOptions = {}): Promise<FakeWebhookResponse> {
    return this.sendWebhook(serverUrl, publicUrl, `/webhooks/twilio/${channelId}`, params, options);
  }

  /** POSTs a status callback (what Twilio sends to the statusCallback URL) to our server. */
  sendStatus(serverUrl: string, publicUrl: string, channelId: string, params: Record<string, string>, options: SignOptions = {}): Promise<FakeWebhookResponse> {
    return this.sendWebhook(serverUrl, publicUrl, `/webhooks/twilio/${channelId}/status`, params, options);
  }

  /** Signs as Twilio does, for a URL Twilio was told to call (e.g. a reply's StatusCallback). */
  sign(url: string, params: Record<string, string>, authToken = this.authToken): string {
    return twilio.getExpectedTwilioSignature(authToken, url, params);
  }

  private async sendWebhook(serverUrl: string, publicUrl: string, path: string, params: Record<string, string>, options: SignOptions): Promise<FakeWebhookResponse> {
    const pathAndQuery = path + (options.query ?? '');
    const signature = options.signature !== undefined ? options.signature : this.sign(options.signedUrl ?? publicUrl + pathAndQuery, params, options.authToken);
    const response = await fetch(serverUrl + pathAndQuery, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': 'TwilioProxy/1.1',
        'i-twilio-idempotency-token': randomBytes(8).toString('hex'),
        ...(signature === null ? {} : { 'x-twilio-signature': signature }),
      },
      body: new URLSearchParams(params).toString(),
    });
    return { status: response.status, body: await response.text(), contentType: response.headers.get('content-type') };
  }

  private handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const authorization = req.headers.authorization;
    this.requests.push({ method: req.method ?? '', path: url.pathname, authorization });
    const authorized = authorization === `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;

    const media = /^\/media\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && media) {
      if (!authorized) return this.error(res, 401, 20003, 'Authenticate');
      const file = this.media.get(decodeURIComponent(media[1]));
      if (!file) return this.error(res, 404, 20404, `The requested resource ${url.pathname} was not found`);
      res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.body.length }).end(file.body);
      return;
    }

    const account = /^\/2010-04-01\/Accounts\/([^/]+)\.json$/.exec(url.pathname);
    const messages = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(url.pathname);
    const accountSid = (account ?? messages)?.[1];
    if (!accountSid) return this.error(res, 404, 20404, `The requested resource ${url.pathname} was not found`);
    if (!authorized) return this.error(res, 401, 20003, 'Authenticate');
    if (accountSid !== this.accountSid) return this.error(res, 404, 20404, `The requested resource ${url.pathname} was not found`);

    if (account && req.method === 'GET') return this.json(res, 200, this.accountJson());
    if (messages && req.method === 'POST') return this.createMessage(body, authorization, res);
    return this.error(res, 405, 20004, 'Method not allowed');
  }

  private createMessage(rawBody: Buffer, authorization: string | undefined, res: ServerResponse): void {
    const params = Object.fromEntries(new URLSearchParams(rawBody.toString('utf8')));
    const sid = this.newSid();
    this.sent.push({ sid, rawBody, params, authorization });
    const failure = this.failures.shift();
    if (failure) return this.error(res, failure.status, failure.code, failure.message);
    if (!params.To) return this.error(res, 400, 21604, "A 'To' phone number is required.");
    if (!params.Body && !params.MediaUrl) return this.error(res, 400, 21602, 'Message body is required.');
    if (!params.From && !params.MessagingServiceSid) return this.error(res, 400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message.");
    const now = new Date().toUTCString().replace('GMT', '+0000');
    this.json(res, 201, {
      account_sid: this.accountSid,
      api_version: '2010-04-01',
      body: params.Body ?? '',
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: params.From ?? null,
      messaging_service_sid: params.MessagingServiceSid ?? null,
      num_media: '0',
      num_segments: String(segments(params.Body ?? '')),
      price: null,
      price_unit: 'USD',
      sid,
      // A Messaging Service first "accepts" the message, then picks the sender.
      status: params.MessagingServiceSid ? 'accepted' : 'queued',
      subresource_uris: { media: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}/Media.json` },
      to: params.To,
      uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}.json`,
    });
  }

  private accountJson() {
    const now = new Date().toUTCString().replace('GMT', '+0000');
    return {
      auth_token: this.authToken,
      date_created: now,
      date_updated: now,
      friendly_name: 'Pasokh test account',
      owner_account_sid: this.accountSid,
      sid: this.accountSid,
      status: this.accountStatus,
      subresource_uris: { messages: `/2010-04-01/Accounts/${this.accountSid}/Messages.json` },
      type: 'Full',
      uri: `/2010-04-01/Accounts/${this.accountSid}.json`,
    };
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  }

  private error(res: ServerResponse, status: number, code: number, message: string): void {
    this.json(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
  }
}

/** Twilio's segment count: GSM-7 text in 153-character parts, anything else UCS-2 in 67-character parts. */
function segments(body: string): number {
  const gsm = /^[\n\r -~£¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¡ÄÖÑÜ§¿äöñüà]*$/.test(body);
  const length = [...body].length;
  if (gsm) return length <= 160 ? 1 : Math.ceil(length / 153);
  return length <= 70 ? 1 : Math.ceil(length / 67);
}

function defaultErrorMessage(status: number, code: number): string {
  if (code === 21211) return "The 'To' number is not a valid phone number.";
  if (code === 21610) return 'Attempt to send to unsubscribed recipient';
  if (code === 21614) return "'To' number is not a valid mobile number";
  if (status === 429) return 'Too Many Requests';
  if (status >= 500) return 'Service Unavailable';
  return `Error ${code}`;
}
