#!/usr/bin/env node
'use strict';
/*
 * Web app budgets (issue "Agent inbox and supervisor SLA board", Budgets):
 *   1. first-load gzipped JavaScript of the inbox ≤ 300 kB (and the board's lazy chunks, for the record);
 *   2. time to interactive of the inbox on the local server, headless Chromium, median of cold loads ≤ 1.5 s;
 *   3. a live message painted ≤ 200 ms after its socket event (median and p95).
 * See README.md in this directory. Plain CommonJS; uses `pg` (through ../support) and playwright-core.
 */
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { spawnSync } = require('node:child_process');
const { performance } = require('node:perf_hooks');
const { chromium } = require('playwright-core');
const bench = require('../support');

const { log, percentile, round, request, sleep, ROOT } = bench;
bench.setLogTag('web');

// ---------------------------------------------------------------- options

const USAGE = '--loads=N --messages=N --tickets=N --wait-quiet-sec=N --database-url=URL';
const args = bench.parseArgs(process.argv.slice(2), USAGE);
const opt = (name, env) => args[name] ?? process.env[env];
const LOADS = bench.positiveInt('LOADS', opt('loads', 'LOADS'), 15, 1000);
const MESSAGES = bench.positiveInt('MESSAGES', opt('messages', 'MESSAGES'), 60, 10_000);
const TICKETS = bench.nonNegativeInt('TICKETS', opt('tickets', 'TICKETS'), 300, 100_000);
const WAIT_QUIET_SEC = bench.nonNegativeInt('WAIT_QUIET_SEC', opt('wait-quiet-sec', 'WAIT_QUIET_SEC'), 0, 3600);
const ADMIN_URL = args['database-url'] ?? process.env.DATABASE_URL ?? bench.DEFAULT_ADMIN_URL;
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const BUDGET = { firstLoadGzipKb: 300, ttiMs: 1500, paintMs: 200 };
const BUILT_WEB_DIR = path.join(ROOT, 'dist', 'web');
/** The copy of dist/web this run measures and serves (PASOKH_WEB_DIR): a rebuild meanwhile cannot change it. */
let WEB_DIR = BUILT_WEB_DIR;
const WEB_SRC = path.join(ROOT, 'apps', 'web');
/** The inbox page measured: the "all" view, so every seeded (unassigned) ticket is listed. */
const INBOX_PATH = '/inbox/all?lang=en';
/** A rendered row of the inbox list (apps/web/src/inbox/TicketList.tsx). */
const ROW_SELECTOR = '.ticket-list [data-ticket-id] .ticket-row';
/** TTI: the page is interactive once a row is painted and no long task ran for this long. */
const QUIET_MS = 1000;
const MARK = `wb${Date.now().toString(36)}`;

const h = bench.createHarness({ adminUrl: ADMIN_URL });

// ---------------------------------------------------------------- build

/** Newest mtime of the web app's sources (ts, tsx, css, json, html, the Vite config). */
function newestWebSource() {
  let newest = 0;
  const stack = [WEB_SRC];
  while (stack.length) {
    const dir = stack.pop();
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') stack.push(p);
      } else if (/\.(m?tsx?|css|json|html)$/.test(e.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  }
  return newest;
}

/** `npm run build` (server + web) unless dist is there and newer than the sources. */
function ensureBuilt() {
  const index = path.join(BUILT_WEB_DIR, 'index.html');
  const webStale = !fs.existsSync(index) || fs.statSync(index).mtimeMs < newestWebSource();
  if (webStale) {
    log('dist/web is missing or older than apps/web; running npm run build');
    const res = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2], timeout: 600_000 });
    if (res.status !== 0 || !fs.existsSync(index)) throw new Error('npm run build failed');
  }
  bench.ensureBuilt({ sources: ['apps/server', 'libs', 'channels', 'migrations'], stdio: ['ignore', 2, 2] });
}

/** Busy and total jiffies of the whole machine (/proc/stat), to tell whether something else ran. */
function machineCpu() {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = line[3] + (line[4] || 0);
    return { busy: line.slice(0, 8).reduce((a, b) => a + b, 0) - idle, total: line.slice(0, 8).reduce((a, b) => a + b, 0) };
  } catch {
    return null;
  }
}

