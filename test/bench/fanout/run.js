#!/usr/bin/env node
'use strict';
/*
 * Fan-out benchmark: N agent sockets on the /agents socket.io namespace, inbound messages posted
 * through an API channel at a fixed (open-loop) rate, latency from "POST sent" to "socket received
 * message.created" for every (message, socket) pair. INSTANCES=2 runs two servers with the Redis
 * Streams adapter and posts to the first one only. See README.md in this directory.
 * Plain CommonJS; uses `socket.io-client`, `ws` and `redis` from node_modules, and the
 * shared plumbing in ../support.js (options, HTTP, databases, server processes, cleanup; it uses `pg`).
 */
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { performance, monitorEventLoopDelay } = require('node:perf_hooks');
const { io } = require('socket.io-client');
const { WebSocket } = require('ws');
const bench = require('../support');

const { ROOT, SERVER_ENTRY, HOST, REQUEST_TIMEOUT_MS, HEALTH_TIMEOUT_MS, STOP_TIMEOUT_MS } = bench;
const { log, positiveInt, percentile, Samples, round, sleep, readRssMb } = bench;
const CONNECT_TIMEOUT_MS = 30_000;
const SETTLE_MS = 3_000; // idle time after the sockets connected, before reading RSS
bench.setLogTag('fanout');

// ---------------------------------------------------------------- options

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
const BATCH = (env.BATCH ?? '1') === '1'; // sockets ask for batched broadcasts (auth.batch), as the web app does
const WAIT_QUIET_SEC = bench.nonNegativeInt('WAIT_QUIET_SEC', env.WAIT_QUIET_SEC, 0, 3600);
// Latency is also summarised without the messages sent in the first WARMUP_SEC (cold JIT, the first tickets being created).
const WARMUP_SEC = bench.nonNegativeInt('WARMUP_SEC', env.WARMUP_SEC, 5, 600);
if (!['lean', 'full'].includes(CLIENT_PARSER)) throw new Error(`CLIENT_PARSER must be lean or full (got "${CLIENT_PARSER}")`);
const ADMIN_URL = env.DATABASE_URL || bench.DEFAULT_ADMIN_URL;
const REDIS_URL = env.REDIS_URL || 'redis://127.0.0.1:6379';
const POOL_SIZE = env.DATABASE_POOL_SIZE;
const SERVER_NODE_ARGS = (env.SERVER_NODE_ARGS || '').split(/\s+/).filter(Boolean); // e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"

// Databases, the servers, the temp dir, and cleanup on SIGINT/SIGTERM/failure/watchdog (../support.js).
const h = bench.createHarness({ adminUrl: ADMIN_URL }); // refuses a DATABASE_URL not on 127.0.0.1
if (INSTANCES > 1) bench.checkLocalUrl('REDIS_URL', REDIS_URL);

const TOTAL_MESSAGES = Math.round(RATE * DURATION_SEC);
const CELLS = TOTAL_MESSAGES * SOCKETS;
if (CELLS > 200_000_000) throw new Error(`RATE × DURATION_SEC × SOCKETS = ${CELLS} deliveries is more than this bench keeps in memory (200M)`);

// ---------------------------------------------------------------- state for cleanup (the rest is in h)

const state = {
  sockets: [],
  redisStream: null,
  sessionPids: [],
};

// ---------------------------------------------------------------- CPU accounting

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

// ---------------------------------------------------------------- raw protocol sockets

const MC_HEAD_BUF = Buffer.from(MC_HEAD);
const EVENT_PREFIX = Buffer.from('42/agents,');

/** The message index after MARK in buf (from `from`, before `to`), or -1. */
function indexAfterMarkIn(buf, from, to) {
  const at = buf.indexOf(MARK_BUF, from);
  if (at < 0 || at >= to) return -1;
  let n = 0;
  let digits = 0;
  for (let j = at + MARK_BUF.length; j < buf.length; j++) {
    const c = buf[j];
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
    digits++;
  }
  return digits ? n : -1;
}

let MARK_BUF = Buffer.alloc(0); // set in main(), with MARK

