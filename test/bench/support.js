'use strict';
/*
 * Shared plumbing of the benchmarks in test/bench: options, statistics, a keep-alive HTTP helper,
 * fresh databases on the PostgreSQL server, the built server as a child process, login and channel
 * creation, and cleanup that also runs on SIGINT/SIGTERM, on failure and from a watchdog.
 * Plain CommonJS, no dependencies beyond `pg`.
 *
 *   const bench = require('../support');
 *   const h = bench.createHarness({ adminUrl });
 *   h.run(main, { watchdogMs });   // main() resolves with the result printed as the last stdout line
 */
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { Client } = require('pg');

const ROOT = path.resolve(__dirname, '..', '..');
const SERVER_ENTRY = path.join(ROOT, 'dist', 'apps', 'server', 'src', 'main.js');
const HOST = '127.0.0.1';
const REQUEST_TIMEOUT_MS = 30_000;
const HEALTH_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 40_000; // the server force-exits after 30 s itself
const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const ADMIN_EMAIL = 'bench@example.com';
const ADMIN_PASSWORD = 'bench-password';
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 };

let logTag = 'bench';
const log = (msg) => process.stderr.write(`[${logTag}] ${msg}\n`);

/** Sets the tag of log()'s `[tag]` prefix (default "bench"); also used by the harness's own messages. */
function setLogTag(tag) {
  logTag = tag;
}

// ---------------------------------------------------------------- options

/** `--key=value` / `--key value` pairs; `usage` names the accepted ones in the error. */
function parseArgs(argv, usage = '--duration=N --concurrency=N --database-url=URL') {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unknown argument ${argv[i]} (use ${usage})`);
    const key = m[1];
    const value = m[2] !== undefined ? m[2] : argv[++i];
    if (value === undefined) throw new Error(`--${key} needs a value`);
    out[key] = value;
  }
  return out;
}

function positiveInt(name, raw, fallback, max) {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(String(raw)) || Number(raw) < 1 || Number(raw) > max) throw new Error(`${name} must be an integer from 1 to ${max} (got "${raw}")`);
  return Number(raw);
}

/** Like positiveInt, but 0 is allowed. */
function nonNegativeInt(name, raw, fallback, max) {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(String(raw)) || Number(raw) > max) throw new Error(`${name} must be an integer from 0 to ${max} (got "${raw}")`);
  return Number(raw);
}

/** A URL (named `name` in the error), refused unless it points at this machine. */
function checkLocalUrl(name, url) {
  const u = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) throw new Error(`${name} must point at 127.0.0.1 (got host ${u.hostname})`);
  return url;
}

/** The admin connection URL, refused unless it points at this machine. */
function checkAdminUrl(url) {
  return checkLocalUrl('DATABASE_URL', url);
}

// ---------------------------------------------------------------- statistics

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

/** Growable Float64Array of latencies in ms; `size` is the initial capacity. */
class Samples {
  constructor(size = 1 << 16) {
    this.buf = new Float64Array(size);
    this.n = 0;
  }
  push(v) {
    if (this.n === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = v;
  }
  sorted() {
    return this.buf.slice(0, this.n).sort();
  }
}

/**
 * Counts failed requests by kind ("HTTP 500", "ECONNRESET", ...) and keeps the first `maxSamples`
 * "kind: detail" lines (`distinct`: no repeats). tally.note(kind, detail); tally.count, tally.kinds(),
 * tally.samples.
 */
function errorTally({ maxSamples = 5, distinct = false } = {}) {
  const kinds = new Map();
  const tally = {
    count: 0,
    samples: [],
    note(kind, detail) {
      tally.count++;
      kinds.set(kind, (kinds.get(kind) || 0) + 1);
      const sample = `${kind}: ${String(detail).slice(0, 300)}`;
      if (tally.samples.length < maxSamples && !(distinct && tally.samples.includes(sample))) tally.samples.push(sample);
    },
    kinds: () => Object.fromEntries(kinds),
  };
  return tally;
}

const round = (v, d = 2) => (Number.isFinite(v) ? Math.round(v * 10 ** d) / 10 ** d : null);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- network

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Keep-alive agent for `sockets` concurrent clients (plus a little room for side requests). */
function keepAliveAgent(sockets) {
  return new http.Agent({ keepAlive: true, maxSockets: sockets + 2, maxFreeSockets: sockets + 2 });
}

/**
 * One request to 127.0.0.1:port. `body`: an object (sent as JSON), a string, or a Buffer (sent as
 * these exact bytes); JSON content type unless `headers` says otherwise. Resolves { status, body }.
 */
function request(agent, port, method, urlPath, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const payload =
      body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const req = http.request(
      {
        host: HOST,
        port,
        method,
        path: urlPath,
        agent,
        headers: { ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}), ...headers },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`request timed out after ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

function readRssMb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? round(Number(m[1]) / 1024, 1) : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- the server's API

/** Logs in as the bootstrap admin the harness's server env creates; resolves the access token. */
async function login(agent, port, email = ADMIN_EMAIL, password = ADMIN_PASSWORD) {
  const res = await request(agent, port, 'POST', '/api/auth/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`login failed: HTTP ${res.status} ${res.body.slice(0, 300)}`);
  return JSON.parse(res.body).accessToken;
}

/** POST /api/channels; resolves the created channel ({ id, type, name, webhookUrl?, inboundToken? }). */
async function createChannel(agent, port, accessToken, { type, name, config }) {
  const res = await request(agent, port, 'POST', '/api/channels', {
    headers: { authorization: `Bearer ${accessToken}` },
    body: { type, name, config },
  });
  if (res.status !== 201) throw new Error(`creating the ${type} channel failed: HTTP ${res.status} ${res.body.slice(0, 300)}`);
  const channel = JSON.parse(res.body);
  if (!channel.id) throw new Error(`channel response lacks id: ${res.body.slice(0, 300)}`);
  return channel;
}

/** True if any `.ts` file below `dirs` (node_modules skipped) was modified after `mtimeMs`. */
function newerThan(dirs, mtimeMs) {
  const stack = [...dirs];
  while (stack.length) {
    const dir = stack.pop();
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') stack.push(p);
      } else if (e.name.endsWith('.ts') && fs.statSync(p).mtimeMs > mtimeMs) return true;
    }
  }
  return false;
}

