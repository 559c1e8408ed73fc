#!/usr/bin/env node
'use strict';
/*
 * Email channel benchmark, against a real Dovecot (test/support/dovecot.ts, loaded through
 * ./load-ts.js) and the built server as a child process:
 *
 * 1. Latency: mail delivered over LMTP, one at a time with small random gaps, then in a burst →
 *    `message.created` on an agent's socket (/agents). Measured from the moment deliver() resolved
 *    and from just before it started; a probe IMAP connection of our own, idling on the same
 *    mailbox, splits that into Dovecot's part (LMTP → EXISTS) and Pasokh's (EXISTS → push).
 * 2. Backlog import: the server is stopped, MAILS mails land in a second mailbox, the server starts
 *    again (or, IMPORT_MODE=create, the channel is created afterwards with importSince in the past);
 *    time until every mail is stored, messages/s, the server's peak RSS, CPU by process, and exact
 *    counts (every Message-ID once, nothing else).
 * 3. Stage costs: the same mailbox fetched by a bench IMAP client in the channel's batches, each mail
 *    parsed with the server's own parseEmail (dist/) and its HTML sanitized, to show where an
 *    import's time goes.
 *
 * See README.md in this directory. Must run as root (Dovecot's harness needs it).
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { performance } = require('node:perf_hooks');
const { io } = require('socket.io-client');
const { ImapFlow } = require('imapflow');
const { createTransport } = require('nodemailer');
const { SMTPServer } = require('smtp-server');
const bench = require('../support');
const { requireTs } = require('./load-ts');
const { mailFactory, prng } = require('./mails');

const { ROOT, HOST, log, percentile, round, sleep, request } = bench;
bench.setLogTag('email');

// ---------------------------------------------------------------- options

const env = process.env;
const USAGE = '--mails=N --latency-mails=N --burst=N --gap-ms=MIN-MAX --import-mode=restart|create --breakdown=0|1 --database-url=URL (empty: embedded PGlite)';
const args = bench.parseArgs(process.argv.slice(2), USAGE);
const KNOWN = ['mails', 'latency-mails', 'burst', 'gap-ms', 'import-mode', 'breakdown', 'attachment-pct', 'seed', 'database-url'];
for (const key of Object.keys(args)) if (!KNOWN.includes(key)) throw new Error(`unknown argument --${key} (use ${USAGE} --attachment-pct=N --seed=N)`);
const opt = (name, envName) => (args[name] !== undefined ? args[name] : env[envName]);
const MAILS = bench.nonNegativeInt('MAILS', opt('mails', 'MAILS'), 10_000, 1_000_000);
const LATENCY_MAILS = bench.nonNegativeInt('LATENCY_MAILS', opt('latency-mails', 'LATENCY_MAILS'), 200, 100_000);
const BURST = bench.nonNegativeInt('BURST', opt('burst', 'BURST'), 50, 10_000);
// One at a time, the next mail goes this long (uniform in MIN-MAX ms) after the previous one's push.
// Above 0.5 s the server's connection is back in IDLE (imapflow re-enters it 0.5 s after a sync), as
// in a mailbox whose mail comes seconds apart; shorter gaps catch it before IDLE, which is faster.
const [GAP_MIN_MS, GAP_MAX_MS] = (() => {
  const raw = String(opt('gap-ms', 'GAP_MS') || '600-1200');
  const m = /^(\d+)(?:-(\d+))?$/.exec(raw);
  if (!m || Number(m[2] ?? m[1]) < Number(m[1]) || Number(m[2] ?? m[1]) > 60_000) throw new Error(`GAP_MS must be MIN-MAX or N milliseconds, at most 60000 (got "${raw}")`);
  return [Number(m[1]), Number(m[2] ?? m[1])];
})();
const IMPORT_MODE = opt('import-mode', 'IMPORT_MODE') || 'restart';
if (!['restart', 'create'].includes(IMPORT_MODE)) throw new Error(`IMPORT_MODE must be restart or create (got "${IMPORT_MODE}")`);
const BREAKDOWN = (opt('breakdown', 'BREAKDOWN') ?? '1') !== '0';
const ATTACHMENT_PCT = bench.nonNegativeInt('ATTACHMENT_PCT', opt('attachment-pct', 'ATTACHMENT_PCT'), 5, 100);
const SEED = bench.positiveInt('SEED', opt('seed', 'SEED'), 42, 2 ** 31);
const FILL_CONNECTIONS = bench.positiveInt('FILL_CONNECTIONS', env.FILL_CONNECTIONS, 1, 32);
const DB_ARG = opt('database-url', 'DATABASE_URL');
const EMBEDDED = DB_ARG === ''; // an empty DATABASE_URL: the server's embedded PGlite in a temp DATA_DIR
const ADMIN_URL = EMBEDDED || DB_ARG === undefined ? bench.DEFAULT_ADMIN_URL : DB_ARG;
const SERVER_NODE_ARGS = (env.SERVER_NODE_ARGS || '').split(/\s+/).filter(Boolean); // e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
const SERVER_LOG_DIR = env.SERVER_LOG_DIR || null; // the servers' output goes to files there (kept), e.g. with SERVER_NODE_ARGS=--trace-gc
let serverRuns = 0;
/** Starts the server with the bench's node flags; its output to SERVER_LOG_DIR/server-<n>.log when set. */
function startServer(serverEnv) {
  serverRuns++;
  return h.startServer(serverEnv, { nodeArgs: SERVER_NODE_ARGS, ...(SERVER_LOG_DIR ? { logPath: path.join(SERVER_LOG_DIR, `server-${serverRuns}.log`) } : {}) });
}

const WAIT_PER_MAIL_MS = 5_000; // one-at-a-time: the next mail goes after the push, or after this long
const GIVE_UP_AFTER_MISSES = 10; // consecutive mails not pushed within WAIT_PER_MAIL_MS: the path is broken, stop the phase
const DRAIN_MS = 75_000; // after the last mail of a phase (longer than the channel's 60 s poll)
const IMPORT_STALL_MS = bench.positiveInt('IMPORT_STALL_SEC', env.IMPORT_STALL_SEC, 180, 3600) * 1000; // the import fails when nothing is stored for this long
const SUPPORT = { user: 'support@shop.test', password: 'imap-secret' };
const BACKLOG = { user: 'backlog@shop.test', password: 'imap-secret' };

