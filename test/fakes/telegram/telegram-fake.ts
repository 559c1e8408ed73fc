import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

/** One Bot API call as the fake received it: JSON, form or multipart parameters, and any uploaded files. */
export interface RecordedCall {
  method: string;
  params: Record<string, any>;
  files: Record<string, { filename: string; content: Buffer }>;
}

export interface FakeMessage {
  method: 'sendMessage' | 'sendPhoto' | 'sendDocument';
  chatId: string;
  messageId: number;
  text?: string;
  caption?: string;
  file?: { filename: string; content: Buffer };
  /** A reply keyboard sent with the message: its rows of button texts, and whether it hides after a tap. */
  keyboard?: { rows: string[][]; oneTime: boolean };
}

interface Failure {
  code: number;
  description: string;
  method?: string;
  retryAfter?: number;
}

interface Waiter {
  limit: number;
  res: ServerResponse;
  timer: NodeJS.Timeout;
}

// The Bot API serves bots files up to this size.
const DOWNLOAD_LIMIT = 20 * 1024 * 1024;

/**
 * A local stand-in for the Telegram Bot API, one bot per instance: a real HTTP server under
 * /bot<token>/<method> with the Bot API's JSON shapes and errors, real long polling for getUpdates
 * (held requests, offset confirmation, 409 on a second poller or while a webhook is set), file
 * downloads under /file/bot<token>/<path>, and webhook calls to our server the way Telegram makes them.
 */
export class TelegramFake {
  readonly token: string;
  readonly bot: { id: number; is_bot: true; first_name: string; username: string };
  readonly calls: RecordedCall[] = [];
  readonly sent: FakeMessage[] = [];
  webhook: { url: string; secret_token?: string; allowed_updates?: string[] } | null = null;
  /** getUpdates requests answered with 409 because another one was waiting: two pollers on one bot. */
  conflicts = 0;
  /** At most this many updates per getUpdates answer (Telegram: 100), to make pollers take several rounds. */
  maxBatch = 100;
  /** Holds each non-empty getUpdates answer this long, so a test can stop a poller mid-stream. */
  answerDelayMs = 0;
  apiRoot = '';

  private server!: Server;
  private updates: Array<Record<string, any>> = [];
  private nextUpdateId = 400_000_001;
  private nextMessageId = 9_001;
  private waiter: Waiter | null = null;
  private readonly files = new Map<string, { path: string; content: Buffer | null; size: number }>();
  private readonly blocked = new Set<string>();
  private readonly unknownChats = new Set<string>();
  private readonly failures: Failure[] = [];

