#!/usr/bin/env node
'use strict';
/*
 * Fan-out benchmark: N agent sockets on the /agents socket.io namespace, inbound messages posted
 * through an API channel at a fixed (open-loop) rate, latency from "POST sent" to "socket received
 * message.created" for every (message, socket) pair. INSTANCES=2 runs two servers with the Redis
 * Streams adapter and posts to the first one only. See README.md in this directory.
 * Plain CommonJS; uses `pg`, `socket.io-client`, `socket.io-parser` and `redis` from node_modules.
 */
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { performance, monitorEventLoopDelay } = require('node:perf_hooks');
const { Client } = require('pg');
const { io } = require('socket.io-client');
const sioParser = require('socket.io-parser');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SERVER_ENTRY = path.join(ROOT, 'dist', 'apps', 'server', 'src', 'main.js');
const HOST = '127.0.0.1';
const REQUEST_TIMEOUT_MS = 30_000;
const HEALTH_TIMEOUT_MS = 60_000;
const CONNECT_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 40_000; // the server force-exits after 30 s itself
const SETTLE_MS = 3_000; // idle time after the sockets connected, before reading RSS
const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

// ---------------------------------------------------------------- options

function positiveInt(name, raw, fallback, max, min = 1) {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(String(raw)) || Number(raw) < min || Number(raw) > max) throw new Error(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  return Number(raw);
}

const env = process.env;
const SOCKETS = positiveInt('SOCKETS', env.SOCKETS, 1000, 20_000);
const RATE = positiveInt('RATE', env.RATE, 200, 10_000);
const DURATION_SEC = positiveInt('DURATION_SEC', env.DURATION_SEC, 20, 600);
const INSTANCES = positiveInt('INSTANCES', env.INSTANCES, 1, 2);
const CONNECT_BATCH = positiveInt('CONNECT_BATCH', env.CONNECT_BATCH, 50, 1000);
const CUSTOMERS = positiveInt('CUSTOMERS', env.CUSTOMERS, 500, 1_000_000);
const DRAIN_SEC = positiveInt('DRAIN_SEC', env.DRAIN_SEC, 60, 600); // max wait for deliveries after the last POST answered
const DRAIN_IDLE_SEC = positiveInt('DRAIN_IDLE_SEC', env.DRAIN_IDLE_SEC, 10, 600); // ... or this long without a new delivery
const CLIENT_PARSER = env.CLIENT_PARSER || 'lean';
const WAIT_QUIET_SEC = positiveInt('WAIT_QUIET_SEC', env.WAIT_QUIET_SEC, 0, 3600, 0);
if (!['lean', 'full'].includes(CLIENT_PARSER)) throw new Error(`CLIENT_PARSER must be lean or full (got "${CLIENT_PARSER}")`);
const ADMIN_URL = env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = env.REDIS_URL || 'redis://127.0.0.1:6379';
const POOL_SIZE = env.DATABASE_POOL_SIZE;
const SERVER_NODE_ARGS = (env.SERVER_NODE_ARGS || '').split(/\s+/).filter(Boolean); // e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"

if (!LOCAL_HOSTS.includes(new URL(ADMIN_URL).hostname)) throw new Error(`DATABASE_URL must point at 127.0.0.1 (got ${new URL(ADMIN_URL).hostname})`);
if (INSTANCES > 1 && !LOCAL_HOSTS.includes(new URL(REDIS_URL).hostname)) throw new Error(`REDIS_URL must point at 127.0.0.1 (got ${new URL(REDIS_URL).hostname})`);

const TOTAL_MESSAGES = Math.round(RATE * DURATION_SEC);
const CELLS = TOTAL_MESSAGES * SOCKETS;
if (CELLS > 200_000_000) throw new Error(`RATE × DURATION_SEC × SOCKETS = ${CELLS} deliveries is more than this bench keeps in memory (200M)`);

