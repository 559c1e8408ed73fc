import type { Page } from 'playwright-core';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { launchBrowser, TestBrowser } from '../support/browser';
import { eventually, startTestServer, TestServer } from '../support/test-server';
import { createAgent, logIn } from './web-helpers';

// Functions given to page.evaluate / waitForFunction run in the browser, where these exist.
declare const document: any;
declare const window: any;

/**
 * The web chat widget as a customer meets it: a shop's page on another origin embeds /widget.js; the
 * visitor opens the chat in Persian (right to left), writes, reads the agent's reply, and after a
 * reload sees the conversation again and gets new replies as a badge while the chat is closed.
 */
describe('web chat widget in the browser', () => {
  let t: TestServer;
  let b: TestBrowser;
  let site: Server;
  let siteUrl: string;
  let channelId: string;
  const pageErrors: string[] = [];

  /** The shop's own page; it has its own `window.io`, which the widget must leave alone. */
  const shopPage = (lang: string, channel = channelId) =>
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Shop</title>` +
    `<script>window.io = 'the shop\\'s own io';</script></head><body><h1>فروشگاه</h1>` +
    `<script src="${t.url}/widget.js" data-channel="${channel}" async></script></body></html>`;

  const widget = (page: Page) => page.locator('[data-pasokh-widget]');
  /** With SCREENSHOT_DIR set, keeps a picture of the page (to look at the layout, or at a failure). */
  const snap = async (page: Page, name: string) => {
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/${name}.png` });
  };
  const ticketWith = (text: string) =>
    eventually(async () => {
      for (const ticket of (await t.http.get('/api/tickets?channelType=webchat&limit=200')).body.items as any[]) {
        const messages = (await t.http.get(`/api/tickets/${ticket.id}/messages`)).body.items as any[];
        if (messages.some((m) => m.text === text)) return ticket;
      }
      return undefined;
    }, 10_000, `a ticket with "${text}"`);

  beforeAll(async () => {
    t = await startTestServer();
    channelId = (await t.http.post('/api/channels', { type: 'webchat', name: 'Shop', config: { title: 'پشتیبانی', greeting: 'سلام! بپرسید.' } })).body.id;
    site = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      const params = new URL(req.url ?? '/', 'http://x').searchParams;
      res.end(shopPage(params.get('lang') ?? 'fa', params.get('channel') ?? channelId));
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    b = await launchBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await new Promise((resolve) => site?.close(resolve));
    await t?.close();
  });

  it('opens in Persian on the shop page, sends a message, shows the reply, and keeps the conversation across a reload', async () => {
    const context = await b.browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${siteUrl}/?lang=fa`);
    const launcher = widget(page).locator('button.launcher');
    await launcher.waitFor();
    expect(await launcher.getAttribute('aria-label')).toBe('گفتگو با ما');
    expect(await widget(page).locator('.w').getAttribute('dir')).toBe('rtl');

    await launcher.click();
    const panel = widget(page).locator('.panel');
    await panel.waitFor();
    await widget(page).locator('.greeting', { hasText: 'سلام! بپرسید.' }).waitFor();
    expect(await widget(page).locator('.title').textContent()).toBe('پشتیبانی');
    // The shop's own socket.io global is untouched.
    expect(await page.evaluate(() => window.io)).toBe("the shop's own io");

    const input = widget(page).locator('textarea');
    await input.fill('سلام، سفارش ۴۲ کی می‌رسد؟');
    await input.press('Enter');
    const mine = widget(page).locator('.msg.in', { hasText: 'سفارش ۴۲' });
    await mine.locator('.meta', { hasText: 'شما' }).waitFor();
    expect(await input.inputValue()).toBe('');

    const ticket = await ticketWith('سلام، سفارش ۴۲ کی می‌رسد؟');
    expect(ticket.channel).toMatchObject({ id: channelId, type: 'webchat' });
    await t.http.post(`/api/tickets/${ticket.id}/notes`, { text: 'internal note' });
    await t.http.post(`/api/tickets/${ticket.id}/replies`, { text: 'فردا می‌رسد.' });
    await widget(page).locator('.msg.out', { hasText: 'فردا می‌رسد.' }).waitFor();
    await snap(page, 'webchat-widget-fa');
    expect(await widget(page).locator('.log').textContent()).not.toContain('internal note');

    // A file: uploaded from the shop's origin (CORS), one message with the attachment.
    await widget(page).locator('input.file').setInputFiles({ name: 'رسید.png', mimeType: 'image/png', buffer: Buffer.from('\x89PNG\r\n\x1a\n fake') });
    await widget(page).locator('.msg.in', { hasText: 'پیوست: رسید.png' }).locator('.meta', { hasText: 'شما' }).waitFor();
    const withFile = await eventually(async () => {
      const messages = (await t.http.get(`/api/tickets/${ticket.id}/messages`)).body.items as any[];
      return messages.find((m) => m.attachments.some((a: any) => a.filename === 'رسید.png'));
    }, 10_000, 'the file on the ticket');
    expect(withFile.attachments[0]).toMatchObject({ contentType: 'image/png' });

    // The agent's files: an image shows as a preview, a PDF downloads with its name.
    const agentFile = async (name: string, type: string, content: Buffer) => {
      const form = new FormData();
      form.append('file', new Blob([content], { type }), name);
      return ((await (await fetch(`${t.url}/api/attachments`, { method: 'POST', headers: { authorization: `Bearer ${t.adminToken}` }, body: form })).json()) as any).id;
    };
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    await t.http.post(`/api/tickets/${ticket.id}/replies`, {
      text: 'نقشه و فاکتور',
      attachmentIds: [await agentFile('نقشه.png', 'image/png', png), await agentFile('فاکتور.pdf', 'application/pdf', Buffer.from('%PDF-1.4 invoice'))],
    });
    const withFiles = widget(page).locator('.msg.out', { hasText: 'نقشه و فاکتور' });
    await withFiles.locator('img.thumb[alt="نقشه.png"]').waitFor();
    await eventually(async () => ((await withFiles.locator('img.thumb').evaluate((img: any) => img.naturalWidth)) === 1 ? true : undefined), 5_000, 'the preview loaded');
    const [download] = await Promise.all([page.waitForEvent('download'), withFiles.getByRole('button', { name: 'پیوست: فاکتور.pdf' }).click()]);
    expect(download.suggestedFilename()).toBe('فاکتور.pdf');
    const saved = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of saved) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('%PDF-1.4 invoice');

    // A reload keeps the visitor (their token is in the site's localStorage) and shows the conversation.
    await page.reload();
    await widget(page).locator('button.launcher').click();
    await widget(page).locator('.msg.out', { hasText: 'فردا می‌رسد.' }).waitFor();
    expect(await widget(page).locator('.msg').count()).toBe(4);
    await widget(page).locator('.msg.out', { hasText: 'نقشه و فاکتور' }).locator('img.thumb').waitFor();

    // Closed chat, new reply: a badge on the launcher; opening the chat clears it.
    await widget(page).locator('button.close').click();
    await t.http.post(`/api/tickets/${ticket.id}/replies`, { text: 'کد رهگیری: ۹۹۸' });
    await widget(page).locator('.badge', { hasText: '۱' }).waitFor();
    expect(await widget(page).locator('button.launcher').getAttribute('aria-label')).toBe('گفتگو با ما (۱ پیام تازه)');
    await snap(page, 'webchat-widget-badge');
    await widget(page).locator('button.launcher').click();
    await widget(page).locator('.msg.out', { hasText: 'کد رهگیری' }).waitFor();
    expect(await widget(page).locator('.badge').isHidden()).toBe(true);

    // The same customer and ticket throughout.
    expect((await ticketWith('کد رهگیری: ۹۹۸')).id).toBe(ticket.id);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it("reaches an agent's inbox live, and the agent's reply from the inbox reaches the widget", async () => {
    const agent = await createAgent(t, 'Nasrin');
    const agentContext = await b.browser.newContext({ baseURL: t.url });
    const inboxPage = await agentContext.newPage();
    inboxPage.on('pageerror', (error) => pageErrors.push(error.message));
    await logIn(inboxPage, agent, '/inbox/all?lang=en');

    const visitorContext = await b.browser.newContext();
    const shop = await visitorContext.newPage();
    shop.on('pageerror', (error) => pageErrors.push(error.message));
    await shop.goto(`${siteUrl}/?lang=en`);
    await widget(shop).locator('button.launcher').click();
    await widget(shop).locator('textarea').fill('Is the blue kettle in stock?');
    await widget(shop).locator('button.send').click();

    // The new conversation appears in the agent's list without a reload.
    const row = inboxPage.locator('.list-pane a', { hasText: 'Is the blue kettle in stock?' });
    await row.waitFor({ timeout: 10_000 });
    await row.click();
    await inboxPage.locator('.customer-pane', { hasText: 'Website visitor' }).waitFor();
    // Each side sees the other writing.
    await widget(shop).locator('textarea').pressSequentially('one more');
    await inboxPage.locator('.typing-indicator', { hasText: 'Customer is typing' }).waitFor();
    await inboxPage.locator('#composer-text').pressSequentially('Yes');
    await widget(shop).locator('.typing', { hasText: 'Nasrin is typing' }).waitFor();
    await widget(shop).locator('textarea').fill('');
    await inboxPage.locator('#composer-text').fill('Yes, two left.');
    await inboxPage.getByRole('button', { name: 'Send reply' }).click();

    const reply = widget(shop).locator('.msg.out', { hasText: 'Yes, two left.' });
    await reply.waitFor();
    expect(await reply.locator('.meta').textContent()).toContain('Nasrin');
    // The chat is open on the visitor's screen: the agent sees the reply was read.
    await inboxPage.locator('.message', { hasText: 'Yes, two left.' }).locator('[data-delivery="read"]').waitFor({ timeout: 10_000 });
    expect(pageErrors).toEqual([]);
    await agentContext.close();
    await visitorContext.close();
  });

  it('asks for a rating after a resolve with buttons ۱–۵; a tap answers it and the buttons go', async () => {
    const rated = (await t.http.post('/api/channels', { type: 'webchat', name: 'Rated', config: {}, csat: true })).body.id;
    const context = await b.browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${siteUrl}/?lang=fa&channel=${rated}`);
    await widget(page).locator('button.launcher').click();
    await widget(page).locator('textarea').fill('کد تخفیفم کار نمی‌کند');
    await widget(page).locator('textarea').press('Enter');
    const ticket = await ticketWith('کد تخفیفم کار نمی‌کند');
    await t.http.post(`/api/tickets/${ticket.id}/replies`, { text: 'درست شد، دوباره امتحان کنید.' });
    await t.http.patch(`/api/tickets/${ticket.id}`, { status: 'resolved' });

    const choices = widget(page).getByRole('group', { name: 'پاسخ‌ها' });
    await choices.waitFor({ timeout: 10_000 });
    expect(await choices.getByRole('button').allTextContents()).toEqual(['۱', '۲', '۳', '۴', '۵']);
    await snap(page, 'webchat-rating-fa');
    await choices.getByRole('button', { name: '۴' }).click();
    await widget(page).locator('.msg.in', { hasText: /^۴/ }).locator('.meta', { hasText: 'شما' }).waitFor();
    expect(await choices.count()).toBe(0);
    await eventually(async () => {
      const [row] = await t.db.database.dataSource.query('SELECT score FROM csat_surveys WHERE ticket_id = $1', [ticket.id]);
      return row?.score === 4 ? true : undefined;
    }, 10_000, 'the rating stored');
    expect((await t.http.get(`/api/tickets/${ticket.id}`)).body.status).toBe('resolved');
    // After a reload the question is in the history, answered: no buttons.
    await page.reload();
    await widget(page).locator('button.launcher').click();
    await widget(page).locator('.msg.in', { hasText: /^۴/ }).waitFor();
    expect(await widget(page).getByRole('group', { name: 'پاسخ‌ها' }).count()).toBe(0);
    await context.close();
  });

  it('says when the team is back, outside business hours', async () => {
    const allDay = [['00:00', '24:00']];
    const today = new Date().toISOString().slice(0, 10);
    const calendar = (await t.http.post('/api/calendars', {
      name: 'Closed today',
      timezone: 'UTC',
      weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
      holidays: [today],
    })).body.id;
    const away = (await t.http.post('/api/channels', { type: 'webchat', name: 'Away', config: { calendarId: calendar } })).body.id;
    const context = await b.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${siteUrl}/?lang=en&channel=${away}`);
    await widget(page).locator('button.launcher').click();
    const notice = widget(page).locator('.away');
    await notice.getByText(/^We are away right now\. Leave a message: we answer from \w+/).waitFor();
    await context.close();
  });

  it('is left to right in English, and a message written before the connection is up waits for it', async () => {
    const context = await b.browser.newContext();
    const page = await context.newPage();
    // A slow network: the socket.io client arrives 1.5 s after the chat opens.
    await page.route('**/socket.io/socket.io.min.js', async (route) => {
      await new Promise((r) => setTimeout(r, 1_500));
      await route.continue();
    });
    await page.goto(`${siteUrl}/?lang=en`);
    await widget(page).locator('button.launcher').click();
    expect(await widget(page).locator('.w').getAttribute('dir')).toBe('ltr');
    expect(await widget(page).locator('textarea').getAttribute('placeholder')).toBe('Write a message…');
    await widget(page).locator('textarea').fill('Hello before the socket');
    await widget(page).locator('textarea').press('Enter');
    await widget(page).locator('.msg.in', { hasText: 'Hello before the socket' }).locator('.meta', { hasText: 'Sending' }).waitFor();
    await widget(page).locator('.msg.in', { hasText: 'Hello before the socket' }).locator('.meta', { hasText: 'You' }).waitFor({ timeout: 10_000 });
    await ticketWith('Hello before the socket');
    await context.close();
  });
});
