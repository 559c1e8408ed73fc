#!/usr/bin/env node
'use strict';
/*
 * Ingest benchmark: messages/s through POST /api/channels/:id/inbound on a real PostgreSQL server,
 * against a raw reference (single-row INSERT transactions with pg) on the same server.
 * See README.md in this directory. Plain CommonJS, no dependencies beyond `pg`.
 */
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { Client, Pool } = require('pg');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SERVER_ENTRY = path.join(ROOT, 'dist', 'apps', 'server', 'src', 'main.js');
const HOST = '127.0.0.1';
const CUSTOMERS = 1000;
const REQUEST_TIMEOUT_MS = 30_000;
const HEALTH_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 40_000; // the server force-exits after 30 s itself

// ---------------------------------------------------------------- options

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unknown argument ${argv[i]} (use --duration=N --concurrency=N --database-url=URL)`);
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

const args = parseArgs(process.argv.slice(2));
const DURATION_SEC = positiveInt('DURATION_SEC', args.duration ?? process.env.DURATION_SEC, 20, 3600);
const CONCURRENCY = positiveInt('CONCURRENCY', args.concurrency ?? process.env.CONCURRENCY, 32, 1000);
const ADMIN_URL = args['database-url'] ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RAW_MODE = process.env.RAW_MODE || 'autocommit'; // autocommit | txn (BEGIN; INSERT; COMMIT)
if (!['autocommit', 'txn'].includes(RAW_MODE)) throw new Error(`RAW_MODE must be autocommit or txn (got "${RAW_MODE}")`);
const POOL_SIZE = process.env.DATABASE_POOL_SIZE;

const adminUrl = new URL(ADMIN_URL);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(adminUrl.hostname)) throw new Error(`DATABASE_URL must point at 127.0.0.1 (got host ${adminUrl.hostname})`);

function dbUrl(name) {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

// ---------------------------------------------------------------- state for cleanup

const state = {
  databases: [], // created database names, dropped at the end
  child: null,
  childExit: null, // promise resolved with { code, signal }
  tmpDir: null,
  serverLog: [], // last lines of the server's stdout/stderr
  serverLogLines: 0,
  cleaning: null,
  aborted: null, // the signal name once SIGINT/SIGTERM arrived: every loop and step stops
};

function checkAbort() {
  if (state.aborted) throw new Error(`aborted by ${state.aborted}`);
}

/** A pg Client that never crashes the process when the server ends its connection (DROP DATABASE ... FORCE). */
function newClient(connectionString) {
  const client = new Client({ connectionString });
  client.on('error', (error) => log(`pg client error: ${error.message}`));
  return client;
}

// ---------------------------------------------------------------- helpers

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

/** Growable Float64Array of latencies in ms. */
class Samples {
  constructor() {
    this.buf = new Float64Array(1 << 16);
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

const round = (v, d = 2) => (Number.isFinite(v) ? Math.round(v * 10 ** d) / 10 ** d : null);

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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function request(agent, port, method, urlPath, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
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

// ---------------------------------------------------------------- databases

async function withAdmin(fn) {
  const client = newClient(ADMIN_URL);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function createDatabase(name) {
  state.databases.push(name); // before CREATE: an interrupt mid-way still drops it (IF EXISTS)
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
}

async function dropDatabases() {
  if (!state.databases.length) return;
  await withAdmin(async (c) => {
    for (const name of state.databases.splice(0)) {
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } catch (error) {
        log(`could not drop database ${name}: ${error.message}`);
      }
    }
  });
}

// ---------------------------------------------------------------- server process

function remember(line) {
  if (!line.trim()) return;
  state.serverLogLines++;
  state.serverLog.push(line);
  if (state.serverLog.length > 200) state.serverLog.shift();
}

function startServer(env) {
  const child = spawn(process.execPath, [SERVER_ENTRY], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  state.child = child;
  state.childExit = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      lines.forEach(remember);
    });
    stream.on('end', () => remember(pending));
  }
  return child;
}

async function stopServer() {
  const child = state.child;
  if (!child) return null;
  state.child = null;
  if (child.exitCode !== null || child.signalCode !== null) return state.childExit;
  const started = performance.now();
  child.kill('SIGTERM');
  const timer = new Promise((r) => setTimeout(r, STOP_TIMEOUT_MS, 'timeout'));
  let result = await Promise.race([state.childExit, timer]);
  if (result === 'timeout') {
    log(`server did not exit ${STOP_TIMEOUT_MS} ms after SIGTERM; sending SIGKILL`);
    child.kill('SIGKILL');
    result = await state.childExit;
  }
  result.stopMs = Math.round(performance.now() - started);
  return result;
}

async function waitForHealth(agent, port) {
  const deadline = performance.now() + HEALTH_TIMEOUT_MS;
  let last = 'no answer';
  while (performance.now() < deadline) {
    const child = state.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited during startup (code ${child && child.exitCode}, signal ${child && child.signalCode})`);
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
  throw new Error(`server not healthy after ${HEALTH_TIMEOUT_MS / 1000} s (last: ${last})`);
}

