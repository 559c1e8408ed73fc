import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser, TestBrowser } from '../support/browser';
import { ApiChannel, createApiChannel, eventually, inbound, startTestServer, TestServer } from '../support/test-server';
import { AgentCredentials, createAgent, logIn } from './web-helpers';

// Functions given to page.evaluate / waitForFunction run in the browser, where these exist.
declare const document: any;

const TIMEZONE = 'Asia/Tehran';
/** Bidi isolates around names in sentences: not what a reader sees, so left out of comparisons. */
const visible = (text: string) => text.replace(/[\u2066-\u2069]/g, '');

/**
 * The agent's ticket actions in a real Chromium against the whole server: a ticket's team, snoozing
 * (presets in the agent's own time zone, a custom time, unsnoozing) and merging two customers from
 * the sidebar. Each is checked on the page and in the server's state through the REST API.
 */
describe('ticket actions in the browser', () => {
  let t: TestServer;
  let b: TestBrowser;
  let context: BrowserContext;
  let page: Page;
  let channel: ApiChannel;
  let agent: AgentCredentials;
  const teams: Record<string, string> = {};
  const pageErrors: string[] = [];
  /** With SCREENSHOT_DIR set, keeps pictures of the controls (to look at the layout, or at a failure). */
  const snap = async (name: string) => {
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/${name}.png` });
  };
  /** What the page asked the server to change: method, path and JSON body. */
  const writes: Array<{ method: string; path: string; body: any }> = [];

  const controls = () => page.locator('.ticket-controls');
  const sidebar = () => page.locator('.customer-pane');
  const ticketOf = async (id: string) => (await t.http.get(`/api/tickets/${id}`)).body;
  const writesTo = (path: string) => writes.filter((w) => w.path === path);
  const newTicket = async (key: string, from: Record<string, unknown>, subject: string) => {
    const res = await inbound(t.http, channel, { externalMessageId: key, from, subject, text: `${subject}.` });
    expect(res.status).toBe(202);
    return res.body as { ticketId: string; customerId: string };
  };
  const openTicket = async (ticketId: string) => {
    await page.goto(`/inbox/all/${ticketId}?status=any`);
    await page.locator('#conversation-title').waitFor();
  };
  const openSnoozeMenu = async () => {
    // From the keyboard: the menu is a disclosure, opened with Enter on its summary.
    await controls().locator('.snooze summary').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('group', { name: 'Snooze until' }).waitFor();
  };

  beforeAll(async () => {
    t = await startTestServer();
    channel = await createApiChannel(t.http);
    for (const name of ['Billing', 'Logistics']) {
      const res = await t.http.post('/api/teams', { name });
      expect(res.status).toBe(201);
      teams[name] = res.body.id;
    }
    // An agent, not a supervisor: merging customers is open to every role (the endpoint names none).
    agent = await createAgent(t, 'Nima Agent');
    b = await launchBrowser();
    // The agent's clock: Tehran, where the week starts on Saturday.
    context = await b.browser.newContext({ baseURL: t.url, locale: 'en-US', timezoneId: TIMEZONE, viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (request.method() === 'GET' || !url.pathname.startsWith('/api/')) return;
      writes.push({ method: request.method(), path: url.pathname, body: request.postData() ? JSON.parse(request.postData()!) : null });
    });
    await logIn(page, agent);
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await b?.close();
    await t?.close();
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  it("sets a ticket's team, then clears it", async () => {
    const { ticketId } = await newTicket('team-1', { externalId: 'team-customer', name: 'Parisa' }, 'Wrong size delivered');
    await openTicket(ticketId);
    const team = controls().getByLabel('Team', { exact: true });
    // The teams come from the directory, loaded with the page.
    const shows = (value: string) => page.waitForFunction(([v]) => document.querySelector('#ctl-team')?.value === v && document.querySelectorAll('#ctl-team option').length === 3, [value]);
    await shows('');
    expect(await team.locator('option').allInnerTexts()).toEqual(['No team', 'Billing', 'Logistics']);

    await team.selectOption({ label: 'Logistics' });
    await eventually(async () => ((await ticketOf(ticketId)).teamId === teams.Logistics ? true : undefined), 5_000, 'the team on the server');
    expect(writesTo(`/api/tickets/${ticketId}`)).toEqual([{ method: 'PATCH', path: `/api/tickets/${ticketId}`, body: { teamId: teams.Logistics } }]);
    // Read back from the server, not just what the select was left showing.
    await openTicket(ticketId);
    await shows(teams.Logistics);

    await team.selectOption({ label: 'No team' });
    await eventually(async () => ((await ticketOf(ticketId)).teamId === null ? true : undefined), 5_000, 'no team on the server');
    expect(writesTo(`/api/tickets/${ticketId}`).at(-1)!.body).toEqual({ teamId: null });
    await openTicket(ticketId);
    await shows('');
  }, 60_000);

  it('asks before moving a ticket into a restricted team the agent is not in; once moved, it leaves their inbox', async () => {
    const legal = (await t.http.post('/api/teams', { name: 'Legal', restricted: true })).body.id as string;
    const { ticketId } = await newTicket('team-2', { externalId: 'legal-customer', name: 'Dariush' }, 'Contract question');
    const path = `/api/tickets/${ticketId}`;
    await openTicket(ticketId);
    await page.waitForFunction(() => document.querySelectorAll('#ctl-team option').length === 4);
    const team = controls().getByLabel('Team', { exact: true });

    await team.selectOption({ label: 'Legal' });
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    await snap('team-leave');
    expect(visible(await dialog.innerText())).toContain('Legal is a restricted team and you are not in it: once the ticket moves there, it leaves your inbox.');
    expect(writesTo(path)).toEqual([]);
    // Keeping it changes nothing, on the page or on the server.
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.locator('#ctl-team').inputValue()).toBe('');
    expect(writesTo(path)).toEqual([]);
    expect((await ticketOf(ticketId)).teamId).toBeNull();

    // Moving it: the conversation closes, its row leaves the list, and the server has it in Legal.
    await team.selectOption({ label: 'Legal' });
    await dialog.getByRole('button', { name: 'Move it' }).click();
    await page.waitForURL((url) => !url.pathname.includes(ticketId));
    expect(writesTo(path)).toEqual([{ method: 'PATCH', path, body: { teamId: legal } }]);
    expect((await ticketOf(ticketId)).teamId).toBe(legal);
    await page.waitForFunction((id) => !document.querySelector(`[data-ticket-id="${id}"]`), ticketId);
    await page.getByText(/moved to Legal/).waitFor();
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('snoozes with presets (an hour; next week = the coming Saturday 09:00, local time), shows until when, and unsnoozes', async () => {
    const { ticketId } = await newTicket('snooze-1', { externalId: 'snooze-customer', name: 'Kian' }, 'Call me back next week');
    await openTicket(ticketId);
    const path = `/api/tickets/${ticketId}`;

    await openSnoozeMenu();
    await snap('snooze-menu');
    const clicked = Date.now();
    await page.keyboard.press('Tab'); // the first preset: 1 hour
    expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/^1 hour/);
    await page.keyboard.press('Enter');
    const snoozed = await eventually(async () => {
      const ticket = await ticketOf(ticketId);
      return ticket.status === 'snoozed' ? ticket : undefined;
    }, 5_000, 'the snooze on the server');
    const until = Date.parse(snoozed.snoozedUntil);
    expect(Math.abs(until - (clicked + 3_600_000))).toBeLessThan(60_000);
    expect(writesTo(path)).toEqual([{ method: 'PATCH', path, body: { status: 'snoozed', snoozedUntil: snoozed.snoozedUntil } }]);

    // The page says until when, in the agent's time zone and format.
    const shown = controls().getByTestId('snoozed-until');
    await shown.waitFor();
    const expected = await page.evaluate(
      (iso) => new Intl.DateTimeFormat('en', { calendar: 'gregory', numberingSystem: 'latn', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso)),
      snoozed.snoozedUntil,
    );
    expect(await shown.innerText()).toBe(`Snoozed until ${expected}`);
    expect(await shown.locator('time').getAttribute('datetime')).toBe(snoozed.snoozedUntil);
    expect(await controls().getByLabel('Status').inputValue()).toBe('snoozed');
    await snap('snoozed');
    await page.getByRole('status').filter({ hasText: `Snoozed until ${expected}.` }).waitFor();

    // Snoozed again, to "next week": Saturday 09:00 in Tehran, the coming one (a week on, from a Saturday morning).
    await openSnoozeMenu();
    await page.getByRole('button', { name: /^Next week \(Saturday\)/ }).click();
    const nextWeek = await eventually(async () => {
      const ticket = await ticketOf(ticketId);
      return ticket.snoozedUntil !== snoozed.snoozedUntil ? ticket : undefined;
    }, 5_000, 'the new snooze time');
    expect(nextWeek.status).toBe('snoozed');
    const wake = new Date(nextWeek.snoozedUntil);
    expect(new Intl.DateTimeFormat('en-US', { timeZone: TIMEZONE, weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(wake)).toBe('Saturday 09:00');
    expect(wake.getTime() - Date.now()).toBeGreaterThan(0);
    expect(wake.getTime() - Date.now()).toBeLessThan(8 * 86_400_000);
    await page.waitForFunction((iso) => document.querySelector('[data-testid="snoozed-until"] time')?.getAttribute('datetime') === iso, nextWeek.snoozedUntil);

    // In Persian: the Jalali calendar and Persian digits.
    await page.goto(`/inbox/all/${ticketId}?status=any&lang=fa`);
    await page.waitForFunction(() => /^معوق تا .*۱۴[۰-۹]{2}/.test(document.querySelector('[data-testid="snoozed-until"]')?.textContent ?? ''));
    await snap('snoozed-fa');
    await openTicket(ticketId);

    await controls().getByRole('button', { name: 'Unsnooze' }).click();
    await eventually(async () => ((await ticketOf(ticketId)).status === 'open' ? true : undefined), 5_000, 'open again');
    expect((await ticketOf(ticketId)).snoozedUntil).toBeNull();
    expect(writesTo(path).at(-1)!.body).toEqual({ status: 'open' });
    await shown.waitFor({ state: 'detached' });
    expect(await controls().getByLabel('Status').inputValue()).toBe('open');
  }, 60_000);

  it('refuses a custom snooze time in the past with a message, changing nothing; a future one is taken as local time', async () => {
    const { ticketId } = await newTicket('snooze-2', { externalId: 'snooze-customer-2', name: 'Darya' }, 'Not now please');
    await openTicket(ticketId);
    const path = `/api/tickets/${ticketId}`;
    const before = await ticketOf(ticketId);
    const localInput = (offsetMs: number) =>
      page.evaluate((offset) => {
        const d = new Date(Date.now() + offset);
        const pad = (n: number) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
      }, offsetMs);

    // Escape closes the menu and gives the focus back to its summary.
    await openSnoozeMenu();
    await page.keyboard.press('Escape');
    await page.getByRole('group', { name: 'Snooze until' }).waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SUMMARY');

    await openSnoozeMenu();
    const custom = page.getByLabel('Date and time');
    await custom.fill(await localInput(-3_600_000));
    await page.getByRole('button', { name: 'Snooze until then' }).click();
    const message = page.getByRole('alert').filter({ hasText: 'That time has already passed: choose a time in the future.' });
    await message.waitFor();
    await snap('snooze-past');
    expect(await custom.getAttribute('aria-invalid')).toBe('true');

    await new Promise((r) => setTimeout(r, 500));
    expect(writesTo(path)).toEqual([]);
    expect(await ticketOf(ticketId)).toMatchObject({ status: 'open', snoozedUntil: null, updatedAt: before.updatedAt });
    expect(await controls().getByTestId('snoozed-until').count()).toBe(0);

    // Changing the time clears the message; a future time snoozes, read as the agent's local time.
    const later = await localInput(2 * 86_400_000);
    await custom.fill(later);
    await message.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Snooze until then' }).click();
    const snoozed = await eventually(async () => {
      const ticket = await ticketOf(ticketId);
      return ticket.status === 'snoozed' ? ticket : undefined;
    }, 5_000, 'the custom snooze');
    const [date, time] = later.split('T');
    const inTehran = new Intl.DateTimeFormat('en-CA', { timeZone: TIMEZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(snoozed.snoozedUntil));
    expect(inTehran).toBe(`${date}, ${time}`);
    expect(writesTo(path)).toEqual([{ method: 'PATCH', path, body: { status: 'snoozed', snoozedUntil: snoozed.snoozedUntil } }]);
  }, 60_000);

  it('merges another customer into this one from the sidebar: identities and tickets move, the other answers as merged', async () => {
    const first = await newTicket('merge-1', { externalId: 'merge-email', name: 'Shirin Ahmadi', email: 'shirin@example.com' }, 'Refund for order 2231');
    const second = await newTicket('merge-2', { externalId: 'merge-phone', name: 'Shirin A.', phone: '+989121110000' }, 'Called about my refund');
    expect(second.customerId).not.toBe(first.customerId);
    await openTicket(first.ticketId);
    await sidebar().getByRole('heading', { name: 'Shirin Ahmadi' }).waitFor();

    await sidebar().getByRole('button', { name: 'Merge with another customer…' }).click();
    const search = sidebar().getByLabel('Find the other customer');
    expect(await search.evaluate((el: any) => el === document.activeElement)).toBe(true);
    // "Shirin" matches both: this customer is left out of the results.
    await search.fill('Shirin');
    const results = sidebar().getByRole('list', { name: 'Customers found' }).getByRole('button');
    await results.first().waitFor();
    expect(await results.count()).toBe(1);
    await snap('merge-search');
    expect(await results.first().innerText()).toBe('Shirin A.\n—\n+989121110000');
    expect(writes.filter((w) => w.path.includes('/merge'))).toEqual([]);

    await results.first().click();
    const question = sidebar().locator('.merge-panel p');
    await question.waitFor();
    expect(visible(await question.innerText())).toBe('Shirin A. will be merged into Shirin Ahmadi: their identities and tickets move here. This cannot be undone.');
    expect((await t.http.get(`/api/customers/${second.customerId}`)).status).toBe(200); // nothing yet
    await snap('merge-confirm');

    await sidebar().getByRole('button', { name: 'Merge', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'was merged into' }).waitFor();
    expect(writes.filter((w) => w.path.includes('/merge'))).toEqual([
      { method: 'POST', path: `/api/customers/${first.customerId}/merge`, body: { sourceCustomerId: second.customerId } },
    ]);
    // The sidebar shows the merged customer, read again: both identities, both tickets, the phone.
    await page.waitForFunction(() => document.querySelector('.customer-pane .identities')?.textContent?.includes('merge-phone'));
    expect(await sidebar().locator('.identities').innerText()).toContain('merge-email');
    await page.waitForFunction(() => document.querySelector('.customer-pane .history')?.textContent?.includes('Called about my refund'));
    expect(await sidebar().locator('.history').innerText()).toContain('Refund for order 2231');
    expect(await sidebar().locator('.profile').innerText()).toContain('+989121110000');
    expect(await sidebar().locator('.merge-panel').count()).toBe(0);
    await snap('merged');

    const merged = await t.http.get(`/api/customers/${second.customerId}`);
    expect(merged.status).toBe(409);
    expect(merged.body.code).toBe('CUSTOMER_MERGED');
    const survivor = (await t.http.get(`/api/customers/${first.customerId}`)).body;
    expect(survivor.identities.map((i: { externalId: string }) => i.externalId).sort()).toEqual(['merge-email', 'merge-phone']);
    expect(survivor).toMatchObject({ email: 'shirin@example.com', phone: '+989121110000', ticketCount: 2 });
    expect((await ticketOf(second.ticketId)).customer.id).toBe(first.customerId);
  }, 60_000);

  it('shows a merge the server refuses in words, and keeps both customers as they were', async () => {
    const mine = await newTicket('merge-3', { externalId: 'merge-mine', name: 'Ava Karimi' }, 'Where is my parcel');
    const other = await newTicket('merge-4', { externalId: 'merge-other', name: 'Ava K.' }, 'Parcel question');
    const elsewhere = await newTicket('merge-5', { externalId: 'merge-elsewhere', name: 'Someone else' }, 'Hello');
    await openTicket(mine.ticketId);
    await sidebar().getByRole('heading', { name: 'Ava Karimi' }).waitFor();
    await sidebar().getByRole('button', { name: 'Merge with another customer…' }).click();
    await sidebar().getByLabel('Find the other customer').fill('Ava K.');
    await sidebar().getByRole('list', { name: 'Customers found' }).getByRole('button', { name: /Ava K\./ }).click();

    // Meanwhile another agent merges that customer somewhere else.
    expect((await t.http.post(`/api/customers/${elsewhere.customerId}/merge`, { sourceCustomerId: other.customerId })).status).toBe(200);
    await sidebar().getByRole('button', { name: 'Merge', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Merging the customers failed: This customer was merged into another one.' }).waitFor();
    expect((await t.http.get(`/api/customers/${mine.customerId}`)).body.identities).toEqual([{ channelType: 'api', externalId: 'merge-mine' }]);
    expect((await ticketOf(other.ticketId)).customer.id).toBe(elsewhere.customerId);
    // The question stays, to go back from.
    await sidebar().getByRole('button', { name: 'Back' }).click();
    await sidebar().getByLabel('Find the other customer').waitFor();
  }, 60_000);
});