/**
 * Builds the server if dist is missing, or (with `sources`: folders under ROOT) older than any `.ts`
 * below them. `stdio` of `npm run build`: inherited by default; ['ignore', 2, 2] keeps stdout clean.
 */
function ensureBuilt({ sources = [], stdio = ['ignore', 'inherit', 'inherit'] } = {}) {
  const dirs = sources.map((d) => path.join(ROOT, d));
  if (fs.existsSync(SERVER_ENTRY) && !(dirs.length && newerThan(dirs, fs.statSync(SERVER_ENTRY).mtimeMs))) return;
  log(`${path.relative(ROOT, SERVER_ENTRY)} is missing${dirs.length ? ' or older than the sources' : ''}; running npm run build`);
  const res = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio, timeout: 600_000 });
  if (res.status !== 0 || !fs.existsSync(SERVER_ENTRY)) throw new Error('npm run build failed');
}

/** Counts pino levels and non-JSON lines in a server log file; returns a short summary. */
function summariseLog(logPath) {
  let text = '';
  try {
    text = fs.readFileSync(logPath, 'utf8');
  } catch {
    return { lines: 0, warn: 0, error: 0, other: 0, top: [] };
  }
  const out = { lines: 0, warn: 0, error: 0, other: 0, top: [] };
  const kinds = new Map();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    out.lines++;
    let level = null;
    let msg = line;
    try {
      const rec = JSON.parse(line);
      level = rec.level;
      msg = `${rec.msg ?? ''}${rec.err ? ` | ${(rec.err.type || '')}: ${String(rec.err.message || '').slice(0, 200)}` : ''}`;
    } catch {
      // not JSON
    }
    if (typeof level === 'number' && level >= 50) out.error++;
    else if (level === 40) out.warn++;
    else if (level === null) out.other++;
    else continue; // info lines (the "listening" line)
    const key = `${level === null ? 'raw' : level} ${msg.slice(0, 300)}`;
    kinds.set(key, (kinds.get(key) || 0) + 1);
  }
  out.top = [...kinds.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([k, n]) => `${n} × ${k}`);
  return out;
}

/** "20260101120000_ab12": a database-name-safe stamp unique to this run. */
function runStamp() {
  return `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${crypto.randomBytes(2).toString('hex')}`;
}

