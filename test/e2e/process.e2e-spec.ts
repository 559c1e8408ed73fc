import { PGlite } from '@electric-sql/pglite';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createProcessDatabase, killServerProcesses, ProcessDatabase, ServerProcess, spawnServer, startServerProcess } from '../support/server-process';
import { ADMIN, ApiChannel, createApiChannel, HttpClient, inbound } from '../support/test-server';

/**
 * The server as an operator runs it: `node dist/apps/server/src/main.js`, configured by environment,
 * stopped by signals. Runs against PGlite in a DATA_DIR, or against the server in DATABASE_URL.
 */
const embedded = !process.env.DATABASE_URL;
const BASE_ENV = { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'warn', OUTBOX_POLL_MS: '200' };

const databases: ProcessDatabase[] = [];
const tempDirs: string[] = [];

afterAll(async () => {
  await killServerProcesses();
  await Promise.all(databases.map((db) => db.drop().catch(() => undefined)));
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

async function freshDatabase(): Promise<ProcessDatabase> {
  const db = await createProcessDatabase();
  databases.push(db);
  return db;
}

function start(db: ProcessDatabase): Promise<ServerProcess> {
  return startServerProcess({ ...BASE_ENV, ...db.env });
}

async function adminClient(proc: ServerProcess): Promise<HttpClient> {
  const http = new HttpClient(proc.url);
  const login = await http.post('/api/auth/login', ADMIN);
  if (login.status !== 200) throw new Error(`admin login failed: ${login.status} ${JSON.stringify(login.body)}`);
  return http.as(login.body.accessToken);
}

/** Runs SQL on the database a (stopped, in embedded mode) server process used. */
async function query<T = Record<string, unknown>>(db: ProcessDatabase, sql: string, params: unknown[] = []): Promise<T[]> {
  if (db.url) {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }
  const pglite = await PGlite.create({ dataDir: join(db.dataDir, 'pgdata') });
  try {
    return (await pglite.query<T>(sql, params)).rows;
  } finally {
    await pglite.close();
  }
}

type Outcome = { status: number; body: any } | { error: string };

/** A connection-level failure (refused, reset, closed), as opposed to an HTTP answer. */
function connectionError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return `${(error as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}`;
}

async function send(http: HttpClient, channel: ApiChannel, id: string, customer: string): Promise<Outcome> {
  try {
    const res = await inbound(http, channel, { externalMessageId: id, from: { externalId: customer, name: `Customer ${customer}` }, text: `message ${id}` });
    return { status: res.status, body: res.body };
  } catch (error) {
    return { error: connectionError(error) };
  }
}

const acked = (o: Outcome | undefined): o is { status: 202; body: any } => !!o && 'status' in o && o.status === 202;

describe('the server process', () => {
  it('refuses a bad environment, naming every bad variable and never echoing a password', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pasokh-proc-'));
    tempDirs.push(dataDir);
    const proc = await spawnServer({ DATA_DIR: dataDir, PORT: 'abc', DATABASE_URL: 'mysql://pasokh:hunter2-secret@db.example:3306/pasokh' });

    await expect(proc.exited).resolves.toEqual({ code: 78, signal: null });
    const stderr = proc.stderr();
    expect(stderr).toContain('pasokh: Invalid environment');
    expect(stderr).toMatch(/PORT must be an integer from 0 to 65535 \(got "abc"\)/);
    expect(stderr).toMatch(/DATABASE_URL must be a URL starting with postgres:\/\//);
    expect(stderr + proc.stdout()).not.toContain('hunter2-secret');
    expect(stderr + proc.stdout()).not.toContain('db.example');
    await expect(fetch(`${proc.url}/api/health`)).rejects.toThrow();
  });

  it('refuses a second process on the same DATA_DIR while the first keeps serving', async () => {
    // The DATA_DIR lock guards the embedded database only; a PostgreSQL server takes many instances.
    if (!embedded) return;
    const db = await freshDatabase();
    const first = await start(db);

    const second = await spawnServer({ ...BASE_ENV, ...db.env });
    await expect(second.exited).resolves.toEqual({ code: 75, signal: null });
    expect(second.stderr()).toContain(`pasokh: DATA_DIR ${db.dataDir} is in use by another Pasokh process (pid ${first.pid}`);

    const health = await fetch(`${first.url}/api/health`);
    expect(health.status).toBe(200);
    await expect(health.json()).resolves.toMatchObject({ status: 'ok', database: { status: 'up', kind: 'pglite' } });
    expect(JSON.parse(readFileSync(join(db.dataDir, 'pasokh.lock'), 'utf8'))).toMatchObject({ pid: first.pid });

    await expect(first.stop('SIGTERM')).resolves.toBe(0);
    expect(existsSync(join(db.dataDir, 'pasokh.lock'))).toBe(false);
  });

  it('shuts down gracefully on SIGTERM: in-flight requests finish, nothing answered is lost', async () => {
    const db = await freshDatabase();
    const proc = await start(db);
    expect(proc.stdout()).toContain('Pasokh listening on');
    const http = await adminClient(proc);
    const channel = await createApiChannel(http);

    // 50 concurrent clients, each sending one message after another: until the server goes away, or
    // until it has had one answer to a request sent after the signal (on its kept-alive connection).
    const outcomes = new Map<string, Outcome>();
    const sentBeforeSignal = new Set<string>();
    let signalled = false;
    let ackedCount = 0;
    let onAcks!: () => void;
    const enoughAcks = new Promise<void>((resolve) => (onAcks = resolve));
    const client = async (c: number) => {
      for (let k = 0; ; k++) {
        const id = `term-${c}-${k}`;
        const before = !signalled;
        if (before) sentBeforeSignal.add(id);
        const outcome = await send(http, channel, id, `term-customer-${c % 10}`);
        outcomes.set(id, outcome);
        if (acked(outcome) && ++ackedCount >= 50) onAcks();
        if ('error' in outcome || !before) return;
      }
    };
    const load = Promise.all(Array.from({ length: 50 }, (_, c) => client(c)));
    await enoughAcks;
    signalled = true;
    const inFlightAtSignal = [...sentBeforeSignal].filter((id) => !outcomes.has(id));
    const started = Date.now();
    const code = proc.stop('SIGTERM', 30_000);
    await load;

    await expect(code).resolves.toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    // The signal landed mid-load, and requests in flight then were still answered. (Some may instead
    // see a reset: connections the kernel accepted but Node had not yet, when the listener closed.)
    expect(inFlightAtSignal.length).toBeGreaterThan(0);
    expect(inFlightAtSignal.filter((id) => acked(outcomes.get(id))).length).toBeGreaterThan(0);
    // Every request got a 202 or could not reach the server; never a 5xx or any other answer.
    expect([...outcomes.values()].filter((o) => !acked(o) && !('error' in o))).toEqual([]);
    expect(proc.stderr()).not.toMatch(/shutdown failed|failed to start/);
    if (embedded) expect(existsSync(join(db.dataDir, 'pasokh.lock'))).toBe(false);

    const ackedIds = [...outcomes].filter(([, o]) => acked(o)).map(([id]) => id);
    expect(ackedIds.length).toBeGreaterThanOrEqual(50);

    // After a restart every acknowledged message is there, once, under the id it was answered with.
    const again = await start(db);
    const http2 = await adminClient(again);
    const resent = await Promise.all(ackedIds.map(async (id) => ({ id, outcome: await send(http2, channel, id, `term-customer-${Number(id.split('-')[1]) % 10}`) })));
    expect(resent.filter(({ outcome }) => !acked(outcome) || outcome.body.duplicate !== true).map(({ id }) => id)).toEqual([]);
    expect(resent.filter(({ id, outcome }) => (outcome as { body: any }).body.messageId !== (outcomes.get(id) as { body: any }).body.messageId)).toEqual([]);
    await expect(again.stop('SIGTERM')).resolves.toBe(0);

    const rows = await query<{ external_message_id: string; n: number }>(
      db,
      `SELECT external_message_id, count(*)::int AS n FROM messages WHERE channel_id = $1 GROUP BY external_message_id`,
      [channel.id],
    );
    const stored = new Map(rows.map((r) => [r.external_message_id, r.n]));
    expect(ackedIds.filter((id) => stored.get(id) !== 1)).toEqual([]);
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
  }, 180_000);

  it('loses and duplicates nothing when killed with SIGKILL mid-load and the client retries', async () => {
    const N = 300;
    const CONCURRENCY = 20;
    const db = await freshDatabase();
    const proc = await start(db);
    const http = await adminClient(proc);
    const channel = await createApiChannel(http);
    const ids = Array.from({ length: N }, (_, i) => `kill-${i}`);
    const customerOf = (id: string) => `kill-customer-${Number(id.slice(5)) % 30}`;

    const runLoad = async (client: HttpClient, todo: string[], onOutcome: (id: string, o: Outcome) => void) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < todo.length) {
            const id = todo[next++];
            onOutcome(id, await send(client, channel, id, customerOf(id)));
          }
        }),
      );
    };

    const first = new Map<string, Outcome>();
    let ackedCount = 0;
    let killed = false;
    await runLoad(http, ids, (id, o) => {
      first.set(id, o);
      if (acked(o) && ++ackedCount >= 100 && !killed) {
        killed = true;
        proc.child.kill('SIGKILL');
      }
    });
    await expect(proc.exited).resolves.toEqual({ code: null, signal: 'SIGKILL' });
    const firstAcked = ids.filter((id) => acked(first.get(id)));
    // The kill landed mid-load: some messages were answered, some were not.
    expect(firstAcked.length).toBeGreaterThanOrEqual(100);
    expect(firstAcked.length).toBeLessThan(N);
    expect([...first.values()].filter((o) => !acked(o) && !('error' in o))).toEqual([]);
    // SIGKILL leaves the lock behind; the next start must take it over.
    if (embedded) expect(existsSync(join(db.dataDir, 'pasokh.lock'))).toBe(true);

    const again = await start(db);
    const http2 = await adminClient(again);
    const health = await http2.get('/api/health');
    expect(health.body.database).toMatchObject({ status: 'up', kind: embedded ? 'pglite' : 'postgres' });

    // The client retries everything it has no 202 for, and (to be strict) re-sends the rest too.
    const unacked = ids.filter((id) => !acked(first.get(id)));
    const retry = new Map<string, Outcome>();
    await runLoad(http2, [...unacked, ...firstAcked], (id, o) => retry.set(id, o));
    expect(ids.filter((id) => !acked(retry.get(id)))).toEqual([]);
    // What was answered before the crash is recognised as the same message.
    expect(firstAcked.filter((id) => (retry.get(id) as { body: any }).body.duplicate !== true)).toEqual([]);
    expect(firstAcked.filter((id) => (retry.get(id) as { body: any }).body.messageId !== (first.get(id) as { body: any }).body.messageId)).toEqual([]);
    await expect(again.stop('SIGTERM')).resolves.toBe(0);

    const [messages] = await query<{ n: number; distinct_ids: number }>(
      db,
      `SELECT count(*)::int AS n, count(DISTINCT external_message_id)::int AS distinct_ids FROM messages WHERE channel_id = $1`,
      [channel.id],
    );
    expect(messages).toEqual({ n: N, distinct_ids: N });
    const storedIds = await query<{ external_message_id: string }>(db, `SELECT external_message_id FROM messages WHERE channel_id = $1`, [channel.id]);
    expect(storedIds.map((r) => r.external_message_id).sort()).toEqual([...ids].sort());

    const [orphans] = await query<Record<string, number>>(
      db,
      `SELECT
         (SELECT count(*)::int FROM messages m WHERE NOT EXISTS (SELECT 1 FROM tickets t WHERE t.id = m.ticket_id)) AS messages_without_ticket,
         (SELECT count(*)::int FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = t.customer_id)) AS tickets_without_customer,
         (SELECT count(*)::int FROM customers c WHERE NOT EXISTS (SELECT 1 FROM customer_identities i WHERE i.customer_id = c.id)) AS customers_without_identity,
         (SELECT count(*)::int FROM tickets t WHERE t.message_count <> (SELECT count(*) FROM messages m WHERE m.ticket_id = t.id)) AS tickets_with_wrong_count`,
    );
    expect(orphans).toEqual({ messages_without_ticket: 0, tickets_without_customer: 0, customers_without_identity: 0, tickets_with_wrong_count: 0 });
    const [people] = await query<{ customers: number; identities: number; tickets: number }>(
      db,
      `SELECT (SELECT count(*)::int FROM customers) AS customers,
              (SELECT count(*)::int FROM customer_identities WHERE external_id LIKE 'kill-customer-%') AS identities,
              (SELECT count(*)::int FROM tickets WHERE channel_id = $1) AS tickets`,
      [channel.id],
    );
    expect(people).toEqual({ customers: 30, identities: 30, tickets: 30 });
  }, 180_000);

  it('logs one JSON line per request, with its id, and never a password, token or secret', async () => {
    const SIGNING_SECRET = 'signing-secret-5d1e9a';
    const db = await freshDatabase();
    const proc = await startServerProcess({ ...BASE_ENV, ...db.env, LOG_LEVEL: 'info' });
    const anonymous = new HttpClient(proc.url);
    const login = await anonymous.post('/api/auth/login', ADMIN);
    expect(login.status).toBe(200);
    const http = anonymous.as(login.body.accessToken);
    const created = await http.post('/api/channels', { type: 'api', name: 'logged', config: { callbackUrl: 'http://127.0.0.1:9/callback', secret: SIGNING_SECRET } });
    expect(created.status).toBe(201);
    const channel: ApiChannel = { id: created.body.id, inboundToken: created.body.inboundToken };

    const traced = await http.request('GET', '/api/tickets', undefined, { 'x-request-id': 'trace-42.a' });
    expect(traced.headers.get('x-request-id')).toBe('trace-42.a');
    const stored = await inbound(http, channel, { externalMessageId: 'log-1', from: { externalId: 'c-1' }, text: 'hello' });
    expect(stored.status).toBe(202);
    const generatedId = stored.headers.get('x-request-id');
    expect(generatedId).toMatch(/^[0-9a-f-]{36}$/);
    const refused = await inbound(http, { ...channel, inboundToken: 'wrong-token-value' }, { externalMessageId: 'log-2', from: { externalId: 'c-1' }, text: 'x' });
    expect(refused.status).toBe(401);
    const insane = await http.request('GET', '/api/tickets', undefined, { 'x-request-id': 'a b;forged' });
    expect(insane.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await expect(proc.stop('SIGTERM')).resolves.toBe(0);

    const out = proc.stdout();
    const lines = out.split('\n').filter((line) => line.trim());
    const records = lines.map((line) => JSON.parse(line)); // every line is JSON
    const completed = (id: string) => records.find((r) => r.msg === 'request completed' && r.req?.id === id);
    expect(completed('trace-42.a')).toMatchObject({ level: 30, req: { method: 'GET', url: '/api/tickets' }, res: { statusCode: 200 } });
    expect(completed('trace-42.a').responseTime).toEqual(expect.any(Number));
    expect(completed(generatedId!)).toMatchObject({ level: 30, req: { method: 'POST', url: `/api/channels/${channel.id}/inbound` }, res: { statusCode: 202 } });
    expect(completed(refused.headers.get('x-request-id')!)).toMatchObject({ level: 40, res: { statusCode: 401 } });
    expect(records.some((r) => /created the first admin/.test(r.msg) && r.context)).toBe(true);
    expect(records.some((r) => r.req?.url === '/api/health')).toBe(false);
    for (const secret of [ADMIN.password, login.body.accessToken, channel.inboundToken, SIGNING_SECRET, 'wrong-token-value']) {
      expect(out).not.toContain(secret);
    }
  });

  it('keeps an idle keep-alive connection open past Node\'s 5 s default (proxies hold theirs for 60 s)', async () => {
    const db = await freshDatabase();
    const proc = await start(db);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; reused: boolean; port: number }>((resolve, reject) => {
        const req = httpGet(`${proc.url}/api/health`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket, port: req.socket!.localPort! }));
        });
        req.on('error', reject);
      });
    const first = await get();
    await new Promise((resolve) => setTimeout(resolve, 6_500));
    const second = await get();
    agent.destroy();
    expect(first).toMatchObject({ status: 200, reused: false });
    expect(second).toEqual({ status: 200, reused: true, port: first.port });
    await expect(proc.stop('SIGTERM')).resolves.toBe(0);
  });

  it('serves its OpenAPI document and the Swagger UI', async () => {
    const db = await freshDatabase();
    const proc = await start(db);
    const http = new HttpClient(proc.url);

    const spec = await http.get('/api/docs-json');
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.body.paths)).toEqual(expect.arrayContaining(['/api/tickets', '/api/channels/{id}/inbound']));

    const ui = await fetch(`${proc.url}/api/docs`);
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toMatch(/text\/html/);
    await expect(ui.text()).resolves.toMatch(/swagger-ui/i);

    await expect(proc.stop('SIGTERM')).resolves.toBe(0);
  });
});
