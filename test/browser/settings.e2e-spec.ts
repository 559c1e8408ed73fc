import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser, TestBrowser } from '../support/browser';
import { ADMIN, startTestServer, TestServer, eventually } from '../support/test-server';
import { createAgent, logIn } from './web-helpers';

// Functions given to page.evaluate / waitForFunction run in the browser, where these exist.
declare const document: any;

/**
 * An admin sets the inbox up in the web app: channels (a website chat with its embed snippet, an API
 * channel with its one-time token, switching one off, a config the server refuses), agents (add,
 * change role, deactivate) and teams (restricted, members). Each change is checked in the server's
 * state through the REST API; an agent who is not an admin gets no settings.
 */
describe('settings in the browser', () => {
  let t: TestServer;
  let b: TestBrowser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const snap = async (name: string) => {
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/${name}.png`, fullPage: true });
  };
  const channels = async () => {
    const body = (await t.http.get('/api/channels')).body;
    return Array.isArray(body) ? body : body.items;
  };

  beforeAll(async () => {
    t = await startTestServer();
    b = await launchBrowser();
    context = await b.browser.newContext({ baseURL: t.url });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await logIn(page, ADMIN, '/inbox/all?lang=en');
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('adds a website chat and shows the snippet to embed; adds an API channel and shows its token once; switches a channel off', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Channels' }).waitFor();

    const form = page.locator('form.settings-form');
    await form.getByLabel('Type').selectOption('webchat');
    await form.getByLabel('Name', { exact: true }).fill('Shop site');
    await form.getByLabel('Chat title').fill('پشتیبانی');
    await form.getByLabel('Greeting').fill('سلام!');
    await form.getByLabel('Sites allowed to open the chat').fill('https://shop.example https://www.shop.example');
    await form.getByRole('button', { name: 'Add channel' }).click();
    const created = page.locator('.settings-created');
    await created.getByText('Shop site is ready.').waitFor();
    const snippet = await created.locator('code').textContent();
    const webchat = (await channels()).find((c: any) => c.name === 'Shop site');
    expect(webchat).toMatchObject({ type: 'webchat', active: true, config: { title: 'پشتیبانی', greeting: 'سلام!', allowedOrigins: ['https://shop.example', 'https://www.shop.example'] } });
    expect(snippet).toBe(`<script src="${t.url}/widget.js" data-channel="${webchat.id}" async></script>`);
    await snap('settings-channel-created');
    await created.getByRole('button', { name: 'Done' }).click();

    // A config the server refuses: its reason, on the form.
    await form.getByLabel('Type').selectOption('api');
    await form.getByLabel('Name', { exact: true }).fill('Bad hook');
    await form.getByLabel('Callback URL for replies').fill('https://crm.example/hook');
    await form.getByRole('button', { name: 'Add channel' }).click();
    await form.getByRole('alert').getByText('secret').waitFor();

    await form.getByLabel('Signing secret (16+ characters)').fill('a-long-shared-secret-123');
    await form.getByRole('button', { name: 'Add channel' }).click();
    await created.getByText('Bad hook is ready.').waitFor();
    const token = (await created.locator('code').allTextContents()).find((text) => text.startsWith('psk_c_'));
    const api = (await channels()).find((c: any) => c.name === 'Bad hook');
    const inbound = await t.http.as(undefined).post(`/api/channels/${api.id}/inbound`, { externalMessageId: 's-1', from: { externalId: 'c' }, text: 'hi' }, { 'x-channel-token': token! });
    expect(inbound.status).toBe(202);
    await created.getByRole('button', { name: 'Done' }).click();

    // Editing: the stored values are in the form; a secret left empty stays as it was (the server
    // refuses a callback URL without one, so this save proves the secret was kept).
    await page.getByRole('button', { name: 'Edit Shop site' }).click();
    expect(await form.getByLabel('Chat title').inputValue()).toBe('پشتیبانی');
    expect(await form.getByLabel('Type').isDisabled()).toBe(true);
    await form.getByLabel('Greeting').fill('سلام! ما ۹ تا ۱۷ پاسخ می‌دهیم.');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Edit Bad hook' }).waitFor();
    await eventually(async () => ((await channels()).find((c: any) => c.id === webchat.id).config.greeting === 'سلام! ما ۹ تا ۱۷ پاسخ می‌دهیم.' ? true : undefined));
    await page.getByRole('button', { name: 'Edit Bad hook' }).click();
    expect(await form.getByLabel(/Signing secret/).inputValue()).toBe('');
    await form.getByLabel('Callback URL for replies').fill('https://crm.example/hook/v2');
    await form.getByRole('button', { name: 'Save' }).click();
    await eventually(async () => ((await channels()).find((c: any) => c.id === api.id).config.callbackUrl === 'https://crm.example/hook/v2' ? true : undefined));
    expect(await form.getByRole('alert').count()).toBe(0);

    await page.getByRole('checkbox', { name: 'Shop site is on' }).uncheck();
    await eventually(async () => ((await channels()).find((c: any) => c.id === webchat.id).active === false ? true : undefined));
  });

  it('adds an agent, changes their role and deactivates them', async () => {
    await page.getByRole('link', { name: 'Agents' }).click();
    // The section's own heading first: until it renders, the previous section's form is on the page.
    await page.getByRole('heading', { name: 'Add an agent' }).waitFor();
    const form = page.locator('form.settings-form');
    await form.getByLabel('Name').fill('Parisa');
    await form.getByLabel('Email').fill('parisa@shop.example');
    await form.getByLabel('Password (8+ characters)').fill('parisa-password');
    await form.getByLabel('Role').selectOption('supervisor');
    await form.getByRole('button', { name: 'Add agent' }).click();
    await page.getByRole('rowheader', { name: 'Parisa' }).waitFor();
    const agentOf = async () => (await t.http.get('/api/agents')).body.items.find((a: any) => a.email === 'parisa@shop.example');
    expect(await agentOf()).toMatchObject({ name: 'Parisa', role: 'supervisor', active: true });
    expect((await t.http.as(undefined).post('/api/auth/login', { email: 'parisa@shop.example', password: 'parisa-password' })).status).toBe(200);

    await page.getByLabel('Role of Parisa').selectOption('agent');
    await eventually(async () => ((await agentOf()).role === 'agent' ? true : undefined));
    await page.getByRole('button', { name: 'Deactivate Parisa' }).click();
    await page.getByRole('button', { name: 'Reactivate Parisa' }).waitFor();
    await eventually(async () => ((await agentOf()).active === false ? true : undefined));
    expect((await t.http.as(undefined).post('/api/auth/login', { email: 'parisa@shop.example', password: 'parisa-password' })).status).toBe(401);
  });

  it('adds a restricted team and its members', async () => {
    const nima = await createAgent(t, 'Nima');
    await page.getByRole('link', { name: 'Teams' }).click();
    await page.getByRole('heading', { name: 'Add a team' }).waitFor();
    const form = page.locator('form.settings-form');
    await form.getByLabel('Name').fill('VIP');
    await form.getByRole('checkbox', { name: /Only members/ }).check();
    await form.getByRole('button', { name: 'Add team' }).click();
    const card = page.locator('.team-card', { hasText: 'VIP' });
    await card.waitFor();
    await card.getByRole('group', { name: 'Members of VIP' }).getByRole('checkbox', { name: 'Nima' }).check();
    const team = await eventually(async () => {
      const found = (await t.http.get('/api/teams')).body.items.find((x: any) => x.name === 'VIP');
      return found?.memberIds.includes(nima.id) ? found : undefined;
    });
    expect(team.restricted).toBe(true);
    await snap('settings-teams');
    expect(pageErrors).toEqual([]);
  });

  it("routes a channel's new tickets to a team, assigned to its online agents, up to a cap", async () => {
    await page.getByRole('link', { name: 'Channels' }).click();
    await page.getByRole('button', { name: 'Edit Bad hook' }).click();
    const form = page.locator('form.settings-form');
    await form.getByRole('heading', { name: 'Edit Bad hook' }).waitFor();
    const assignment = form.getByRole('group', { name: 'Who gets new tickets' });
    await assignment.getByLabel('Team').selectOption({ label: 'VIP' });
    // The cap only matters with automatic assignment: hidden until then.
    expect(await assignment.getByLabel(/Most open tickets per agent/).count()).toBe(0);
    await assignment.getByRole('checkbox', { name: /Assign each new ticket to an online agent/ }).check();
    await assignment.getByLabel(/Most open tickets per agent/).fill('3');
    await form.getByRole('checkbox', { name: /Ask the customer for a rating/ }).check();
    await form.getByRole('button', { name: 'Save' }).click();
    const vip = (await t.http.get('/api/teams')).body.items.find((x: any) => x.name === 'VIP');
    await eventually(async () => {
      const channel = (await channels()).find((c: any) => c.name === 'Bad hook');
      return channel.assignment.auto ? channel : undefined;
    }).then((channel) => expect(channel).toMatchObject({ assignment: { auto: true, teamId: vip.id, maxOpenPerAgent: 3 }, csat: true }));
    // Editing again shows what is stored.
    await page.getByRole('button', { name: 'Edit Bad hook' }).click();
    expect(await assignment.getByLabel(/Most open tickets per agent/).inputValue()).toBe('3');
    await snap('settings-channel-assignment');
    await form.getByRole('button', { name: 'Cancel' }).click();
  });

  it('sets up business hours (the Iranian week by default) and an SLA policy that counts them', async () => {
    await page.goto('/settings/sla?lang=en');
    await page.getByRole('heading', { name: 'SLA policies' }).waitFor();
    const calendarForm = page.locator('form.settings-form', { hasText: 'Add business hours' });
    await calendarForm.getByLabel('Name').fill('Tehran office');
    await calendarForm.getByLabel('Holidays (dates, YYYY-MM-DD)').fill('2027-03-21 2027-03-22');
    await calendarForm.getByRole('button', { name: 'Add business hours' }).click();
    await page.getByRole('rowheader', { name: 'Tehran office' }).waitFor();
    const calendar = (await t.http.get('/api/calendars')).body.items.find((c: any) => c.name === 'Tehran office');
    expect(calendar).toMatchObject({
      timezone: 'Asia/Tehran',
      weekly: { sat: [['08:00', '16:00']], wed: [['08:00', '16:00']], thu: [['08:00', '12:00']], fri: [] },
      holidays: ['2027-03-21', '2027-03-22'],
    });

    const policyForm = page.locator('form.settings-form', { hasText: 'Add an SLA policy' });
    await policyForm.getByLabel('Name').fill('Urgent on WhatsApp');
    await policyForm.getByRole('group', { name: 'Priorities' }).getByRole('checkbox', { name: 'Urgent' }).check();
    await policyForm.getByRole('group', { name: 'Channels' }).getByRole('checkbox', { name: 'WhatsApp' }).check();
    await policyForm.getByLabel('First response within (hours)').fill('0.5');
    await policyForm.getByLabel('Resolved within (hours)').fill('8');
    await policyForm.getByLabel('Business hours').selectOption({ label: 'Tehran office' });
    await policyForm.getByRole('button', { name: 'Add policy' }).click();
    await page.getByRole('rowheader', { name: 'Urgent on WhatsApp' }).waitFor();
    const policyOf = async () => (await t.http.get('/api/sla/policies')).body.items.find((p: any) => p.name === 'Urgent on WhatsApp');
    expect(await policyOf()).toMatchObject({
      match: { priority: ['urgent'], channelType: ['whatsapp'] },
      firstResponseSec: 1800,
      nextResponseSec: null,
      resolutionSec: 28800,
      calendarId: calendar.id,
      warnPercent: 80,
      active: true,
    });
    await page.getByRole('checkbox', { name: 'Urgent on WhatsApp is active' }).uncheck();
    await eventually(async () => ((await policyOf()).active === false ? true : undefined));
    await snap('settings-sla');
  });

  it('sets an away reply for a channel, with those business hours', async () => {
    await page.goto('/settings/channels?lang=en');
    await page.getByRole('button', { name: 'Edit Bad hook' }).click();
    const form = page.locator('form.settings-form');
    await form.getByRole('heading', { name: 'Edit Bad hook' }).waitFor();
    const away = form.getByRole('group', { name: 'Outside business hours' });
    await away.getByLabel('Business hours').selectOption({ label: 'Tehran office' });
    await away.getByText(/\{\{opensAt\}\} becomes when you are back/).waitFor();
    await away.getByLabel(/Away reply/).fill('جمعه تعطیلیم؛ {{opensAt}} پاسخ می‌دهیم.');
    await form.getByRole('button', { name: 'Save' }).click();
    const calendar = (await t.http.get('/api/calendars')).body.items.find((c: any) => c.name === 'Tehran office');
    const channel = await eventually(async () => {
      const found = (await channels()).find((c: any) => c.name === 'Bad hook');
      return found.awayReply ? found : undefined;
    });
    expect(channel.awayReply).toEqual({ calendarId: calendar.id, message: 'جمعه تعطیلیم؛ {{opensAt}} پاسخ می‌دهیم.' });
    // A web chat has its own field for this: no away reply section.
    await page.getByRole('button', { name: 'Edit Shop site' }).click();
    await form.getByRole('heading', { name: 'Edit Shop site' }).waitFor();
    expect(await form.getByRole('group', { name: 'Outside business hours' }).count()).toBe(0);
    await form.getByRole('button', { name: 'Cancel' }).click();
  });

  it('is right to left in Persian', async () => {
    await page.goto('/settings/channels?lang=fa');
    await page.getByRole('heading', { name: 'کانال‌ها' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await snap('settings-fa');
  });

  it('gives a supervisor only SLA and saved replies, and an agent no settings', async () => {
    const supervisor = await createAgent(t, 'Omid', 'supervisor');
    const other = await b.browser.newContext({ baseURL: t.url });
    const supervisorPage = await other.newPage();
    await logIn(supervisorPage, supervisor, '/inbox/all?lang=en');
    await supervisorPage.getByRole('link', { name: 'Settings' }).click();
    await supervisorPage.getByRole('heading', { name: 'SLA policies', level: 2 }).waitFor();
    expect(await supervisorPage.getByRole('navigation', { name: 'Settings sections' }).getByRole('link').allTextContents()).toEqual(['SLA', 'Saved replies']);
    await supervisorPage.goto('/settings/agents?lang=en');
    await supervisorPage.getByRole('heading', { name: 'SLA policies', level: 2 }).waitFor();
    await other.close();

    const agent = await createAgent(t, 'Roya');
    const agentContext = await b.browser.newContext({ baseURL: t.url });
    const agentPage = await agentContext.newPage();
    await logIn(agentPage, agent, '/inbox/all?lang=en');
    expect(await agentPage.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    await agentPage.goto('/settings/agents?lang=en');
    await agentPage.getByRole('alert').getByText('Only supervisors and admins can change the settings.').waitFor();
    await agentContext.close();
  });
});