// Databases, the server process, the temp dir, cleanup on SIGINT/SIGTERM/failure/watchdog (../support.js).
const h = bench.createHarness({ adminUrl: ADMIN_URL });
const state = { sockets: [], probe: null, smtp: null, dovecot: null, pglite: null };

// ---------------------------------------------------------------- CPU and memory of processes

const CLK_TCK = (() => {
  const n = Number(String(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout || '').trim());
  return n > 0 ? n : 100;
})();

/** [utime+stime seconds, pgrp] of a process, or null. */
function procStat(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[0] = field 3
    return { cpu: (Number(f[11]) + Number(f[12])) / CLK_TCK, pgrp: Number(f[2]) };
  } catch {
    return null;
  }
}

/** CPU seconds of every process in process group `pgrp`, by pid. */
function groupCpu(pgrp) {
  const out = new Map();
  if (!pgrp) return out;
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = procStat(name);
    if (s && s.pgrp === pgrp) out.set(name, s.cpu);
  }
  return out;
}

function machineCpu() {
  try {
    const v = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = v[3] + (v[4] || 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
  } catch {
    return null;
  }
}

function memKb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    const hwm = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return { rss: rss ? Number(rss[1]) : null, hwm: hwm ? Number(hwm[1]) : null };
  } catch {
    return { rss: null, hwm: null };
  }
}

/** CPU seconds by pid of the PostgreSQL backends serving database `name` (PostgreSQL server mode). */
async function pgBackendCpu(name, excludePid) {
  const out = new Map();
  if (EMBEDDED) return out;
  const { rows } = await h.withAdmin((c) => c.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]));
  for (const { pid } of rows) {
    if (pid === excludePid) continue;
    const s = procStat(pid);
    if (s) out.set(String(pid), s.cpu);
  }
  return out;
}

/** Usage between two by-pid snapshots; a process new in `after` counts from zero. */
function cpuDelta(before, after) {
  let sum = 0;
  for (const [pid, cpu] of after) sum += cpu - (before.get(pid) ?? 0);
  return sum;
}

// ---------------------------------------------------------------- peers: Dovecot, an SMTP sink

async function startPeers() {
  const { startDovecot } = requireTs(path.join(ROOT, 'test', 'support', 'dovecot.ts'));
  const t0 = performance.now();
  const dovecot = await startDovecot();
  state.dovecot = dovecot;
  h.addCleanup('stopping Dovecot', () => dovecot.stop());
  await dovecot.addUser(SUPPORT.user, SUPPORT.password);
  await dovecot.addUser(BACKLOG.user, BACKLOG.password);
  log(`Dovecot up in ${Math.round(performance.now() - t0)} ms (IMAP ${dovecot.imapPort}, LMTP ${dovecot.lmtpPort}, ${dovecot.dir})`);

  // Saving an email channel checks its SMTP server too; nothing is sent in this bench.
  const smtp = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 1_000,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => callback());
    },
  });
  await new Promise((resolve, reject) => smtp.once('error', reject).listen(0, HOST, resolve));
  state.smtp = smtp;
  h.addCleanup('closing the SMTP sink', () => new Promise((resolve) => smtp.close(resolve)));
  return { dovecot, smtpPort: smtp.server.address().port };
}

function emailConfig(dovecot, smtpPort, account, importSince) {
  return {
    imap: { host: dovecot.host, port: dovecot.imapPort, secure: false, user: account.user, password: account.password },
    smtp: { host: HOST, port: smtpPort, secure: false },
    fromAddress: account.user,
    fromName: 'Shop Support',
    ...(importSince ? { importSince } : {}),
  };
}

/** A logged-in imapflow client of our own on `account`'s INBOX (read-only), idling when quiet. */
async function openImap(dovecot, account, { idle = false } = {}) {
  const client = new ImapFlow({
    host: dovecot.host,
    port: dovecot.imapPort,
    secure: false,
    auth: { user: account.user, pass: account.password },
    logger: false,
    ...(idle ? { autoIdleDelay: 100, maxIdleTime: 4 * 60_000 } : { disableAutoIdle: true }),
  });
  client.on('error', (error) => log(`bench IMAP client (${account.user}): ${error.message}`));
  await client.connect();
  await client.mailboxOpen('INBOX', { readOnly: true });
  return client;
}

// ---------------------------------------------------------------- the server's API

async function getChannel(agent, port, token, id) {
  const res = await request(agent, port, 'GET', `/api/channels/${id}`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET /api/channels/${id}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
  return JSON.parse(res.body);
}

/** Polls the channel until `test(channel)` holds; resolves the channel. */
async function waitChannel(agent, port, token, id, test, what, timeoutMs = 30_000) {
  const deadline = performance.now() + timeoutMs;
  let channel;
  while (performance.now() < deadline) {
    h.checkAbort();
    channel = await getChannel(agent, port, token, id);
    if (test(channel)) return channel;
    await sleep(200);
  }
  throw new Error(`channel ${id}: ${what} not reached in ${timeoutMs / 1000} s (health ${JSON.stringify(channel && channel.health)})`);
}

const connected = (c) => c.health && c.health.connection && c.health.connection.state === 'connected';
const hasCursor = (c) => connected(c) && c.health.cursor && c.health.cursor.imap && typeof c.health.cursor.imap.lastUid === 'number';

/** An agent's socket on /agents; calls onMessage(payload, receivedAt) for every message.created. */
function connectAgent(port, token, onMessage) {
  return new Promise((resolve, reject) => {
    const socket = io(`http://${HOST}:${port}/agents`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 15_000 });
    state.sockets.push(socket);
    socket.on('message.created', (payload) => onMessage(payload, performance.now()));
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => reject(new Error(`agent socket: ${error.message}`)));
    socket.on('disconnect', (reason) => {
      if (!h.cleaning) log(`agent socket disconnected: ${reason}`);
    });
  });
}

