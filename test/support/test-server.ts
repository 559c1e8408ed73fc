import 'reflect-metadata';
import { loadConfig } from '@pasokh/config';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningServer, startServer } from '../../apps/server/src/server';
import { createTestDatabase, TestDatabase } from './test-database';
import { io, Socket } from 'socket.io-client';

export const ADMIN = { email: 'admin@example.com', password: 'admin-password' };

export interface TestServer {
  url: string;
  server: RunningServer;
  db: TestDatabase;
  dataDir: string;
  /** The first admin's bearer token. */
  adminToken: string;
  http: HttpClient;
  close(): Promise<void>;
}

export interface HttpResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Talks to the server as any client would: HTTP and JSON, nothing in-process. */
export class HttpClient {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  as(token: string | undefined): HttpClient {
    return new HttpClient(this.baseUrl, token);
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResponse<T>> {
    const init: RequestInit = { method, headers: { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' || body instanceof Buffer ? (body as string) : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const response = await fetch(this.baseUrl + path, init);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body ?? {}, headers);
  }
  patch<T = any>(path: string, body: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }
}

/** Boots the whole server on a random port against a fresh database copy. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const db = await createTestDatabase();
  try {
    return await bootOn(db, env, true);
  } catch (error) {
    await db.drop();
    throw error;
  }
}

/** A second instance on the same database (as behind a load balancer); closing it leaves the database. */
export function startPeerServer(peer: TestServer, env: Record<string, string> = {}): Promise<TestServer> {
  return bootOn(peer.db, env, false);
}

async function bootOn(db: TestDatabase, env: Record<string, string>, ownsDatabase: boolean): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pasokh-test-'));
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    PASOKH_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'),
    LOG_LEVEL: 'silent',
    OUTBOX_BACKOFF_MS: '50',
    OUTBOX_POLL_MS: '50',
    ...(db.url ? { DATABASE_URL: db.url } : {}),
    ...env,
  });
  const server = await startServer(config, { database: db.database });
  const http = new HttpClient(server.url);
  const login = await http.post('/api/auth/login', ADMIN);
  if (login.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(login.body)}`);
  return {
    url: server.url,
    server,
    db,
    dataDir,
    adminToken: login.body.accessToken,
    http: http.as(login.body.accessToken),
    close: async () => {
      await server.close();
      if (ownsDatabase) await db.drop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ApiChannel {
  id: string;
  inboundToken: string;
}

export async function createApiChannel(http: HttpClient, config: Record<string, unknown> = {}): Promise<ApiChannel> {
  const res = await http.post('/api/channels', { type: 'api', name: `api-${Math.random().toString(36).slice(2, 8)}`, config });
  if (res.status !== 201) throw new Error(`channel create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, inboundToken: res.body.inboundToken };
}

export function inbound(http: HttpClient, channel: ApiChannel, body: Record<string, unknown>) {
  return http.as(undefined).post(`/api/channels/${channel.id}/inbound`, body, { 'x-channel-token': channel.inboundToken });
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * An agent's socket.io client on /agents, with every pushed event recorded in order. With
 * `{ batch: true }` it asks for batched broadcasts (docs/API.md): each `events` frame is unpacked
 * into its events, so tests read both kinds of client the same way; `frames` counts the frames.
 * `connect` resolves once the server says `ready`, so no broadcast sent after it is missed.
 */
export class AgentClient {
  readonly events: Array<{ name: string; payload: any }> = [];
  frames = 0;

  private constructor(readonly socket: Socket) {
    socket.onAny((name, payload) => {
      this.frames++;
      if (name === 'events') for (const [inner, innerPayload] of payload) this.events.push({ name: inner, payload: innerPayload });
      else this.events.push({ name, payload });
    });
  }

  static async connect(baseUrl: string, token: string | undefined, { batch = false, ...options }: Record<string, unknown> = {}): Promise<AgentClient> {
    const auth = { ...(token ? { token } : {}), ...(batch ? { batch: true } : {}) };
    const socket = io(`${baseUrl}/agents`, { auth, transports: ['websocket'], reconnection: false, ...options });
    const client = new AgentClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    // 'connect' comes before the server has joined the socket to its rooms; 'ready' comes after.
    await client.waitFor('ready');
    return client;
  }

  of(name: string): any[] {
    return this.events.filter((e) => e.name === name).map((e) => e.payload);
  }

  /** Waits for an event matching `match`, looking at those already received first. */
  waitFor(name: string, match: (payload: any) => boolean = () => true, timeoutMs = 5_000): Promise<any> {
    return eventually(async () => this.of(name).find(match), timeoutMs, `${name} event`);
  }

  emit(name: string, payload: unknown): Promise<any> {
    return this.socket.timeout(5_000).emitWithAck(name, payload);
  }

  close(): void {
    this.socket.disconnect();
  }
}