// ---------------------------------------------------------------- phases

async function ingestPhase(agent, port, channelId, inboundToken) {
  const runId = crypto.randomBytes(4).toString('hex');
  const inboundPath = `/api/channels/${encodeURIComponent(channelId)}/inbound`;
  const headers = { 'x-channel-token': inboundToken };
  const latencies = new Samples();
  const errorKinds = new Map();
  const errorSamples = [];
  let seq = 0;
  let ok = 0;
  let errors = 0;
  let duplicates = 0;

  const noteError = (kind, detail) => {
    errors++;
    errorKinds.set(kind, (errorKinds.get(kind) || 0) + 1);
    if (errorSamples.length < 5) errorSamples.push(`${kind}: ${String(detail).slice(0, 300)}`);
  };

  const start = performance.now();
  const deadline = start + DURATION_SEC * 1000;

  async function worker(w) {
    while (performance.now() < deadline && !state.aborted) {
      const n = seq++;
      const c = n % CUSTOMERS;
      const body = {
        externalMessageId: `bench-${runId}-${w}-${n}`,
        from: { externalId: `cust-${c}`, name: `Customer ${c}` },
        text: `سلام، سفارش من کجاست؟ order ${c}`,
      };
      const t0 = performance.now();
      try {
        const res = await request(agent, port, 'POST', inboundPath, { headers, body });
        const ms = performance.now() - t0;
        if (res.status === 202) {
          ok++;
          latencies.push(ms);
          try {
            if (JSON.parse(res.body).duplicate === true) duplicates++;
          } catch {
            // a 202 without a JSON body is still a stored message; nothing to count
          }
        } else {
          noteError(`HTTP ${res.status}`, res.body);
        }
      } catch (error) {
        noteError(error.code || 'network', error.message);
      }
    }
  }

  await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
  const elapsedSec = (performance.now() - start) / 1000;
  const sorted = latencies.sorted();
  return {
    ok,
    errors,
    duplicates,
    errorKinds: Object.fromEntries(errorKinds),
    errorSamples,
    elapsedSec,
    perSec: ok / elapsedSec,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

async function rawPhase(url) {
  const pool = new Pool({ connectionString: url, max: CONCURRENCY });
  pool.on('error', (error) => log(`pg pool error: ${error.message}`));
  try {
    await pool.query(
      'CREATE TABLE bench_raw (id bigserial PRIMARY KEY, external_id text UNIQUE, body text, created_at timestamptz DEFAULT now())',
    );
    // Open every connection before the clock starts (the ingest server's pool is warm too).
    const clients = await Promise.all(Array.from({ length: CONCURRENCY }, () => pool.connect()));
    clients.forEach((c) => c.release());

    const runId = crypto.randomBytes(4).toString('hex');
    const sql = 'INSERT INTO bench_raw (external_id, body) VALUES ($1, $2)';
    const latencies = new Samples();
    let ok = 0;
    let errors = 0;
    const errorSamples = [];
    const start = performance.now();
    const deadline = start + DURATION_SEC * 1000;

    async function loop(w) {
      const client = await pool.connect();
      let broken = false;
      try {
        for (let n = 0; performance.now() < deadline && !state.aborted; n++) {
          const c = n % CUSTOMERS;
          const params = [`raw-${runId}-${w}-${n}`, `سلام، سفارش من کجاست؟ order ${c}`];
          const t0 = performance.now();
          try {
            if (RAW_MODE === 'txn') {
              await client.query('BEGIN');
              try {
                await client.query(sql, params);
                await client.query('COMMIT');
              } catch (error) {
                await client.query('ROLLBACK').catch(() => undefined);
                throw error;
              }
            } else {
              await client.query(sql, params);
            }
            ok++;
            latencies.push(performance.now() - t0);
          } catch (error) {
            errors++;
            if (errorSamples.length < 5) errorSamples.push(error.message);
            if (!error.code) {
              broken = true; // connection-level failure: stop this loop rather than spin
              break;
            }
          }
        }
      } finally {
        client.release(broken);
      }
    }

    await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => loop(w)));
    const elapsedSec = (performance.now() - start) / 1000;
    const sorted = latencies.sorted();
    return { ok, errors, errorSamples, elapsedSec, perSec: ok / elapsedSec, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  } finally {
    await pool.end().catch(() => undefined);
  }
}

// ---------------------------------------------------------------- main

async function cleanup() {
  if (state.cleaning) return state.cleaning;
  state.cleaning = (async () => {
    try {
      await stopServer();
    } catch (error) {
      log(`stopping the server failed: ${error.message}`);
    }
    try {
      await dropDatabases();
    } catch (error) {
      log(`dropping databases failed: ${error.message}`);
    }
    try {
      if (state.tmpDir) fs.rmSync(state.tmpDir, { recursive: true, force: true });
    } catch (error) {
      log(`removing ${state.tmpDir} failed: ${error.message}`);
    }
  })();
  return state.cleaning;
}

function printServerLog(title) {
  if (!state.serverLogLines) return;
  log(`${title} (${state.serverLogLines} lines; last ${Math.min(20, state.serverLog.length)}):`);
  for (const line of state.serverLog.slice(-20)) process.stderr.write(`  | ${line.slice(0, 400)}\n`);
}

async function main() {
  if (!fs.existsSync(SERVER_ENTRY)) {
    log(`${path.relative(ROOT, SERVER_ENTRY)} is missing; running npm run build`);
    const res = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 });
    if (res.status !== 0 || !fs.existsSync(SERVER_ENTRY)) throw new Error('npm run build failed');
  }

  const stamp = `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${crypto.randomBytes(2).toString('hex')}`;
  const benchDb = `pasokh_bench_${stamp}`;
  const rawDb = `pasokh_bench_${stamp}_raw`;
  await createDatabase(benchDb);
  await createDatabase(rawDb);
  checkAbort();
  state.tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pasokh-bench-'));

  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: dbUrl(benchDb),
    PASOKH_SECRET_KEY: crypto.randomBytes(32).toString('base64'),
    PORT: String(port),
    ADMIN_EMAIL: 'bench@example.com',
    ADMIN_PASSWORD: 'bench-password',
    LOG_LEVEL: 'warn',
    DATA_DIR: state.tmpDir,
    ...(POOL_SIZE ? { DATABASE_POOL_SIZE: POOL_SIZE } : {}),
  };
  log(`concurrency ${CONCURRENCY}, ${DURATION_SEC} s per phase, databases ${benchDb} / ${rawDb}, server port ${port}`);
  const bootStart = performance.now();
  const child = startServer(env);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY + 2, maxFreeSockets: CONCURRENCY + 2 });

  let ingest;
  let serverRssMb = null;
  try {
    await waitForHealth(agent, port);
    checkAbort();
    log(`server healthy after ${Math.round(performance.now() - bootStart)} ms (pid ${child.pid})`);

    const login = await request(agent, port, 'POST', '/api/auth/login', { body: { email: 'bench@example.com', password: 'bench-password' } });
    if (login.status !== 200) throw new Error(`login failed: HTTP ${login.status} ${login.body.slice(0, 300)}`);
    const { accessToken } = JSON.parse(login.body);
    const created = await request(agent, port, 'POST', '/api/channels', {
      headers: { authorization: `Bearer ${accessToken}` },
      body: { type: 'api', name: 'bench', config: {} },
    });
    if (created.status !== 201) throw new Error(`creating the channel failed: HTTP ${created.status} ${created.body.slice(0, 300)}`);
    const channel = JSON.parse(created.body);
    if (!channel.id || !channel.inboundToken) throw new Error(`channel response lacks id/inboundToken: ${created.body.slice(0, 300)}`);

    log(`ingest phase: ${CONCURRENCY} clients for ${DURATION_SEC} s`);
    checkAbort();
    ingest = await ingestPhase(agent, port, channel.id, channel.inboundToken);
    checkAbort();
    serverRssMb = readRssMb(child.pid);
  } finally {
    agent.destroy();
  }

  // Stop the server before the raw phase so its background workers do not share the CPU and disk with it.
  const exit = await stopServer();
  log(`server stopped in ${exit && exit.stopMs} ms (code ${exit && exit.code}, signal ${exit && exit.signal})`);

  // Sanity check: what the server stored.
  const stored = await (async () => {
    const c = newClient(dbUrl(benchDb));
    await c.connect();
    try {
      const { rows } = await c.query(
        "SELECT (SELECT count(*) FROM messages WHERE direction = 'inbound')::int AS messages, (SELECT count(*) FROM tickets)::int AS tickets, (SELECT count(*) FROM customers)::int AS customers",
      );
      return rows[0];
    } catch (error) {
      return { error: error.message };
    } finally {
      await c.end().catch(() => undefined);
    }
  })();

  checkAbort();
  log(`raw phase: ${CONCURRENCY} pg connections for ${DURATION_SEC} s (${RAW_MODE})`);
  const raw = await rawPhase(dbUrl(rawDb));
  checkAbort();

  const ratio = raw.perSec > 0 ? ingest.perSec / raw.perSec : null;
  const lines = [
    '',
    `Ingest  POST /api/channels/:id/inbound  concurrency ${CONCURRENCY}, ${round(ingest.elapsedSec, 1)} s`,
    `  ${round(ingest.perSec, 1)} messages/s  (${ingest.ok} × 202)   p50 ${round(ingest.p50)} ms   p99 ${round(ingest.p99)} ms   errors ${ingest.errors}` +
      (ingest.duplicates ? `   duplicates ${ingest.duplicates}` : ''),
    ...(ingest.errors ? [`  error kinds: ${JSON.stringify(ingest.errorKinds)}`, ...ingest.errorSamples.map((s) => `    ${s}`)] : []),
    `  stored: ${JSON.stringify(stored)}   server RSS ${serverRssMb} MB`,
    `Raw     single-row INSERT (${RAW_MODE}), pg pool ${CONCURRENCY}, ${round(raw.elapsedSec, 1)} s`,
    `  ${round(raw.perSec, 1)} transactions/s  (${raw.ok})   p50 ${round(raw.p50)} ms   p99 ${round(raw.p99)} ms   errors ${raw.errors}`,
    ...raw.errorSamples.map((s) => `    ${s}`),
    `Ratio   ingest/raw = ${ratio === null ? 'n/a' : `${round(ratio * 100, 1)} %`}`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  printServerLog('server output');

  const result = {
    bench: 'ingest',
    concurrency: CONCURRENCY,
    durationSec: DURATION_SEC,
    ingestPerSec: round(ingest.perSec, 1),
    ingestP50Ms: round(ingest.p50),
    ingestP99Ms: round(ingest.p99),
    errors: ingest.errors,
    rawPerSec: round(raw.perSec, 1),
    rawP50Ms: round(raw.p50),
    rawP99Ms: round(raw.p99),
    ratio: ratio === null ? null : round(ratio, 3),
    serverRssMb,
  };
  return result;
}

