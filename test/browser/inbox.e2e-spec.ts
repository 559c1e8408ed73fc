import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser, TestBrowser } from '../support/browser';
import { AgentClient, ApiChannel, createApiChannel, eventually, inbound, startTestServer, TestServer } from '../support/test-server';
import { AgentCredentials, createAgent, HoldingReceiver, logIn, markDocument, sameDocument } from './web-helpers';

// Functions given to page.evaluate / waitForFunction run in the browser, where these exist.
declare const document: any;
declare const getComputedStyle: any;
declare const localStorage: any;
declare const location: any;

/**
 * The agent inbox in a real Chromium (Debian's, driven by playwright-core) against the whole server,
 * which serves the built web app: login, the live list, a conversation with a reply and its delivery
 * status, a note, a hostile email, Persian, and the keyboard.
 */
describe('agent inbox in the browser', () => {
  let t: TestServer;
  let b: TestBrowser;
  let context: BrowserContext;
  let page: Page;
  let channel: ApiChannel;
  let agent: AgentCredentials;
  const receiver = new HoldingReceiver();
  const pageErrors: string[] = [];
  const dialogs: string[] = [];
  const requests: string[] = [];
  const cspViolations: string[] = [];
  const tickets: Record<string, string> = {};

  const row = (ticketId: string) => page.locator(`.ticket-list [data-ticket-id="${ticketId}"] a`);
  const openTicket = async (ticketId: string) => {
    await row(ticketId).click();
    await page.waitForFunction((id) => location.pathname.endsWith(id), ticketId);
    await page.locator('#conversation-title').waitFor();
  };

  beforeAll(async () => {
    await receiver.start();
    t = await startTestServer();
    channel = await createApiChannel(t.http, { callbackUrl: receiver.url, secret: 'browser-test-secret-0123456789' });
    agent = await createAgent(t, 'Nima Agent');
    b = await launchBrowser();
    context = await b.browser.newContext({ baseURL: t.url, locale: 'en-US', viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await b?.close();
    await t?.close();
    await receiver.stop();
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  it('refuses a wrong password in words, then logs in through a standard form, and the session survives a reload', async () => {
    await page.goto('/?lang=en');
    const email = page.locator('input[type=email]');
    const password = page.locator('input[type=password]');
    expect(await email.getAttribute('autocomplete')).toBe('username');
    expect(await password.getAttribute('autocomplete')).toBe('current-password');
    expect(await page.getByLabel('Email').count()).toBe(1);
    expect(await page.getByLabel('Password').count()).toBe(1);

    // The server cannot be reached: said so, in words.
    await page.route('**/api/auth/login', (route) => route.abort('connectionrefused'));
    await email.fill(agent.email);
    await password.fill(agent.password);
    await password.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'The server cannot be reached' }).waitFor();
    await page.unroute('**/api/auth/login');

    await password.fill('not-the-password');
    await password.press('Enter');
    const error = page.getByRole('alert').filter({ hasText: 'Wrong email or password' });
    await error.waitFor();
    expect(await page.evaluate(() => localStorage.getItem('pasokh.token'))).toBeNull();

    await password.fill(agent.password);
    await password.press('Enter');
    await page.getByRole('navigation', { name: 'Views' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('pasokh.token'))).toMatch(/^psk_s_/);
    expect(await page.locator('html').getAttribute('dir')).toBe('ltr');

    await page.reload();
    await page.getByRole('navigation', { name: 'Views' }).waitFor();
    expect(await page.locator('.agent-name').innerText()).toBe('Nima Agent');
  }, 60_000);

  it('shows a ticket posted through the API channel without a reload, unread, and moves a busier ticket to the top', async () => {
    await page.getByRole('link', { name: 'All', exact: true }).click();
    await page.waitForFunction(() => location.pathname === '/inbox/all');
    await markDocument(page);

    const first = await inbound(t.http, channel, { externalMessageId: 'web-1', from: { externalId: 'cust-1', name: 'Maryam Rahimi' }, subject: 'Order 1042 never arrived', text: 'Where is my order?' });
    expect(first.status).toBe(202);
    tickets.first = first.body.ticketId;
    await row(tickets.first).waitFor();
    expect(await row(tickets.first).innerText()).toContain('Order 1042 never arrived');
    expect(await row(tickets.first).innerText()).toContain('Maryam Rahimi');
    expect(await row(tickets.first).getAttribute('data-unread')).toBe('true');
    expect(await row(tickets.first).getByRole('img', { name: 'API' }).count()).toBe(1);

    const second = await inbound(t.http, channel, { externalMessageId: 'web-2', from: { externalId: 'cust-2', name: 'Reza' }, text: 'سلام، سفارشم کجاست؟' });
    tickets.second = second.body.ticketId;
    await row(tickets.second).waitFor();
    // No subject: the row shows the message itself.
    expect(await row(tickets.second).innerText()).toContain('سلام، سفارشم کجاست؟');
    const order = () => page.$$eval('.ticket-list [data-ticket-id]', (els: any[]) => els.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top).map((el) => el.dataset.ticketId));
    expect((await order()).slice(0, 2)).toEqual([tickets.second, tickets.first]);

    // A new message on the older ticket moves it back to the top.
    await inbound(t.http, channel, { externalMessageId: 'web-1b', from: { externalId: 'cust-1' }, text: 'Any news?' });
    await eventually(async () => ((await order())[0] === tickets.first ? true : undefined), 10_000, 'the busier ticket on top');
    expect(await row(tickets.first).innerText()).toContain('Order 1042 never arrived');
    expect(await sameDocument(page)).toBe(true);
  }, 60_000);

  it('opens the ticket (now read), replies, and shows the delivery status change from queued to sent', async () => {
    await openTicket(tickets.first);
    expect(await page.locator('#conversation-title').innerText()).toBe('Order 1042 never arrived');
    await page.locator('.message-inbound').filter({ hasText: 'Where is my order?' }).waitFor();
    // Read: the row is no longer unread, and the server knows (readAt for this agent).
    await page.waitForFunction((id) => !document.querySelector(`[data-ticket-id="${id}"] a[data-unread]`), tickets.first);
    const token = await tokenOf(agent);
    await eventually(async () => ((await t.http.as(token).get(`/api/tickets/${tickets.first}`)).body.readAt ? true : undefined), 5_000, 'readAt');

    receiver.hold = true;
    await page.getByRole('radio', { name: /Reply/ }).check();
    await page.getByLabel('Reply to the customer').fill('We are on it, Maryam.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    const reply = page.locator('.message-outbound').filter({ hasText: 'We are on it, Maryam.' });
    await reply.waitFor();
    await reply.locator('[data-delivery="queued"]').waitFor();
    expect(await reply.locator('.delivery').innerText()).toContain('Queued');

    await eventually(async () => (receiver.calls.length > 0 ? true : undefined), 10_000, 'the callback');
    receiver.release();
    await reply.locator('[data-delivery="sent"]').waitFor({ timeout: 10_000 });
    expect(await reply.locator('.delivery').innerText()).toContain('Sent');
    expect(receiver.calls[0].body.message.text).toBe('We are on it, Maryam.');
    expect(await page.getByLabel('Reply to the customer').inputValue()).toBe('');
  }, 60_000);

  it('adds an internal note: shown distinct from replies, never sent to the customer', async () => {
    const callsBefore = receiver.calls.length;
    await page.getByRole('radio', { name: /Note/ }).check();
    expect(await page.getByText('Internal note: only agents see it').count()).toBe(1);
    await page.getByLabel('Internal note').fill('Customer called too; courier is late.');
    await page.getByRole('button', { name: 'Add note' }).click();
    const note = page.locator('.message-note').filter({ hasText: 'courier is late' });
    await note.waitFor();
    expect(await note.locator('.message-kind').innerText()).toMatch(/internal note/i);
    expect(await note.locator('.delivery').count()).toBe(0);
    const background = (selector: string) => page.locator(selector).first().evaluate((el: any) => getComputedStyle(el.querySelector('article')).backgroundColor);
    expect(await background('.message-note')).not.toBe(await background('.message-outbound'));
    expect(await background('.message-note')).not.toBe(await background('.message-inbound'));

    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.calls.length).toBe(callsBefore);
    const messages = (await t.http.get(`/api/tickets/${tickets.first}/messages`)).body.items;
    expect(messages.find((m: { text: string }) => m.text === 'Customer called too; courier is late.')).toMatchObject({ kind: 'note' });
  }, 60_000);

  it("shows the customer (identities, tickets on every channel) and edits the profile, refusing a bad phone in words", async () => {
    const sidebar = page.locator('.customer-pane');
    await sidebar.getByRole('heading', { name: 'Maryam Rahimi' }).waitFor();
    expect(await sidebar.locator('.identities').innerText()).toContain('cust-1');
    expect(await sidebar.locator('.history').innerText()).toContain('Order 1042 never arrived');

    await sidebar.getByRole('button', { name: 'Edit customer' }).click();
    await sidebar.getByLabel('Phone').fill('not a phone');
    await sidebar.getByRole('button', { name: 'Save' }).click();
    await sidebar.getByRole('alert').filter({ hasText: 'That phone number is not valid.' }).waitFor();
    await sidebar.getByLabel('Phone').fill('+98 912 123 4567');
    await sidebar.getByLabel('Email').fill('maryam@example.com');
    await sidebar.getByRole('button', { name: 'Save' }).click();
    await sidebar.getByRole('button', { name: 'Edit customer' }).waitFor();
    expect(await sidebar.locator('.profile').innerText()).toContain('+989121234567');
    const customerId = (await t.http.get(`/api/tickets/${tickets.first}`)).body.customer.id;
    expect((await t.http.get(`/api/customers/${customerId}`)).body).toMatchObject({ phone: '+989121234567', email: 'maryam@example.com' });
  }, 60_000);

  it('shows who else is viewing and typing, and tells them when this agent types', async () => {
    const omid = await createAgent(t, 'Omid Second');
    const other = await AgentClient.connect(t.url, await tokenOf(omid));
    try {
      expect(await other.emit('ticket.view', { ticketId: tickets.first })).toMatchObject({ ok: true });
      const bar = page.locator('.collision-bar');
      await bar.filter({ hasText: 'Omid Second is also viewing this ticket' }).waitFor();
      expect(await other.emit('typing', { ticketId: tickets.first, isTyping: true })).toEqual({ ok: true });
      await bar.filter({ hasText: 'Omid Second is typing…' }).waitFor();
      expect(await other.emit('typing', { ticketId: tickets.first, isTyping: false })).toEqual({ ok: true });
      await page.waitForFunction(() => !document.querySelector('.typing-indicator'));

      // This agent's page announced its own view (the other side sees both), and its typing.
      const viewing = await other.waitFor('viewing', (v) => v.ticketId === tickets.first && v.agents.some((a: { agentId: string }) => a.agentId === agent.id));
      expect(viewing.agents.map((a: { name: string }) => a.name).sort()).toEqual(['Nima Agent', 'Omid Second']);
      await page.getByRole('radio', { name: /Reply/ }).check();
      await page.getByLabel('Reply to the customer').pressSequentially('Hel');
      expect(await other.waitFor('typing', (x) => x.agentId === agent.id && x.isTyping)).toMatchObject({ ticketId: tickets.first, name: 'Nima Agent' });
      await page.getByLabel('Reply to the customer').fill('');
      await page.getByLabel('Reply to the customer').blur();
      await other.waitFor('typing', (x) => x.agentId === agent.id && !x.isTyping);
    } finally {
      other.close();
    }
    await page.locator('.collision-bar').filter({ hasText: 'Omid Second' }).waitFor({ state: 'detached' });
  }, 60_000);

  it('shows API errors to the agent: a reply on a closed ticket is refused, in words', async () => {
    await openTicket(tickets.second);
    expect((await t.http.patch(`/api/tickets/${tickets.second}`, { status: 'closed' })).status).toBe(200);
    // The push updates the open conversation: the composer warns before anything is sent…
    await page.getByText('This ticket is closed: reopen it to reply.').waitFor();
    await page.getByRole('radio', { name: /Reply/ }).check();
    await page.getByLabel('Reply to the customer').fill('Are you still there?');
    await page.getByRole('button', { name: 'Send reply' }).click();
    // …and the server's refusal is shown in an alert, with the text kept for later.
    await page.getByRole('alert').filter({ hasText: 'Sending the reply failed: This ticket is closed' }).waitFor();
    expect(await page.getByLabel('Reply to the customer').inputValue()).toBe('Are you still there?');
    await page.getByLabel('Reply to the customer').fill('');
    await page.getByRole('button', { name: 'Dismiss' }).first().click();
  }, 60_000);

  it("shows an email's inline (cid:) image in place, from its attachment", async () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDK+mmyAAAAABJRU5ErkJggg==';
    const res = await inbound(t.http, channel, {
      externalMessageId: 'web-cid',
      from: { externalId: 'cust-cid', name: 'Kaveh' },
      subject: 'Logo attached',
      text: 'See the logo',
      html: '<p>Our logo: <img src="cid:logo@shop.example" alt="logo" width="20" height="20"></p>',
      attachments: [{ filename: 'logo.png', contentType: 'image/png', contentBase64: png }],
    });
    // The API channel has no Content-ID; an email's would be stored like this.
    await t.db.database.dataSource.query(`UPDATE attachments SET content_id = 'logo@shop.example' WHERE message_id = $1`, [res.body.messageId]);
    await row(res.body.ticketId).waitFor();
    await openTicket(res.body.ticketId);
    const image = page.frameLocator('iframe.email-iframe').getByAltText('logo');
    await image.waitFor();
    await eventually(async () => ((await image.getAttribute('src'))?.startsWith('data:image/png;base64,') ? true : undefined), 5_000, 'the inline image');
    expect(await image.evaluate((img: any) => img.complete && img.naturalWidth)).toBe(2);
    // Shown in place, so not listed again below the message.
    expect(await page.locator('.message-inbound .attachments').count()).toBe(0);
  }, 60_000);

  it('shows a hostile email in a sandboxed frame: no script runs, nothing remote loads until asked', async () => {
    const html = `
      <p>Hello <b>agent</b>, see the picture.</p>
      <script>alert('script')</script>
      <img src="https://tracker.evil.example/pixel.png" onerror="alert('onerror')" alt="tracker">
      <img src="x" onerror="alert('onerror-2')">
      <svg onload="alert('svg')"><circle r="5"></circle></svg>
      <a href="javascript:alert('link')">click me</a>
      <iframe src="https://frame.evil.example/"></iframe>
      <div style="background-image:url(https://bg.evil.example/bg.png)">styled</div>
      <form action="https://form.evil.example/"><input name="x"></form>
      </body></html><script>alert('escaped')</script>
      <details data-quoted><summary>Show quoted text</summary><p>On Monday you wrote…</p></details>`;
    const res = await inbound(t.http, channel, { externalMessageId: 'web-evil', from: { externalId: 'cust-evil', name: 'Mallory' }, subject: 'Invoice attached', text: 'Hello agent', html });
    tickets.evil = res.body.ticketId;
    const before = requests.length;
    await row(tickets.evil).waitFor();
    await openTicket(tickets.evil);

    const iframe = page.locator('iframe.email-iframe');
    await iframe.waitFor();
    const sandbox = (await iframe.getAttribute('sandbox')) ?? '';
    expect(sandbox).not.toContain('allow-scripts');
    expect(sandbox).not.toContain('allow-same-origin');
    const frame = page.frameLocator('iframe.email-iframe');
    await frame.getByText('see the picture').waitFor();
    expect(await frame.locator('script').count()).toBe(0);
    expect(await frame.locator('[onerror], [onload]').count()).toBe(0);
    expect(await frame.locator('iframe, form, svg').count()).toBe(0);
    expect(await frame.locator('img[src^="http"]').count()).toBe(0);
    expect((await frame.getByText('click me').getAttribute('href')) ?? '').not.toMatch(/javascript/i);
    // The quoted history still folds, with no script.
    await frame.getByText('Show quoted text').click();
    await frame.getByText('On Monday you wrote').waitFor();

    await new Promise((r) => setTimeout(r, 1000));
    const local = (url: string) => url.startsWith(t.url) || /^(data|blob|about):/.test(url);
    expect(requests.slice(before).filter((url) => !local(url))).toEqual([]);
    expect(dialogs).toEqual([]);

    // Only when the agent asks are the remote images restored (and so requested).
    await page.getByRole('button', { name: 'Show remote images' }).click();
    await eventually(async () => (requests.some((url) => url.startsWith('https://tracker.evil.example/')) ? true : undefined), 5_000, 'the remote image request');
    expect(requests.filter((url) => !local(url)).every((url) => url === 'https://tracker.evil.example/pixel.png')).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(dialogs).toEqual([]);
  }, 60_000);

  it('lays Persian out right to left, with Jalali dates in Persian digits, then Latin digits when chosen', async () => {
    await page.goto(`/inbox/all/${tickets.first}?lang=fa`);
    await page.locator('#conversation-title').waitFor();
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('html').getAttribute('lang')).toBe('fa');
    expect(await page.getByRole('link', { name: 'همه', exact: true }).count()).toBe(1);
    // Message bodies follow their own direction.
    expect(await page.locator('.message-text').first().getAttribute('dir')).toBe('auto');
    const created = page.locator('[data-testid="ticket-created"]');
    await page.waitForFunction(() => /۱۴[۰-۹]{2}/.test(document.querySelector('[data-testid="ticket-created"]')?.textContent ?? ''));
    expect(await created.innerText()).not.toMatch(/20\d\d/);
    // The list pane sits on the right.
    const list = await page.locator('.list-pane').boundingBox();
    const conversation = await page.locator('.conversation-pane').boundingBox();
    expect(list!.x).toBeGreaterThan(conversation!.x);

    await page.locator('.menu > summary').click();
    await page.getByLabel('ارقام').selectOption('latn');
    await page.waitForFunction(() => /14\d\d/.test(document.querySelector('[data-testid="ticket-created"]')?.textContent ?? ''));
    const stored = await t.http.as(await tokenOf(agent)).get('/api/agents/me/preferences');
    expect(stored.body).toMatchObject({ digits: 'latn' });

    // The language is a stored setting too: English from the menu, and the URL no longer says fa.
    await page.getByLabel('زبان').selectOption('en');
    await page.waitForFunction(() => document.documentElement.dir === 'ltr');
    expect(new URL(page.url()).searchParams.get('lang')).toBeNull();
    expect((await t.http.as(await tokenOf(agent)).get('/api/agents/me/preferences')).body).toMatchObject({ language: 'en', digits: 'latn' });
    await page.locator('.menu > summary').click();
  }, 60_000);

  it('says when the live connection drops, and catches up after it is back, missing nothing', async () => {
    let offline = false;
    const open: Array<{ page: { close(): Promise<void> }; server: { close(): Promise<void> } }> = [];
    const log: string[] = [];
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      log.push(`${Date.now()} ${offline ? 'refused' : 'connected'}`);
      if (offline) return void ws.close();
      open.push({ page: ws, server: ws.connectToServer() });
    });
    page.on('console', (m) => log.push(`${Date.now()} console ${m.type()} ${m.text()}`));
    await page.goto('/inbox/all?lang=en');
    await row(tickets.first).waitFor();
    await markDocument(page);
    await page.waitForTimeout(2500); // the first connection's grace period

    offline = true;
    for (const ws of open.splice(0)) await Promise.all([ws.page.close(), ws.server.close()]);
    const banner = page.getByTestId('connection-banner');
    await banner.waitFor();
    expect(await banner.innerText()).toContain('Live updates are paused');

    const missed = (await inbound(t.http, channel, { externalMessageId: 'web-offline', from: { externalId: 'cust-offline', name: 'Bahar' }, subject: 'Sent while you were offline', text: 'hello?' })).body;
    await page.waitForTimeout(500);
    expect(await row(missed.ticketId).count()).toBe(0);

    offline = false;
    await row(missed.ticketId)
      .waitFor({ timeout: 20_000 })
      .catch((error) => {
        throw new Error(`${error.message}\n${log.join('\n')}`);
      });
    await page.getByText('Connected again').waitFor();
    await banner.waitFor({ state: 'detached' });
    expect(await sameDocument(page)).toBe(true);
  }, 60_000);

  it('works from the keyboard: j/k move, Enter opens, r and n write, e resolves, / searches, ? helps', async () => {
    await page.goto('/inbox/all?lang=en');
    await row(tickets.first).waitFor();
    await page.locator('body').click({ position: { x: 700, y: 600 } });
    const rows = await page.$$eval('.ticket-list [data-ticket-id]', (els: any[]) => els.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top).map((el) => el.dataset.ticketId));
    const focusedTicket = () => page.evaluate(() => document.activeElement?.closest('[data-ticket-id]')?.getAttribute('data-ticket-id') ?? null);

    await page.keyboard.press('j');
    expect(await focusedTicket()).toBe(rows[0]);
    await page.keyboard.press('j');
    expect(await focusedTicket()).toBe(rows[1]);
    await page.keyboard.press('k');
    expect(await focusedTicket()).toBe(rows[0]);
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => location.pathname === `/inbox/all/${id}`, rows[0]);
    await page.locator('#conversation-title').waitFor();

    await page.keyboard.press('r');
    await page.waitForFunction(() => document.activeElement?.id === 'composer-text');
    expect(await page.getByRole('radio', { name: /Reply/ }).isChecked()).toBe(true);
    // Typing in a field is typing, not shortcuts.
    await page.keyboard.type('jk');
    expect(await page.locator('#composer-text').inputValue()).toBe('jk');
    expect(page.url()).toContain(rows[0]);
    await page.keyboard.press('Escape');
    await page.keyboard.press('n');
    await page.waitForFunction(() => document.activeElement?.id === 'composer-text');
    expect(await page.getByRole('radio', { name: /Note/ }).isChecked()).toBe(true);
    await page.keyboard.press('Escape');
    await page.locator('#composer-text').fill('');
    await page.keyboard.press('Escape');

    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    for (const key of ['j', 'k', 'Enter', 'r', 'n', 'e', '/', '?']) expect(await help.locator('kbd', { hasText: new RegExp(`^${key.replace(/[?/]/g, '\\$&')}$`) }).count()).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    await page.keyboard.press('e');
    await eventually(async () => ((await t.http.get(`/api/tickets/${rows[0]}`)).body.status === 'resolved' ? true : undefined), 5_000, 'resolved');
    await page.waitForFunction(() => (document.querySelector('#ctl-status') as any)?.value === 'resolved');

    await page.keyboard.press('/');
    await page.waitForFunction(() => document.activeElement?.id === 'inbox-search');
    await page.keyboard.type('Order 1042');
    await page.waitForFunction((id) => {
      const shown = [...document.querySelectorAll('.ticket-list [data-ticket-id]')].map((el: any) => el.dataset.ticketId);
      return shown.length === 1 && shown[0] === id;
    }, tickets.first);
  }, 60_000);

  async function tokenOf(who: AgentCredentials): Promise<string> {
    const login = await t.http.as(undefined).post('/api/auth/login', { email: who.email, password: who.password });
    return login.body.accessToken;
  }
});