/** % of one core the machine was busy over 2 s; waits up to WAIT_QUIET_SEC for it to drop to 25 %. */
async function quietMachine() {
  const until = performance.now() + WAIT_QUIET_SEC * 1000;
  for (;;) {
    const a = machineCpu();
    await sleep(2000);
    h.checkAbort();
    const b = machineCpu();
    const busy = a && b ? Math.round(((b.busy - a.busy) / (b.total - a.total)) * 100 * require('node:os').cpus().length) : null;
    if (busy === null || busy <= 25 || performance.now() > until) {
      log(`machine ${busy} % busy (of one core) before the run${busy > 25 ? ': other processes will skew the times' : ''}`);
      return busy;
    }
    log(`machine ${busy} % busy (of one core); waiting for it to be quiet (WAIT_QUIET_SEC)`);
  }
}

// ---------------------------------------------------------------- 1. bundle sizes

const gzipKb = (buf) => zlib.gzipSync(buf, { level: 9 }).length / 1024; // the server sends level 9
const assetBytes = (url) => fs.readFileSync(path.join(WEB_DIR, decodeURIComponent(new URL(url, 'http://x').pathname)));

/** The entry script and its modulepreloads (not lazy chunks), and the stylesheets, from dist/web/index.html. */
function firstLoadFromIndex() {
  const html = fs.readFileSync(path.join(WEB_DIR, 'index.html'), 'utf8');
  const attr = (tag, name) => new RegExp(`\\b${name}\\s*=\\s*["']([^"']+)["']`, 'i').exec(tag)?.[1] ?? null;
  const scripts = [];
  const css = [];
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    if (/type\s*=\s*["']module["']/i.test(tag) && attr(tag, 'src')) scripts.push({ url: attr(tag, 'src'), kind: 'entry' });
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = (attr(tag, 'rel') ?? '').toLowerCase();
    const href = attr(tag, 'href');
    if (!href) continue;
    if (rel === 'modulepreload') scripts.push({ url: href, kind: 'modulepreload' });
    else if (rel === 'stylesheet') css.push({ url: href });
  }
  if (!scripts.some((s) => s.kind === 'entry')) throw new Error('dist/web/index.html has no module entry script');
  const files = scripts.map((s) => {
    const bytes = assetBytes(s.url);
    return { ...s, kb: round(bytes.length / 1024, 1), gzipKb: round(gzipKb(bytes), 1) };
  });
  const cssFiles = css.map((c) => {
    const bytes = assetBytes(c.url);
    return { ...c, kb: round(bytes.length / 1024, 1), gzipKb: round(gzipKb(bytes), 1) };
  });
  return { files, css: cssFiles, gzipKb: round(files.reduce((a, f) => a + f.gzipKb, 0), 1) };
}

function sizeOf(urls) {
  const files = [...urls].sort().map((url) => {
    const bytes = assetBytes(url);
    return { url, kb: round(bytes.length / 1024, 1), gzipKb: round(gzipKb(bytes), 1) };
  });
  return { files, gzipKb: round(files.reduce((a, f) => a + f.gzipKb, 0), 1) };
}

// ---------------------------------------------------------------- the browser

async function launch() {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  // The flags of test/support/browser.ts: as CI runs it.
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** Signs the page in the way a reload does (W1's session: token + cached agent in localStorage). */
function sessionScript(token, agent) {
  return `try {
    localStorage.setItem('pasokh.token', ${JSON.stringify(token)});
    localStorage.setItem('pasokh.agent', ${JSON.stringify(JSON.stringify(agent))});
    localStorage.setItem('pasokh.preferences', ${JSON.stringify(JSON.stringify({ language: 'en' }))});
  } catch (e) {}`;
}

/**
 * Time-to-interactive probe, installed before any page script: the first list row in the DOM
 * (MutationObserver) and the animation frame after it (it is painted then), and every long task.
 */
const TTI_PROBE = `(() => {
  const probe = (window.__tti = { rowAt: null, paintAt: null, longTasks: [] });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.longTasks.push([e.startTime, e.startTime + e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) {}
  const observer = new MutationObserver(() => {
    if (probe.rowAt !== null || !document.querySelector(${JSON.stringify(ROW_SELECTOR)})) return;
    probe.rowAt = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => { probe.paintAt = performance.now(); });
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

/** One cold load: a fresh context (empty cache and storage), navigation to the inbox, the probe's figures. */
async function coldLoad(browser, baseURL, token, agent) {
  const context = await browser.newContext({ baseURL, viewport: { width: 1366, height: 850 }, locale: 'en-US' });
  try {
    await context.addInitScript(sessionScript(token, agent));
    await context.addInitScript(TTI_PROBE);
    const page = await context.newPage();
    const scripts = new Set();
    page.on('request', (req) => {
      if (req.resourceType() === 'script') scripts.add(new URL(req.url()).pathname);
    });
    await page.goto(INBOX_PATH, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__tti && window.__tti.paintAt !== null, undefined, { timeout: 30_000, polling: 50 });
    // Quiet window: no long task for QUIET_MS after the row was painted (or after the last long task).
    for (;;) {
      const { paintAt, lastEnd } = await page.evaluate(() => ({ paintAt: window.__tti.paintAt, lastEnd: Math.max(0, ...window.__tti.longTasks.map((t) => t[1])) }));
      const quietFrom = Math.max(paintAt, lastEnd);
      const now = await page.evaluate(() => performance.now());
      if (now - quietFrom >= QUIET_MS) break;
      await sleep(Math.max(50, QUIET_MS - (now - quietFrom)));
    }
    const r = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      const p = window.__tti;
      const ends = p.longTasks.filter((t) => t[0] <= p.paintAt + 1000).map((t) => t[1]);
      return {
        rowPaintMs: p.paintAt,
        ttiMs: Math.max(p.paintAt, ...ends),
        longTasks: p.longTasks.length,
        longTaskMs: p.longTasks.reduce((a, t) => a + t[1] - t[0], 0),
        fcpMs: fcp ? fcp.startTime : null,
        domContentLoadedMs: nav ? nav.domContentLoadedEventEnd : null,
        documentMs: nav ? nav.responseEnd : null,
        // Where the time goes: scripts fetched, then the list's API call answered.
        scriptsMs: Math.max(0, ...performance.getEntriesByType('resource').filter((r) => r.initiatorType === 'script' || /\.js$/.test(r.name)).map((r) => r.responseEnd)),
        ticketsApiStartMs: Math.min(1e9, ...performance.getEntriesByType('resource').filter((r) => /\/api\/tickets\?/.test(r.name)).map((r) => r.startTime)),
        ticketsApiMs: Math.max(0, ...performance.getEntriesByType('resource').filter((r) => /\/api\/tickets\?/.test(r.name)).map((r) => r.responseEnd)),
        api: performance.getEntriesByType('resource').filter((r) => /\/api\//.test(r.name)).map((r) => `${new URL(r.name).pathname} ${Math.round(r.startTime)}-${Math.round(r.responseEnd)}`),
        rows: document.querySelectorAll('.ticket-list [data-ticket-id]').length,
      };
    });
    return { ...r, scripts: [...scripts] };
  } finally {
    await context.close();
  }
}

/** The scripts a cold load of /board fetches (the board's lazy chunks once the inbox's are subtracted). */
async function boardScripts(browser, baseURL, token, agent) {
  const context = await browser.newContext({ baseURL, viewport: { width: 1366, height: 850 }, locale: 'en-US' });
  try {
    await context.addInitScript(sessionScript(token, agent));
    const page = await context.newPage();
    const scripts = new Set();
    page.on('request', (req) => {
      if (req.resourceType() === 'script') scripts.add(new URL(req.url()).pathname);
    });
    await page.goto('/board?lang=en');
    await page.locator('.board-summary').waitFor({ timeout: 30_000 });
    await page.locator('.board-chart canvas, .board-reports .board-empty').first().waitFor({ timeout: 30_000 });
    await sleep(500);
    return [...scripts];
  } finally {
    await context.close();
  }
}

/**
 * Live paint probe, installed before any page script: the arrival of the first WebSocket frame
 * that names a marked message (`<MARK>-<n>`, in the subject of the new ticket and the message text)
 * — the socket event — and, for the same marker, its first appearance in the DOM (MutationObserver)
 * and the animation frame after that (painted). All on the page's performance.now() clock.
 */
const LIVE_PROBE = `(() => {
  const re = /${MARK}-(\\d+)/g;
  const live = (window.__live = { arrived: {}, inDom: {}, painted: {}, frames: 0 });
  const Native = window.WebSocket;
  class ProbedWebSocket extends Native {
    constructor(...args) {
      super(...args);
      // Added before socket.io sets onmessage: runs first, on the same task as the event's delivery.
      this.addEventListener('message', (e) => {
        if (typeof e.data !== 'string') return;
        live.frames++;
        const t = performance.now();
        for (const m of e.data.matchAll(re)) if (!(m[1] in live.arrived)) live.arrived[m[1]] = t;
      });
    }
  }
  window.WebSocket = ProbedWebSocket;
  const seen = (text) => {
    if (!text || text.indexOf(${JSON.stringify(MARK)}) < 0) return;
    const t = performance.now();
    for (const m of text.matchAll(re)) {
      const n = m[1];
      if (n in live.inDom) continue;
      live.inDom[n] = t;
      requestAnimationFrame(() => { live.painted[n] = performance.now(); });
    }
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'characterData') seen(r.target.data);
      else for (const node of r.addedNodes) seen(node.textContent);
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
})();`;

async function livePaint(browser, baseURL, port, token, agent, channel, httpAgent) {
  const context = await browser.newContext({ baseURL, viewport: { width: 1366, height: 850 }, locale: 'en-US' });
  try {
    await context.addInitScript(sessionScript(token, agent));
    await context.addInitScript(LIVE_PROBE);
    const page = await context.newPage();
    await page.goto(INBOX_PATH);
    await page.locator(ROW_SELECTOR).first().waitFor({ timeout: 30_000 });
    await sleep(1500); // the socket is connected and the list settled
    const samples = [];
    let missing = 0;
    for (let n = 0; n < MESSAGES; n++) {
      h.checkAbort();
      const marker = `${MARK}-${n}`;
      const res = await request(httpAgent, port, 'POST', `/api/channels/${channel.id}/inbound`, {
        headers: { 'x-channel-token': channel.inboundToken },
        body: { externalMessageId: `live-${MARK}-${n}`, from: { externalId: `live-${MARK}-${n}`, name: `Live customer ${n}` }, subject: `Live ${marker}`, text: `Message ${marker}` },
      });
      if (res.status !== 202) throw new Error(`inbound ${n}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
      const got = await page
        .waitForFunction((k) => window.__live.painted[k] !== undefined, String(n), { timeout: 5_000, polling: 20 })
        .then(() => true)
        .catch(() => false);
      if (!got) {
        missing++;
        continue;
      }
      const s = await page.evaluate((k) => ({ arrived: window.__live.arrived[k], inDom: window.__live.inDom[k], painted: window.__live.painted[k] }), String(n));
      if (s.arrived === undefined) {
        missing++;
        continue;
      }
      samples.push({ domMs: s.inDom - s.arrived, paintMs: s.painted - s.arrived });
      await sleep(150 + Math.random() * 100); // one message at a time, not phase-locked to frames
    }
    const frames = await page.evaluate(() => window.__live.frames);
    return { samples, missing, frames };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------- main

async function main() {
  ensureBuilt();

  h.makeTmpDir('pasokh-web-');
  WEB_DIR = path.join(h.tmpDir, 'web');
  fs.cpSync(BUILT_WEB_DIR, WEB_DIR, { recursive: true });

  // 1. Sizes from the build.
  const index = firstLoadFromIndex();
  log(`first load (index.html): ${index.files.length} script(s), ${index.gzipKb} kB gzipped`);

  const busyBefore = await quietMachine();
  const stamp = bench.runStamp();
  const benchDb = `pasokh_bench_web_${stamp}`;
  await h.createDatabase(benchDb);
  h.checkAbort();
  const port = await bench.freePort();
  const baseURL = `http://${bench.HOST}:${port}`;
  const env = h.serverEnv({ databaseName: benchDb, port, extra: { PASOKH_WEB_DIR: WEB_DIR } });
  const bootStart = performance.now();
  h.startServer(env);
  const httpAgent = bench.keepAliveAgent(8);
  let browser = null;
  h.addCleanup('closing the browser', async () => browser && (await browser.close().catch(() => undefined)), { beforeStop: true });
  try {
    await h.waitForHealth(httpAgent, port);
    log(`server healthy after ${Math.round(performance.now() - bootStart)} ms`);
    const token = await bench.login(httpAgent, port);
    const meRes = await request(httpAgent, port, 'GET', '/api/agents/me', { headers: { authorization: `Bearer ${token}` } });
    const me = JSON.parse(meRes.body);
    const agent = { id: me.id, name: me.name, email: me.email, role: me.role };
    const channel = await bench.createChannel(httpAgent, port, token, { type: 'api', name: 'bench', config: {} });

    // A realistic inbox: TICKETS tickets from as many customers, Persian and English.
    const seedStart = performance.now();
    for (let i = 0; i < TICKETS; i += 8) {
      await Promise.all(
        Array.from({ length: Math.min(8, TICKETS - i) }, (_, k) => {
          const n = i + k;
          return request(httpAgent, port, 'POST', `/api/channels/${channel.id}/inbound`, {
            headers: { 'x-channel-token': channel.inboundToken },
            body: {
              externalMessageId: `seed-${n}`,
              from: { externalId: `seed-${n}`, name: n % 2 ? `Customer ${n}` : `مشتری ${n}` },
              subject: n % 2 ? `Order ${1000 + n} has not arrived` : `سفارش ${1000 + n} هنوز نرسیده`,
              text: n % 2 ? 'Hello, where is my order?' : 'سلام، سفارش من کجاست؟',
            },
          }).then((res) => {
            if (res.status !== 202) throw new Error(`seed ${n}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
          });
        }),
      );
    }
    log(`seeded ${TICKETS} tickets in ${round((performance.now() - seedStart) / 1000, 1)} s`);

    browser = await launch();
    log(`Chromium ${browser.version()}`);

    // 2. Time to interactive: one unmeasured load (server caches, Chromium warm), then LOADS cold loads.
    const warm = await coldLoad(browser, baseURL, token, agent);
    log(`warm-up load: row painted at ${round(warm.rowPaintMs)} ms, ${warm.rows} rows; API calls (start-end ms): ${warm.api.join(', ')}`);
    const loads = [];
    for (let i = 0; i < LOADS; i++) {
      h.checkAbort();
      const r = await coldLoad(browser, baseURL, token, agent);
      loads.push(r);
      log(
        `load ${i + 1}/${LOADS}: TTI ${round(r.ttiMs)} ms (document ${round(r.documentMs)} ms, scripts ${round(r.scriptsMs)} ms, FCP ${round(r.fcpMs)} ms, ` +
          `GET /api/tickets sent ${round(r.ticketsApiStartMs)} answered ${round(r.ticketsApiMs)} ms, row painted ${round(r.rowPaintMs)} ms; ${r.longTasks} long task(s) ${round(r.longTaskMs)} ms)`,
      );
    }
    const tti = loads.map((r) => r.ttiMs).sort((a, b) => a - b);
    const rowPaint = loads.map((r) => r.rowPaintMs).sort((a, b) => a - b);
    const fcp = loads.map((r) => r.fcpMs).filter((v) => v !== null).sort((a, b) => a - b);
    const median = (key) => round(percentile(loads.map((r) => r[key]).filter((v) => v !== null).sort((a, b) => a - b), 50));

    // What the browser really fetched for the inbox, and for the board on top of it.
    const inboxScripts = new Set(warm.scripts);
    const loadedByInbox = sizeOf(inboxScripts);
    const board = sizeOf((await boardScripts(browser, baseURL, token, agent)).filter((s) => !inboxScripts.has(s)));

    // 3. Live paint.
    const live = await livePaint(browser, baseURL, port, token, agent, channel, httpAgent);
    const paint = live.samples.map((s) => s.paintMs).sort((a, b) => a - b);
    const dom = live.samples.map((s) => s.domMs).sort((a, b) => a - b);

    const result = {
      bench: 'web',
      firstLoad: { gzipKb: index.gzipKb, budgetKb: BUDGET.firstLoadGzipKb, files: index.files.map((f) => `${f.url} ${f.gzipKb}`), css: index.css.map((f) => `${f.url} ${f.gzipKb}`) },
      inboxLoadedJs: { gzipKb: loadedByInbox.gzipKb, files: loadedByInbox.files.map((f) => `${f.url} ${f.gzipKb}`) },
      boardLazyJs: { gzipKb: board.gzipKb, files: board.files.map((f) => `${f.url} ${f.gzipKb}`) },
      tti: { loads: LOADS, medianMs: round(percentile(tti, 50)), p90Ms: round(percentile(tti, 90)), minMs: round(tti[0]), maxMs: round(tti[tti.length - 1]), rowPaintMedianMs: round(percentile(rowPaint, 50)), fcpMedianMs: round(percentile(fcp, 50)), documentMedianMs: median('documentMs'), scriptsMedianMs: median('scriptsMs'), ticketsApiStartMedianMs: median('ticketsApiStartMs'), ticketsApiMedianMs: median('ticketsApiMs'), longTaskMedianMs: median('longTaskMs'), budgetMs: BUDGET.ttiMs, tickets: TICKETS },
      livePaint: {
        messages: MESSAGES,
        measured: paint.length,
        missing: live.missing,
        medianMs: round(percentile(paint, 50)),
        p95Ms: round(percentile(paint, 95)),
        maxMs: round(paint[paint.length - 1]),
        inDomMedianMs: round(percentile(dom, 50)),
        inDomP95Ms: round(percentile(dom, 95)),
        budgetMs: BUDGET.paintMs,
      },
      chromium: browser.version(),
      machineBusyBeforePct: busyBefore,
    };
    const ok = (v, budget) => (v !== null && v <= budget ? 'within budget' : 'OVER BUDGET');
    process.stdout.write(
      [
        '',
        `First load of the inbox (index.html entry + modulepreload): ${index.gzipKb} kB gzipped JS  (budget ${BUDGET.firstLoadGzipKb} kB: ${ok(index.gzipKb, BUDGET.firstLoadGzipKb)})`,
        ...index.files.map((f) => `  ${f.kind.padEnd(13)} ${f.url}  ${f.kb} kB, ${f.gzipKb} kB gzipped`),
        ...index.css.map((f) => `  stylesheet    ${f.url}  ${f.kb} kB, ${f.gzipKb} kB gzipped`),
        `  scripts the browser fetched for /inbox/all: ${loadedByInbox.files.length}, ${loadedByInbox.gzipKb} kB gzipped`,
        `Board lazy chunks (fetched on /board beyond the inbox's): ${board.gzipKb} kB gzipped`,
        ...board.files.map((f) => `  ${f.url}  ${f.kb} kB, ${f.gzipKb} kB gzipped`),
        `Time to interactive, ${LOADS} cold loads of ${INBOX_PATH} (${TICKETS} tickets): median ${result.tti.medianMs} ms, p90 ${result.tti.p90Ms} ms, min ${result.tti.minMs}, max ${result.tti.maxMs}  (budget ${BUDGET.ttiMs} ms: ${ok(result.tti.medianMs, BUDGET.ttiMs)})`,
        `  medians: document ${result.tti.documentMedianMs} ms, scripts fetched ${result.tti.scriptsMedianMs} ms, first contentful paint ${result.tti.fcpMedianMs} ms, ` +
          `GET /api/tickets sent ${result.tti.ticketsApiStartMedianMs} ms and answered ${result.tti.ticketsApiMedianMs} ms, first row painted ${result.tti.rowPaintMedianMs} ms; long tasks ${result.tti.longTaskMedianMs} ms in all`,
        `Live message painted after its socket event, ${paint.length}/${MESSAGES} messages${live.missing ? ` (${live.missing} missing)` : ''}: median ${result.livePaint.medianMs} ms, p95 ${result.livePaint.p95Ms} ms, max ${result.livePaint.maxMs} ms  (budget ${BUDGET.paintMs} ms: ${ok(result.livePaint.p95Ms, BUDGET.paintMs)})`,
        `  in the DOM: median ${result.livePaint.inDomMedianMs} ms, p95 ${result.livePaint.inDomP95Ms} ms`,
        '',
      ].join('\n'),
    );
    return result;
  } finally {
    httpAgent.destroy();
  }
}

// Whole-run watchdog: build, seed, LOADS × a few seconds, MESSAGES × ~0.5 s, with generous slack.
h.run(main, { watchdogMs: 15 * 60_000 + LOADS * 20_000 + MESSAGES * 6_000 });
