#!/usr/bin/env node
'use strict';
/*
 * Webhook benchmark: signed provider webhooks (Twilio SMS, Telegram, Messenger, WhatsApp) against
 * the API channel's inbound endpoint, one server on a real PostgreSQL server, same run, same load.
 * Goal: signature verification and parsing cost ≤ 20 % against the API channel.
 * See README.md in this directory. Plain CommonJS, no dependencies beyond `pg` and `twilio`.
 */
const crypto = require('node:crypto');
const http = require('node:http');
const { performance } = require('node:perf_hooks');
const twilio = require('twilio');
const bench = require('../support');

const { log, percentile, Samples, round, request, sleep } = bench;

// ---------------------------------------------------------------- options

const args = bench.parseArgs(process.argv.slice(2), '--duration=N --concurrency=N --warmup=N --types=a,b --database-url=URL');
const DURATION_SEC = bench.positiveInt('DURATION_SEC', args.duration ?? process.env.DURATION_SEC, 15, 3600);
const CONCURRENCY = bench.positiveInt('CONCURRENCY', args.concurrency ?? process.env.CONCURRENCY, 32, 1000);
const CUSTOMERS = 1000;
// Untimed messages per type before its timed phase: by default one per sender, so the timed phase is
// all "existing customer, existing ticket" and every code path (and Messenger's name cache) is warm.
const WARMUP = bench.nonNegativeInt('WARMUP', args.warmup ?? process.env.WARMUP, CUSTOMERS, 100_000);
const WARMUP_MAX_SEC = 120;
const ADMIN_URL = args['database-url'] ?? process.env.DATABASE_URL ?? bench.DEFAULT_ADMIN_URL;
const POOL_SIZE = process.env.DATABASE_POOL_SIZE;
const ALL_TYPES = ['api', 'twilio_sms', 'telegram', 'messenger', 'whatsapp'];
const TYPES = (args.types ?? process.env.TYPES ?? ALL_TYPES.join(',')).split(',').map((t) => t.trim()).filter(Boolean);
for (const t of TYPES) if (!ALL_TYPES.includes(t)) throw new Error(`TYPES: unknown type ${t} (known: ${ALL_TYPES.join(', ')})`);
if (TYPES[0] !== 'api') throw new Error('TYPES must start with api: every other type is compared with it');
// Signatures are computed over this URL while the requests go to 127.0.0.1 (the server checks
// PUBLIC_URL + path, as behind a proxy). Nothing is ever sent to this host.
const PUBLIC_URL = 'https://bench.pasokh.example';
const GOAL = 0.2;
const MAX_PRECOMPUTED = 100_000;
const PERSIAN_TEXT = 'سلام، سفارش من کجاست؟ کد پیگیری';

const h = bench.createHarness({ adminUrl: ADMIN_URL });

// ---------------------------------------------------------------- fixed provider identities

const hex = (bytes) => crypto.randomBytes(bytes).toString('hex');
const IDS = {
  twilio: { accountSid: `AC${hex(16)}`, authToken: hex(16), phoneNumber: '+15005550006' },
  telegram: { botId: 7_000_000_000 + crypto.randomInt(1_000_000), secretToken: `bench_${crypto.randomBytes(24).toString('base64url')}` },
  messenger: { pageId: '104857600000001', pageAccessToken: `EAAB${hex(24)}`, appSecret: hex(16), verifyToken: hex(8) },
  whatsapp: { wabaId: '102290129340398', phoneNumberId: '109876543210987', display: '15550783881', accessToken: `EAAG${hex(24)}`, appSecret: hex(16), verifyToken: hex(8) },
};
IDS.telegram.botToken = `${IDS.telegram.botId}:${crypto.randomBytes(27).toString('base64url').slice(0, 35)}`;
const GRAPH_VERSION = 'v21.0';

const pad = (n, width) => String(n).padStart(width, '0');
const persianDigits = (n) => String(n).replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[d]);

