import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser, TestBrowser } from '../support/browser';
import { ApiChannel, createApiChannel, eventually, inbound, startTestServer, TestServer } from '../support/test-server';
import { AgentCredentials, createAgent, logIn } from './web-helpers';

// Functions given to page.evaluate / addInitScript run in the browser, where these exist.
declare const document: any;
declare const window: any;

/**
 * An agent hears about what is theirs: a ticket a colleague gives them shows a notice; while the tab is
 * in the background the title counts what came and, once they turned them on, desktop notifications
 * say it — a click opens the ticket. Back on the tab, the count goes.
 */
describe('notifications in the browser', () => {
  let t: TestServer;
  let b: TestBrowser;
  let context: BrowserContext;
  let page: Page;
  let channel: ApiChannel;
  let agent: AgentCredentials;
  const pageErrors: string[] = [];
  /** Hides or shows the tab as a browser does when the agent switches to another one. */
  const setHidden = (hidden: boolean) =>
    page.evaluate((value) => {
      window.__hidden = value;
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
  const notes = () => page.evaluate(() => window.__notes as Array<{ title: string; body: string; tag: string }>);

  beforeAll(async () => {
    t = await startTestServer();
    channel = await createApiChannel(t.http);
    agent = await createAgent(t, 'Nasrin');
    b = await launchBrowser();
    context = await b.browser.newContext({ baseURL: t.url });
    await context.grantPermissions(['notifications']);
    // Record desktop notifications (the real ones are shown too), and let the test hide the tab.
    await context.addInitScript(() => {
      const Real = window.Notification;
      window.__notes = [];
      window.Notification = class extends Real {
        constructor(title: string, options: any = {}) {
          super(title, options);
          window.__notes.push({ title, body: options.body, tag: options.tag });
          window.__lastNote = this;
        }
      };
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => window.__hidden === true });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (window.__hidden ? 'hidden' : 'visible') });
    });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await logIn(page, agent, '/inbox/all?lang=en');
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it("shows a notice when a colleague gives the agent a ticket", async () => {
    const res = await inbound(t.http, channel, { externalMessageId: 'n-1', from: { externalId: 'reza', name: 'Reza' }, text: 'My order is late' });
    const ticket = (await t.http.get(`/api/tickets/${res.body.ticketId}`)).body;
    await t.http.patch(`/api/tickets/${ticket.id}`, { assigneeId: agent.id });
    const notice = page.getByRole('status').locator('.toast', { hasText: `Ticket #${ticket.number} is yours — Administrator gave it to you · Reza` });
    await notice.waitFor();
    expect(await notes()).toEqual([]); // in view: no desktop notification
    await notice.getByRole('button', { name: 'Open' }).click();
    await page.waitForURL(`**/inbox/mine/${ticket.id}**`);
    expect(await notice.count()).toBe(0);
  });

  it('turns desktop notifications on; in the background the title counts, a notification says it, a click opens the ticket', async () => {
    await page.getByText('Display').click();
    const group = page.getByRole('group', { name: 'Desktop notifications' });
    await group.getByRole('button', { name: 'Turn on' }).click();
    await group.getByText(/^On: new tickets given to you/).waitFor();
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/notifications-menu.png` });
    await page.keyboard.press('Escape');

    const res = await inbound(t.http, channel, { externalMessageId: 'n-2', from: { externalId: 'sara', name: 'Sara' }, text: 'Hello' });
    await t.http.patch(`/api/tickets/${res.body.ticketId}`, { assigneeId: agent.id });
    await page.getByRole('status').getByText(/is yours/).last().waitFor();
    await setHidden(true);
    await inbound(t.http, channel, { externalMessageId: 'n-3', from: { externalId: 'sara', name: 'Sara' }, text: 'سلام، هنوز منتظرم' });
    // Someone else's ticket: nothing.
    await inbound(t.http, channel, { externalMessageId: 'n-4', from: { externalId: 'other', name: 'Other' }, text: 'not yours' });
    const [note] = await eventually(async () => ((await notes()).length ? notes() : undefined), 10_000, 'a desktop notification');
    expect(note).toEqual({ title: 'Sara', body: 'سلام، هنوز منتظرم', tag: res.body.ticketId });
    await eventually(async () => ((await page.title()) === '(1) Pasokh' ? true : undefined), 5_000, 'the count in the title');

    // Given another ticket while away: the count grows.
    const other = await inbound(t.http, channel, { externalMessageId: 'n-5', from: { externalId: 'kian', name: 'Kian' }, text: 'Refund?' });
    await t.http.patch(`/api/tickets/${other.body.ticketId}`, { assigneeId: agent.id });
    await eventually(async () => ((await page.title()) === '(2) Pasokh' ? true : undefined), 5_000, 'two in the title');
    expect((await notes()).map((n) => n.title)).toEqual(['Sara', expect.stringMatching(/^Ticket #\d+ is yours$/)]);
    await new Promise((r) => setTimeout(r, 300));
    expect((await notes()).some((n) => n.body === 'not yours')).toBe(false);

    // A click on the notification opens that ticket; back on the tab, the count goes.
    await page.evaluate(() => window.__lastNote.onclick());
    await page.waitForURL(`**/inbox/mine/${other.body.ticketId}**`);
    await setHidden(false);
    await eventually(async () => ((await page.title()) === 'Pasokh' ? true : undefined), 5_000, 'the title without a count');
    expect(pageErrors).toEqual([]);
  });
});