/**
 * An agent socket speaking the Engine.IO v4 / Socket.IO v5 protocol over a plain `ws` WebSocket:
 * open packet, namespace CONNECT with `auth`, ping → pong, EVENT frames. `message.created` entries
 * (alone or inside an `events` batch) are found in the frame's bytes, without turning them into a
 * string or parsing JSON. The server cannot tell it from socket.io-client with websocket transport;
 * the bench just spends less of the shared CPU per frame than socket.io-client's layers do (the
 * load generator competes with the server for the same two cores).
 */
class RawAgentSocket {
  constructor(s, url, auth, handlers) {
    this.s = s;
    this.connected = false;
    this._pid = null;
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    this.ws.on('open', () => this.ws.send(`40/agents,${JSON.stringify(auth)}`));
    this.ws.on('message', (data) => this.onFrame(data, handlers));
    this.ws.on('error', (error) => (this.connected ? handlers.disconnect(`transport error: ${error.message}`) : handlers.connectError(error)));
    this.ws.on('close', () => {
      if (this.connected) handlers.disconnect('transport close');
      this.connected = false;
    });
  }

  onFrame(data, handlers) {
    const type = data[0];
    if (type === 50 /* '2' ping */) return this.ws.send('3');
    if (type !== 52 /* '4' message */) return; // '0' open, '6' noop
    if (data[1] === 50 /* '2' EVENT */ && data.indexOf(EVENT_PREFIX) === 0) {
      const now = performance.now();
      for (let at = data.indexOf(MC_HEAD_BUF, EVENT_PREFIX.length); at >= 0; ) {
        const next = data.indexOf(MC_HEAD_BUF, at + MC_HEAD_BUF.length);
        const i = indexAfterMarkIn(data, at, next < 0 ? data.length : next);
        if (i < 0) delivery.foreign++;
        else record(this.s, i, now);
        at = next;
      }
      return;
    }
    const text = data.toString();
    if (text.startsWith('40/agents,')) {
      this._pid = JSON.parse(text.slice(10)).pid ?? null;
      this.connected = true;
      handlers.connect();
    } else if (text.startsWith('44/agents,')) {
      handlers.connectError(new Error(JSON.parse(text.slice(10)).message));
      this.ws.close();
    } else if (text.startsWith('41/agents')) {
      this.connected = false;
      handlers.disconnect('io server disconnect');
      this.ws.close();
    }
  }

  disconnect() {
    this.connected = false;
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send('41/agents,');
    this.ws.close();
  }
}

// ---------------------------------------------------------------- sockets

const sockStats = { connectErrors: 0, connectErrorSamples: [], disconnects: 0, disconnectReasons: new Map() };

