import type { BrowserContext, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { launchBrowser, TestBrowser } from '../support/browser';
import { ApiChannel, createApiChannel, eventually, inbound, startTestServer, TestServer } from '../support/test-server';

/**
 * The supervisor SLA board in a real Chromium against the whole server, which serves the built web
 * app: a supervisor logs in through the form, opens /board, and a ticket created afterwards breaches
 * live — the row, the countdown, the counts and the breach feed move without a reload. Then wall
 * mode, Persian, and the response-time charts with their CSV export.
 */
describe('SLA board in the browser', () => {
  let t: TestServer;
  let b: TestBrowser;
  let context: BrowserContext;
  let page: Page;
  let channel: ApiChannel;
  const supervisor = { name: 'Sara Supervisor', email: 'sara.supervisor@example.com', password: 'supervisor-password' };
  let supervisorId: string;
  const pageErrors: string[] = [];
  /** With SCREENSHOT_DIR set, keeps pictures of the board (for the README, or to look at a failure). */
  const snap = async (name: string) => {
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/${name}.png`, fullPage: true });
  };

  const count = (key: string) => page.locator(`.board-summary [data-count="${key}"] dd`).innerText();
  /** Waits until the summary card `key` shows `value` (Latin digits unless told). */
  const waitForCount = (key: string, value: string, timeout = 10_000) =>
    page.waitForFunction(
      ([k, v]) => document.querySelector(`.board-summary [data-count="${k}"] dd`)?.textContent?.trim() === v,
      [key, value] as const,
      { timeout },
    );

  beforeAll(async () => {
    t = await startTestServer();
    channel = await createApiChannel(t.http);
    const created = await t.http.post('/api/agents', { ...supervisor, role: 'supervisor' });
    expect(created.status).toBe(201);
    supervisorId = created.body.id;
    // Calendar time (no calendar): an API-channel ticket's first response is due 6 s after it arrives.
    const policy = await t.http.post('/api/sla/policies', { name: 'Lightning', match: { channelType: 'api' }, firstResponseSec: 6, resolutionSec: 3600, warnBeforeSec: 3, position: 0 });
    expect(policy.status).toBe(201);
    b = await launchBrowser();
    context = await b.browser.newContext({ baseURL: t.url, locale: 'en-US', viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 90_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await b?.close();
    await t?.close();
  });

  it('logs a supervisor in through the form and shows the board', async () => {
    await page.goto('/?lang=en');
    await page.locator('input[type=email]').fill(supervisor.email);
    await page.locator('input[type=password]').fill(supervisor.password);
    await page.locator('input[type=password]').press('Enter');
    await page.waitForFunction(() => !!localStorage.getItem('pasokh.token'), undefined, { timeout: 15_000 });

    await page.goto('/board?lang=en');
    await page.getByRole('heading', { level: 1, name: 'SLA board' }).waitFor({ timeout: 15_000 });
    await waitForCount('breached', '0');
    expect(await count('onTrack')).toBe('0');
    // Landmarks and labelled tables and controls.
    expect(await page.getByRole('heading', { level: 2, name: 'Breaches' }).count()).toBe(1);
    expect(await page.locator('.board-feed[aria-live="polite"]').count()).toBe(1);
    expect(await page.getByLabel('Team').count()).toBe(1);
    expect(await page.getByLabel('Priority').count()).toBe(1);
    // Agent load: the supervisor is here, online through this very page's socket.
    await page.waitForFunction((id) => document.querySelector(`.board-agents tr[data-agent-id="${id}"] .board-presence--online`) !== null, supervisorId, { timeout: 15_000 });
  }, 60_000);

  it('shows a new ticket counting down, then its breach live — feed, row and counts — without a reload', async () => {
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    const res = await inbound(t.http, channel, { externalMessageId: 'board-1', from: { externalId: 'board-customer', name: 'Maryam Rahimi' }, subject: 'Order 1042 never arrived', text: 'Where is my order?' });
    expect(res.status).toBe(202);
    const ticketId: string = res.body.ticketId;
    expect((await t.http.patch(`/api/tickets/${ticketId}`, { assigneeId: supervisorId })).status).toBe(200);

    // The row arrives by push, sorted in, with its clock and a countdown that ticks.
    const row = page.locator(`.board-tickets tr[data-ticket-id="${ticketId}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toContain('Order 1042 never arrived');
    expect(await row.innerText()).toContain('Maryam Rahimi');
    expect(await row.innerText()).toContain('First response');
    expect(await row.innerText()).toContain(supervisor.name);
    const countdown = row.locator('.board-countdown');
    const first = await countdown.innerText();
    await page.waitForFunction(
      ([id, before]) => document.querySelector(`.board-tickets tr[data-ticket-id="${id}"] .board-countdown`)?.textContent !== before,
      [ticketId, first] as const,
      { timeout: 3_000 },
    );
    await waitForCount('onTrack', '1').catch(() => waitForCount('atRisk', '1'));
    // Agent load follows the assignment.
    await page.waitForFunction((id) => document.querySelector(`.board-agents tr[data-agent-id="${id}"] td:nth-of-type(2)`)?.textContent === '1', supervisorId, { timeout: 10_000 });

    // The breach: pushed by the server ~6 s after the ticket arrived.
    const entry = page.locator(`.board-feed li[data-ticket-id="${ticketId}"][data-live]`);
    await entry.waitFor({ timeout: 15_000 });
    expect(await entry.innerText()).toContain('First response breached');
    expect(await entry.innerText()).toContain('Order 1042 never arrived');
    expect(await entry.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    await waitForCount('breached', '1');
    expect(await count('onTrack')).toBe('0');
    expect(await row.locator('.board-state').innerText()).toBe('Breached');
    expect(await row.locator('.board-countdown').innerText()).toContain('overdue');
    await page.waitForFunction((id) => document.querySelector(`.board-agents tr[data-agent-id="${id}"] td:nth-of-type(3)`)?.textContent === '1', supervisorId, { timeout: 10_000 });
    await snap('board-breach');
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

    // Resolving it takes it off the board at once (and the counts follow).
    expect((await t.http.patch(`/api/tickets/${ticketId}`, { status: 'resolved' })).status).toBe(200);
    await row.waitFor({ state: 'detached', timeout: 10_000 });
    await waitForCount('breached', '0');

    // Clicking a row opens the ticket in the inbox.
    const second = (await inbound(t.http, channel, { externalMessageId: 'board-2', from: { externalId: 'board-customer-2', name: 'Reza' }, subject: 'Refund', text: 'refund please' })).body.ticketId as string;
    const secondRow = page.locator(`.board-tickets tr[data-ticket-id="${second}"]`);
    await secondRow.waitFor({ timeout: 10_000 });
    await secondRow.locator('td').first().click();
    await page.waitForURL((url) => url.pathname.includes(second), { timeout: 10_000 });
    expect((await t.http.patch(`/api/tickets/${second}`, { status: 'resolved' })).status).toBe(200);
  }, 90_000);

  it('draws the response-time charts and exports them as CSV', async () => {
    await page.goto('/board?lang=en');
    await page.getByRole('heading', { level: 2, name: 'Response times' }).waitFor();
    await page.locator('.board-chart canvas').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.board-chart canvas').count()).toBe(2);
    await page.getByLabel('7 days').check();
    await page.getByLabel('Per channel').check();
    await page.waitForFunction(() => document.querySelector('.board-chart table tbody th')?.textContent?.startsWith('api-') === true, undefined, { timeout: 10_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('response-times-channel-7d.csv');
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^\W?key,/);
    expect(csv).toContain(channel.id);
    await snap('board-charts');
  }, 60_000);

  it('shows the ratings customers gave, per channel', async () => {
    const rated = (await t.http.post('/api/channels', { type: 'api', name: 'Rated shop', config: {}, csat: true })).body;
    const via = { id: rated.id, inboundToken: rated.inboundToken };
    for (const [i, score] of ['۵', '2'].entries()) {
      const { ticketId } = (await inbound(t.http, via, { externalMessageId: `csat-${i}`, from: { externalId: `rater-${i}` }, text: 'سلام' })).body;
      await t.http.post(`/api/tickets/${ticketId}/replies`, { text: 'Done.' });
      await t.http.patch(`/api/tickets/${ticketId}`, { status: 'resolved' });
      await eventually(async () => (((await t.http.get(`/api/tickets/${ticketId}/messages`)).body.items as any[]).some((m) => m.authorType === 'system') ? true : undefined), 10_000, 'the survey');
      expect((await inbound(t.http, via, { externalMessageId: `csat-answer-${i}`, from: { externalId: `rater-${i}` }, text: score })).status).toBe(202);
    }
    await page.goto('/board?lang=en');
    await page.getByLabel('Per channel').check();
    const section = page.getByRole('region', { name: 'Customer satisfaction' });
    const row = section.getByRole('row', { name: /Rated shop/ });
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getByRole('cell').allInnerTexts()).toEqual(['2', '2', '3.5 / 5', '50%']);
    await snap('board-csat');
  }, 60_000);

  it('renders wall mode: no chrome, big counts, no charts, and its own way out', async () => {
    await page.goto('/board?wall=1&lang=en');
    const board = page.locator('main.board--wall');
    await board.waitFor({ timeout: 15_000 });
    await waitForCount('breached', '0');
    const box = await board.boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: 1400, height: 900 }); // covers the app's chrome
    expect(await page.locator('.board-section--reports').count()).toBe(0);
    expect(await page.getByLabel('Team').count()).toBe(0);
    const big = await page.locator('.board-summary [data-count="breached"] dd').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(big).toBeGreaterThanOrEqual(60);
    await snap('board-wall');
    await page.getByRole('button', { name: 'Leave wall mode' }).click();
    await page.locator('main.board:not(.board--wall)').waitFor();
    expect(new URL(page.url()).searchParams.get('wall')).toBeNull();
  }, 60_000);

  it('reads right to left in Persian, with Persian digits', async () => {
    await page.goto('/board?lang=fa');
    await page.getByRole('heading', { level: 1, name: 'تابلوی SLA' }).waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => [document.documentElement.dir, document.documentElement.lang])).toEqual(['rtl', 'fa']);
    await waitForCount('breached', '۰');
    expect(await page.getByRole('heading', { level: 2, name: 'نقض‌ها' }).count()).toBe(1);
    await snap('board-fa');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});

// Code passed to page.evaluate / waitForFunction runs in the browser: its globals, for the compiler only.
declare const document: any;
declare const window: any;
declare const localStorage: any;
declare const getComputedStyle: any;