// ---------------------------------------------------------------- harness: state that must be cleaned up

/**
 * One run's resources (databases, the server process(es), a temporary DATA_DIR, extra cleanup steps)
 * and the lifecycle around main(): signals, watchdog, cleanup, exit code, the final JSON line.
 * Usually one server (h.child); startServer() can also start several named ones (see there).
 */
class Harness {
  constructor({ adminUrl = DEFAULT_ADMIN_URL } = {}) {
    this.adminUrl = checkAdminUrl(adminUrl);
    this.databases = []; // created database names, dropped at the end
    this.child = null; // the last started server process, until stopServer() without argument stops it
    this.childExit = null; // promise resolved with { code, signal }
    this.servers = []; // every started server: { name, child, exit, port, logPath, stopping }
    this.tmpDir = null;
    this.serverLog = []; // last lines of the server's stdout/stderr
    this.serverLogLines = 0;
    this.lineListeners = []; // fn(line) for every non-empty line the server prints
    this.cleanups = []; // extra steps (e.g. closing a stub server), run after the server stopped
    this.preStopCleanups = []; // extra steps run before the servers are stopped (e.g. closing client sockets)
    this.cleaning = null;
    this.aborted = null; // the signal name once SIGINT/SIGTERM arrived: every loop and step stops
  }

  checkAbort() {
    if (this.aborted) throw new Error(`aborted by ${this.aborted}`);
  }

  /**
   * Registers a step for cleanup (also on signal/failure/watchdog). By default it runs after the
   * servers stopped, in reverse order of registration; with `beforeStop: true`, before they are
   * stopped, in order of registration.
   */
  addCleanup(name, fn, { beforeStop = false } = {}) {
    (beforeStop ? this.preStopCleanups : this.cleanups).push({ name, fn });
  }

  // ------------------------------------------------------------ databases

  dbUrl(name) {
    const u = new URL(this.adminUrl);
    u.pathname = `/${name}`;
    return u.toString();
  }

  /** A pg Client that never crashes the process when the server ends its connection (DROP DATABASE ... FORCE). */
  newClient(connectionString) {
    const client = new Client({ connectionString });
    client.on('error', (error) => log(`pg client error: ${error.message}`));
    return client;
  }