// Whole-run watchdog: two phases, boot, shutdown and cleanup, with generous slack.
const WATCHDOG_MS = (2 * DURATION_SEC + 240) * 1000 + REQUEST_TIMEOUT_MS + STOP_TIMEOUT_MS;
const watchdog = setTimeout(() => {
  log(`watchdog: run exceeded ${WATCHDOG_MS / 1000} s; cleaning up`);
  const hard = setTimeout(() => process.exit(1), 60_000);
  hard.unref();
  cleanup().finally(() => process.exit(1));
}, WATCHDOG_MS);
watchdog.unref();

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 };
for (const signal of Object.keys(SIGNAL_EXIT)) {
  process.on(signal, () => {
    if (state.aborted) return; // already cleaning up
    state.aborted = signal;
    log(`${signal}: stopping and cleaning up`);
    cleanup().finally(() => process.exit(SIGNAL_EXIT[signal]));
  });
}

main()
  .then(async (result) => {
    await cleanup();
    process.stdout.write(`${JSON.stringify(result)}\n`);
    clearTimeout(watchdog);
    process.exit(0);
  })
  .catch(async (error) => {
    if (state.aborted) {
      await cleanup();
      process.exit(SIGNAL_EXIT[state.aborted]);
    }
    log(`failed: ${error && error.stack ? error.stack : error}`);
    printServerLog('server output');
    await cleanup();
    process.exit(1);
  });
