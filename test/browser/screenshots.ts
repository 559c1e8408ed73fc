import type { Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from '../support/browser';
import { createApiChannel, inbound, startTestServer } from '../support/test-server';
import { createAgent, HoldingReceiver, logIn } from './web-helpers';

/**
 * Screenshots of the main screens for the README (docs/screenshots/*.png). Run by hand:
 *
 *   npm test -- --testMatch '**\/test/browser/screenshots.ts' test/browser/screenshots.ts
 *
 * Seeds a believable inbox (several channels, SLA states, a conversation with a reply, a note and an
 * email), then photographs the inbox, a conversation, an email, the Persian inbox and the shortcut help.
 */

const OUT = join(__dirname, '..', '..', 'docs', 'screenshots');

declare const document: any;

describe('screenshots', () => {
  it('photographs the main screens', async () => {
    mkdirSync(OUT, { recursive: true });
    const receiver = new HoldingReceiver();
    await receiver.start();
    const t = await startTestServer({ LOG_LEVEL: 'silent' });
    const b = await launchBrowser();
    try {
      const sql = (text: string, params: unknown[] = []) => t.db.database.dataSource.query(text, params);
      const sara = await createAgent(t, 'Sara Ahmadi');
      await createAgent(t, 'Omid Karimi');
      await t.http.post('/api/teams', { name: 'Support', memberIds: [sara.id] });
      const policy = await t.http.post('/api/sla/policies', { name: 'Standard', match: {}, firstResponseSec: 4 * 3600, nextResponseSec: 8 * 3600, resolutionSec: 3 * 86400, warnPercent: 75 });
      if (policy.status !== 201) throw new Error(JSON.stringify(policy.body));

      const shop = await createApiChannel(t.http, { callbackUrl: receiver.url, secret: 'screenshot-secret-0123456789' });
      await t.http.patch(`/api/channels/${shop.id}`, { name: 'Web shop' });
      const others = {
        whatsapp: await createApiChannel(t.http),
        twilio_sms: await createApiChannel(t.http),
        instagram: await createApiChannel(t.http),
        messenger: await createApiChannel(t.http),
      };
      const names: Record<string, string> = { whatsapp: 'WhatsApp Business', twilio_sms: 'SMS +98 21 9100 0000', instagram: 'Instagram @shop', messenger: 'Facebook page' };

      let n = 0;
      const ticket = async (channel: typeof shop, from: string, body: Record<string, unknown>) =>
        (await inbound(t.http, channel, { externalMessageId: `shot-${++n}`, from: { externalId: from.toLowerCase().replace(/\s+/g, '-'), name: from }, ...body })).body.ticketId as string;

      const order = await ticket(shop, 'Maryam Rahimi', { subject: 'Order 1042 never arrived', text: 'Hi, I ordered a kettle ten days ago (order 1042) and it still has not arrived. The tracking page says "in transit" since last Monday.' });
      const persian = await ticket(others.whatsapp, 'رضا محمدی', { text: 'سلام، سفارش ۲۳۱۸ من هنوز نرسیده. کی ارسال می‌شود؟' });
      const email = await ticket(shop, 'Leila Karimi', {
        subject: 'Refund for invoice #5531',
        text: 'Hello, I would like a refund.',
        html: `<p>Hello,</p><p>I returned the <b>blue jacket (size M)</b> on Saturday and would like the refund for invoice <b>#5531</b>.</p>
          <p><img data-remote-src="https://cdn.shop.example/banner.png" src="https://cdn.shop.example/banner.png" alt="Shop banner" width="480" height="80"></p>
          <p>Thanks,<br>Leila</p>
          <details data-quoted><summary>Show quoted text</summary><blockquote>On 3 Nov the shop wrote: your return is registered.</blockquote></details>`,
      });
      const sms = await ticket(others.twilio_sms, 'Sina Rostami', { text: 'Can I change my delivery address to Tehran, Valiasr St?' });
      const insta = await ticket(others.instagram, 'Negin Sadeghi', { text: 'Do you ship to Shiraz? 🙂' });
      const urgent = await ticket(others.messenger, 'Arash Nouri', { subject: 'Charged twice for one order', text: 'My card was charged twice for order 1099!' });
      const fillers = ['Kian Moradi', 'Parisa Azizi', 'Hamed Jafari', 'Mina Farahani', 'Babak Shams', 'Yasaman Tehrani', 'Dariush Kaveh', 'Shirin Bagheri'];
      const fillerIds: string[] = [];
      for (const [i, name] of fillers.entries()) {
        const channel = [shop, others.whatsapp, others.instagram, others.twilio_sms][i % 4];
        fillerIds.push(await ticket(channel, name, { subject: i % 2 ? null : ['Wrong size delivered', 'Discount code not working', 'Gift wrapping', 'Invoice copy'][i % 4], text: ['Is this still in stock?', 'The code SPRING10 says expired.', 'Can you wrap it as a gift?', 'Please send me a copy of the invoice.'][i % 4] }));
      }

      // The conversation: a reply (sent), a note, a follow-up.
      await t.http.patch(`/api/tickets/${order}`, { assigneeId: sara.id, tags: ['shipping', 'vip'] });
      const sara2 = t.http.as((await t.http.as(undefined).post('/api/auth/login', { email: sara.email, password: sara.password })).body.accessToken);
      await sara2.post(`/api/tickets/${order}/replies`, { text: 'Hi Maryam, sorry about this! I have asked the courier for an update and will write back today.' });
      await sara2.post(`/api/tickets/${order}/notes`, { text: 'Courier says the parcel is stuck at the Karaj hub. Escalated to logistics.' });
      await inbound(t.http, shop, { externalMessageId: `shot-${++n}`, from: { externalId: 'maryam-rahimi' }, text: 'Thank you, waiting for your update.' });
      await t.http.patch(`/api/tickets/${urgent}`, { priority: 'urgent', assigneeId: sara.id });
      await t.http.patch(`/api/tickets/${persian}`, { assigneeId: sara.id, priority: 'high' });
      await t.http.patch(`/api/tickets/${email}`, { assigneeId: sara.id });
      await new Promise((r) => setTimeout(r, 1500)); // deliveries done

      // Ages and SLA states as a real afternoon would have them.
      const age = async (id: string, minutes: number, state?: string, dueInMinutes?: number) => {
        await sql(`UPDATE tickets SET created_at = now() - ($2 || ' minutes')::interval - interval '5 minutes', last_message_at = now() - ($2 || ' minutes')::interval,
                   last_customer_message_at = LEAST(last_customer_message_at, now() - ($2 || ' minutes')::interval) WHERE id = $1`, [id, String(minutes)]);
        await sql(`UPDATE messages SET created_at = created_at - ($2 || ' minutes')::interval WHERE ticket_id = $1`, [id, String(minutes)]);
        if (state)
          await sql(`UPDATE tickets SET sla_state = $2, sla_next_check_at = NULL, first_response_due_at = CASE WHEN first_response_at IS NULL THEN now() + ($3 || ' minutes')::interval END,
                     next_response_due_at = CASE WHEN first_response_at IS NOT NULL THEN now() + ($3 || ' minutes')::interval END WHERE id = $1`, [id, state, String(dueInMinutes)]);
      };
      await age(order, 2, 'on_track', 212);
      await age(persian, 9, 'at_risk', 14);
      await age(email, 26, 'on_track', 154);
      await age(sms, 48, 'breached', -18);
      await age(insta, 75, 'on_track', 165);
      await age(urgent, 5, 'at_risk', 7);
      for (const [i, id] of fillerIds.entries()) await age(id, 120 + i * 47, i % 3 === 0 ? 'breached' : 'on_track', i % 3 === 0 ? -30 : 60 + i * 20);
      for (const [type, channel] of Object.entries(others)) await sql('UPDATE channels SET type = $2, name = $3 WHERE id = $1', [channel.id, type, names[type]]);
      await sql(`UPDATE customers SET email = 'maryam.rahimi@example.com', phone = '+989121234567', tier = 'gold' WHERE name = 'Maryam Rahimi'`);

      const context = await b.browser.newContext({ baseURL: t.url, locale: 'en-US', viewport: { width: 1440, height: 860 }, colorScheme: 'light' });
      const page = await context.newPage();
      const shot = async (p: Page, name: string) => {
        await p.waitForTimeout(400);
        await p.screenshot({ path: join(OUT, `${name}.png`) });
      };

      await logIn(page, sara, '/?lang=en');
      await page.goto('/inbox/all?lang=en');
      await page.locator(`[data-ticket-id="${order}"]`).waitFor();
      await shot(page, 'inbox');

      await page.goto(`/inbox/mine/${order}?lang=en`);
      await page.locator('.message-note').waitFor();
      await page.locator('.customer-pane h2').waitFor();
      await page.locator('#composer-text').fill('Good news: the parcel left the hub this morning');
      await shot(page, 'conversation');

      await page.goto(`/inbox/mine/${email}?lang=en`);
      await page.locator('iframe.email-iframe').waitFor();
      await page.frameLocator('iframe.email-iframe').getByText('blue jacket').waitFor();
      await shot(page, 'email');

      await page.goto(`/inbox/mine/${persian}?lang=fa`);
      await page.waitForFunction(() => document.documentElement.dir === 'rtl');
      await page.locator('.customer-pane h2').waitFor();
      await shot(page, 'inbox-fa');

      await page.goto('/inbox/all?lang=en');
      await page.locator(`[data-ticket-id="${order}"]`).waitFor();
      await page.keyboard.press('?');
      await page.getByRole('dialog').waitFor();
      await shot(page, 'shortcuts');
      await context.close();
    } finally {
      await b.close();
      await t.close();
      await receiver.stop();
    }
  }, 180_000);
});