// ---------------------------------------------------------------- statistics

function summary(values) {
  const a = Float64Array.from(values.filter((v) => Number.isFinite(v))).sort();
  return { n: a.length, p50: percentile(a, 50), p90: percentile(a, 90), p99: percentile(a, 99), max: a.length ? a[a.length - 1] : NaN };
}
const fmt = (s) => `p50 ${round(s.p50, 0)}  p90 ${round(s.p90, 0)}  p99 ${round(s.p99, 0)}  max ${round(s.max, 0)} ms (n ${s.n})`;
const roundSummary = (s) => ({ n: s.n, p50: round(s.p50, 0), p90: round(s.p90, 0), p99: round(s.p99, 0), max: round(s.max, 0) });

// ---------------------------------------------------------------- phase 1: latency

/**
 * Delivers `count` mails to the support mailbox. mode "single": one at a time, the next after the
 * push (or WAIT_PER_MAIL_MS) and a random gap; mode "burst": back to back, as fast as LMTP takes them.
 */
async function latencyPhase({ dovecot, factory, tag, count, mode, probe, rng, track }) {
  const t = { start: new Float64Array(count), delivered: new Float64Array(count), exists: new Float64Array(count), received: new Float64Array(count) };
  t.received.fill(NaN);
  t.exists.fill(NaN);
  const base = probe ? probe.mailbox.exists : 0;
  // Our own idling connection: the first time the mailbox count covers mail i is Dovecot's announcement of it.
  const onExists = (e) => {
    const now = performance.now();
    for (let i = 0; i < count; i++) if (Number.isNaN(t.exists[i]) && e.count >= base + i + 1 && t.delivered[i] > 0) t.exists[i] = now;
  };
  if (probe) probe.on('exists', onExists);
  let waiter = null;
  track.current = { tag, t, count, onReceived: (i) => waiter && waiter.i === i && waiter.resolve() };
  let misses = 0;
  let sent = 0;
  const phaseStart = performance.now();
  try {
    for (let i = 0; i < count; i++) {
      h.checkAbort();
      const { raw } = await factory.make(i);
      t.start[i] = performance.now();
      await dovecot.deliver(SUPPORT.user, raw);
      t.delivered[i] = performance.now();
      sent++;
      // An EXISTS that arrived while deliver() was still waiting for LMTP's answer covers this mail too.
      if (probe && probe.mailbox && probe.mailbox.exists >= base + i + 1 && Number.isNaN(t.exists[i])) t.exists[i] = t.delivered[i];
      if (mode === 'single') {
        if (Number.isNaN(t.received[i])) {
          await new Promise((resolve) => {
            const timer = setTimeout(resolve, WAIT_PER_MAIL_MS);
            waiter = { i, resolve: () => (clearTimeout(timer), resolve()) };
          });
          waiter = null;
        }
        if (Number.isNaN(t.received[i])) {
          misses++;
          log(`mail ${i}: no message.created within ${WAIT_PER_MAIL_MS} ms`);
          if (misses >= GIVE_UP_AFTER_MISSES) {
            log(`${misses} mails in a row not pushed within ${WAIT_PER_MAIL_MS} ms: stopping this phase early`);
            break;
          }
        } else misses = 0;
        await sleep(GAP_MIN_MS + rng() * (GAP_MAX_MS - GAP_MIN_MS));
      }
      if (mode === 'single' && (i + 1) % 50 === 0) log(`  ${i + 1}/${count} mails`);
    }
    const sendSec = (performance.now() - phaseStart) / 1000;
    // Drain: whatever is still on its way (the poll fallback comes every 60 s).
    const deadline = performance.now() + DRAIN_MS;
    const missing = () => {
      let n = 0;
      for (let i = 0; i < sent; i++) if (Number.isNaN(t.received[i])) n++;
      return n;
    };
    while (missing() && performance.now() < deadline) {
      h.checkAbort();
      await sleep(100);
    }
    await sleep(300); // a duplicate push would arrive now
    const idx = [...Array(sent).keys()];
    const fromDelivered = summary(idx.map((i) => t.received[i] - t.delivered[i]));
    const fromStart = summary(idx.map((i) => t.received[i] - t.start[i]));
    const lmtp = summary(idx.map((i) => t.delivered[i] - t.start[i]));
    const toExists = summary(idx.map((i) => t.exists[i] - t.delivered[i]));
    const existsToPush = summary(idx.map((i) => t.received[i] - t.exists[i]));
    const lastReceived = Math.max(...idx.map((i) => t.received[i]).filter(Number.isFinite));
    return {
      mode,
      sent,
      received: sent - missing(),
      missing: missing(),
      duplicates: track.duplicates[tag] || 0,
      sendSec,
      // burst: from the first delivery's start until the last mail was pushed
      spanSec: Number.isFinite(lastReceived) ? (lastReceived - t.start[0]) / 1000 : null,
      fromDelivered,
      fromStart,
      lmtp,
      toExists,
      existsToPush,
      slowest: idx
        .filter((i) => Number.isFinite(t.received[i]))
        .sort((a, b) => t.received[b] - t.delivered[b] - (t.received[a] - t.delivered[a]))
        .slice(0, 5)
        .map((i) => ({ i, ms: round(t.received[i] - t.delivered[i], 0), existsMs: round(t.exists[i] - t.delivered[i], 0) })),
    };
  } finally {
    if (probe) probe.removeListener('exists', onExists);
    track.current = null;
  }
}

// ---------------------------------------------------------------- phase 2: backlog

/**
 * MAILS mails into the backlog mailbox over LMTP. Built in order a few mails ahead of the sender(s).
 * One connection by default: with several, Dovecot (maildir) numbers concurrent deliveries in the
 * order it finds them, not the order they were sent, so a reply can get a lower UID than the mail it
 * answers (see README: it then opens a ticket of its own).
 */