  constructor(botId = 7_000_000_000 + Math.floor(Math.random() * 1_000_000)) {
    this.token = `${botId}:${randomBytes(26).toString('base64url').slice(0, 35)}`;
    this.bot = { id: botId, is_bot: true, first_name: 'Pasokh Support', username: `pasokh_${botId}_bot` };
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error) => reply(res, 500, { ok: false, error_code: 500, description: `fake crashed: ${error.message}` }));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.apiRoot = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (this.waiter) this.answerWaiter([]);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- test controls ------------------------------------------------------------------------

  /** Queues an update for getUpdates (polling mode); assigns the next update_id unless it has one. */
  queueUpdate(update: Record<string, any>): Record<string, any> {
    const queued = { ...update, update_id: update.update_id ?? this.nextUpdateId++ };
    this.nextUpdateId = Math.max(this.nextUpdateId, queued.update_id + 1);
    this.updates.push(queued);
    if (this.waiter) this.answerWaiter(this.updates.slice(0, this.waiter.limit));
    return queued;
  }

  /** Updates not yet confirmed by a getUpdates with a higher offset. */
  pendingUpdates(): number {
    return this.updates.length;
  }

  /**
   * Delivers an update to our server as Telegram does: POST of the JSON Update with the secret in
   * X-Telegram-Bot-Api-Secret-Token. `secretToken` defaults to the one given to setWebhook; null sends none.
   */
  async postWebhook(serverUrl: string, channelId: string, update: Record<string, any>, secretToken?: string | null): Promise<{ status: number; body: any }> {
    return this.postWebhookBody(serverUrl, channelId, JSON.stringify({ ...update, update_id: update.update_id ?? this.nextUpdateId++ }), secretToken);
  }

  /** The same call with a body as given (for malformed payloads). */
  async postWebhookBody(serverUrl: string, channelId: string, body: string, secretToken?: string | null): Promise<{ status: number; body: any }> {
    const secret = secretToken === undefined ? this.webhook?.secret_token : secretToken;
    const response = await fetch(`${serverUrl}/webhooks/telegram/${channelId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
      body,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    return { status: response.status, body: parsed };
  }

  /** Registers a file the customer "sent"; getFile and the download then serve it. */
  addFile(content: Buffer | null, options: { fileId?: string; path?: string; size?: number } = {}): { file_id: string; file_unique_id: string; file_size: number } {
    const fileId = options.fileId ?? `AgAC${randomBytes(24).toString('base64url')}`;
    const size = options.size ?? content?.length ?? 0;
    this.files.set(fileId, { path: options.path ?? `documents/file_${this.files.size + 1}`, content, size });
    return { file_id: fileId, file_unique_id: `AQAD${randomBytes(8).toString('base64url')}`, file_size: size };
  }

  /** The user blocked the bot: sending to this chat answers 403. */
  blockBot(chatId: number | string): void {
    this.blocked.add(String(chatId));
  }

  /** The chat does not exist for this bot: sending answers 400 "chat not found". */
  forgetChat(chatId: number | string): void {
    this.unknownChats.add(String(chatId));
  }

  /** The next call (of `method`, if given) fails with this Bot API error. */
  failNext(code: number, description: string, options: { method?: string; retryAfter?: number; times?: number } = {}): void {
    for (let i = 0; i < (options.times ?? 1); i++) this.failures.push({ code, description, method: options.method, retryAfter: options.retryAfter });
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  // ---- the Bot API --------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.apiRoot);
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) return this.serveFile(res, decodeURIComponent(file[1]), decodeURIComponent(file[2]));
    const call = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!call) return reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = call;
    const params = { ...Object.fromEntries(url.searchParams), ...(await readParams(req)) };
    if (decodeURIComponent(token) !== this.token) return reply(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const { files, ...rest } = params as Record<string, any> & { files?: RecordedCall['files'] };
    this.calls.push({ method, params: rest, files: files ?? {} });

    const failure = this.takeFailure(method);
    if (failure) {
      return reply(res, failure.code, {
        ok: false,
        error_code: failure.code,
        description: failure.description,
        ...(failure.retryAfter !== undefined ? { parameters: { retry_after: failure.retryAfter } } : {}),
      });
    }

    switch (method) {
      case 'getMe':
        return ok(res, this.bot);
      case 'setWebhook':
        this.webhook = { url: rest.url, secret_token: rest.secret_token, allowed_updates: parseList(rest.allowed_updates) };
        return ok(res, true, 'Webhook was set');
      case 'deleteWebhook':
        this.webhook = null;
        if (rest.drop_pending_updates === true || rest.drop_pending_updates === 'true') this.updates = [];
        return ok(res, true, 'Webhook was deleted');
      case 'getWebhookInfo':
        return ok(res, { url: this.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: this.updates.length, allowed_updates: this.webhook?.allowed_updates });
      case 'getUpdates':
        return this.getUpdates(res, rest);
      case 'getFile':
        return this.getFile(res, String(rest.file_id ?? ''));
      case 'sendMessage':
      case 'sendPhoto':
      case 'sendDocument':
        return this.sendMessage(res, method, rest, files ?? {});
      default:
        return reply(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    }
  }

  private getUpdates(res: ServerResponse, params: Record<string, any>): void {
    if (this.webhook?.url) {
      return reply(res, 409, { ok: false, error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" });
    }
    const offset = Number(params.offset ?? 0);
    // Asking from `offset` confirms every update before it: Telegram forgets them.
    if (offset > 0) this.updates = this.updates.filter((u) => u.update_id >= offset);
    const limit = Math.min(Number(params.limit ?? 100) || 100, this.maxBatch);
    const timeoutSec = Number(params.timeout ?? 0) || 0;
    if (this.waiter) {
      // Telegram ends the older request when a second poller shows up.
      this.conflicts++;
      const older = this.waiter;
      this.waiter = null;
      clearTimeout(older.timer);
      reply(older.res, 409, { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' });
    }
    const ready = this.updates.slice(0, limit);
    if (ready.length || timeoutSec === 0) return this.sendUpdates(res, ready);
    const timer = setTimeout(() => this.answerWaiter([]), timeoutSec * 1000);
    this.waiter = { limit, res, timer };
    res.on('close', () => {
      // The poller gave up (aborted or shut down) before we answered.
      if (this.waiter?.res === res) {
        clearTimeout(this.waiter.timer);
        this.waiter = null;
      }
    });
  }

  private answerWaiter(updates: Array<Record<string, any>>): void {
    const waiter = this.waiter;
    if (!waiter) return;
    this.waiter = null;
    clearTimeout(waiter.timer);
    this.sendUpdates(waiter.res, updates);
  }

  private sendUpdates(res: ServerResponse, updates: Array<Record<string, any>>): void {
    if (!updates.length || !this.answerDelayMs) return ok(res, updates);
    setTimeout(() => ok(res, updates), this.answerDelayMs);
  }

  private getFile(res: ServerResponse, fileId: string): void {
    const file = this.files.get(fileId);
    if (!file) return reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
    if (file.size > DOWNLOAD_LIMIT) return reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request: file is too big' });
    return ok(res, { file_id: fileId, file_unique_id: `AQAD${fileId.slice(-8)}`, file_size: file.size, file_path: file.path });
  }

  private serveFile(res: ServerResponse, token: string, path: string): void {
    if (token !== this.token) return reply(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const file = [...this.files.values()].find((f) => f.path === path);
    if (!file?.content) return reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.content.length }).end(file.content);
  }

  private sendMessage(res: ServerResponse, method: FakeMessage['method'], params: Record<string, any>, files: RecordedCall['files']): void {
    const chatId = String(params.chat_id ?? '');
    if (!chatId) return reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request: chat_id is empty' });
    if (this.unknownChats.has(chatId)) return reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' });
    if (this.blocked.has(chatId)) return reply(res, 403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    const field = method === 'sendPhoto' ? 'photo' : method === 'sendDocument' ? 'document' : null;
    if (method === 'sendMessage' && !params.text) return reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
    if (field && !files[field]) return reply(res, 400, { ok: false, error_code: 400, description: `Bad Request: there is no ${field} in the request` });
    let keyboard: FakeMessage['keyboard'];
    if (params.reply_markup !== undefined) {
      const markup = typeof params.reply_markup === 'string' ? safeJson(params.reply_markup) : params.reply_markup;
      const rows = markup?.keyboard;
      if (!Array.isArray(rows) || !rows.every((row: unknown) => Array.isArray(row) && row.every((b: any) => typeof b?.text === 'string' && b.text))) {
        return reply(res, 400, { ok: false, error_code: 400, description: "Bad Request: can't parse reply keyboard markup JSON object" });
      }
      keyboard = { rows: rows.map((row: Array<{ text: string }>) => row.map((b) => b.text)), oneTime: markup.one_time_keyboard === true };
    }
    const messageId = this.nextMessageId++;
    const file = field ? files[field] : undefined;
    this.sent.push({ method, chatId, messageId, text: params.text, caption: params.caption, file, ...(keyboard ? { keyboard } : {}) });
    const message: Record<string, any> = {
      message_id: messageId,
      from: this.bot,
      chat: { id: Number(chatId), first_name: 'Customer', type: 'private' },
      date: Math.floor(Date.now() / 1000),
    };
    if (params.text) message.text = params.text;
    if (params.caption) message.caption = params.caption;
    if (field === 'photo') message.photo = [{ file_id: `AgAC-out-${messageId}`, file_unique_id: `out${messageId}`, file_size: file!.content.length, width: 800, height: 600 }];
    if (field === 'document') message.document = { file_id: `BQAC-out-${messageId}`, file_unique_id: `out${messageId}`, file_name: file!.filename, file_size: file!.content.length };
    return ok(res, message);
  }

  private takeFailure(method: string): Failure | undefined {
    const index = this.failures.findIndex((f) => !f.method || f.method === method);
    return index === -1 ? undefined : this.failures.splice(index, 1)[0];
  }
}

function ok(res: ServerResponse, result: unknown, description?: string): void {
  reply(res, 200, { ok: true, result, ...(description ? { description } : {}) });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** The Bot API takes parameters as JSON, urlencoded or multipart form data (files). */
async function readParams(req: IncomingMessage): Promise<Record<string, any>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (!raw.length) return {};
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) return JSON.parse(raw.toString('utf8'));
  if (type.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const params: Record<string, any> = {};
    const files: RecordedCall['files'] = {};
    for (const [key, value] of form.entries()) {
      if (typeof value === 'string') params[key] = value;
      else files[key] = { filename: value.name, content: Buffer.from(await value.arrayBuffer()) };
    }
    return { ...params, files };
  }
  return {};
}

function parseList(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return JSON.parse(value);
  return undefined;
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
