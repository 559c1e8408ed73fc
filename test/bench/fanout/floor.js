#!/usr/bin/env node
'use strict';
/*
 * The fan-out floor of this machine: what the fan-out benchmark's load costs with nothing of Pasokh
 * in the way. A bare server (node:http + `ws`, no socket.io, no Nest, no database) answers each
 * POST with 202 and queues a ~1.15 kB entry (the size of one ticket.updated + message.created pair);
 * every PUSH_BATCH_MS it sends the queued entries as one text frame to every socket, as the
 * Broadcaster does for batching clients. The bench side is run.js's: SOCKETS `ws` clients in this
 * process, RATE POSTs/s open loop over keep-alive HTTP, latency from "POST sent" to "frame with that
 * entry received" on every socket. See README.md ("The floor").
 */
const { fork } = require('node:child_process');
const http = require('node:http');
const { performance } = require('node:perf_hooks');
const { WebSocket, WebSocketServer } = require('ws');
const bench = require('../support');

const { HOST, log, positiveInt, nonNegativeInt, percentile, round, sleep, readRssMb } = bench;
bench.setLogTag('fanout-floor');

const env = process.env;
const SOCKETS = positiveInt('SOCKETS', env.SOCKETS, 1000, 20_000);
const RATE = positiveInt('RATE', env.RATE, 200, 10_000);
const DURATION_SEC = positiveInt('DURATION_SEC', env.DURATION_SEC, 20, 600);
const PUSH_BATCH_MS = nonNegativeInt('PUSH_BATCH_MS', env.PUSH_BATCH_MS, 20, 1000);
const WARMUP_SEC = nonNegativeInt('WARMUP_SEC', env.WARMUP_SEC, 5, 600);
const ENTRY_PAD = 'x'.repeat(1100); // with the marker and JSON around it, ~1.15 kB per message

if (process.argv[2] === 'server') serve();
else main().catch((error) => {
  log(error.stack || String(error));
  process.exit(1); // a benchmark, not a test: a crash is a failed run
});

// ---------------------------------------------------------------- the bare server (child process)

function serve() {
  const queued = [];
  let lastFlushAt = 0;
  let timer = null;
  const server = http.createServer((req, res) => {
    if (req.method === 'GET') return res.end(JSON.stringify(process.cpuUsage()));
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const { i } = JSON.parse(Buffer.concat(chunks));
      queued.push(`["message.created",{"mark":"#${i}","pad":"${ENTRY_PAD}"}]`);
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}');
      // As the Broadcaster: the first entry after a quiet spell goes at once, later ones wait for the interval.
      if (!timer) timer = setTimeout(flush, Math.max(0, lastFlushAt + PUSH_BATCH_MS - Date.now()));
    });
  });
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  function flush() {
    timer = null;
    lastFlushAt = Date.now();
    const frame = `42/agents,["events",[${queued.splice(0).join(',')}]]`;
    for (const ws of wss.clients) ws.send(frame);
  }
  server.keepAliveTimeout = 76_000;
  server.listen(0, HOST, () => process.send({ port: server.address().port }));
}

// ---------------------------------------------------------------- the bench