async function fill(dovecot, factory) {
  const transport = createTransport({
    host: HOST,
    port: dovecot.lmtpPort,
    lmtp: true,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: FILL_CONNECTIONS,
    maxMessages: Infinity,
  });
  const expected = new Array(MAILS);
  const start = performance.now();
  const AHEAD = 8;
  const built = new Map(); // i → promise of the built mail
  let nextBuild = 0;
  const buildUpTo = (n) => {
    while (nextBuild < Math.min(MAILS, n)) {
      const i = nextBuild++;
      built.set(i, factory.make(i));
    }
  };
  let next = 0;
  let lastLog = start;
  try {
    await Promise.all(
      Array.from({ length: FILL_CONNECTIONS }, async () => {
        while (next < MAILS) {
          h.checkAbort();
          const i = next++;
          buildUpTo(i + AHEAD);
          const { raw, messageId } = await built.get(i);
          built.delete(i);
          expected[i] = messageId;
          const info = await transport.sendMail({ envelope: { from: 'sender@example.test', to: [BACKLOG.user] }, raw });
          if (info.rejected.length) throw new Error(`LMTP rejected mail ${i}: ${info.response}`);
          if (performance.now() - lastLog > 15_000) {
            lastLog = performance.now();
            log(`  filled ${i + 1}/${MAILS}`);
          }
        }
      }),
    );
  } finally {
    transport.close();
  }
  return { expected, sec: (performance.now() - start) / 1000 };
}

/** Counts in the server's database: PostgreSQL directly; the embedded one by opening its directory after the server stopped. */
async function storedCounts(benchDb, channelId, expected) {
  const queries = {
    messages: `SELECT count(*)::int AS n, count(DISTINCT external_message_id)::int AS distinct_ids FROM messages WHERE channel_id = $1 AND direction = 'inbound'`,
    tickets: 'SELECT count(*)::int AS n FROM tickets WHERE channel_id = $1',
    attachments: 'SELECT count(*)::int AS n, coalesce(sum(a.size), 0)::bigint AS bytes FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.channel_id = $1',
    quarantined: 'SELECT count(*)::int AS n FROM quarantined_messages WHERE channel_id = $1',
    ids: `SELECT external_message_id AS id FROM messages WHERE channel_id = $1 AND direction = 'inbound'`,
  };
  const run = async (query) => {
    const out = {};
    for (const [k, sql] of Object.entries(queries)) out[k] = (await query(sql, [channelId])).rows;
    return out;
  };
  let r;
  if (EMBEDDED) {
    const { PGlite } = require('@electric-sql/pglite');
    const db = await PGlite.create({ dataDir: path.join(h.tmpDir, 'pgdata') });
    state.pglite = db;
    try {
      r = await run((sql, params) => db.query(sql, params));
    } finally {
      await db.close().catch(() => undefined);
      state.pglite = null;
    }
  } else {
    r = await h.withDatabase(benchDb, (c) => run((sql, params) => c.query(sql, params)));
  }
  const stored = new Set(r.ids.map((x) => x.id));
  const missing = expected.filter((id) => !stored.has(id));
  const expectedSet = new Set(expected);
  const unexpected = [...stored].filter((id) => !expectedSet.has(id));
  return {
    messages: r.messages[0].n,
    distinctMessageIds: r.messages[0].distinct_ids,
    tickets: r.tickets[0].n,
    attachments: r.attachments[0].n,
    attachmentMb: round(Number(r.attachments[0].bytes) / 1048576, 1),
    quarantined: r.quarantined[0].n,
    missing: missing.length,
    missingSamples: missing.slice(0, 3),
    unexpected: unexpected.length,
  };
}

/**
 * From the server's start (restart mode) or the channel's creation (create mode) until every mail is
 * stored: progress by the database count (PostgreSQL) or the channel cursor (embedded), RSS sampled
 * every 100 ms, CPU by process.
 */
