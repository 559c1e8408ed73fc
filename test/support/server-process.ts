import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseUrl, TEMPLATE_ENV, withAdmin } from './test-database';

const ROOT = join(__dirname, '..', '..');
/** The build that global-setup made: the server exactly as `npm start` runs it. */
export const SERVER_MAIN = join(ROOT, 'dist/apps/server/src/main.js');

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Everything the process wrote so far. */
  stdout(): string;
  stderr(): string;
  /** Settles when the process has exited (and been reaped). */
  readonly exited: Promise<ExitStatus>;
  /** Polls GET /api/health until 200; fails early, with the output, if the process exits first. */
  waitForHealth(timeoutMs?: number): Promise<void>;
  /** Sends `signal` and resolves with the exit code (null when the signal itself ended it). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

const live = new Set<ServerProcess>();

/** A port nobody listens on right now: bind port 0, read it, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Spawns `node dist/apps/server/src/main.js` with exactly `env` (plus PATH/HOME, and a free PORT unless
 * given): nothing leaks in from the test runner's environment, such as DATABASE_URL.
 */
export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = env.PORT !== undefined && /^\d+$/.test(env.PORT) ? Number(env.PORT) : await freePort();
  const childEnv: Record<string, string> = { PORT: String(port), ...env };
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG']) {
    const value = process.env[name];
    if (value !== undefined && childEnv[name] === undefined) childEnv[name] = value;
  }
  const child = spawn(process.execPath, [SERVER_MAIN], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  let status: ExitStatus | null = null;
  const exited = new Promise<ExitStatus>((resolve, reject) => {
    child.once('error', reject);
    // 'close' (not 'exit'): the output pipes are drained too, so stdout()/stderr() are complete.
    child.once('close', (code, signal) => resolve((status = { code, signal })));
  });
  const url = `http://127.0.0.1:${port}`;

  const proc: ServerProcess = {
    child,
    pid: child.pid!,
    port,
    url,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitForHealth(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let last = 'no answer yet';
      while (Date.now() < deadline) {
        if (status) throw new Error(`server exited (${describeExit(status)}) before it was healthy\nstdout:\n${out}\nstderr:\n${err}`);
        try {
          const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
          const body = await res.text();
          if (res.status === 200) return;
          last = `${res.status} ${body}`;
        } catch (error) {
          last = (error as Error).message;
        }
        await sleep(100);
      }
      throw new Error(`server not healthy after ${timeoutMs} ms (last: ${last})\nstdout:\n${out}\nstderr:\n${err}`);
    },
    async stop(signal = 'SIGTERM', timeoutMs = 30_000) {
      if (!status) child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`server did not exit within ${timeoutMs} ms of ${signal}\nstderr:\n${err}`)), timeoutMs);
      });
      try {
        return (await Promise.race([exited, timeout])).code;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  live.add(proc);
  void exited.finally(() => live.delete(proc)).catch(() => undefined);
  return proc;
}

/** Spawns the server and waits until it answers health checks. */
export async function startServerProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const proc = await spawnServer(env);
  try {
    await proc.waitForHealth(timeoutMs);
  } catch (error) {
    proc.child.kill('SIGKILL');
    await proc.exited.catch(() => undefined);
    throw error;
  }
  return proc;
}

/** For afterAll: SIGKILLs every child still running and waits for them to be reaped. */
export async function killServerProcesses(): Promise<void> {
  const procs = [...live];
  for (const proc of procs) proc.child.kill('SIGKILL');
  await Promise.all(procs.map((proc) => proc.exited.catch(() => undefined)));
}

export interface ProcessDatabase {
  /** Server mode: a fresh database's URL; embedded mode: null (the data lives in DATA_DIR/pgdata). */
  url: string | null;
  /** A fresh temporary DATA_DIR. */
  dataDir: string;
  /** The environment that points a server process at this database. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * Storage for server processes. With DATABASE_URL: a fresh database copied from the migrated template
 * on that server. Without: a fresh DATA_DIR, which the server migrates at its first start.
 */
export async function createProcessDatabase(): Promise<ProcessDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pasokh-proc-'));
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    return { url: null, dataDir, env: { DATA_DIR: dataDir }, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const template = process.env[TEMPLATE_ENV];
  if (!template) throw new Error(`${TEMPLATE_ENV} is not set: run the tests through jest (test/support/global-setup.ts)`);
  const name = `pasokh_proc_${randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, (client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  const url = databaseUrl(serverUrl, name);
  return {
    url,
    dataDir,
    env: { DATA_DIR: dataDir, DATABASE_URL: url, PASOKH_SECRET_KEY: randomBytes(32).toString('base64') },
    drop: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      await withAdmin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

function describeExit(status: ExitStatus): string {
  return status.signal ? `signal ${status.signal}` : `code ${status.code}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