// ---------------------------------------------------------------- provider stub

/**
 * The provider APIs the server calls at channel creation and during ingest, nothing more:
 * Twilio's account fetch, Telegram's getMe/setWebhook/deleteWebhook, Graph's object and profile GETs.
 * Counts what it answered (per phase) and anything else it was asked.
 */
function startStub() {
  const counts = new Map();
  const unexpected = [];
  const count = (key) => counts.set(key, (counts.get(key) || 0) + 1);
  const json = (res, status, body) => {
    const data = Buffer.from(JSON.stringify(body));
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': data.length }).end(data);
  };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url, 'http://stub');
      const p = url.pathname;
      let m;
      if (req.method === 'GET' && (m = /^\/2010-04-01\/Accounts\/([^/]+)\.json$/.exec(p))) {
        count('twilio GET account');
        if (m[1] !== IDS.twilio.accountSid) return json(res, 404, { code: 20404, message: 'not found', status: 404 });
        const now = new Date().toUTCString().replace('GMT', '+0000');
        return json(res, 200, {
          sid: m[1],
          owner_account_sid: m[1],
          friendly_name: 'Pasokh bench',
          status: 'active',
          type: 'Full',
          date_created: now,
          date_updated: now,
          uri: `/2010-04-01/Accounts/${m[1]}.json`,
          subresource_uris: {},
        });
      }
      if ((m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(p))) {
        count(`telegram ${m[2]}`);
        if (m[1] !== IDS.telegram.botToken) return json(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
        if (m[2] === 'getMe') return json(res, 200, { ok: true, result: { id: IDS.telegram.botId, is_bot: true, first_name: 'Pasokh Bench', username: `pasokh_bench_${IDS.telegram.botId}_bot` } });
        if (m[2] === 'setWebhook') return json(res, 200, { ok: true, result: true, description: 'Webhook was set' });
        if (m[2] === 'deleteWebhook') return json(res, 200, { ok: true, result: true, description: 'Webhook was deleted' });
      }
      if (req.method === 'GET' && (m = new RegExp(`^/${GRAPH_VERSION}/(\\d+)$`).exec(p))) {
        const id = m[1];
        if (id === IDS.messenger.pageId) {
          count('graph GET page');
          return json(res, 200, { id, name: 'Pasokh Bench Page' });
        }
        if (id === IDS.whatsapp.phoneNumberId) {
          count('graph GET phone number');
          return json(res, 200, { id, display_phone_number: '+1 555-078-3881' });
        }
        count('graph GET profile');
        return json(res, 200, { id, name: `مشتری ${persianDigits(Number(id.slice(-6)))}` });
      }
      count('unexpected');
      if (unexpected.length < 10) unexpected.push(`${req.method} ${p.replace(IDS.telegram.botToken, '<token>')}`);
      return json(res, 404, { error: { message: `bench stub: no ${req.method} ${p}`, code: 100 } });
    });
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, bench.HOST, () => {
      const url = `http://${bench.HOST}:${server.address().port}`;
      resolve({
        url,
        counts,
        unexpected,
        /** Counts since the last call, as an object. */
        take() {
          const out = Object.fromEntries(counts);
          counts.clear();
          return out;
        },
        close: () =>
          new Promise((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

// ---------------------------------------------------------------- payloads

/** JSON the way Meta serialises webhook bodies: non-ASCII as \uXXXX and `/` as `\/`. */
function metaJson(payload) {
  return JSON.stringify(payload)
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function metaSignature(appSecret, raw) {
  return `sha256=${crypto.createHmac('sha256', appSecret).update(raw).digest('hex')}`;
}

/**
 * For each type: the request for message number n of this run (sender n mod 1,000), already
 * serialised and signed: { path, headers, body: Buffer }. `expect` checks a 2xx answer's body.
 */
function makers(channels, runId) {
  const text = (n) => `${PERSIAN_TEXT} ${persianDigits(n)}`;
  const nowSec = () => Math.floor(Date.now() / 1000);
  return {
    api: (n) => {
      const c = n % CUSTOMERS;
      const body = Buffer.from(JSON.stringify({ externalMessageId: `bench-${runId}-${n}`, from: { externalId: `cust-${c}`, name: `Customer ${c}` }, text: text(n) }));
      return { path: `/api/channels/${channels.api.id}/inbound`, headers: { 'content-type': 'application/json', 'x-channel-token': channels.api.inboundToken }, body };
    },
    twilio_sms: (n) => {
      const c = n % CUSTOMERS;
      const params = {
        MessageSid: `SM${runId}${pad(n.toString(16), 24)}`,
        AccountSid: IDS.twilio.accountSid,
        From: `+98912${pad(c, 7)}`,
        To: IDS.twilio.phoneNumber,
        Body: text(n),
        NumMedia: '0',
      };
      const path = `/webhooks/twilio/${channels.twilio_sms.id}`;
      const signature = twilio.getExpectedTwilioSignature(IDS.twilio.authToken, PUBLIC_URL + path, params);
      return {
        path,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: Buffer.from(new URLSearchParams(params).toString()),
      };
    },
    telegram: (n) => {
      const c = n % CUSTOMERS;
      const user = 500_000_000 + c;
      const update = {
        update_id: 100_000_000 + n,
        message: {
          message_id: n + 1,
          from: { id: user, is_bot: false, first_name: `مشتری ${persianDigits(c)}`, language_code: 'fa' },
          chat: { id: user, first_name: `مشتری ${persianDigits(c)}`, type: 'private' },
          date: nowSec(),
          text: text(n),
        },
      };
      return {
        path: `/webhooks/telegram/${channels.telegram.id}`,
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': IDS.telegram.secretToken },
        body: Buffer.from(JSON.stringify(update)),
      };
    },
    messenger: (n) => {
      const c = n % CUSTOMERS;
      const { pageId, appSecret } = IDS.messenger;
      const now = Date.now();
      const payload = {
        object: 'page',
        entry: [{ id: pageId, time: now, messaging: [{ sender: { id: `2400000000${pad(c, 6)}` }, recipient: { id: pageId }, timestamp: now, message: { mid: `m_${runId}_${n}`, text: text(n) } }] }],
      };
      const raw = Buffer.from(metaJson(payload));
      return {
        path: `/webhooks/meta/${channels.messenger.id}`,
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(appSecret, raw) },
        body: raw,
      };
    },
    whatsapp: (n) => {
      const c = n % CUSTOMERS;
      const { wabaId, phoneNumberId, display, appSecret } = IDS.whatsapp;
      const waId = `98912${pad(c, 7)}`;
      const payload = {
        object: 'whatsapp_business_account',
        entry: [
          {
            id: wabaId,
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: display, phone_number_id: phoneNumberId },
                  contacts: [{ profile: { name: `مشتری ${persianDigits(c)}` }, wa_id: waId }],
                  messages: [{ from: waId, id: `wamid.${runId}.${n}`, timestamp: String(nowSec()), type: 'text', text: { body: text(n) } }],
                },
              },
            ],
          },
        ],
      };
      const raw = Buffer.from(metaJson(payload));
      return {
        path: `/webhooks/meta/${channels.whatsapp.id}`,
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(appSecret, raw) },
        body: raw,
      };
    },
  };
}