async function importPhase({ dovecot, env, benchDb, agent, token, backlogChannelId, smtpPort, maxUid }) {
  const port = Number(env.PORT);
  const bootStart = performance.now();
  const child = startServer(env);
  const pid = child.pid;
  let peakRssKb = 0;
  const rssTimer = setInterval(() => {
    const m = memKb(pid);
    if (m.rss && m.rss > peakRssKb) peakRssKb = m.rss;
  }, 100);
  try {
    await h.waitForHealth(agent, port);
    const bootMs = performance.now() - bootStart;
    log(`server healthy after ${Math.round(bootMs)} ms (pid ${pid}); RSS ${round(memKb(pid).rss / 1024, 1)} MB`);
    token = await bench.login(agent, port);
    let start = bootStart;
    let channelId = backlogChannelId;
    if (IMPORT_MODE === 'create') {
      start = performance.now();
      const importSince = new Date(Date.now() - 86_400_000).toISOString();
      const channel = await bench.createChannel(agent, port, token, { type: 'email', name: 'Backlog', config: emailConfig(dovecot, smtpPort, BACKLOG, importSince) });
      channelId = channel.id;
      log(`backlog channel created with importSince ${importSince} (${Math.round(performance.now() - start)} ms)`);
    }

    let pg = null;
    if (!EMBEDDED) {
      pg = h.newClient(h.dbUrl(benchDb));
      await pg.connect();
    }
    try {
      const ownPid = pg ? (await pg.query('SELECT pg_backend_pid() AS pid')).rows[0].pid : null;
      const cpu0 = { server: procStat(pid)?.cpu ?? 0, pg: await pgBackendCpu(benchDb, ownPid), dovecot: groupCpu(dovecotGroup()), bench: process.cpuUsage(), machine: machineCpu() };
      const progress = async () => {
        if (pg) {
          const { rows } = await pg.query(`SELECT count(*)::int AS n FROM messages WHERE channel_id = $1 AND direction = 'inbound'`, [channelId]);
          return rows[0].n;
        }
        const c = await getChannel(agent, port, token, channelId);
        return c.health.cursor.imap ? c.health.cursor.imap.lastUid : 0; // UIDs 1..MAILS in a fresh mailbox
      };
      const target = pg ? MAILS : maxUid;
      let done = 0;
      let lastError = null;
      let lastErrorCheck = 0;
      let lastChange = performance.now();
      let lastLog = performance.now();
      let logDone = 0;
      const timeline = [];
      while (done < target) {
        h.checkAbort();
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited during the import (code ${child.exitCode}, signal ${child.signalCode})`);
        await sleep(pg ? 250 : 1_000);
        const n = await progress();
        const now = performance.now();
        if (n !== done) lastChange = now;
        if (now - lastErrorCheck > 5_000) {
          // The channel's health says why an import does not move (e.g. a command the IMAP server refuses).
          lastErrorCheck = now;
          const health = (await getChannel(agent, port, token, channelId)).health;
          if (health.lastError && health.lastError !== lastError) log(`  channel health: lastError ${JSON.stringify(health.lastError)} at ${health.lastErrorAt}`);
          lastError = health.lastError;
        }
        done = n;
        if (now - lastChange > IMPORT_STALL_MS) throw new Error(`import stalled at ${done}/${target} for ${IMPORT_STALL_MS / 1000} s (channel lastError: ${JSON.stringify(lastError)})`);
        if (now - lastLog >= 10_000 || done >= target) {
          const rate = (done - logDone) / ((now - lastLog) / 1000);
          const m = memKb(pid);
          timeline.push({ sec: round((now - start) / 1000, 1), stored: done, perSec: round(rate, 1), rssMb: round(m.rss / 1024, 1) });
          log(`  ${round((now - start) / 1000, 1)} s: ${done}/${target} stored (${round(rate, 1)}/s), RSS ${round(m.rss / 1024, 1)} MB`);
          lastLog = now;
          logDone = done;
        }
      }
      const end = performance.now();
      const sec = (end - start) / 1000;
      const wallSec = (end - (IMPORT_MODE === 'create' ? start : bootStart)) / 1000;
      const cpu1 = { server: procStat(pid)?.cpu ?? 0, pg: await pgBackendCpu(benchDb, ownPid), dovecot: groupCpu(dovecotGroup()), bench: process.cpuUsage(cpu0.bench), machine: machineCpu() };
      const mem = memKb(pid);
      const cpu = {
        serverSec: cpu1.server - cpu0.server,
        pgSec: pg ? cpuDelta(cpu0.pg, cpu1.pg) : null,
        dovecotSec: cpuDelta(cpu0.dovecot, cpu1.dovecot),
        benchSec: (cpu1.bench.user + cpu1.bench.system) / 1e6,
        machineSec: cpu1.machine && cpu0.machine ? cpu1.machine.busy - cpu0.machine.busy : null,
      };
      await sleep(3_000); // anything stored twice would show up now
      const afterRssKb = memKb(pid).rss;
      const final = await progress();
      const afterBootSec = (end - (IMPORT_MODE === 'create' ? start : bootStart + bootMs)) / 1000;
      return { channelId, bootMs, sec, afterBootSec, perSecAfterBoot: MAILS / afterBootSec, wallSec, perSec: MAILS / sec, peakRssMb: round(Math.max(peakRssKb, mem.rss || 0) / 1024, 1), hwmMb: round(mem.hwm / 1024, 1), rssAfterMb: round(afterRssKb / 1024, 1), cpu, timeline, finalProgress: final };
    } finally {
      if (pg) await pg.end().catch(() => undefined);
    }
  } finally {
    clearInterval(rssTimer);
  }
}

/** The process group of the Dovecot instance (the harness runs it in a group of its own), if visible. */
function dovecotGroup() {
  const server = state.dovecot && state.dovecot.server;
  return server && server.group ? server.group : null;
}

// ---------------------------------------------------------------- phase 3: stage costs

/**
 * Where an import's time goes, measured without the server: IMAP fetch of the backlog in the
 * channel's batches (≤ 25 mails / 16 MB, `fetchAll` with source), and the server's own parseEmail
 * and sanitizeMessageHtml (from dist/) on every mail. What is left of the import's time per mail is
 * ingest (the database transaction, threading look-up, attachment files, the push).
 */
async function stageCosts(dovecot) {
  const { parseEmail } = require(path.join(ROOT, 'dist', 'channels', 'email', 'src', 'parse'));
  const { sanitizeMessageHtml } = require(path.join(ROOT, 'dist', 'libs', 'messages', 'src', 'sanitize-html'));
  const client = await openImap(dovecot, BACKLOG);
  try {
    const t0 = performance.now();
    const uids = (await client.search({ all: true }, { uid: true })) || [];
    const sizes = new Map();
    for await (const m of client.fetch(uids.join(','), { uid: true, size: true }, { uid: true })) sizes.set(m.uid, m.size || 0);
    const listMs = performance.now() - t0;
    let fetchMs = 0;
    let parseMs = 0;
    let sanitizeMs = 0;
    let bytes = 0;
    let n = 0;
    const perParse = [];
    let batch = [];
    let batchBytes = 0;
    const flush = async () => {
      if (!batch.length) return;
      const f0 = performance.now();
      const messages = await client.fetchAll(batch.join(','), { uid: true, source: true }, { uid: true });
      fetchMs += performance.now() - f0;
      for (const m of messages) {
        bytes += m.source.length;
        n++;
        const p0 = performance.now();
        const parsed = await parseEmail(m.source);
        const p1 = performance.now();
        sanitizeMessageHtml(parsed.html);
        const p2 = performance.now();
        parseMs += p1 - p0;
        sanitizeMs += p2 - p1;
        perParse.push(p1 - p0);
      }
      batch = [];
      batchBytes = 0;
    };
    for (const uid of uids) {
      h.checkAbort();
      const size = sizes.get(uid) || 0;
      if (batch.length && (batch.length >= 25 || batchBytes + size > 16 * 1024 * 1024)) await flush();
      batch.push(uid);
      batchBytes += size;
    }
    await flush();
    return {
      mails: n,
      mb: round(bytes / 1048576, 1),
      listMs: round(listMs, 0),
      fetchMsPerMail: round(fetchMs / n, 2),
      fetchMbPerSec: round(bytes / 1048576 / (fetchMs / 1000), 1),
      parseMsPerMail: round(parseMs / n, 2),
      parse: roundSummary(summary(perParse)),
      sanitizeMsPerMail: round(sanitizeMs / n, 2),
    };
  } finally {
    await client.logout().catch(() => client.close());
  }
}

// ---------------------------------------------------------------- main

h.addCleanup(
  'closing the sockets and the probe',
  async () => {
    for (const s of state.sockets.splice(0)) s.disconnect();
    if (state.probe) await state.probe.logout().catch(() => state.probe && state.probe.close());
    state.probe = null;
  },
  { beforeStop: true },
);
h.addCleanup('closing the embedded database copy', async () => state.pglite && state.pglite.close().catch(() => undefined));

async function main() {
  if (process.getuid && process.getuid() !== 0) throw new Error('run as root: the Dovecot harness needs it (Dovecot switches users)');
  bench.ensureBuilt({ sources: ['apps', 'libs', 'channels', 'migrations'], stdio: ['ignore', 2, 2] });
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'channels/email', 'libs'], { cwd: ROOT, encoding: 'utf8' });
  log(
    `code: HEAD ${String(git.stdout || '?').trim()}, ${String(dirty.stdout || '').split('\n').filter(Boolean).length} modified file(s) in channels/email + libs; ` +
      `dist built ${new Date(fs.statSync(bench.SERVER_ENTRY).mtimeMs).toISOString()}`,
  );
  const m0 = machineCpu();
  await sleep(2_000);
  const m1 = machineCpu();
  const busyBeforePct = m0 && m1 ? round(((m1.busy - m0.busy) / (m1.total - m0.total)) * 100 * os.cpus().length, 0) : null;
  log(`machine ${busyBeforePct} % busy (of ${os.cpus().length * 100} %) before the run${busyBeforePct > 25 ? ': other work will skew the numbers' : ''}`);

  const { dovecot, smtpPort } = await startPeers();
  h.checkAbort();

  const stamp = bench.runStamp();
  const benchDb = `pasokh_bench_email_${stamp}`;
  if (!EMBEDDED) await h.createDatabase(benchDb);
  if (!EMBEDDED && env.KEEP_DB === '1') {
    h.databases.splice(h.databases.indexOf(benchDb), 1); // not dropped at the end: for a look afterwards
    log(`KEEP_DB=1: database ${benchDb} is kept (DROP DATABASE "${benchDb}" when done)`);
  }
  h.makeTmpDir('pasokh-email-');
  const port = await bench.freePort();
  // One environment for both server runs: the same secret key decrypts the channels' passwords.
  const serverEnv = h.serverEnv({
    databaseName: benchDb,
    port,
    extra: {
      ...(EMBEDDED ? { DATABASE_URL: '' } : {}),
      ...(env_('EMAIL_POLL_INTERVAL_SEC') ? { EMAIL_POLL_INTERVAL_SEC: env.EMAIL_POLL_INTERVAL_SEC } : {}),
      ...(env_('DATABASE_POOL_SIZE') ? { DATABASE_POOL_SIZE: env.DATABASE_POOL_SIZE } : {}),
      ...(env_('RECOVERY_WINDOW_SEC') ? { RECOVERY_WINDOW_SEC: env.RECOVERY_WINDOW_SEC } : {}),
    },
  });
  log(`database ${EMBEDDED ? `embedded (PGlite) in ${h.tmpDir}` : benchDb}, server port ${port}; ${LATENCY_MAILS} + ${BURST} latency mails, ${MAILS} backlog mails (${IMPORT_MODE} mode)`);

  const agent = bench.keepAliveAgent(4);
  const runTag = `eb${crypto.randomBytes(3).toString('hex')}`;
  const result = { bench: 'email', database: EMBEDDED ? 'pglite' : 'postgresql', busyBeforePct };
  try {
    const bootStart = performance.now();
    startServer(serverEnv);
    await h.waitForHealth(agent, port);
    log(`server healthy after ${Math.round(performance.now() - bootStart)} ms (pid ${h.child.pid})`);
    let token = await bench.login(agent, port);

    // ------------------------------------------------ latency
    if (LATENCY_MAILS || BURST) {
      // Pushes are matched by the "<tag>#<i>" first line of each mail's text.
      const track = { current: null, duplicates: {}, foreign: 0 };
      await connectAgent(port, token, (payload, now) => {
        const text = payload && typeof payload.text === 'string' ? payload.text : '';
        const m = /(eb[0-9a-f]{6}[sb])#(\d+)/.exec(text);
        const cur = track.current;
        if (!m || !cur || m[1] !== cur.tag) {
          if (m) track.foreign++;
          return;
        }
        const i = Number(m[2]);
        if (i >= cur.count) return;
        if (!Number.isNaN(cur.t.received[i])) {
          track.duplicates[cur.tag] = (track.duplicates[cur.tag] || 0) + 1;
          return;
        }
        cur.t.received[i] = now;
        cur.onReceived(i);
      });
      const ch = await bench.createChannel(agent, port, token, { type: 'email', name: 'Support', config: emailConfig(dovecot, smtpPort, SUPPORT) });
      await waitChannel(agent, port, token, ch.id, hasCursor, 'connected with a cursor');
      state.probe = await openImap(dovecot, SUPPORT, { idle: true });
      await sleep(1_500); // both IDLEs are up (the server starts its IDLE 0.5 s after a sync)
      const rng = prng(SEED + 1);
      const latency = {};
      if (LATENCY_MAILS) {
        log(`latency: ${LATENCY_MAILS} mails one at a time, gaps ${GAP_MIN_MS}–${GAP_MAX_MS} ms`);
        const factory = mailFactory({ seed: SEED, tag: `${runTag}s`, to: SUPPORT.user, customers: Math.max(20, LATENCY_MAILS >> 1), domain: 'latency.customer.test', attachmentShare: ATTACHMENT_PCT / 100 });
        latency.single = await latencyPhase({ dovecot, factory, tag: `${runTag}s`, count: LATENCY_MAILS, mode: 'single', probe: state.probe, rng, track });
      }
      if (BURST) {
        await sleep(2_000);
        log(`latency: a burst of ${BURST} mails back to back`);
        const factory = mailFactory({ seed: SEED + 2, tag: `${runTag}b`, to: SUPPORT.user, customers: Math.max(10, BURST >> 1), domain: 'burst.customer.test', attachmentShare: ATTACHMENT_PCT / 100 });
        latency.burst = await latencyPhase({ dovecot, factory, tag: `${runTag}b`, count: BURST, mode: 'burst', probe: state.probe, rng, track });
      }
      const supportChannel = await getChannel(agent, port, token, ch.id);
      latency.channelLastError = supportChannel.health.lastError;
      await state.probe.logout().catch(() => undefined);
      state.probe = null;
      result.latency = latency;
      for (const [name, l] of Object.entries(latency)) {
        if (typeof l !== 'object' || !l) continue;
        log(`latency ${name}: ${l.received}/${l.sent} pushed, delivered → push ${fmt(l.fromDelivered)}; LMTP→EXISTS ${fmt(l.toExists)}`);
      }
    }

    // ------------------------------------------------ backlog import
    if (MAILS) {
      let backlogChannelId = null;
      if (IMPORT_MODE === 'restart') {
        // The channel exists and is caught up (an empty mailbox), then the server goes down.
        const ch = await bench.createChannel(agent, port, token, { type: 'email', name: 'Backlog', config: emailConfig(dovecot, smtpPort, BACKLOG) });
        backlogChannelId = ch.id;
        await waitChannel(agent, port, token, ch.id, hasCursor, 'connected with a cursor');
      }
      const exit = await h.stopServer();
      log(`server stopped in ${exit && exit.stopMs} ms (code ${exit && exit.code}, signal ${exit && exit.signal})`);

      log(`filling ${BACKLOG.user} with ${MAILS} mails over ${FILL_CONNECTIONS} LMTP connection(s)`);
      const factory = mailFactory({ seed: SEED + 3, tag: `${runTag}i`, to: BACKLOG.user, customers: Math.max(20, MAILS >> 2), domain: 'backlog.customer.test', attachmentShare: ATTACHMENT_PCT / 100 });
      const filled = await fill(dovecot, factory);
      const inMailbox = await dovecot.messageCount(BACKLOG.user, BACKLOG.password);
      const status = await (async () => {
        const c = await openImap(dovecot, BACKLOG);
        try {
          return { uidNext: c.mailbox.uidNext };
        } finally {
          await c.logout().catch(() => c.close());
        }
      })();
      const fs_ = factory.stats;
      log(
        `filled in ${round(filled.sec, 1)} s: ${inMailbox} in the mailbox, ${round(fs_.bytes / 1048576, 1)} MB (avg ${round(fs_.bytes / fs_.mails / 1024, 1)} kB), ` +
          `${fs_.attachments} with an attachment, ${fs_.replies} replies (${fs_.roots} thread starts)`,
      );
      if (inMailbox !== MAILS) throw new Error(`the backlog mailbox holds ${inMailbox} mails, not ${MAILS}`);

      log(`import: ${IMPORT_MODE === 'restart' ? 'starting the server' : 'starting the server, then creating the channel'}`);
      const imp = await importPhase({ dovecot, env: serverEnv, benchDb, agent, token, backlogChannelId, smtpPort, maxUid: status.uidNext - 1 });
      log(`import: ${MAILS} stored in ${round(imp.sec, 1)} s = ${round(imp.perSec, 1)} mails/s; peak RSS ${imp.peakRssMb} MB (VmHWM ${imp.hwmMb} MB)`);
      token = await bench.login(agent, port);
      const backlogChannel = await getChannel(agent, port, token, imp.channelId);
      const exit2 = await h.stopServer();
      log(`server stopped in ${exit2 && exit2.stopMs} ms`);
      const counts = await storedCounts(benchDb, imp.channelId, filled.expected);
      log(`stored: ${JSON.stringify(counts)}`);
      result.import = {
        mode: IMPORT_MODE,
        mails: MAILS,
        mailboxMb: round(fs_.bytes / 1048576, 1),
        withAttachment: fs_.attachments,
        threadStarts: fs_.roots,
        fillSec: round(filled.sec, 1),
        bootMs: round(imp.bootMs, 0),
        sec: round(imp.sec, 1),
        perSec: round(imp.perSec, 1),
        afterBootSec: round(imp.afterBootSec, 1),
        perSecAfterBoot: round(imp.perSecAfterBoot, 1),
        msPerMail: round((imp.afterBootSec * 1000) / MAILS, 2), // the import's own time per mail (boot excluded)
        peakRssMb: imp.peakRssMb,
        vmHwmMb: imp.hwmMb,
        rssAfterMb: imp.rssAfterMb,
        cpuMsPerMail: {
          server: round((imp.cpu.serverSec * 1000) / MAILS, 2),
          postgres: imp.cpu.pgSec === null ? null : round((imp.cpu.pgSec * 1000) / MAILS, 2),
          dovecot: round((imp.cpu.dovecotSec * 1000) / MAILS, 2),
          bench: round((imp.cpu.benchSec * 1000) / MAILS, 2),
          machine: imp.cpu.machineSec === null ? null : round((imp.cpu.machineSec * 1000) / MAILS, 2),
        },
        cursor: backlogChannel.health.cursor.imap,
        lastError: backlogChannel.health.lastError,
        ...counts,
        exact: counts.messages === MAILS && counts.distinctMessageIds === MAILS && counts.missing === 0 && counts.unexpected === 0 && counts.quarantined === 0,
        threadsExact: counts.tickets === fs_.roots,
        timeline: imp.timeline,
      };
      if (BREAKDOWN) {
        log('stage costs: fetching the backlog with our own IMAP client and parsing it with the server\'s parseEmail');
        result.stages = await stageCosts(dovecot);
        const perMail = result.import.msPerMail;
        const s = result.stages;
        result.stages.ingestMsPerMailEstimate = round(perMail - s.fetchMsPerMail - s.parseMsPerMail - s.sanitizeMsPerMail, 2);
      }
    }
  } finally {
    agent.destroy();
  }

  printReport(result);
  return compact(result);
}

const env_ = (name) => env[name] !== undefined && env[name] !== '';

function printReport(r) {
  const lines = ['', `Email channel  (${r.database}; machine ${r.busyBeforePct} % busy before the run)`];
  if (r.latency) {
    for (const [name, l] of Object.entries(r.latency)) {
      if (typeof l !== 'object' || !l) continue;
      lines.push(
        `  Latency, ${name === 'single' ? `one at a time (gaps ${GAP_MIN_MS}–${GAP_MAX_MS} ms)` : `burst of ${l.sent}`}: ${l.received}/${l.sent} pushed, ${l.missing} missing, ${l.duplicates} duplicate pushes` +
          (l.spanSec !== null && name === 'burst' ? `; last push ${round(l.spanSec, 2)} s after the first delivery started` : ''),
        `    deliver() resolved → message.created   ${fmt(l.fromDelivered)}`,
        `    deliver() started  → message.created   ${fmt(l.fromStart)}`,
        `    LMTP deliver() itself                  ${fmt(l.lmtp)}`,
        `    deliver() resolved → EXISTS (probe)    ${fmt(l.toExists)}`,
        `    EXISTS (probe)     → message.created   ${fmt(l.existsToPush)}`,
        `    slowest: ${l.slowest.map((s) => `#${s.i} ${s.ms} ms (EXISTS ${s.existsMs})`).join(', ')}`,
      );
    }
    if (r.latency.channelLastError) lines.push(`    support channel lastError: ${r.latency.channelLastError}`);
  }
  if (r.import) {
    const i = r.import;
    lines.push(
      `  Backlog import (${i.mode}): ${i.mails} mails, ${i.mailboxMb} MB, ${i.withAttachment} with an attachment; mailbox filled in ${i.fillSec} s`,
      `    ${i.sec} s from ${i.mode === 'restart' ? 'server start' : 'channel creation'} to all stored = ${i.perSec} mails/s` +
        (i.mode === 'restart' ? `; without the ${i.bootMs} ms boot: ${i.afterBootSec} s = ${i.perSecAfterBoot} mails/s` : '') + ` (${i.msPerMail} ms/mail)`,
      `    server RSS peak ${i.peakRssMb} MB (VmHWM ${i.vmHwmMb} MB), ${i.rssAfterMb} MB after`,
      `    stored ${i.messages} messages (${i.distinctMessageIds} distinct Message-IDs), ${i.missing} missing, ${i.unexpected} unexpected, ${i.quarantined} quarantined → ${i.exact ? 'exact' : 'NOT EXACT'}; ` +
        `${i.tickets} tickets for ${i.threadStarts} thread starts (${i.threadsExact ? 'every reply joined its thread' : 'THREADING MISMATCH'}), ${i.attachments} attachments (${i.attachmentMb} MB)`,
      `    CPU ms per mail: server ${i.cpuMsPerMail.server}${i.cpuMsPerMail.postgres === null ? ' (PGlite runs inside it)' : `, PostgreSQL ${i.cpuMsPerMail.postgres}`}, Dovecot ${i.cpuMsPerMail.dovecot}, bench ${i.cpuMsPerMail.bench}; machine ${i.cpuMsPerMail.machine} (of ${os.cpus().length} cores)`,
      `    cursor ${JSON.stringify(i.cursor)}${i.lastError ? `; lastError ${i.lastError}` : ''}`,
      `    timeline: ${i.timeline.map((t) => `${t.sec}s ${t.stored} (${t.perSec}/s, ${t.rssMb} MB)`).join(' | ')}`,
    );
  }
  if (r.stages) {
    const s = r.stages;
    lines.push(
      `  Stage costs (bench process, no server running): ${s.mails} mails, ${s.mb} MB`,
      `    IMAP fetch in batches of 25: ${s.fetchMsPerMail} ms/mail (${s.fetchMbPerSec} MB/s); SEARCH + sizes ${s.listMs} ms`,
      `    parseEmail ${s.parseMsPerMail} ms/mail (p50 ${s.parse.p50}, p99 ${s.parse.p99}, max ${s.parse.max}); sanitizeMessageHtml ${s.sanitizeMsPerMail} ms/mail`,
      `    → left for ingest (transaction, threading, attachment files, push) ≈ ${s.ingestMsPerMailEstimate} ms/mail of the import's ${r.import.msPerMail}`,
    );
  }
  lines.push('');
  process.stdout.write(lines.join('\n') + '\n');
  h.printServerLog('server output');
}

/** The JSON line: the figures, without the per-mail detail. */
function compact(r) {
  const out = { bench: r.bench, database: r.database, busyBeforePct: r.busyBeforePct };
  if (r.latency) {
    for (const [name, l] of Object.entries(r.latency)) {
      if (typeof l !== 'object' || !l) continue;
      out[`latency_${name}`] = {
        sent: l.sent,
        received: l.received,
        duplicates: l.duplicates,
        fromDelivered: roundSummary(l.fromDelivered),
        fromStart: roundSummary(l.fromStart),
        lmtpToExists: roundSummary(l.toExists),
        existsToPush: roundSummary(l.existsToPush),
        ...(name === 'burst' ? { spanSec: round(l.spanSec, 2) } : {}),
      };
    }
  }
  if (r.import) {
    const { timeline, cursor, missingSamples, ...rest } = r.import;
    out.import = rest;
  }
  if (r.stages) out.stages = r.stages;
  return out;
}

// Whole-run watchdog: peers, boot, the latency phases (each mail waits ≤ 5 s), the fill, an import at
// ≥ 2 mails/s, the stage costs, shutdowns and cleanup.
const WATCHDOG_MS = 600_000 + LATENCY_MAILS * (WAIT_PER_MAIL_MS + GAP_MAX_MS + 200) + BURST * 2_000 + 2 * DRAIN_MS + MAILS * 600;
h.run(main, { watchdogMs: WATCHDOG_MS, forceExitMs: 90_000, signalForceExitMs: 90_000, abortOnWatchdog: true });