function connectOne(s, server, token, phase) {
  return new Promise((resolve) => {
    // Sockets 0 and 1 always use socket.io-client with its full parser (one on each instance with
    // INSTANCES=2) and check the payload shape; the rest speak the protocol raw (RawAgentSocket).
    const full = CLIENT_PARSER === 'full' || s < INSTANCES;
    let settled = false;
    let socket = null;
    const handlers = {
      connect: () => {
        settled = true;
        if (socket._pid) state.sessionPids.push(socket._pid);
        resolve(true);
      },
      connectError: (error) => {
        if (settled) return;
        settled = true;
        sockStats.connectErrors++;
        if (sockStats.connectErrorSamples.length < 5) sockStats.connectErrorSamples.push(`${server.name}#${s}: ${error.message}`);
        resolve(false);
      },
      disconnect: (reason) => {
        if (phase.closing) return;
        sockStats.disconnects++;
        sockStats.disconnectReasons.set(reason, (sockStats.disconnectReasons.get(reason) || 0) + 1);
      },
    };
    const auth = { token, batch: BATCH };
    if (!full) {
      socket = new RawAgentSocket(s, `ws://${HOST}:${server.port}/socket.io/?EIO=4&transport=websocket`, auth, handlers);
      state.sockets[s] = socket;
      return;
    }
    socket = io(`http://${HOST}:${server.port}/agents`, { auth, transports: ['websocket'], reconnection: false, forceNew: true, timeout: CONNECT_TIMEOUT_MS });
    state.sockets[s] = socket;
    socket.on('message.created', fullHandlerFor(s));
    socket.on('events', (batch) => batch.forEach(([name, payload]) => name === 'message.created' && fullHandlerFor(s)(payload)));
    const seen = (name) => eventsSeen.set(name, (eventsSeen.get(name) || 0) + 1);
    if (s === 0) socket.onAny((name, payload) => (name === 'events' ? payload.forEach(([inner]) => seen(`${inner} (batched)`)) : seen(name)));
    socket.once('connect', handlers.connect);
    socket.on('connect_error', handlers.connectError);
    socket.on('disconnect', handlers.disconnect);
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
  const failures = bench.errorTally(); // .note(kind, detail) for every POST that did not get a 202
  let accepted = 0;
  let duplicates = 0;
  let inflight = 0;
  let maxInflight = 0;
  let maxSendLagMs = 0;
  const acceptedFlag = new Uint8Array(TOTAL_MESSAGES);
  let allAnswered;
  const answered = new Promise((r) => (allAnswered = r));
  let finished = 0;

  let refused = 0;
  const noteError = failures.note;
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
      while (next < TOTAL_MESSAGES && start + next * interval <= now && !h.aborted) {
        const lag = now - (start + next * interval);
        if (lag > maxSendLagMs) maxSendLagMs = lag;
        send(next++);
      }
      if (next >= TOTAL_MESSAGES || h.aborted) return resolve();
      setTimeout(tick, Math.max(0, Math.min(interval, start + next * interval - performance.now())));
    };
    tick();
  });
  const sendSec = (performance.now() - start) / 1000;
  h.checkAbort();
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
        errors: failures.count,
        errorKinds: failures.kinds(),
        errorSamples: failures.samples,
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
    if (h.aborted) break;
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
  const warmFrom = Math.min(TOTAL_MESSAGES, Math.round(WARMUP_SEC * RATE));
  const warm = lat.subarray(warmFrom * SOCKETS).filter((v, k) => v >= 0 && acceptedFlag[warmFrom + Math.floor(k / SOCKETS)]).sort();
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
    warm: summary(warm),
    windows,
  };
}

// ---------------------------------------------------------------- main

// Before the servers stop: close the sockets and let the servers see the disconnects. After: the Redis keys.
h.addCleanup(
  'closing the sockets',
  async () => {
    closeSockets();
    await sleep(500);
  },
  { beforeStop: true },
);
h.addCleanup('redis cleanup', redisCleanup);