function dbUrl(name) {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

const log = (msg) => process.stderr.write(`[fanout] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (v, d = 2) => (Number.isFinite(v) ? Math.round(v * 10 ** d) / 10 ** d : null);

// ---------------------------------------------------------------- state for cleanup

const state = {
  databases: [],
  servers: [], // { name, child, exit (promise), port, logPath }
  sockets: [],
  redisStream: null,
  sessionPids: [],
  tmpDir: null,
  cleaning: null,
  aborted: null,
};

function checkAbort() {
  if (state.aborted) throw new Error(`aborted by ${state.aborted}`);
}

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

/** Growable Float64Array (POST latencies). */
class Samples {
  constructor(size = 1 << 14) {
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
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? round(Number(m[1]) / 1024, 1) : null;
  } catch {
    return null;
  }
}

const CLK_TCK = (() => {
  const res = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(String(res.stdout || '').trim());
  return n > 0 ? n : 100;
})();

/** utime+stime of a process, in seconds. */
function procCpuSec(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (state)
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

/** Whole-machine jiffies: { busy, total }. */
function machineCpu() {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = line[3] + (line[4] || 0);
    const total = line.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total, softirq: line[6] || 0 };
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

// ---------------------------------------------------------------- Redis

async function redisCleanup() {
  if (!state.redisStream) return;
  const stream = state.redisStream;
  state.redisStream = null;
  const { createClient } = require('redis');
  const client = createClient({ url: REDIS_URL, socket: { connectTimeout: 5_000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const keys = [stream, ...state.sessionPids.map((pid) => `sio:session:${pid}`)];
    let deleted = 0;
    for (let i = 0; i < keys.length; i += 500) deleted += await client.del(keys.slice(i, i + 500));
    log(`redis: deleted ${deleted} key(s) (stream ${stream}${state.sessionPids.length ? ` + up to ${state.sessionPids.length} recovery sessions` : ''})`);
  } catch (error) {
    log(`redis cleanup failed (stream ${stream}): ${error.message}`);
  } finally {
    await client.quit().catch(() => client.disconnect().catch(() => undefined));
  }
}

// ---------------------------------------------------------------- server processes

function startServer(name, serverEnv, logPath) {
  const fd = fs.openSync(logPath, 'a');
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, SERVER_ENTRY], { cwd: ROOT, env: serverEnv, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  const server = { name, child, port: Number(serverEnv.PORT), logPath };
  server.exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  state.servers.push(server);
  return server;
}

async function stopServer(server) {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return server.exit;
  const started = performance.now();
  child.kill('SIGTERM');
  const timer = new Promise((r) => setTimeout(r, STOP_TIMEOUT_MS, 'timeout').unref());
  let result = await Promise.race([server.exit, timer]);
  if (result === 'timeout') {
    log(`server ${server.name} did not exit ${STOP_TIMEOUT_MS} ms after SIGTERM; sending SIGKILL`);
    child.kill('SIGKILL');
    result = await server.exit;
  }
  return { ...result, stopMs: Math.round(performance.now() - started) };
}

async function waitForHealth(agent, server) {
  const deadline = performance.now() + HEALTH_TIMEOUT_MS;
  let last = 'no answer';
  while (performance.now() < deadline) {
    checkAbort();
    const { child } = server;
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server ${server.name} exited during startup (code ${child.exitCode}, signal ${child.signalCode}); see ${server.logPath}`);
    }
    try {
      const res = await request(agent, server.port, 'GET', '/api/health');
      if (res.status === 200) return;
      last = `HTTP ${res.status} ${res.body.slice(0, 200)}`;
    } catch (error) {
      last = error.message;
    }
    await sleep(200);
  }
  throw new Error(`server ${server.name} not healthy after ${HEALTH_TIMEOUT_MS / 1000} s (last: ${last})`);
}

/** Counts pino levels and non-JSON lines in a server log; returns a short summary. */
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

// ---------------------------------------------------------------- deliveries

// lat[i * SOCKETS + s] = ms from the POST of message i being sent to socket s receiving it; -1 = not yet.
const sentAt = new Float64Array(TOTAL_MESSAGES);
const lat = new Float32Array(CELLS).fill(-1);
const delivery = { received: 0, duplicates: 0, foreign: 0, invalid: 0, lastAt: 0 };
const progress = { sent: 0, answered: 0, accepted: 0 }; // for the timeline
const eventsSeen = new Map(); // every event name socket 0 received (it uses the full parser), with counts

let MARK = ''; // set in main(): "fanout-<runId>#" followed by the message index

function record(s, i, now) {
  if (!(i >= 0 && i < TOTAL_MESSAGES) || sentAt[i] === 0) {
    delivery.foreign++;
    return;
  }
  const k = i * SOCKETS + s;
  if (lat[k] >= 0) {
    delivery.duplicates++;
    return;
  }
  lat[k] = now - sentAt[i];
  delivery.received++;
  delivery.lastAt = now;
}

/** The message index after MARK in a string, or -1. */
function indexAfterMark(str) {
  const at = str.indexOf(MARK);
  if (at < 0) return -1;
  let n = 0;
  let j = at + MARK.length;
  let digits = 0;
  for (; j < str.length; j++) {
    const c = str.charCodeAt(j);
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
    digits++;
  }
  return digits ? n : -1;
}

const MC_HEAD = '["message.created",';

/**
 * A socket.io-parser whose decoder handles `message.created` EVENT packets straight from the wire
 * string (finds the marker in the message text, no JSON.parse) and drops every other EVENT packet
 * (ticket.created/updated, presence.updated, ...) unparsed; CONNECT/DISCONNECT/errors go through the
 * normal decoder. Keeps the bench process's per-event work small. One class per socket (closure on s).
 */
function leanParserFor(s) {
  class LeanDecoder extends sioParser.Decoder {
    add(obj) {
      if (typeof obj === 'string' && obj.charCodeAt(0) === 50 /* '2' = EVENT */) {
        const now = performance.now();
        const b = obj.indexOf('[');
        if (b > 0 && b < 80) {
          if (obj.startsWith(MC_HEAD, b)) {
            const i = indexAfterMark(obj);
            if (i < 0) delivery.foreign++;
            else record(s, i, now);
          }
          return;
        }
      }
      super.add(obj);
    }
  }
  return { Encoder: sioParser.Encoder, Decoder: LeanDecoder };
}

/** Full decoding (socket.io's own parser + listener), with a check of the Message payload shape. */
function fullHandlerFor(s) {
  return (message) => {
    const now = performance.now();
    if (!message || typeof message.id !== 'string' || typeof message.ticketId !== 'string' || typeof message.text !== 'string') {
      delivery.invalid++;
      return;
    }
    const i = indexAfterMark(message.text);
    if (i < 0) delivery.foreign++;
    else record(s, i, now);
  };
}

// ---------------------------------------------------------------- sockets

const sockStats = { connectErrors: 0, connectErrorSamples: [], disconnects: 0, disconnectReasons: new Map() };