  async withAdmin(fn) {
    const client = this.newClient(this.adminUrl);
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Runs fn(client) on a connection to database `name`. */
  async withDatabase(name, fn) {
    const client = this.newClient(this.dbUrl(name));
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async createDatabase(name) {
    this.databases.push(name); // before CREATE: an interrupt mid-way still drops it (IF EXISTS)
    await this.withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  }

  async dropDatabases() {
    if (!this.databases.length) return;
    await this.withAdmin(async (c) => {
      for (const name of this.databases.splice(0)) {
        try {
          await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } catch (error) {
          log(`could not drop database ${name}: ${error.message}`);
        }
      }
    });
  }

  makeTmpDir(prefix = 'pasokh-bench-') {
    this.tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    return this.tmpDir;
  }

  // ------------------------------------------------------------ server process

  /** The server's environment: a fresh secret key, the bootstrap admin, LOG_LEVEL=warn, the temp DATA_DIR. */
  serverEnv({ databaseName, port, extra = {} }) {
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: this.dbUrl(databaseName),
      PASOKH_SECRET_KEY: crypto.randomBytes(32).toString('base64'),
      PORT: String(port),
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
      DATA_DIR: this.tmpDir,
      ...extra,
    };
  }

  remember(line) {
    if (!line.trim()) return;
    this.serverLogLines++;
    this.serverLog.push(line);
    if (this.serverLog.length > 200) this.serverLog.shift();
    for (const listener of this.lineListeners) listener(line);
  }

  /** Calls fn(line) for every later non-empty line of the server's stdout/stderr. */
  onServerLine(fn) {
    this.lineListeners.push(fn);
  }

  /**
   * Starts the built server with `env`; resolves nothing, returns the child process. Options (for
   * several servers): `name` (used in messages, "server A"; named servers' stops are logged),
   * `logPath` (stdout/stderr appended to this file instead of kept in memory; summarised by
   * reportServerLogs() after cleanup), `nodeArgs` (extra `node` flags before the entry point).
   */
  startServer(env, { name, logPath, nodeArgs = [] } = {}) {
    const fd = logPath ? fs.openSync(logPath, 'a') : null;
    const stdio = logPath ? ['ignore', fd, fd] : ['ignore', 'pipe', 'pipe'];
    const child = spawn(process.execPath, [...nodeArgs, SERVER_ENTRY], { cwd: ROOT, env, stdio });
    if (fd !== null) fs.closeSync(fd);
    this.child = child;
    this.childExit = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    this.servers.push({ name, child, exit: this.childExit, port: Number(env.PORT), logPath, stopping: null });
    if (logPath) return child;
    for (const stream of [child.stdout, child.stderr]) {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop();
        lines.forEach((l) => this.remember(l));
      });
      stream.on('end', () => this.remember(pending));
    }
    return child;
  }

  /** "server" or "server A". */
  static label(server) {
    return server && server.name ? `server ${server.name}` : 'server';
  }

  /**
   * SIGTERM, then SIGKILL after STOP_TIMEOUT_MS; resolves { code, signal, stopMs } (null if none ran).
   * Without argument: the last started server (h.child); else the given child process. A second
   * call while a stop is under way waits for that one.
   */
  async stopServer(child = this.child) {
    if (!child) return null;
    if (child === this.child) this.child = null;
    const server = this.servers.find((s) => s.child === child);
    if (child.exitCode !== null || child.signalCode !== null) return server.exit;
    if (!server.stopping) {
      server.stopping = (async () => {
        const started = performance.now();
        child.kill('SIGTERM');
        const timer = new Promise((r) => setTimeout(r, STOP_TIMEOUT_MS, 'timeout'));
        let result = await Promise.race([server.exit, timer]);
        if (result === 'timeout') {
          log(`${Harness.label(server)} did not exit ${STOP_TIMEOUT_MS} ms after SIGTERM; sending SIGKILL`);
          child.kill('SIGKILL');
          result = await server.exit;
        }
        result.stopMs = Math.round(performance.now() - started);
        return result;
      })();
    }
    return server.stopping;
  }

  /** Polls GET /api/health on `port` until 200; fails if the server (default: h.child) exits first. */
  async waitForHealth(agent, port, target = null) {
    const deadline = performance.now() + HEALTH_TIMEOUT_MS;
    let last = 'no answer';
    while (performance.now() < deadline) {
      this.checkAbort();
      const child = target || this.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) {
        const server = this.servers.find((s) => s.child === child);
        const see = server && server.logPath ? `; see ${server.logPath}` : '';
        throw new Error(`${Harness.label(server)} exited during startup (code ${child && child.exitCode}, signal ${child && child.signalCode})${see}`);
      }
      try {
        const res = await request(agent, port, 'GET', '/api/health');
        if (res.status === 200) return;
        last = `HTTP ${res.status} ${res.body.slice(0, 200)}`;
      } catch (error) {
        last = error.message;
      }
      await sleep(200);
    }
    const server = this.servers.find((s) => s.child === (target || this.child));
    throw new Error(`${Harness.label(server)} not healthy after ${HEALTH_TIMEOUT_MS / 1000} s (last: ${last})`);
  }

  /** For servers started with a logPath: line, warn and error counts and the most frequent lines. */
  reportServerLogs() {
    for (const server of this.servers) {
      if (!server.logPath) continue;
      const s = summariseLog(server.logPath);
      log(`${Harness.label(server)} log ${server.logPath}: ${s.lines} lines, ${s.warn} warn, ${s.error} error/fatal, ${s.other} non-JSON`);
      for (const line of s.top) process.stderr.write(`  | ${line}\n`);
    }
  }

  printServerLog(title) {
    if (!this.serverLogLines) return;
    log(`${title} (${this.serverLogLines} lines; last ${Math.min(20, this.serverLog.length)}):`);
    for (const line of this.serverLog.slice(-20)) process.stderr.write(`  | ${line.slice(0, 400)}\n`);
  }

  // ------------------------------------------------------------ lifecycle

  /**
   * Runs the beforeStop steps, stops the servers (in parallel), runs the other extra steps, drops
   * the databases, removes the temp dir; once.
   */
  cleanup() {
    if (this.cleaning) return this.cleaning;
    this.cleaning = (async () => {
      for (const { name, fn } of this.preStopCleanups.splice(0)) {
        try {
          await fn();
        } catch (error) {
          log(`${name} failed: ${error.message}`);
        }
      }
      await Promise.all(
        this.servers.map(async (server) => {
          try {
            const r = await this.stopServer(server.child);
            if (server.name) log(`${Harness.label(server)} stopped in ${r.stopMs ?? 0} ms (code ${r.code}, signal ${r.signal})`);
          } catch (error) {
            log(`stopping ${server.name ? Harness.label(server) : 'the server'} failed: ${error.message}`);
          }
        }),
      );
      for (const { name, fn } of this.cleanups.splice(0).reverse()) {
        try {
          await fn();
        } catch (error) {
          log(`${name} failed: ${error.message}`);
        }
      }
      try {
        await this.dropDatabases();
      } catch (error) {
        log(`dropping databases failed: ${error.message}`);
      }
      try {
        if (this.tmpDir) fs.rmSync(this.tmpDir, { recursive: true, force: true });
      } catch (error) {
        log(`removing ${this.tmpDir} failed: ${error.message}`);
      }
    })();
    return this.cleaning;
  }

  /**
   * Runs main() under a whole-run watchdog and SIGINT/SIGTERM handlers; cleans up in every case.
   * On success the resolved value is printed as one JSON line (the last line of stdout), exit 0;
   * on failure the error and the tail of the server's output go to stderr, exit 1; on a signal,
   * exit 130/143. After cleanup (success or failure) the log files of servers started with a
   * logPath are summarised. Options: `forceExitMs` (60 s): exit 1 this long after the watchdog
   * fired even if cleanup hangs; `signalForceExitMs` (none): the same after a signal;
   * `abortOnWatchdog` (false): the watchdog also sets h.aborted, so loops checking it stop.
   */
  run(main, { watchdogMs, forceExitMs = 60_000, signalForceExitMs = null, abortOnWatchdog = false }) {
    const watchdog = setTimeout(() => {
      log(`watchdog: run exceeded ${watchdogMs / 1000} s; cleaning up`);
      if (abortOnWatchdog && !this.aborted) this.aborted = 'watchdog';
      const hard = setTimeout(() => process.exit(1), forceExitMs);
      hard.unref();
      this.cleanup().finally(() => process.exit(1));
    }, watchdogMs);
    watchdog.unref();

    for (const signal of Object.keys(SIGNAL_EXIT)) {
      process.on(signal, () => {
        if (this.aborted) return; // already cleaning up
        this.aborted = signal;
        log(`${signal}: stopping and cleaning up`);
        if (signalForceExitMs !== null) setTimeout(() => process.exit(SIGNAL_EXIT[signal]), signalForceExitMs).unref();
        this.cleanup().finally(() => process.exit(SIGNAL_EXIT[signal]));
      });
    }

    main()
      .then(async (result) => {
        await this.cleanup();
        this.reportServerLogs();
        process.stdout.write(`${JSON.stringify(result)}\n`);
        clearTimeout(watchdog);
        process.exit(0);
      })
      .catch(async (error) => {
        if (this.aborted) {
          await this.cleanup();
          process.exit(SIGNAL_EXIT[this.aborted] || 1); // 1 after the watchdog
        }
        log(`failed: ${error && error.stack ? error.stack : error}`);
        this.printServerLog('server output');
        await this.cleanup();
        this.reportServerLogs();
        process.exit(1);
      });
  }
}

function createHarness(options) {
  return new Harness(options);
}

module.exports = {
  ROOT,
  SERVER_ENTRY,
  HOST,
  REQUEST_TIMEOUT_MS,
  HEALTH_TIMEOUT_MS,
  STOP_TIMEOUT_MS,
  DEFAULT_ADMIN_URL,
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  log,
  setLogTag,
  parseArgs,
  positiveInt,
  nonNegativeInt,
  checkLocalUrl,
  checkAdminUrl,
  percentile,
  Samples,
  errorTally,
  round,
  sleep,
  freePort,
  keepAliveAgent,
  request,
  readRssMb,
  login,
  createChannel,
  newerThan,
  ensureBuilt,
  summariseLog,
  runStamp,
  createHarness,
  Harness,
};