async function main() {
  bench.ensureBuilt({ sources: ['apps', 'libs', 'channels', 'migrations'], stdio: ['ignore', 2, 2] }); // build output on stderr

  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' });
  log(`code: HEAD ${String(git.stdout || '?').trim()}, ${String(dirty.stdout || '').split('\n').filter(Boolean).length} modified tracked file(s); dist built ${new Date(fs.statSync(SERVER_ENTRY).mtimeMs).toISOString()}`);

  // Other work on the machine skews everything: measure it, optionally wait (WAIT_QUIET_SEC) for it to end.
  const quietUntil = performance.now() + WAIT_QUIET_SEC * 1000;
  let busyBefore = 0;
  for (;;) {
    const m0 = machineCpu();
    await sleep(2_000);
    h.checkAbort();
    const m1 = machineCpu();
    busyBefore = m0 && m1 ? ((m1.busy - m0.busy) / (m1.total - m0.total)) * 100 * os.cpus().length : 0;
    if (busyBefore <= 25 || performance.now() > quietUntil) break;
    log(`machine ${Math.round(busyBefore)} % busy (of one core); waiting for it to be quiet (WAIT_QUIET_SEC)`);
  }
  if (busyBefore > 25) log(`warning: the machine was ${Math.round(busyBefore)} % busy (of one core) before the run: other processes will skew the numbers`);
  else log(`machine ${Math.round(busyBefore)} % busy (of one core) before the run`);

  const stamp = bench.runStamp();
  const runId = crypto.randomBytes(4).toString('hex');
  MARK = `fanout-${runId}#`;
  MARK_BUF = Buffer.from(MARK);
  const benchDb = `pasokh_bench_fanout_${stamp}`;
  await h.createDatabase(benchDb);
  h.checkAbort();
  h.makeTmpDir('pasokh-fanout-');
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), `pasokh-fanout-logs-${stamp}-`)); // kept after the run

  const streamName = `pasokh-bench-${stamp}`;
  // One environment for all instances (same secret key: a token from A is valid on B); PORT set per server.
  const baseEnv = h.serverEnv({
    databaseName: benchDb,
    port: 0,
    extra: {
      ...(POOL_SIZE ? { DATABASE_POOL_SIZE: POOL_SIZE } : {}),
      ...(env.PUSH_BATCH_MS ? { PUSH_BATCH_MS: env.PUSH_BATCH_MS } : {}),
      ...(INSTANCES > 1 ? { REDIS_URL, REDIS_STREAM_NAME: streamName } : {}),
    },
  });
  if (INSTANCES > 1) state.redisStream = streamName; // deleted at the end, also on failure

  log(
    `${SOCKETS} sockets over ${INSTANCES} instance(s), ${RATE} msg/s for ${DURATION_SEC} s (${TOTAL_MESSAGES} messages), ` +
      `client parser ${CLIENT_PARSER}, ${BATCH ? "batched broadcasts" : "one frame per event"}, database ${benchDb}${INSTANCES > 1 ? `, redis stream ${streamName}` : ''}, logs in ${logDir}`,
  );
  const agent = bench.keepAliveAgent(510); // 512 connections for the POSTs
  const names = ['A', 'B'];
  const servers = [];
  try {
    for (let n = 0; n < INSTANCES; n++) {
      const port = await bench.freePort();
      const bootStart = performance.now();
      const logPath = path.join(logDir, `server-${names[n]}.log`);
      const child = h.startServer({ ...baseEnv, PORT: String(port) }, { name: names[n], logPath, nodeArgs: SERVER_NODE_ARGS });
      const server = { name: names[n], child, port };
      await h.waitForHealth(agent, port, child);
      log(`server ${server.name} healthy after ${Math.round(performance.now() - bootStart)} ms (pid ${server.child.pid}, port ${port})`);
      servers.push(server);
    }
    h.checkAbort();
    const A = servers[0];

    // One session for every socket: one admin with many tabs.
    const accessToken = await bench.login(agent, A.port);
    const channel = await bench.createChannel(agent, A.port, accessToken, { type: 'api', name: 'bench', config: {} });
    if (!channel.inboundToken) throw new Error(`channel response lacks inboundToken: ${JSON.stringify(channel).slice(0, 300)}`);

    await sleep(1_000);
    const rssBase = servers.map((s) => readRssMb(s.child.pid));

    // Connect the sockets in batches; socket s goes to instance s % INSTANCES.
    const phase = { closing: false };
    const socketsUp = new Uint8Array(SOCKETS);
    const connectStart = performance.now();
    for (let b = 0; b < SOCKETS; b += CONNECT_BATCH) {
      h.checkAbort();
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
    h.checkAbort();
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
    h.checkAbort();
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
      `            sent after the first ${WARMUP_SEC} s (warm): p50 ${ms(st.warm.p50)}  p99 ${ms(st.warm.p99)}  max ${ms(st.warm.max)}  (${st.warm.n} deliveries)`,
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
      warmupSec: WARMUP_SEC,
      warmP50Ms: round(st.warm.p50),
      warmP99Ms: round(st.warm.p99),
      warmMaxMs: round(st.warm.max),
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
      batch: BATCH,
      otherCpuPct, // average CPU of other processes on the machine during load+drain (% of one core): high = skewed run
    };
    return result;
  } finally {
    agent.destroy();
  }
}

// Whole-run watchdog: quiet wait, build, boot, connect, load, drain, shutdown and cleanup, with slack.
const WATCHDOG_MS = (WAIT_QUIET_SEC + 120) * 1000 + (INSTANCES * HEALTH_TIMEOUT_MS) + Math.ceil(SOCKETS / CONNECT_BATCH) * 5_000 + (DURATION_SEC + DRAIN_SEC + 180) * 1000 + REQUEST_TIMEOUT_MS + STOP_TIMEOUT_MS;
// The watchdog also stops the load loops (h.aborted); a hanging cleanup ends 90 s after the watchdog or a signal.
h.run(main, { watchdogMs: WATCHDOG_MS, forceExitMs: 90_000, signalForceExitMs: 90_000, abortOnWatchdog: true });
