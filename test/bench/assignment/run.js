#!/usr/bin/env node
'use strict';
/*
 * Automatic assignment benchmark: AGENTS agents of one team online (a socket each), an API channel that
 * assigns automatically to that team, new tickets (a new customer each) posted at RATE per second for
 * DURATION_SEC. Measures, for every ticket, the time from "POST sent" to "ticket.assigned received" on
 * the assignee's socket, and how evenly the tickets were spread (tickets per agent, min / max).
 * Plain CommonJS; socket.io-client from node_modules and the shared plumbing in ../support.js.
 */
const { performance } = require('node:perf_hooks');
const { io } = require('socket.io-client');
const bench = require('../support');

const { log, positiveInt, nonNegativeInt, percentile, round, sleep } = bench;
bench.setLogTag('assignment');

const env = process.env;
const AGENTS = positiveInt('AGENTS', env.AGENTS, 20, 500);
const RATE = positiveInt('RATE', env.RATE, 50, 2000);
const DURATION_SEC = positiveInt('DURATION_SEC', env.DURATION_SEC, 20, 600);
const CAP = nonNegativeInt('CAP', env.CAP, 0, 1000); // 0: no cap
const DRAIN_SEC = positiveInt('DRAIN_SEC', env.DRAIN_SEC, 30, 600);
const ADMIN_URL = env.DATABASE_URL || bench.DEFAULT_ADMIN_URL;
const h = bench.createHarness({ adminUrl: ADMIN_URL });

async function json(agent, port, method, path, token, body) {
  const res = await bench.request(agent, port, method, path, { headers: token ? { authorization: `Bearer ${token}` } : {}, body });
  if (res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
  return res.body ? JSON.parse(res.body) : null;
}

async function main() {
  bench.ensureBuilt();
  const db = `pasokh_bench_${bench.runStamp()}`;
  await h.createDatabase(db);
  h.makeTmpDir();
  const port = await bench.freePort();
  h.startServer(h.serverEnv({ databaseName: db, port }));
  const agent = bench.keepAliveAgent(64);
  const sockets = [];
  try {
    await h.waitForHealth(agent, port);
    const admin = await bench.login(agent, port);
    const team = await json(agent, port, 'POST', '/api/teams', admin, { name: 'Bench team' });
    const assigned = new Map(); // ticket id -> { at, agentId }
    const agentIds = [];
    for (let i = 0; i < AGENTS; i++) {
      const email = `agent${i}@bench.example`;
      const created = await json(agent, port, 'POST', '/api/agents', admin, { name: `Agent ${i}`, email, password: 'bench-password', role: 'agent', teamIds: [team.id] });
      agentIds.push(created.id);
      const token = await bench.login(agent, port, email, 'bench-password');
      const socket = io(`http://${bench.HOST}:${port}/agents`, { auth: { token, batch: true }, transports: ['websocket'], reconnection: false });
      socket.on('ticket.assigned', ({ ticket }) => {
        if (!assigned.has(ticket.id)) assigned.set(ticket.id, { at: performance.now(), agentId: created.id });
      });
      await new Promise((resolve, reject) => {
        socket.once('ready', resolve);
        socket.once('connect_error', reject);
      });
      sockets.push(socket);
    }
    const channel = await bench.createChannel(agent, port, admin, { type: 'api', name: 'bench', config: {} });
    await json(agent, port, 'PATCH', `/api/channels/${channel.id}`, admin, { assignment: { auto: true, teamId: team.id, maxOpenPerAgent: CAP || null } });
    await sleep(1000);
    log(`${AGENTS} agents online; ${RATE} new tickets/s for ${DURATION_SEC} s${CAP ? `, cap ${CAP}` : ''}`);

    const total = RATE * DURATION_SEC;
    const sent = new Map(); // ticket id -> POST sent at
    const postMs = [];
    let errors = 0;
    const start = performance.now();
    const posts = [];
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const at = performance.now();
      posts.push(
        bench
          .request(agent, port, 'POST', `/api/channels/${channel.id}/inbound`, {
            headers: { 'x-channel-token': channel.inboundToken },
            body: { externalMessageId: `m-${i}`, from: { externalId: `customer-${i}`, name: `Customer ${i}` }, text: `question ${i}` },
          })
          .then((res) => {
            postMs.push(performance.now() - at);
            if (res.status !== 202) return errors++;
            sent.set(JSON.parse(res.body).ticketId, at);
          }, () => errors++),
      );
    }
    await Promise.all(posts);
    const expected = CAP ? Math.min(total, CAP * AGENTS) : total;
    const drainUntil = performance.now() + DRAIN_SEC * 1000;
    while (assigned.size < expected && performance.now() < drainUntil) await sleep(100);

    const latencies = [...sent].filter(([id]) => assigned.has(id)).map(([id, at]) => assigned.get(id).at - at).sort((a, b) => a - b);
    const perAgent = agentIds.map((id) => [...assigned.values()].filter((a) => a.agentId === id).length).sort((a, b) => a - b);
    postMs.sort((a, b) => a - b);
    const result = {
      bench: 'assignment',
      agents: AGENTS,
      rate: RATE,
      durationSec: DURATION_SEC,
      cap: CAP || null,
      tickets: sent.size,
      assigned: assigned.size,
      errors,
      assignedP50Ms: round(percentile(latencies, 50)),
      assignedP90Ms: round(percentile(latencies, 90)),
      assignedP99Ms: round(percentile(latencies, 99)),
      assignedMaxMs: round(latencies[latencies.length - 1] ?? NaN),
      perAgentMin: perAgent[0],
      perAgentMax: perAgent[perAgent.length - 1],
      postP50Ms: round(percentile(postMs, 50)),
    };
    process.stdout.write(
      [
        '',
        `Auto assignment  ${AGENTS} agents online, ${RATE} new tickets/s, ${DURATION_SEC} s${CAP ? `, cap ${CAP} per agent` : ''}`,
        `  ${result.assigned} of ${result.tickets} tickets assigned (expected ${expected}), POST errors ${errors}`,
        `  POST sent → ticket.assigned on the agent's socket: p50 ${result.assignedP50Ms} ms, p90 ${result.assignedP90Ms}, p99 ${result.assignedP99Ms}, max ${result.assignedMaxMs}`,
        `  tickets per agent: min ${result.perAgentMin}, max ${result.perAgentMax}   POST p50 ${result.postP50Ms} ms`,
        '',
      ].join('\n'),
    );
    return result;
  } finally {
    sockets.forEach((s) => s.disconnect());
    agent.destroy();
    await h.stopServer();
  }
}

h.run(main, { watchdogMs: (DURATION_SEC + DRAIN_SEC + 180) * 1000 });