/** What a 2xx must say for the message to count as stored; null when it does. */
function problemWith(type, res) {
  if (type === 'api' && res.status !== 202) return `HTTP ${res.status} (expected 202)`;
  if (type === 'messenger' || type === 'whatsapp') {
    try {
      const body = JSON.parse(res.body);
      if (body.messages !== 1) return `HTTP ${res.status} but ${body.messages} messages taken`;
    } catch {
      return `HTTP ${res.status} with a body that is not JSON`;
    }
  }
  return null;
}

/** The same request with a wrong signature / token: must be refused (401/403) and store nothing. */
function forged(type, req) {
  const headers = { ...req.headers };
  if (type === 'api') headers['x-channel-token'] = 'psk_c_wrong';
  if (type === 'twilio_sms') headers['x-twilio-signature'] = twilio.getExpectedTwilioSignature('f'.repeat(32), PUBLIC_URL + req.path, Object.fromEntries(new URLSearchParams(req.body.toString())));
  if (type === 'telegram') headers['x-telegram-bot-api-secret-token'] = 'wrong_secret';
  if (type === 'messenger' || type === 'whatsapp') headers['x-hub-signature-256'] = metaSignature('wrong-secret', req.body);
  return { ...req, headers };
}

// ---------------------------------------------------------------- load