async function main() {
  const child = fork(__filename, ['server'], { env: { ...env, PUSH_BATCH_MS: String(PUSH_BATCH_MS) } });
  const stop = () => child.kill('SIGKILL');
  process.on('exit', stop);
  const port = await new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`floor server exited (${code})`)));
  });
  const rssBase = readRssMb(child.pid);

  const total = RATE * DURATION_SEC;
  const sentAt = new Float64Array(total);
  const lat = new Float32Array(total * SOCKETS).fill(-1);
  let received = 0;
  const mark = Buffer.from('"mark":"#');
  const sockets = [];
  for (let s = 0; s < SOCKETS; s++) {
    const ws = new WebSocket(`ws://${HOST}:${port}/`, { perMessageDeflate: false });
    ws.on('message', (data) => {
      const now = performance.now();
      for (let at = data.indexOf(mark); at >= 0; at = data.indexOf(mark, at + mark.length)) {
        let i = 0;
        for (let j = at + mark.length; data[j] >= 48 && data[j] <= 57; j++) i = i * 10 + data[j] - 48;
        lat[i * SOCKETS + s] = now - sentAt[i];
        received++;
      }
    });
    sockets.push(new Promise((resolve, reject) => ws.once('open', () => resolve(ws)).once('error', reject)));
    if (s % 50 === 49) await Promise.all(sockets.slice(s - 49));
  }
  const clients = await Promise.all(sockets);
  await sleep(2_000);
  const rssSockets = readRssMb(child.pid);

  const agent = bench.keepAliveAgent(64);
  const serverCpu = async () => JSON.parse((await bench.request(agent, port, 'GET', '/cpu')).body);
  const cpu0 = { bench: process.cpuUsage(), server: await serverCpu(), at: performance.now() };
  let answered = 0;
  const postLat = new bench.Samples(total);
  let errors = 0;
  const start = performance.now();
  for (let i = 0; i < total; ) {
    const now = performance.now();
    for (; i < total && start + (i * 1000) / RATE <= now; i++) {
      const index = i;
      sentAt[index] = performance.now();
      const body = Buffer.from(JSON.stringify({ i: index }));
      const req = http.request({ host: HOST, port, method: 'POST', path: '/inbound', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
        res.resume().on('end', () => {
          if (res.statusCode !== 202) return errors++;
          answered++;
          postLat.push(performance.now() - sentAt[index]);
        });
      });
      req.on('error', () => errors++);
      req.end(body);
    }
    await sleep(Math.max(0, Math.min(1000 / RATE, start + (i * 1000) / RATE - performance.now())));
  }
  for (const deadline = performance.now() + 30_000; received < total * SOCKETS && performance.now() < deadline; ) await sleep(50);
  const elapsedSec = (performance.now() - cpu0.at) / 1000;
  const benchCpu = process.cpuUsage(cpu0.bench);
  const serverCpuEnd = await serverCpu();
  const pct = (from, to) => Math.round((to.user + to.system - from.user - from.system) / 1e4 / elapsedSec);

  const all = lat.filter((v) => v >= 0).sort(); // typed arrays sort numerically
  const warm = lat.subarray(Math.min(total, WARMUP_SEC * RATE) * SOCKETS).filter((v) => v >= 0).sort();
  const result = {
    bench: 'fanout-floor',
    sockets: clients.length,
    rate: RATE,
    durationSec: DURATION_SEC,
    pushBatchMs: PUSH_BATCH_MS,
    sent: total,
    accepted: answered,
    errors,
    expectedDeliveries: total * SOCKETS,
    received,
    postP50Ms: round(percentile(postLat.sorted(), 50)),
    postP99Ms: round(percentile(postLat.sorted(), 99)),
    p50Ms: round(percentile(all, 50)),
    p99Ms: round(percentile(all, 99)),
    maxMs: round(all[all.length - 1]),
    warmP50Ms: round(percentile(warm, 50)),
    warmP99Ms: round(percentile(warm, 99)),
    warmMaxMs: round(warm[warm.length - 1]),
    rssPer1000SocketsMb: round(((rssSockets - rssBase) / clients.length) * 1000, 1),
    serverCpuPct: pct(cpu0.server, serverCpuEnd),
    benchCpuPct: Math.round((benchCpu.user + benchCpu.system) / 1e4 / elapsedSec),
  };
  console.log(
    `Floor  ${result.sockets} sockets, ${RATE} msg/s × ${DURATION_SEC} s, frames every ${PUSH_BATCH_MS} ms: ` +
      `POST p50 ${result.postP50Ms} ms p99 ${result.postP99Ms} ms; received ${received} of ${result.expectedDeliveries}; latency p50 ${result.p50Ms} ms p99 ${result.p99Ms} ms max ${result.maxMs} ms; ` +
      `after ${WARMUP_SEC} s p50 ${result.warmP50Ms} p99 ${result.warmP99Ms} max ${result.warmMaxMs}; CPU server ${result.serverCpuPct} %, bench ${result.benchCpuPct} %`,
  );
  console.log(JSON.stringify(result));
  for (const ws of clients) ws.terminate();
  stop();
  process.exit(errors || received < total * SOCKETS ? 1 : 0); // a benchmark's verdict, not a skipped test: at once (1,000 sockets would linger), non-zero when an event was lost or a POST failed
}