function connectOne(s, server, token, phase) {
  return new Promise((resolve) => {
    // Sockets 0 and 1 always use the full parser (one on each instance with INSTANCES=2) and check the payload shape.
    const full = CLIENT_PARSER === 'full' || s < INSTANCES;
    const socket = io(`http://${HOST}:${server.port}/agents`, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: CONNECT_TIMEOUT_MS,
      ...(full ? {} : { parser: leanParserFor(s) }),
    });
    state.sockets[s] = socket;
    if (full) socket.on('message.created', fullHandlerFor(s));
    if (s === 0) socket.onAny((name) => eventsSeen.set(name, (eventsSeen.get(name) || 0) + 1));
    let settled = false;
    socket.once('connect', () => {
      settled = true;
      if (socket._pid) state.sessionPids.push(socket._pid);
      resolve(true);
    });
    socket.on('connect_error', (error) => {
      if (settled) return;
      settled = true;
      sockStats.connectErrors++;
      if (sockStats.connectErrorSamples.length < 5) sockStats.connectErrorSamples.push(`${server.name}#${s}: ${error.message}`);
      resolve(false);
    });
    socket.on('disconnect', (reason) => {
      if (phase.closing) return;
      sockStats.disconnects++;
      sockStats.disconnectReasons.set(reason, (sockStats.disconnectReasons.get(reason) || 0) + 1);
    });
  });
}

function closeSockets() {
  for (const socket of state.sockets) {
    try {
      if (socket) socket.disconnect();
    } catch {
      // already gone
    }
  }
  state.sockets = [];
}

// ---------------------------------------------------------------- load

