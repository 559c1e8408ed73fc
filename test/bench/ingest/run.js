#!/usr/bin/env node
'use strict';
/*
 * Ingest benchmark: messages/s through POST /api/channels/:id/inbound on a real PostgreSQL server,
 * against a raw reference (single-row INSERT transactions with pg) on the same server.
 * See README.md in this directory. Plain CommonJS, no dependencies beyond `pg`.
 */
const crypto = require('node:crypto');
const { performance } = require('node:perf_hooks');
const { Pool } = require('pg');
const bench = require('../support');

const { log, percentile, Samples, round, request, readRssMb } = bench;
const CUSTOMERS = 1000;

// ---------------------------------------------------------------- options

const args = bench.parseArgs(process.argv.slice(2));
const DURATION_SEC = bench.positiveInt('DURATION_SEC', args.duration ?? process.env.DURATION_SEC, 20, 3600);
const CONCURRENCY = bench.positiveInt('CONCURRENCY', args.concurrency ?? process.env.CONCURRENCY, 32, 1000);
const ADMIN_URL = args['database-url'] ?? process.env.DATABASE_URL ?? bench.DEFAULT_ADMIN_URL;
const RAW_MODE = process.env.RAW_MODE || 'autocommit'; // autocommit | txn (BEGIN; INSERT; COMMIT)
if (!['autocommit', 'txn'].includes(RAW_MODE)) throw new Error(`RAW_MODE must be autocommit or txn (got "${RAW_MODE}")`);
const POOL_SIZE = process.env.DATABASE_POOL_SIZE;
const SERVER_NODE_ARGS = (process.env.SERVER_NODE_ARGS || '').split(/\s+/).filter(Boolean); // e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"

// Databases, the server process, the temp dir, and cleanup on SIGINT/SIGTERM/failure (../support.js).
const h = bench.createHarness({ adminUrl: ADMIN_URL });

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
    while (performance.now() < deadline && !h.aborted) {
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
        for (let n = 0; performance.now() < deadline && !h.aborted; n++) {
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

async function main() {
  bench.ensureBuilt();

  const stamp = bench.runStamp();
  const benchDb = `pasokh_bench_${stamp}`;
  const rawDb = `pasokh_bench_${stamp}_raw`;
  await h.createDatabase(benchDb);
  await h.createDatabase(rawDb);
  h.checkAbort();
  h.makeTmpDir();

  const port = await bench.freePort();
  const env = h.serverEnv({ databaseName: benchDb, port, extra: POOL_SIZE ? { DATABASE_POOL_SIZE: POOL_SIZE } : {} });
  log(`concurrency ${CONCURRENCY}, ${DURATION_SEC} s per phase, databases ${benchDb} / ${rawDb}, server port ${port}`);
  const bootStart = performance.now();
  const child = h.startServer(env, { nodeArgs: SERVER_NODE_ARGS });
  const agent = bench.keepAliveAgent(CONCURRENCY);

  let ingest;
  let serverRssMb = null;
  try {
    await h.waitForHealth(agent, port);
    h.checkAbort();
    log(`server healthy after ${Math.round(performance.now() - bootStart)} ms (pid ${child.pid})`);

    const accessToken = await bench.login(agent, port);
    const channel = await bench.createChannel(agent, port, accessToken, { type: 'api', name: 'bench', config: {} });
    if (!channel.inboundToken) throw new Error(`channel response lacks id/inboundToken: ${JSON.stringify(channel).slice(0, 300)}`);

    log(`ingest phase: ${CONCURRENCY} clients for ${DURATION_SEC} s`);
    h.checkAbort();
    ingest = await ingestPhase(agent, port, channel.id, channel.inboundToken);
    h.checkAbort();
    serverRssMb = readRssMb(child.pid);
  } finally {
    agent.destroy();
  }

  // Stop the server before the raw phase so its background workers do not share the CPU and disk with it.
  const exit = await h.stopServer();
  log(`server stopped in ${exit && exit.stopMs} ms (code ${exit && exit.code}, signal ${exit && exit.signal})`);

  // Sanity check: what the server stored.
  const stored = await h
    .withDatabase(benchDb, async (c) => {
      try {
        const { rows } = await c.query(
          "SELECT (SELECT count(*) FROM messages WHERE direction = 'inbound')::int AS messages, (SELECT count(*) FROM tickets)::int AS tickets, (SELECT count(*) FROM customers)::int AS customers",
        );
        return rows[0];
      } catch (error) {
        return { error: error.message };
      }
    });

  h.checkAbort();
  log(`raw phase: ${CONCURRENCY} pg connections for ${DURATION_SEC} s (${RAW_MODE})`);
  const raw = await rawPhase(h.dbUrl(rawDb));
  h.checkAbort();

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
  h.printServerLog('server output');

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
const WATCHDOG_MS = (2 * DURATION_SEC + 240) * 1000 + bench.REQUEST_TIMEOUT_MS + bench.STOP_TIMEOUT_MS;
h.run(main, { watchdogMs: WATCHDOG_MS });