/**
 * Closed loop: `CONCURRENCY` workers each send the next message and wait for the answer, until
 * `deadline` or until message number `end` was taken. Requests come from `pool` (pre-computed, for
 * numbers from `first` on), else are built on the spot (counted as `builtInLoop`).
 */
async function drive(agent, port, type, make, { first, end = Infinity, pool = [], deadlineMs }) {
  const latencies = new Samples();
  const errorKinds = new Map();
  const errorSamples = [];
  let next = first;
  let ok = 0;
  let errors = 0;
  let duplicates = 0;
  let builtInLoop = 0;

  const noteError = (kind, detail) => {
    errors++;
    errorKinds.set(kind, (errorKinds.get(kind) || 0) + 1);
    const sample = `${kind}: ${String(detail).slice(0, 300)}`;
    if (errorSamples.length < 5 && !errorSamples.includes(sample)) errorSamples.push(sample);
  };

  const start = performance.now();
  const deadline = start + deadlineMs;
  async function worker() {
    while (performance.now() < deadline && !h.aborted && next < end) {
      const n = next++;
      let req = pool[n - first];
      if (req) pool[n - first] = undefined; // let it be collected
      else {
        req = make(n);
        builtInLoop++;
      }
      const t0 = performance.now();
      try {
        const res = await request(agent, port, 'POST', req.path, { headers: req.headers, body: req.body });
        const ms = performance.now() - t0;
        if (res.status >= 200 && res.status < 300) {
          const problem = problemWith(type, res);
          if (problem) {
            noteError(problem, res.body);
            continue;
          }
          ok++;
          latencies.push(ms);
          if (type === 'api' && res.body.includes('"duplicate":true')) duplicates++;
        } else {
          noteError(`HTTP ${res.status}`, res.body);
        }
      } catch (error) {
        noteError(error.code || 'network', error.message);
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, () => worker()));
  const elapsedSec = (performance.now() - start) / 1000;
  const sorted = latencies.sorted();
  return {
    sent: next - first,
    ok,
    errors,
    duplicates,
    builtInLoop,
    errorKinds: Object.fromEntries(errorKinds),
    errorSamples,
    elapsedSec,
    perSec: ok / elapsedSec,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

// ---------------------------------------------------------------- server log tally

/** Server lines (LOG_LEVEL=warn: warnings and errors) per phase, grouped by level and message. */
function tallyServerLines() {
  let phase = 'setup';
  const byPhase = new Map();
  h.onServerLine((line) => {
    let key;
    try {
      const entry = JSON.parse(line);
      const level = { 40: 'warn', 50: 'error', 60: 'fatal' }[entry.level] || `level ${entry.level}`;
      key = `${level}: ${String(entry.msg ?? '').slice(0, 160)}${entry.err && entry.err.message ? ` (${String(entry.err.message).slice(0, 120)})` : ''}`;
    } catch {
      key = `text: ${line.slice(0, 200)}`;
    }
    if (!byPhase.has(phase)) byPhase.set(phase, new Map());
    const m = byPhase.get(phase);
    m.set(key, (m.get(key) || 0) + 1);
  });
  return {
    setPhase(name) {
      phase = name;
    },
    get(name) {
      return byPhase.has(name) ? Object.fromEntries(byPhase.get(name)) : {};
    },
    all() {
      return [...byPhase.entries()].map(([p, m]) => [p, Object.fromEntries(m)]);
    },
  };
}

// ---------------------------------------------------------------- main

async function main() {
  bench.ensureBuilt();
  const stamp = bench.runStamp();
  const benchDb = `pasokh_bench_webhooks_${stamp}`;
  await h.createDatabase(benchDb);
  h.checkAbort();
  h.makeTmpDir();

  const stub = await startStub();
  h.addCleanup('closing the provider stub', () => stub.close());
  const serverLines = tallyServerLines();

  const port = await bench.freePort();
  const env = h.serverEnv({ databaseName: benchDb, port, extra: { PUBLIC_URL, ...(POOL_SIZE ? { DATABASE_POOL_SIZE: POOL_SIZE } : {}) } });
  log(`types ${TYPES.join(', ')}; concurrency ${CONCURRENCY}, warm-up ${WARMUP} + ${DURATION_SEC} s per type; database ${benchDb}, server port ${port}, provider stub ${stub.url}`);
  const bootStart = performance.now();
  const child = h.startServer(env);
  const agent = bench.keepAliveAgent(CONCURRENCY);

  const results = {};
  const details = {};
  let rssMb = null;
  try {
    await h.waitForHealth(agent, port);
    h.checkAbort();
    log(`server healthy after ${Math.round(performance.now() - bootStart)} ms (pid ${child.pid})`);

    // ---- channels, pointed at the stub
    const accessToken = await bench.login(agent, port);
    const configs = {
      api: {},
      twilio_sms: { accountSid: IDS.twilio.accountSid, authToken: IDS.twilio.authToken, phoneNumber: IDS.twilio.phoneNumber, apiBaseUrl: stub.url },
      telegram: { botToken: IDS.telegram.botToken, mode: 'webhook', secretToken: IDS.telegram.secretToken, apiRoot: stub.url },
      messenger: { ...pick(IDS.messenger, 'pageId', 'pageAccessToken', 'appSecret', 'verifyToken'), graphBaseUrl: `${stub.url}/${GRAPH_VERSION}` },
      whatsapp: { ...pick(IDS.whatsapp, 'phoneNumberId', 'accessToken', 'appSecret', 'verifyToken'), graphBaseUrl: `${stub.url}/${GRAPH_VERSION}` },
    };
    const channels = {};
    for (const type of TYPES) {
      channels[type] = await bench.createChannel(agent, port, accessToken, { type, name: `bench ${type}`, config: configs[type] });
      const got = await request(agent, port, 'GET', `/api/channels/${channels[type].id}`, { headers: { authorization: `Bearer ${accessToken}` } });
      const health = got.status === 200 ? JSON.parse(got.body).health : null;
      if (!health || health.lastError) throw new Error(`channel ${type} is not healthy after creation: ${got.status} ${got.body.slice(0, 300)}`);
    }
    if (TYPES.includes('api') && !channels.api.inboundToken) throw new Error('the api channel came back without an inboundToken');
    log(`channels created; provider calls: ${JSON.stringify(stub.take())}`);

    const runId = crypto.randomBytes(4).toString('hex');
    const make = makers(channels, runId);

    // ---- a forged request per type must be refused before any load
    serverLines.setPhase('forged-request check (401s expected)');
    for (const type of TYPES) {
      const req = forged(type, make[type](999_999_999));
      const res = await request(agent, port, 'POST', req.path, { headers: req.headers, body: req.body });
      if (res.status !== 401 && res.status !== 403) throw new Error(`${type}: a wrong signature/token was answered HTTP ${res.status} ${res.body.slice(0, 200)} (expected 401/403)`);
      details[type] = { forgedStatus: res.status };
    }

    // ---- per type: warm-up (untimed), pre-compute, timed phase
    let rateHint = 0;
    for (const type of TYPES) {
      h.checkAbort();
      await sleep(1000); // let the previous phase's background work settle
      serverLines.setPhase(`${type} warm-up`);
      let warm = null;
      if (WARMUP > 0) {
        const pool = Array.from({ length: WARMUP }, (_, i) => make[type](i));
        warm = await drive(agent, port, type, make[type], { first: 0, end: WARMUP, pool, deadlineMs: WARMUP_MAX_SEC * 1000 });
        rateHint = Math.max(rateHint, warm.perSec);
        log(`${type}: warm-up ${warm.ok}/${WARMUP} in ${round(warm.elapsedSec, 1)} s (${round(warm.perSec, 1)}/s), errors ${warm.errors}`);
        if (warm.errors) log(`  ${warm.errorSamples.join('\n  ')}`);
      }
      h.checkAbort();
      const warmCalls = stub.take();

      // Enough signed requests for twice the best rate seen so far (more are built on the spot).
      const planned = Math.min(MAX_PRECOMPUTED, rateHint > 0 ? Math.ceil(rateHint * DURATION_SEC * 2) + 2000 : 20_000);
      const t0 = performance.now();
      const pool = Array.from({ length: planned }, (_, i) => make[type](WARMUP + i));
      const precomputeMs = Math.round(performance.now() - t0);

      serverLines.setPhase(type);
      log(`${type}: ${CONCURRENCY} clients for ${DURATION_SEC} s (${planned} requests pre-signed in ${precomputeMs} ms)`);
      const r = await drive(agent, port, type, make[type], { first: WARMUP, pool, deadlineMs: DURATION_SEC * 1000 });
      pool.length = 0;
      h.checkAbort();
      rateHint = Math.max(rateHint, r.perSec);
      const calls = stub.take();

      const apiRate = results.api ? results.api.perSec : null;
      results[type] = {
        perSec: round(r.perSec, 1),
        p50Ms: round(r.p50),
        p99Ms: round(r.p99),
        errors: r.errors,
        ...(type !== 'api' ? { costVsApi: apiRate > 0 ? round(1 - r.perSec / apiRate, 3) : null } : {}),
      };
      Object.assign(details[type], {
        ok: r.ok,
        sent: r.sent,
        elapsedSec: r.elapsedSec,
        duplicates: r.duplicates,
        builtInLoop: r.builtInLoop,
        errorKinds: r.errorKinds,
        errorSamples: r.errorSamples,
        warm,
        warmCalls,
        calls,
      });
    }
    rssMb = bench.readRssMb(child.pid);
  } finally {
    agent.destroy();
  }

  serverLines.setPhase('shutdown');
  const exit = await h.stopServer();
  log(`server stopped in ${exit && exit.stopMs} ms (code ${exit && exit.code}, signal ${exit && exit.signal})`);

  // ---- what the server stored, per channel type
  const stored = await h.withDatabase(benchDb, async (c) => {
    try {
      const { rows } = await c.query(`
        SELECT ch.type,
               (SELECT count(*) FROM messages m WHERE m.channel_id = ch.id AND m.direction = 'inbound')::int AS messages,
               (SELECT count(*) FROM tickets t WHERE t.channel_id = ch.id)::int AS tickets,
               (SELECT count(*) FROM customer_identities ci WHERE ci.channel_type = ch.type)::int AS customers
        FROM channels ch`);
      return Object.fromEntries(rows.map((r) => [r.type, { messages: r.messages, tickets: r.tickets, customers: r.customers }]));
    } catch (error) {
      return { error: error.message };
    }
  });

  // ---- report
  const apiRate = results.api.perSec;
  const lines = ['', `Webhooks vs API channel  concurrency ${CONCURRENCY}, ${DURATION_SEC} s per type after ${WARMUP} warm-up messages; PUBLIC_URL ${PUBLIC_URL}`];
  lines.push(`  ${'type'.padEnd(11)} ${'msg/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)} ${'cost vs api'.padStart(12)}  goal ≤ ${GOAL * 100} %`);
  for (const type of TYPES) {
    const r = results[type];
    const cost = type === 'api' ? '—' : r.costVsApi === null ? 'n/a' : `${r.costVsApi > 0 ? '+' : ''}${round(r.costVsApi * 100, 1)} %`;
    const verdict = type === 'api' ? '' : r.costVsApi === null ? '' : r.costVsApi <= GOAL ? 'met' : 'MISSED';
    lines.push(`  ${type.padEnd(11)} ${String(r.perSec).padStart(8)} ${String(r.p50Ms).padStart(8)} ${String(r.p99Ms).padStart(8)} ${String(r.errors).padStart(7)} ${cost.padStart(12)}  ${verdict}`);
  }
  lines.push('  (cost vs api = 1 − rate/apiRate: positive is slower than the API channel)');
  for (const type of TYPES) {
    const d = details[type];
    const s = stored[type] || {};
    const expected = d.ok + (d.warm ? d.warm.ok : 0);
    const mismatch = s.messages !== undefined && s.messages !== expected ? `   MISMATCH: ${expected} answered as stored` : '';
    lines.push(
      `  ${type}: ${d.ok} ok of ${d.sent} sent in ${round(d.elapsedSec, 1)} s; forged request → ${d.forgedStatus}; stored ${JSON.stringify(s)}${mismatch}` +
        (d.duplicates ? `; duplicates ${d.duplicates}` : '') +
        (d.builtInLoop ? `; ${d.builtInLoop} requests signed inside the timed loop` : ''),
    );
    if (Object.keys(d.calls).length || Object.keys(d.warmCalls).length) lines.push(`    provider calls: warm-up ${JSON.stringify(d.warmCalls)}, timed ${JSON.stringify(d.calls)}`);
    if (d.warm && d.warm.errors) lines.push(`    warm-up errors ${d.warm.errors}: ${JSON.stringify(d.warm.errorKinds)}`, ...d.warm.errorSamples.map((x) => `      ${x}`));
    if (results[type].errors) lines.push(`    error kinds: ${JSON.stringify(d.errorKinds)}`, ...d.errorSamples.map((x) => `      ${x}`));
  }
  lines.push(`  server RSS at the end ${rssMb} MB; exit code ${exit && exit.code}`);
  if (stub.unexpected.length) lines.push(`  the provider stub was asked for things it does not serve: ${stub.unexpected.join('; ')}`);
  const noisy = serverLines.all().flatMap(([p, m]) => Object.entries(m).filter(([k]) => !k.startsWith('level 30')).map(([k, n]) => `    ${p}: ${n} × ${k}`));
  lines.push(...(noisy.length ? ['  server warnings/errors by phase:', ...noisy] : ['  server logged no warnings or errors']));
  lines.push('');
  process.stdout.write(lines.join('\n') + '\n');
  if (apiRate === 0) log('the API channel stored nothing: no comparison possible');

  return { bench: 'webhooks', concurrency: CONCURRENCY, durationSec: DURATION_SEC, warmup: WARMUP, results };
}

function pick(obj, ...keys) {
  return Object.fromEntries(keys.map((k) => [k, obj[k]]));
}

// Whole-run watchdog: per type a warm-up (bounded), a timed phase and a pause; boot, shutdown, cleanup.
const WATCHDOG_MS = (TYPES.length * (DURATION_SEC + WARMUP_MAX_SEC + 10) + 240) * 1000 + 2 * bench.REQUEST_TIMEOUT_MS + bench.STOP_TIMEOUT_MS;
h.run(main, { watchdogMs: WATCHDOG_MS });