async function load(agent, server, channel) {
  const inboundPath = `/api/channels/${encodeURIComponent(channel.id)}/inbound`;
  const runTag = MARK;
  const postLat = new Samples(TOTAL_MESSAGES + 1);
  const errorKinds = new Map();
  const errorSamples = [];
  let accepted = 0;
  let duplicates = 0;
  let errors = 0;
  let inflight = 0;
  let maxInflight = 0;
  let maxSendLagMs = 0;
  const acceptedFlag = new Uint8Array(TOTAL_MESSAGES);
  let allAnswered;
  const answered = new Promise((r) => (allAnswered = r));
  let finished = 0;

  let refused = 0;
  const noteError = (kind, detail) => {
    errors++;
    errorKinds.set(kind, (errorKinds.get(kind) || 0) + 1);
    if (errorSamples.length < 5) errorSamples.push(`${kind}: ${String(detail).slice(0, 300)}`);
  };
  const done = () => {
    inflight--;
    progress.answered++;
    if (++finished === TOTAL_MESSAGES) allAnswered();
  };

  function send(i) {
    const c = i % CUSTOMERS;
    const payload = Buffer.from(
      JSON.stringify({
        externalMessageId: `${runTag}${i}`,
        from: { externalId: `cust-${c}`, name: `Customer ${c}` },
        text: `${runTag}${i} سلام، سفارش من کجاست؟ order ${c}`,
      }),
    );
    const req = http.request(
      {
        host: HOST,
        port: server.port,
        method: 'POST',
        path: inboundPath,
        agent,
        headers: { 'content-type': 'application/json', 'content-length': payload.length, 'x-channel-token': channel.inboundToken },
      },
      (res) => {
        const status = res.statusCode;
        const chunks = status === 202 ? null : [];
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (chunks ? chunks.push(c) : (body += c)));
        res.on('end', () => {
          if (status === 202) {
            accepted++;
            progress.accepted++;
            acceptedFlag[i] = 1;
            postLat.push(performance.now() - sentAt[i]);
            if (body.includes('"duplicate":true')) duplicates++;
          } else {
            refused++; // a definite non-202: the message was not stored
            noteError(`HTTP ${status}`, chunks.join(''));
          }
          done();
        });
        res.on('error', (error) => {
          noteError('response', error.message);
          done();
        });
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`request timed out after ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', (error) => {
      noteError(error.code || 'network', error.message);
      done();
    });
    inflight++;
    if (inflight > maxInflight) maxInflight = inflight;
    sentAt[i] = performance.now();
    progress.sent++;
    req.end(payload);
  }

  const interval = 1000 / RATE;
  const start = performance.now();
  let next = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < TOTAL_MESSAGES && start + next * interval <= now && !state.aborted) {
        const lag = now - (start + next * interval);
        if (lag > maxSendLagMs) maxSendLagMs = lag;
        send(next++);
      }
      if (next >= TOTAL_MESSAGES || state.aborted) return resolve();
      setTimeout(tick, Math.max(0, Math.min(interval, start + next * interval - performance.now())));
    };
    tick();
  });
  const sendSec = (performance.now() - start) / 1000;
  checkAbort();
  await Promise.race([answered, new Promise((r) => setTimeout(r, REQUEST_TIMEOUT_MS + 5_000).unref())]);
  const answeredSec = (performance.now() - start) / 1000;
  return {
    sent: next,
    accepted, // so far: answers can still arrive during the drain; final() has the end counts
    acceptedNow: () => accepted,
    // Messages that may have been stored: all sent but definite refusals (a timed-out POST may have committed).
    possibleNow: () => next - refused,
    acceptedFlag,
    sendSec,
    answeredSec,
    final() {
      const sorted = postLat.sorted();
      return {
        accepted,
        duplicates,
        errors,
        errorKinds: Object.fromEntries(errorKinds),
        errorSamples,
        unanswered: next - finished,
        maxInflight,
        maxSendLagMs,
        postP50: percentile(sorted, 50),
        postP99: percentile(sorted, 99),
        postMax: sorted.length ? sorted[sorted.length - 1] : NaN,
      };
    },
  };
}

/** Waits until every expected delivery arrived, or DRAIN_IDLE_SEC without progress, or DRAIN_SEC. */
async function drain(expectedNow) {
  const start = performance.now();
  const hardDeadline = start + DRAIN_SEC * 1000;
  let lastCount = delivery.received;
  let lastProgress = start;
  const history = []; // [time, received] every 100 ms, for the arrival rate when the drain ends
  let reason = 'complete';
  while (delivery.received < expectedNow()) {
    if (state.aborted) break;
    const now = performance.now();
    history.push([now, delivery.received]);
    if (now > hardDeadline) {
      reason = `DRAIN_SEC (${DRAIN_SEC} s) reached`;
      break;
    }
    if (delivery.received !== lastCount) {
      lastCount = delivery.received;
      lastProgress = now;
    } else if (now - lastProgress > DRAIN_IDLE_SEC * 1000) {
      reason = `no delivery for DRAIN_IDLE_SEC (${DRAIN_IDLE_SEC} s)`;
      break;
    }
    await sleep(100);
  }
  const end = performance.now();
  const from = history.find(([t]) => t >= end - 5_000) || [end, delivery.received];
  const ratePerSec = end - from[0] > 500 ? (delivery.received - from[1]) / ((end - from[0]) / 1000) : 0;
  return { sec: (end - start) / 1000, reason, ratePerSec };
}

// ---------------------------------------------------------------- timeline

/** CPU seconds of every process whose comm is one of `names`, by "comm pid" (machine-wide: other users' too). */
function cpuByComm(names) {
  const out = new Map();
  let entries;
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return out;
  }
  for (const pid of entries) {
    if (pid.charCodeAt(0) < 48 || pid.charCodeAt(0) > 57) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!names.includes(comm)) continue;
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(`${comm} ${pid}`, (Number(f[11]) + Number(f[12])) / CLK_TCK);
    } catch {
      // gone
    }
  }
  return out;
}

/** One row per second: request and delivery rates, CPU of the bench, servers, postgres, redis, machine; server RSS. */
function startTimeline(servers) {
  const snap = () => ({
    t: performance.now(),
    bench: process.cpuUsage(),
    servers: servers.map((s) => procCpuSec(s.child.pid)),
    other: cpuByComm(['postgres', 'redis-server']),
    machine: machineCpu(),
    ...progress,
    received: delivery.received,
  });
  const t0 = performance.now();
  const rows = [];
  let prev = snap();
  // CPU of processes named `comm` between two snapshots: per pid, so exiting backends do not count negative.
  const commPct = (a, b, comm, dt) => {
    let sec = 0;
    for (const [key, v] of b.other) if (key.startsWith(`${comm} `)) sec += v - (a.other.get(key) ?? 0);
    return (sec / dt) * 100;
  };
  const timer = setInterval(() => {
    const cur = snap();
    const dt = (cur.t - prev.t) / 1000;
    const pct = (a, b) => (a === null || b === null ? null : ((b - a) / dt) * 100);
    rows.push({
      at: (cur.t - t0) / 1000,
      dt,
      sent: cur.sent - prev.sent,
      answered: cur.answered - prev.answered,
      received: cur.received - prev.received,
      bench: ((cur.bench.user - prev.bench.user + cur.bench.system - prev.bench.system) / 1e6 / dt) * 100,
      servers: cur.servers.map((v, n) => pct(prev.servers[n], v)),
      pg: commPct(prev, cur, 'postgres', dt),
      redis: commPct(prev, cur, 'redis-server', dt),
      machine: cur.machine && prev.machine ? ((cur.machine.busy - prev.machine.busy) / (cur.machine.total - prev.machine.total)) * 100 * os.cpus().length : null,
      softirq: cur.machine && prev.machine ? ((cur.machine.softirq - prev.machine.softirq) / (cur.machine.total - prev.machine.total)) * 100 * os.cpus().length : null,
      rss: servers.map((s) => readRssMb(s.child.pid)),
    });
    prev = cur;
  }, 1000);
  return () => {
    clearInterval(timer);
    return rows;
  };
}

/** CPU (% of one core) used by neither the bench, the servers, postgres nor redis: other work on the machine. */
function restPct(r) {
  if (r.machine === null) return null;
  return r.machine - r.bench - (r.pg ?? 0) - (r.redis ?? 0) - r.servers.reduce((a, v) => a + (v ?? 0), 0);
}

/** The timeline as text, at most ~30 lines (rows merged into steps of k seconds). */
function formatTimeline(rows, names) {
  if (!rows.length) return [];
  const k = Math.max(1, Math.ceil(rows.length / 30));
  const f = (v) => (v === null || !Number.isFinite(v) ? '   -' : String(Math.round(v)).padStart(4));
  const out = [
    `  Timeline (per second, averaged over ${k} s; CPU in % of one core, the machine has ${os.cpus().length}; postgres/redis: all such processes;`,
    `            softirq: the kernel's network work, mostly already inside the processes' numbers; rest: busy minus bench, servers, postgres, redis = other work):`,
    `     t(s)  POST/s  202+err/s  deliveries/s  ${names.map((n) => `srv${n}%`).join(' ')}  pg%  redis%  bench%  softirq%  rest%  busy%  RSS MB`,
  ];
  for (let i = 0; i < rows.length; i += k) {
    const g = rows.slice(i, i + k);
    const avg = (fn) => g.reduce((a, r) => a + (fn(r) ?? NaN), 0) / g.length;
    const sumRate = (key) => g.reduce((a, r) => a + r[key], 0) / g.reduce((a, r) => a + r.dt, 0);
    const last = g[g.length - 1];
    out.push(
      `    ${last.at.toFixed(0).padStart(5)}  ${f(sumRate('sent')).padStart(6)}  ${f(sumRate('answered')).padStart(9)}  ${f(sumRate('received')).padStart(12)}  ` +
        `${names.map((_, n) => f(avg((r) => r.servers[n])).padStart(4 + names[n].length)).join(' ')}  ${f(avg((r) => r.pg)).padStart(3)}  ${f(avg((r) => r.redis)).padStart(6)}  ` +
        `${f(avg((r) => r.bench)).padStart(6)}  ${f(avg((r) => r.softirq)).padStart(8)}  ` +
        `${f(avg(restPct)).padStart(5)}  ` +
        `${f(avg((r) => r.machine)).padStart(5)}  ${last.rss.join('/')}`,
    );
  }
  return out;
}

// ---------------------------------------------------------------- statistics

function stats(acceptedFlag, socketsUp) {
  // Per instance (socket s lives on instance s % INSTANCES), plus the per-message "last socket" time.
  const counts = new Array(INSTANCES).fill(0);
  const expected = new Array(INSTANCES).fill(0);
  for (let s = 0; s < SOCKETS; s++) if (socketsUp[s]) expected[s % INSTANCES]++;
  let accepted = 0;
  let extra = 0; // deliveries of messages whose POST did not get a 202
  for (let i = 0; i < TOTAL_MESSAGES; i++) {
    const base = i * SOCKETS;
    if (!acceptedFlag[i]) {
      for (let s = 0; s < SOCKETS; s++) if (lat[base + s] >= 0) extra++;
      continue;
    }
    accepted++;
    for (let s = 0; s < SOCKETS; s++) if (lat[base + s] >= 0) counts[s % INSTANCES]++;
  }
  const per = counts.map((n) => new Float32Array(n));
  const fill = new Array(INSTANCES).fill(0);
  const all = new Float32Array(counts.reduce((a, b) => a + b, 0));
  let allN = 0;
  const complete = new Float32Array(accepted); // time until the last connected socket had the message
  let completeN = 0;
  let incompleteMessages = 0;
  // Latency by send-time window (5 s) to show whether it grows during the run.
  const windowSec = 5;
  const perWindow = Math.max(1, Math.round(RATE * windowSec));
  const windows = [];
  for (let i = 0; i < TOTAL_MESSAGES; i++) {
    if (!acceptedFlag[i]) continue;
    const base = i * SOCKETS;
    let worst = -1;
    let missing = false;
    for (let s = 0; s < SOCKETS; s++) {
      const v = lat[base + s];
      if (v >= 0) {
        const inst = s % INSTANCES;
        per[inst][fill[inst]++] = v;
        all[allN++] = v;
        if (v > worst) worst = v;
      } else if (socketsUp[s]) missing = true;
    }
    if (missing) incompleteMessages++;
    else complete[completeN++] = worst;
  }
  for (let w = 0; w * perWindow < TOTAL_MESSAGES; w++) {
    const i0 = w * perWindow;
    const i1 = Math.min(TOTAL_MESSAGES, i0 + perWindow);
    const slice = lat.subarray(i0 * SOCKETS, i1 * SOCKETS).filter((v) => v >= 0).sort();
    windows.push({ fromSec: round((i0 / RATE), 1), toSec: round(i1 / RATE, 1), n: slice.length, p50: percentile(slice, 50), p99: percentile(slice, 99), max: slice.length ? slice[slice.length - 1] : NaN });
  }
  all.sort();
  per.forEach((a) => a.sort());
  const completeSorted = complete.subarray(0, completeN).sort();
  const summary = (a) => ({ n: a.length, p50: percentile(a, 50), p99: percentile(a, 99), max: a.length ? a[a.length - 1] : NaN });
  return {
    accepted,
    extra,
    all: summary(all),
    per: per.map((a, inst) => ({ ...summary(a), expected: accepted * expected[inst], sockets: expected[inst] })),
    complete: { ...summary(completeSorted), incompleteMessages },
    windows,
  };
}

// ---------------------------------------------------------------- main

async function cleanup() {
  if (state.cleaning) return state.cleaning;
  state.cleaning = (async () => {
    closeSockets();
    await sleep(500); // let the servers see the disconnects before SIGTERM
    const results = await Promise.all(
      state.servers.map((server) =>
        stopServer(server).then(
          (r) => log(`server ${server.name} stopped in ${r.stopMs ?? 0} ms (code ${r.code}, signal ${r.signal})`),
          (error) => log(`stopping server ${server.name} failed: ${error.message}`),
        ),
      ),
    );
    void results;
    try {
      await dropDatabases();
    } catch (error) {
      log(`dropping databases failed: ${error.message}`);
    }
    await redisCleanup();
    try {
      if (state.tmpDir) fs.rmSync(state.tmpDir, { recursive: true, force: true });
    } catch (error) {
      log(`removing ${state.tmpDir} failed: ${error.message}`);
    }
  })();
  return state.cleaning;
}

async function main() {
  const sources = ['apps', 'libs', 'channels', 'migrations'].map((d) => path.join(ROOT, d));
  if (!fs.existsSync(SERVER_ENTRY) || newerThan(sources, fs.statSync(SERVER_ENTRY).mtimeMs)) {
    log(`${path.relative(ROOT, SERVER_ENTRY)} is missing or older than the sources; running npm run build`);
    const res = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2], timeout: 600_000 });
    if (res.status !== 0 || !fs.existsSync(SERVER_ENTRY)) throw new Error('npm run build failed');
  }

  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' });
  log(`code: HEAD ${String(git.stdout || '?').trim()}, ${String(dirty.stdout || '').split('\n').filter(Boolean).length} modified tracked file(s); dist built ${new Date(fs.statSync(SERVER_ENTRY).mtimeMs).toISOString()}`);

  // Other work on the machine skews everything: measure it, optionally wait (WAIT_QUIET_SEC) for it to end.
  const quietUntil = performance.now() + WAIT_QUIET_SEC * 1000;
  let busyBefore = 0;
  for (;;) {
    const m0 = machineCpu();
    await sleep(2_000);
    checkAbort();
    const m1 = machineCpu();
    busyBefore = m0 && m1 ? ((m1.busy - m0.busy) / (m1.total - m0.total)) * 100 * os.cpus().length : 0;
    if (busyBefore <= 25 || performance.now() > quietUntil) break;
    log(`machine ${Math.round(busyBefore)} % busy (of one core); waiting for it to be quiet (WAIT_QUIET_SEC)`);
  }
  if (busyBefore > 25) log(`warning: the machine was ${Math.round(busyBefore)} % busy (of one core) before the run: other processes will skew the numbers`);
  else log(`machine ${Math.round(busyBefore)} % busy (of one core) before the run`);

  const stamp = `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${crypto.randomBytes(2).toString('hex')}`;
  const runId = crypto.randomBytes(4).toString('hex');
  MARK = `fanout-${runId}#`;
  const benchDb = `pasokh_bench_fanout_${stamp}`;
  await createDatabase(benchDb);
  checkAbort();
  state.tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pasokh-fanout-'));
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), `pasokh-fanout-logs-${stamp}-`)); // kept after the run

  const streamName = `pasokh-bench-${stamp}`;
  const baseEnv = {
    PATH: env.PATH,
    HOME: env.HOME,
    DATABASE_URL: dbUrl(benchDb),
    PASOKH_SECRET_KEY: crypto.randomBytes(32).toString('base64'),
    ADMIN_EMAIL: 'bench@example.com',
    ADMIN_PASSWORD: 'bench-password',
    LOG_LEVEL: 'warn',
    DATA_DIR: state.tmpDir,
    ...(POOL_SIZE ? { DATABASE_POOL_SIZE: POOL_SIZE } : {}),
    ...(INSTANCES > 1 ? { REDIS_URL, REDIS_STREAM_NAME: streamName } : {}),
  };
  if (INSTANCES > 1) state.redisStream = streamName; // deleted at the end, also on failure

  log(
    `${SOCKETS} sockets over ${INSTANCES} instance(s), ${RATE} msg/s for ${DURATION_SEC} s (${TOTAL_MESSAGES} messages), ` +
      `client parser ${CLIENT_PARSER}, database ${benchDb}${INSTANCES > 1 ? `, redis stream ${streamName}` : ''}, logs in ${logDir}`,
  );
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 512 });
  const names = ['A', 'B'];
  const servers = [];
  try {
    for (let n = 0; n < INSTANCES; n++) {
      const port = await freePort();
      const bootStart = performance.now();
      const server = startServer(names[n], { ...baseEnv, PORT: String(port) }, path.join(logDir, `server-${names[n]}.log`));
      await waitForHealth(agent, server);
      log(`server ${server.name} healthy after ${Math.round(performance.now() - bootStart)} ms (pid ${server.child.pid}, port ${port})`);
      servers.push(server);
    }
    checkAbort();
    const A = servers[0];

    // One session for every socket: one admin with many tabs.
    const login = await request(agent, A.port, 'POST', '/api/auth/login', { body: { email: baseEnv.ADMIN_EMAIL, password: baseEnv.ADMIN_PASSWORD } });
    if (login.status !== 200) throw new Error(`login failed: HTTP ${login.status} ${login.body.slice(0, 300)}`);
    const { accessToken } = JSON.parse(login.body);
    const created = await request(agent, A.port, 'POST', '/api/channels', {
      headers: { authorization: `Bearer ${accessToken}` },
      body: { type: 'api', name: 'bench', config: {} },
    });
    if (created.status !== 201) throw new Error(`creating the channel failed: HTTP ${created.status} ${created.body.slice(0, 300)}`);
    const channel = JSON.parse(created.body);
    if (!channel.id || !channel.inboundToken) throw new Error(`channel response lacks id/inboundToken: ${created.body.slice(0, 300)}`);

    await sleep(1_000);
    const rssBase = servers.map((s) => readRssMb(s.child.pid));

    // Connect the sockets in batches; socket s goes to instance s % INSTANCES.
    const phase = { closing: false };
    state.phase = phase;
    const socketsUp = new Uint8Array(SOCKETS);
    const connectStart = performance.now();
    for (let b = 0; b < SOCKETS; b += CONNECT_BATCH) {
      checkAbort();
      const batch = [];
      for (let s = b; s < Math.min(SOCKETS, b + CONNECT_BATCH); s++) {
        batch.push(connectOne(s, servers[s % INSTANCES], accessToken, phase).then((ok) => (socketsUp[s] = ok ? 1 : 0)));
      }
      await Promise.all(batch);
    }
    const connectSec = (performance.now() - connectStart) / 1000;
    const connected = socketsUp.reduce((a, b) => a + b, 0);
    log(`${connected}/${SOCKETS} sockets connected in ${round(connectSec, 1)} s (${sockStats.connectErrors} connect errors)`);
    if (!connected) throw new Error(`no socket connected: ${sockStats.connectErrorSamples.join('; ')}`);
    await sleep(SETTLE_MS);
    checkAbort();
    const rssSockets = servers.map((s) => readRssMb(s.child.pid));
    const disconnectsBeforeLoad = sockStats.disconnects;

    // Load.
    log(`posting ${TOTAL_MESSAGES} messages to server A at ${RATE}/s`);
    const cpu0 = { bench: process.cpuUsage(), servers: servers.map((s) => procCpuSec(s.child.pid)), machine: machineCpu(), t: performance.now() };
    const LOOP_RES_MS = 5;
    const stopTimeline = startTimeline(servers);
    const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RES_MS }); // samples include the 5 ms timer itself: subtracted below
    loopDelay.enable();
    const ld = await load(agent, A, channel);
    checkAbort();
    const connectedNow = state.sockets.reduce((n, sock, s) => n + (socketsUp[s] && sock && sock.connected ? 1 : 0), 0);
    // Deliveries of every message that may have been stored (timed-out POSTs often were), so those count too.
    const dr = await drain(() => ld.possibleNow() * connected);
    const drainSec = dr.sec;
    loopDelay.disable();
    const timeline = stopTimeline();
    const rests = timeline.map(restPct).filter((v) => v !== null);
    const otherCpuPct = rests.length ? round(rests.reduce((a, b) => a + b, 0) / rests.length, 0) : null;
    const wallSec = (performance.now() - cpu0.t) / 1000;
    const benchCpu = process.cpuUsage(cpu0.bench);
    const serverCpu = servers.map((s, n) => {
      const now = procCpuSec(s.child.pid);
      return now === null || cpu0.servers[n] === null ? null : round(((now - cpu0.servers[n]) / wallSec) * 100, 0);
    });
    const m1 = machineCpu();
    const machineBusyPct = m1 && cpu0.machine ? round(((m1.busy - cpu0.machine.busy) / (m1.total - cpu0.machine.total)) * 100 * os.cpus().length, 0) : null;
    const rssEnd = servers.map((s) => readRssMb(s.child.pid));
    const deliveriesAtEnd = delivery.received;
    const fin = { ...ld, ...ld.final() }; // POSTs answered during the drain count too
    const expectedTotal = fin.accepted * connected;
    log(`load done: ${fin.accepted}/${fin.sent} accepted; ${deliveriesAtEnd} deliveries (of ${ld.possibleNow() * connected} possible) after ${round(drainSec, 1)} s drain (${dr.reason})`);

    phase.closing = true;
    closeSockets();
    const st = stats(fin.acceptedFlag, socketsUp);

    const sum = (a) => (a.every((v) => v !== null) ? round(a.reduce((x, y) => x + y, 0), 1) : null);
    const base = sum(rssBase);
    const withSockets = sum(rssSockets);
    const end = sum(rssEnd);
    const per1000 = base !== null && withSockets !== null ? round(((withSockets - base) / SOCKETS) * 1000, 1) : null;
    const missing = expectedTotal - st.all.n;

    const ms = (v) => `${round(v, 1)} ms`;
    const lines = [
      '',
      `Fan-out  ${SOCKETS} sockets (${connected} connected) on ${INSTANCES} instance(s), one admin session, ${RATE} msg/s × ${DURATION_SEC} s, parser ${CLIENT_PARSER}`,
      `  POSTs     sent ${fin.sent} in ${round(fin.sendSec, 1)} s, 202 ${fin.accepted}, errors ${fin.errors}${fin.unanswered ? `, unanswered ${fin.unanswered}` : ''}${fin.duplicates ? `, duplicate ${fin.duplicates}` : ''}` +
        `   POST p50 ${ms(fin.postP50)} p99 ${ms(fin.postP99)} max ${ms(fin.postMax)}   max in flight ${fin.maxInflight}, max send lag ${ms(fin.maxSendLagMs)}`,
      ...(fin.errors ? [`  error kinds: ${JSON.stringify(fin.errorKinds)}`, ...fin.errorSamples.map((s) => `    ${s}`)] : []),
      `  Deliveries expected ${expectedTotal} (${fin.accepted} × ${connected}), received ${st.all.n}, missing ${missing}` +
        `   duplicates ${delivery.duplicates}, unmatched ${delivery.foreign}, bad payloads ${delivery.invalid}, of messages whose POST failed/timed out ${st.extra}`,
      `            waited ${round(drainSec, 1)} s after the POSTs for deliveries: ${dr.reason}` +
        (dr.reason === 'complete'
          ? ''
          : dr.ratePerSec > 0
            ? `; still arriving at ${Math.round(dr.ratePerSec)}/s when the wait ended (missing = a backlog not delivered by then)`
            : '; nothing arrived in its last 5 s (missing = not delivered)'),
      `  Latency   all: p50 ${ms(st.all.p50)}  p99 ${ms(st.all.p99)}  max ${ms(st.all.max)}`,
      ...(INSTANCES > 1
        ? st.per.map((p, n) => `            on ${names[n]} (${p.sockets} sockets): p50 ${ms(p.p50)}  p99 ${ms(p.p99)}  max ${ms(p.max)}  received ${p.n}/${p.expected}`)
        : []),
      `            last socket per message: p50 ${ms(st.complete.p50)}  p99 ${ms(st.complete.p99)}  max ${ms(st.complete.max)}  (${st.complete.incompleteMessages} messages missed by some socket)`,
      `  By send time: ${st.windows.map((w) => `${w.fromSec}-${w.toSec}s p50 ${round(w.p50, 0)} p99 ${round(w.p99, 0)}`).join(' | ')}`,
      `  Events    socket 0 received: ${JSON.stringify(Object.fromEntries(eventsSeen))}`,
      `  Sockets   connected in ${round(connectSec, 1)} s, connect errors ${sockStats.connectErrors}${sockStats.connectErrorSamples.length ? ` (${sockStats.connectErrorSamples.join('; ')})` : ''}` +
        `, disconnects ${sockStats.disconnects} (${disconnectsBeforeLoad} before load)${sockStats.disconnects ? ` ${JSON.stringify(Object.fromEntries(sockStats.disconnectReasons))}` : ''}, still connected at end of load ${connectedNow}`,
      `  RSS (MB)  ${servers.map((s, n) => `${s.name}: base ${rssBase[n]}, with sockets ${rssSockets[n]}, end ${rssEnd[n]}`).join('; ')}   per 1,000 sockets ${per1000}`,
      `  CPU       over ${round(wallSec, 1)} s of load+drain: bench ${round(((benchCpu.user + benchCpu.system) / 1e3 / (wallSec * 1000)) * 100, 0)} % of a core` +
        ` (event-loop delay p99 ${ms(Math.max(0, loopDelay.percentile(99) / 1e6 - LOOP_RES_MS))}, max ${ms(Math.max(0, loopDelay.max / 1e6 - LOOP_RES_MS))}), servers ${servers.map((s, n) => `${s.name} ${serverCpu[n]} %`).join(', ')}, machine ${machineBusyPct} % busy (of ${os.cpus().length * 100} %)`,
      ...formatTimeline(timeline, servers.map((x) => x.name)),
      '',
    ];
    process.stdout.write(lines.join('\n') + '\n');

    const result = {
      bench: 'fanout',
      instances: INSTANCES,
      sockets: SOCKETS,
      rate: RATE,
      durationSec: DURATION_SEC,
      sent: fin.sent,
      accepted: fin.accepted,
      errors: fin.errors,
      connected,
      expectedDeliveries: expectedTotal,
      received: st.all.n,
      missing,
      drainEnd: dr.reason === 'complete' ? 'complete' : dr.reason.startsWith('DRAIN_SEC') ? 'timeout' : 'idle',
      p50Ms: round(st.all.p50),
      p99Ms: round(st.all.p99),
      maxMs: round(st.all.max),
      ...(INSTANCES > 1
        ? Object.fromEntries(st.per.flatMap((p, n) => [[`p50Ms${names[n]}`, round(p.p50)], [`p99Ms${names[n]}`, round(p.p99)], [`received${names[n]}`, p.n]]))
        : {}),
      serverRssBaseMb: base,
      serverRssSocketsMb: withSockets,
      serverRssEndMb: end,
      rssPer1000SocketsMb: per1000,
      benchCpuPct: round(((benchCpu.user + benchCpu.system) / 1e3 / (wallSec * 1000)) * 100, 0),
      serverCpuPct: INSTANCES > 1 ? serverCpu : serverCpu[0],
      clientParser: CLIENT_PARSER,
      otherCpuPct, // average CPU of other processes on the machine during load+drain (% of one core): high = skewed run
    };
    return { result, servers };
  } finally {
    agent.destroy();
  }
}

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

