import { createHmac, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export const GRAPH_VERSION = 'v21.0';

export interface GraphCall {
  method: string;
  /** Path without the version prefix, e.g. `/1234/messages`. */
  path: string;
  query: Record<string, string>;
  token: string | null;
  /** JSON body, or the text fields of a multipart form. */
  body: Record<string, any>;
  file?: { filename: string; contentType: string; content: Buffer };
}

export interface GraphErrorBody {
  error: { message: string; type?: string; code: number; error_subcode?: number; error_data?: { details?: string }; fbtrace_id?: string };
}

/**
 * A local stand-in for graph.facebook.com: the endpoints the Meta channels call, with Meta's JSON
 * shapes and token checks. It records every call, can be told to fail the next sends, and sends
 * webhooks to our server serialised and signed the way Meta does.
 */
export class GraphFake {
  url = '';
  readonly calls: GraphCall[] = [];
  /** Objects (Page ids, phone number ids) and the token that may act for them. */
  private readonly owners = new Map<string, { token: string; fields: Record<string, unknown> }>();
  private readonly profiles = new Map<string, { name?: string; username?: string }>();
  private readonly media = new Map<string, { content: Buffer; mimeType: string; token: string }>();
  private readonly cdn = new Map<string, { content: Buffer; contentType: string }>();
  private readonly failures: Array<{ status: number; body: unknown }> = [];
  private server!: Server;
  private counter = 0;

  get baseUrl(): string {
    return `${this.url}/${GRAPH_VERSION}`;
  }

  /** Message sends (POST …/messages) as Meta received them. */
  get sends(): GraphCall[] {
    return this.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/messages'));
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.handle(req, Buffer.concat(chunks), res).catch((error) => json(res, 500, { error: { message: String(error), code: 1 } }));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  addPage(pageId: string, token: string, name = 'Pasokh Test Page'): void {
    this.owners.set(pageId, { token, fields: { id: pageId, name } });
  }

  addPhoneNumber(phoneNumberId: string, token: string, display = '+1 555-078-3881'): void {
    this.owners.set(phoneNumberId, { token, fields: { id: phoneNumberId, display_phone_number: display, verified_name: 'Pasokh Test' } });
  }

  addProfile(userId: string, profile: { name?: string; username?: string }): void {
    this.profiles.set(userId, profile);
  }

  /** WhatsApp media: `GET /{id}` gives a URL on this fake that needs the same Bearer token. */
  addMedia(content: Buffer, mimeType: string, token: string): string {
    const id = String(1_000_000_000_000 + ++this.counter);
    this.media.set(id, { content, mimeType, token });
    return id;
  }

  /** A public, signed-looking CDN URL like Messenger attachment payloads carry. */
  addCdnFile(filename: string, content: Buffer, contentType: string): string {
    const key = `${randomBytes(6).toString('hex')}/${encodeURIComponent(filename)}`;
    this.cdn.set(key, { content, contentType });
    return `${this.url}/cdn/${key}?_nc_cat=1&oh=${randomBytes(8).toString('hex')}`;
  }

  /** The next `times` message sends answer `status` with Meta's error body. */
  failNext(status: number, body: GraphErrorBody, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push({ status, body });
  }

  reset(): void {
    this.calls.length = 0;
    this.failures.length = 0;
  }

  private async handle(req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'GET' && url.pathname.startsWith('/cdn/')) return this.serveCdn(url, res);
    if (req.method === 'GET' && url.pathname.startsWith('/media-files/')) return this.serveMedia(req, url, res);
    const prefix = `/${GRAPH_VERSION}/`;
    if (!url.pathname.startsWith(prefix)) return graphError(res, 400, 'Unknown path components', 2500);
    const path = url.pathname.slice(prefix.length - 1);
    const query = Object.fromEntries(url.searchParams);
    const call: GraphCall = { method: req.method ?? 'GET', path, query, token: null, body: {} };
    const contentType = req.headers['content-type'] ?? '';
    if (contentType.startsWith('application/json')) call.body = JSON.parse(raw.toString('utf8'));
    if (contentType.startsWith('multipart/form-data')) {
      const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData();
      for (const [key, value] of form.entries()) {
        if (typeof value === 'string') call.body[key] = value;
        else call.file = { filename: value.name, contentType: value.type, content: Buffer.from(await value.arrayBuffer()) };
      }
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    call.token = bearer ?? query.access_token ?? (typeof call.body.access_token === 'string' ? call.body.access_token : null);
    this.calls.push(call);

    const [, objectId, edge] = path.split('/');
    if (!call.token) return graphError(res, 400, 'An active access token must be used to query information about the current user.', 2500, 'OAuthException');
    if (call.method === 'POST' && edge === 'messages') return this.sendMessage(objectId, call, res);
    if (call.method === 'POST' && edge === 'media') return this.uploadMedia(objectId, call, res);
    if (call.method === 'GET' && !edge) return this.getObject(objectId, call, res);
    return graphError(res, 400, `Unsupported ${call.method} request.`, 100, 'GraphMethodException');
  }

  private getObject(id: string, call: GraphCall, res: ServerResponse): void {
    const owner = this.owners.get(id);
    if (owner) {
      if (owner.token !== call.token) return invalidToken(res);
      const fields = (call.query.fields ?? 'id').split(',');
      return json(res, 200, Object.fromEntries(fields.filter((f) => f in owner.fields).map((f) => [f, owner.fields[f]]).concat([['id', id]])));
    }
    const media = this.media.get(id);
    if (media) {
      if (media.token !== call.token) return invalidToken(res);
      return json(res, 200, { url: `${this.url}/media-files/${id}?ext=1&hash=${randomBytes(4).toString('hex')}`, mime_type: media.mimeType, sha256: 'x', file_size: media.content.length, id, messaging_product: 'whatsapp' });
    }
    const profile = this.profiles.get(id);
    if (profile) {
      if (![...this.owners.values()].some((o) => o.token === call.token)) return invalidToken(res);
      const fields = (call.query.fields ?? 'id').split(',');
      return json(res, 200, { id, ...Object.fromEntries(Object.entries(profile).filter(([k]) => fields.includes(k))) });
    }
    return graphError(res, 400, `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, 100, 'GraphMethodException', 33);
  }

  private sendMessage(objectId: string, call: GraphCall, res: ServerResponse): void {
    const owner = this.owners.get(objectId);
    if (!owner) return graphError(res, 400, `Unsupported post request. Object with ID '${objectId}' does not exist`, 100, 'GraphMethodException', 33);
    if (owner.token !== call.token) return invalidToken(res);
    const failure = this.failures.shift();
    if (failure) return json(res, failure.status, failure.body);
    if (call.body.messaging_product === 'whatsapp') {
      const id = `wamid.${Buffer.from(`HBgL${Date.now()}${++this.counter}`).toString('base64')}`;
      return json(res, 200, { messaging_product: 'whatsapp', contacts: [{ input: call.body.to, wa_id: call.body.to }], messages: [{ id }] });
    }
    const recipient = typeof call.body.recipient === 'string' ? JSON.parse(call.body.recipient) : call.body.recipient;
    return json(res, 200, { recipient_id: recipient?.id, message_id: `m_${randomBytes(12).toString('base64url')}` });
  }

  private uploadMedia(objectId: string, call: GraphCall, res: ServerResponse): void {
    const owner = this.owners.get(objectId);
    if (!owner) return graphError(res, 400, `Object with ID '${objectId}' does not exist`, 100, 'GraphMethodException', 33);
    if (owner.token !== call.token) return invalidToken(res);
    if (call.body.messaging_product !== 'whatsapp' || !call.file) return graphError(res, 400, '(#100) The parameter messaging_product is required.', 100);
    const id = this.addMedia(call.file.content, call.file.contentType, owner.token);
    return json(res, 200, { id });
  }

  private serveMedia(req: IncomingMessage, url: URL, res: ServerResponse): void {
    const media = this.media.get(url.pathname.split('/').pop() ?? '');
    if (!media) return void res.writeHead(404).end();
    if (req.headers.authorization !== `Bearer ${media.token}`) return void res.writeHead(401, { 'content-type': 'text/plain' }).end('Unauthorized');
    res.writeHead(200, { 'content-type': media.mimeType, 'content-length': media.content.length }).end(media.content);
  }

  private serveCdn(url: URL, res: ServerResponse): void {
    const file = this.cdn.get(url.pathname.slice('/cdn/'.length));
    if (!file) return void res.writeHead(404).end('URL signature expired');
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.content.length }).end(file.content);
  }
}

/**
 * JSON as Meta serialises webhook bodies: every non-ASCII UTF-16 unit as \uXXXX and `/` as `\/`, so
 * the signed bytes differ from what JSON.stringify of the parsed body would give.
 */
export function metaJson(payload: unknown): string {
  return JSON.stringify(payload)
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export interface WebhookResponse {
  status: number;
  body: any;
  /** The exact bytes that were signed and sent. */
  raw: string;
}

/** POSTs an event to our server as Meta does; `signature` overrides the header (null leaves it out). */
export async function postWebhook(serverUrl: string, channelId: string, payload: unknown, appSecret: string, options: { signature?: string | null } = {}): Promise<WebhookResponse> {
  const raw = metaJson(payload);
  const signature = options.signature === undefined ? `sha256=${createHmac('sha256', appSecret).update(raw, 'utf8').digest('hex')}` : options.signature;
  const response = await fetch(`${serverUrl}/webhooks/meta/${channelId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'facebookexternalua', ...(signature !== null ? { 'x-hub-signature-256': signature } : {}) },
    body: raw,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: response.status, body, raw };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': data.length }).end(data);
}

function graphError(res: ServerResponse, status: number, message: string, code: number, type = 'OAuthException', subcode?: number): void {
  json(res, status, { error: { message, type, code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: randomBytes(8).toString('base64url') } });
}

function invalidToken(res: ServerResponse): void {
  graphError(res, 400, 'Error validating access token: Session has expired or the token is invalid.', 190, 'OAuthException', 463);
}
