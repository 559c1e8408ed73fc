import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser, TestBrowser } from '../support/browser';
import { createApiChannel, eventually, inbound, startTestServer, TestServer } from '../support/test-server';
import { createAgent, logIn } from './web-helpers';

// Functions given to page.evaluate / waitForFunction run in the browser, where these exist.
declare const document: any;

/**
 * Saved replies as a team uses them: a supervisor writes one in Settings; an agent types "/" and a
 * few letters in the composer (on a Persian keyboard's Arabic forms, too), picks it from the keyboard,
 * and the reply goes out with the customer's name filled in.
 */
describe('saved replies in the browser', () => {
  let t: TestServer;
  let b: TestBrowser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const snap = async (name: string) => {
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/${name}.png` });
  };

  beforeAll(async () => {
    t = await startTestServer();
    b = await launchBrowser();
    context = await b.browser.newContext({ baseURL: t.url });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('a supervisor adds one in Settings; an agent inserts it with /shortcut and sends it with the name filled in', async () => {
    const supervisor = await createAgent(t, 'Omid', 'supervisor');
    await logIn(page, supervisor, '/inbox/all?lang=en');
    await page.goto('/settings/savedReplies?lang=en');
    await page.getByRole('heading', { name: 'Saved replies', level: 2 }).waitFor();
    const form = page.locator('form.settings-form');
    await form.getByLabel('Shortcut').fill('/ارسال');
    await form.getByLabel('Title').fill('زمان ارسال');
    await form.getByLabel('Reply').fill('سلام {{customer.name}}، سفارش شما دو روزه می‌رسد. {{agent.name}}');
    await form.getByRole('button', { name: 'Add saved reply' }).click();
    await page.getByRole('rowheader', { name: '/ارسال' }).waitFor();
    await form.getByLabel('Shortcut').fill('refund');
    await form.getByLabel('Title').fill('Refunds');
    await form.getByLabel('Reply').fill('Refunds take five days, {{customer.name}}.');
    await form.getByRole('button', { name: 'Add saved reply' }).click();
    await page.getByRole('rowheader', { name: '/refund' }).waitFor();
    expect((await t.http.get('/api/saved-replies')).body.items.map((r: any) => r.shortcut)).toEqual(['refund', 'ارسال']);
    await page.getByRole('button', { name: 'Log out' }).click();

    const channel = await createApiChannel(t.http);
    const { ticketId } = (await inbound(t.http, channel, { externalMessageId: 'sr-1', from: { externalId: 'sara', name: 'سارا' }, text: 'سفارشم کی می‌رسد؟' })).body;
    const agent = await createAgent(t, 'Nasrin');
    await logIn(page, agent, `/inbox/all/${ticketId}?lang=en`);
    const composer = page.locator('#composer-text');
    await composer.waitFor();

    // Arabic yeh/kaf forms and a partial shortcut still find it; Escape closes the list, the text stays.
    await composer.fill('');
    await composer.pressSequentially('/ار');
    const list = page.getByRole('listbox', { name: 'Saved replies' });
    await list.getByRole('option', { name: /ارسال/ }).waitFor();
    expect(await composer.getAttribute('aria-expanded')).toBe('true');
    await composer.press('Escape');
    expect(await list.count()).toBe(0);
    expect(await composer.inputValue()).toBe('/ار');

    // All of them after "/", picked from the keyboard.
    await composer.fill('');
    await composer.pressSequentially('/');
    await list.getByRole('option').first().waitFor();
    expect(await list.getByRole('option').count()).toBe(2);
    await snap('saved-replies-picker');
    await composer.press('ArrowDown');
    expect(await list.getByRole('option', { selected: true }).textContent()).toContain('/ارسال');
    await composer.press('Enter');
    expect(await composer.inputValue()).toBe('سلام سارا، سفارش شما دو روزه می‌رسد. Nasrin');
    expect(await list.count()).toBe(0);

    await page.getByRole('button', { name: 'Send reply' }).click();
    await eventually(async () => {
      const messages = (await t.http.get(`/api/tickets/${ticketId}/messages`)).body.items as any[];
      return messages.find((m) => m.direction === 'outbound' && m.text === 'سلام سارا، سفارش شما دو روزه می‌رسد. Nasrin');
    });

    // In the middle of a sentence, by mouse.
    await composer.fill('Thanks. ');
    await composer.press('End');
    await composer.pressSequentially('/ref');
    await list.getByRole('option', { name: /refund/ }).click();
    expect(await composer.inputValue()).toBe('Thanks. Refunds take five days, سارا.');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('composer-text');
    expect(pageErrors).toEqual([]);
  });
});