function reportLogs() {
  for (const server of state.servers) {
    const s = summariseLog(server.logPath);
    log(`server ${server.name} log ${server.logPath}: ${s.lines} lines, ${s.warn} warn, ${s.error} error/fatal, ${s.other} non-JSON`);
    for (const line of s.top) process.stderr.write(`  | ${line}\n`);
  }
}

// Whole-run watchdog: quiet wait, build, boot, connect, load, drain, shutdown and cleanup, with slack.
const WATCHDOG_MS = (WAIT_QUIET_SEC + 120) * 1000 + (INSTANCES * HEALTH_TIMEOUT_MS) + Math.ceil(SOCKETS / CONNECT_BATCH) * 5_000 + (DURATION_SEC + DRAIN_SEC + 180) * 1000 + REQUEST_TIMEOUT_MS + STOP_TIMEOUT_MS;
const watchdog = setTimeout(() => {
  log(`watchdog: run exceeded ${Math.round(WATCHDOG_MS / 1000)} s; cleaning up`);
  state.aborted = 'watchdog';
  setTimeout(() => process.exit(1), 90_000).unref();
  cleanup().finally(() => process.exit(1));
}, WATCHDOG_MS);
watchdog.unref();

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 };
for (const signal of Object.keys(SIGNAL_EXIT)) {
  process.on(signal, () => {
    if (state.aborted) return;
    state.aborted = signal;
    log(`${signal}: stopping and cleaning up`);
    setTimeout(() => process.exit(SIGNAL_EXIT[signal]), 90_000).unref();
    cleanup().finally(() => process.exit(SIGNAL_EXIT[signal]));
  });
}

main()
  .then(async ({ result }) => {
    await cleanup();
    reportLogs();
    process.stdout.write(`${JSON.stringify(result)}\n`);
    clearTimeout(watchdog);
    process.exit(0);
  })
  .catch(async (error) => {
    if (state.aborted) {
      await cleanup();
      process.exit(SIGNAL_EXIT[state.aborted] || 1);
    }
    log(`failed: ${error && error.stack ? error.stack : error}`);
    await cleanup();
    reportLogs();
    process.exit(1);
  });
