import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TwilioFake } from '../fakes/twilio/twilio-fake';
import { eventually, startTestServer, TestServer } from '../support/test-server';

const PUBLIC_URL = 'https://pasokh.example.com';

function fixture(name: string): Record<string, string> {
  return JSON.parse(readFileSync(join(__dirname, '../fixtures/twilio', `${name}.json`), 'utf8'));
}

describe('Twilio SMS/MMS channel', () => {
  let t: TestServer;
  const fake = new TwilioFake();
  let channelId: string;

  const sql = <T = any>(query: string, params: unknown[] = []): Promise<T[]> => t.db.database.dataSource.query(query, params);
  const countMessages = async (externalId: string) => Number((await sql(`SELECT count(*) FROM messages WHERE external_message_id = $1`, [externalId]))[0].count);
  const inboundRow = async (externalId: string) => (await sql(`SELECT id, ticket_id, text FROM messages WHERE external_message_id = $1`, [externalId]))[0];
  const messagesOf = async (ticketId: string) => (await t.http.get(`/api/tickets/${ticketId}/messages?limit=200`)).body.items;
  const messageOf = async (ticketId: string, id: string) => (await messagesOf(ticketId)).find((m: { id: string }) => m.id === id);

  /** A fixture made this account's: fresh message SID, the fake's account, a given sender. */
  const inboundParams = (name: string, overrides: Record<string, string> = {}) => {
    const params = fixture(name);
    const sid = fake.newSid(params.MessageSid.startsWith('MM') ? 'MM' : 'SM');
    return { ...params, MessageSid: sid, SmsSid: sid, SmsMessageSid: sid, AccountSid: fake.accountSid, ...overrides };
  };

  const createChannel = async (config: Record<string, unknown>) => {
    const res = await t.http.post('/api/channels', { type: 'twilio_sms', name: `sms-${Math.random().toString(36).slice(2, 8)}`, config });
    if (res.status !== 201) throw new Error(`channel create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };

  /** Delivers an inbound SMS from `from` on `channel` and returns the ticket it landed in. */
  const customerWrites = async (from: string, channel = channelId) => {
    const params = inboundParams('inbound-sms', { From: from });
    const res = await fake.sendInbound(t.url, PUBLIC_URL, channel, params);
    expect(res.status).toBe(200);
    return (await inboundRow(params.MessageSid)).ticket_id as string;
  };

  const waitForStatus = (ticketId: string, id: string, status: string, timeoutMs = 10_000) =>
    eventually(
      async () => {
        const m = await messageOf(ticketId, id);
        return m?.deliveryStatus === status ? m : undefined;
      },
      timeoutMs,
      `message ${id} to be ${status}`,
    );

  beforeAll(async () => {
    await fake.start();
    t = await startTestServer({ PUBLIC_URL, OUTBOX_MAX_ATTEMPTS: '3', MAX_ATTACHMENT_MB: '1', LOG_LEVEL: 'error' });
    channelId = await createChannel({ accountSid: fake.accountSid, authToken: fake.authToken, phoneNumber: fake.phoneNumber, apiBaseUrl: fake.url });
  });
  afterAll(async () => {
    await t?.close();
    await fake.stop();
  });
  beforeEach(() => fake.reset());

  describe('channel set-up', () => {
    it('checks the credentials with Twilio, keeps the Auth Token secret and names the webhook URL', async () => {
      const res = await t.http.post('/api/channels', {
        type: 'twilio_sms',
        name: 'Support SMS',
        config: { accountSid: fake.accountSid, authToken: fake.authToken, phoneNumber: fake.phoneNumber, apiBaseUrl: fake.url },
      });
      expect(res.status).toBe(201);
      expect(res.body.webhookUrl).toBe(`${PUBLIC_URL}/webhooks/twilio/${res.body.id}`);
      const basic = `Basic ${Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64')}`;
      expect(fake.requests).toContainEqual({ method: 'GET', path: `/2010-04-01/Accounts/${fake.accountSid}.json`, authorization: basic });

      const read = await t.http.get(`/api/channels/${res.body.id}`);
      expect(read.body.config).toEqual({ accountSid: fake.accountSid, phoneNumber: fake.phoneNumber, apiBaseUrl: fake.url });
      const [row] = await sql(`SELECT config::text AS config, secrets::text AS secrets FROM channels WHERE id = $1`, [res.body.id]);
      expect(row.config).not.toContain(fake.authToken);
      expect(row.secrets).not.toContain(fake.authToken);
    });

    it('refuses credentials Twilio rejects, and a suspended account', async () => {
      const wrong = await t.http.post('/api/channels', {
        type: 'twilio_sms',
        name: 'wrong token',
        config: { accountSid: fake.accountSid, authToken: 'f'.repeat(32), phoneNumber: fake.phoneNumber, apiBaseUrl: fake.url },
      });
      expect(wrong.status).toBe(422);
      expect(wrong.body).toMatchObject({ code: 'CREDENTIALS_REJECTED', message: 'Twilio refused the Account SID / Auth Token' });

      fake.accountStatus = 'suspended';
      const suspended = await t.http.post('/api/channels', {
        type: 'twilio_sms',
        name: 'suspended',
        config: { accountSid: fake.accountSid, authToken: fake.authToken, phoneNumber: fake.phoneNumber, apiBaseUrl: fake.url },
      });
      expect(suspended.body).toMatchObject({ code: 'CREDENTIALS_REJECTED', message: 'the Twilio account is suspended' });
    });

    it('names the config field that is wrong', async () => {
      const base = { accountSid: fake.accountSid, authToken: fake.authToken, apiBaseUrl: fake.url };
      const cases: Array<[Record<string, unknown>, string]> = [
        [base, 'config.phoneNumber or config.messagingServiceSid'],
        [{ ...base, accountSid: 'nope', phoneNumber: fake.phoneNumber }, 'config.accountSid'],
        [{ ...base, phoneNumber: '09121234567' }, 'config.phoneNumber'],
        [{ ...base, messagingServiceSid: 'MGxyz' }, 'config.messagingServiceSid'],
        [{ ...base, phoneNumber: fake.phoneNumber, apiBaseUrl: 'ftp://x' }, 'config.apiBaseUrl'],
      ];
      for (const [config, field] of cases) {
        const res = await t.http.post('/api/channels', { type: 'twilio_sms', name: 'bad', config });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('INVALID_CONFIG');
        expect(res.body.message).toContain(field);
      }
    });
  });

  describe('inbound', () => {
    it('turns an SMS into a ticket for the sender, answering with empty TwiML', async () => {
      const params = inboundParams('inbound-sms', { From: '+989121230001' });
      const res = await fake.sendInbound(t.url, PUBLIC_URL, channelId, params);
      expect(res.status).toBe(200);
      expect(res.contentType).toMatch(/^text\/xml/);
      expect(res.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');

      const row = await inboundRow(params.MessageSid);
      expect(row.text).toBe('سلام، سفارش ۱۲۳۴ من کجاست؟');
      const ticket = (await t.http.get(`/api/tickets/${row.ticket_id}`)).body;
      expect(ticket.channel).toMatchObject({ id: channelId, type: 'twilio_sms' });
      const customer = (await t.http.get(`/api/customers/${ticket.customer.id}`)).body;
      expect(customer.phone).toBe('+989121230001');
      expect(customer.identities).toEqual([{ channelType: 'twilio_sms', externalId: '+989121230001' }]);
      const [message] = await messagesOf(row.ticket_id);
      expect(message).toMatchObject({ direction: 'inbound', authorType: 'customer', deliveryStatus: 'received', text: 'سلام، سفارش ۱۲۳۴ من کجاست؟', attachments: [] });
    });

    it('stores a redelivered message (same MessageSid) once and answers 200 both times', async () => {
      const params = inboundParams('inbound-sms', { From: '+989121230002' });
      const first = await fake.sendInbound(t.url, PUBLIC_URL, channelId, params);
      const again = await fake.sendInbound(t.url, PUBLIC_URL, channelId, params);
      expect([first.status, again.status]).toEqual([200, 200]);
      expect(again.body).toBe(first.body);
      expect(await countMessages(params.MessageSid)).toBe(1);
      // A second message from the same number joins the same ticket.
      const next = inboundParams('inbound-sms', { From: '+989121230002', Body: 'any news?' });
      await fake.sendInbound(t.url, PUBLIC_URL, channelId, next);
      expect((await inboundRow(next.MessageSid)).ticket_id).toBe((await inboundRow(params.MessageSid)).ticket_id);
    });

    it('accepts a number behind a Messaging Service (extra MessagingServiceSid, webhook URL with a query)', async () => {
      const params = inboundParams('inbound-messaging-service', { MessagingServiceSid: fake.messagingServiceSid });
      const plain = await fake.sendInbound(t.url, PUBLIC_URL, channelId, params);
      expect(plain.status).toBe(200);
      expect(await countMessages(params.MessageSid)).toBe(1);

      const withQuery = inboundParams('inbound-messaging-service', { MessagingServiceSid: fake.messagingServiceSid, From: '+989121230003' });
      const res = await fake.sendInbound(t.url, PUBLIC_URL, channelId, withQuery, { query: '?source=messaging-service&x=a%20b' });
      expect(res.status).toBe(200);
      expect(await countMessages(withQuery.MessageSid)).toBe(1);
    });

    it('refuses a bad, missing or misplaced signature with 401 and stores nothing', async () => {
      const attempts: Array<[Record<string, string>, Parameters<TwilioFake['sendInbound']>[4]]> = [];
      const forged = inboundParams('inbound-sms', { From: '+989121230004' });
      attempts.push([forged, { authToken: '0'.repeat(32) }]);
      const unsigned = inboundParams('inbound-sms', { From: '+989121230004' });
      attempts.push([unsigned, { signature: null }]);
      // Signed for the server's own address, not the public URL Twilio was given.
      const wrongUrl = inboundParams('inbound-sms', { From: '+989121230004' });
      attempts.push([wrongUrl, { signedUrl: `${t.url}/webhooks/twilio/${channelId}` }]);
      // Signed, then a parameter changed in transit.
      const original = inboundParams('inbound-sms', { From: '+989121230004' });
      const tampered = { ...original, Body: 'send the refund to my other card' };
      attempts.push([tampered, { signature: fake.sign(`${PUBLIC_URL}/webhooks/twilio/${channelId}`, original) }]);
      // A parameter dropped after signing.
      const dropped: Record<string, string> = { ...inboundParams('inbound-sms', { From: '+989121230004' }) };
      const droppedSignature = fake.sign(`${PUBLIC_URL}/webhooks/twilio/${channelId}`, dropped);
      delete dropped.ToCountry;
      attempts.push([dropped, { signature: droppedSignature }]);

      for (const [params, options] of attempts) {
        const res = await fake.sendInbound(t.url, PUBLIC_URL, channelId, params, options);
        expect(res.status).toBe(401);
        expect(JSON.parse(res.body).code).toBe('INVALID_SIGNATURE');
        expect(await countMessages(params.MessageSid)).toBe(0);
      }
      const [identities] = await sql(`SELECT count(*)::int AS n FROM customer_identities WHERE external_id = '+989121230004'`);
      expect(identities.n).toBe(0);
    });

    it('answers 400 with the reason for a payload it cannot read, storing nothing', async () => {
      const noFrom: Record<string, string> = inboundParams('inbound-sms');
      delete noFrom.From;
      const missingMedia = inboundParams('inbound-sms', { From: '+989121230005', NumMedia: '2', MediaUrl0: `${fake.url}/media/a.png`, MediaContentType0: 'image/png' });
      for (const [params, reason] of [
        [noFrom, 'From is missing'],
        [missingMedia, 'MediaUrl1 is missing'],
      ] as const) {
        const res = await fake.sendInbound(t.url, PUBLIC_URL, channelId, params);
        expect(res.status).toBe(400);
        expect(JSON.parse(res.body)).toMatchObject({ code: 'INVALID_PAYLOAD', message: expect.stringContaining(reason) });
        expect(await countMessages(params.MessageSid)).toBe(0);
      }
    });

    it('downloads MMS media with the account credentials and stores it', async () => {
      const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(2048, 7)]);
      const mediaUrl = fake.addMedia('ME0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'image/png', png);
      const params = inboundParams('inbound-mms', { MediaUrl0: mediaUrl });
      expect((await fake.sendInbound(t.url, PUBLIC_URL, channelId, params)).status).toBe(200);

      const row = await inboundRow(params.MessageSid);
      const [message] = await messagesOf(row.ticket_id);
      expect(message.text).toBe('Here is the damaged box');
      expect(message.attachments).toEqual([
        expect.objectContaining({ filename: 'ME0a1b2c3d4e5f60718293a4b5c6d7e8f9.png', contentType: 'image/png', size: png.length, stored: true, url: `/api/attachments/${message.attachments[0].id}` }),
      ]);
      const download = await fetch(t.url + message.attachments[0].url, { headers: { authorization: `Bearer ${t.adminToken}` } });
      expect(download.status).toBe(200);
      expect(Buffer.from(await download.arrayBuffer()).equals(png)).toBe(true);
      // Twilio retries a webhook it thinks failed: the retry is absorbed and fetches the media no second time.
      expect((await fake.sendInbound(t.url, PUBLIC_URL, channelId, params)).status).toBe(200);
      expect(await countMessages(params.MessageSid)).toBe(1);
      const basic = `Basic ${Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64')}`;
      expect(fake.requests.filter((r) => r.path.startsWith('/media/'))).toEqual([{ method: 'GET', path: '/media/ME0a1b2c3d4e5f60718293a4b5c6d7e8f9', authorization: basic }]);
    });

    it('keeps media over MAX_ATTACHMENT_MB, or that fails to download, as a link with the reason', async () => {
      const big = fake.addMedia('MEbig0000000000000000000000000000', 'video/mp4', Buffer.alloc(1024 * 1024 + 512 * 1024, 1));
      const missing = `${fake.url}/media/MEgone000000000000000000000000000`;
      const params = inboundParams('inbound-mms', {
        From: '+989121230006',
        NumMedia: '2',
        MediaUrl0: big,
        MediaContentType0: 'video/mp4',
        MediaUrl1: missing,
        MediaContentType1: 'image/jpeg',
      });
      expect((await fake.sendInbound(t.url, PUBLIC_URL, channelId, params)).status).toBe(200);
      const row = await inboundRow(params.MessageSid);
      const [message] = await messagesOf(row.ticket_id);
      expect(message.text).toBe('Here is the damaged box');
      expect(message.attachments).toEqual([
        expect.objectContaining({ filename: 'MEbig0000000000000000000000000000.mp4', contentType: 'video/mp4', stored: false, url: big, note: 'the file (1.5 MB) is larger than the 1 MB attachment limit' }),
        expect.objectContaining({ filename: 'MEgone000000000000000000000000000.jpg', contentType: 'image/jpeg', stored: false, url: missing, note: 'the file could not be downloaded from Twilio (HTTP 404)' }),
      ]);
    });

    it('turns a shared location into readable text', async () => {
      const params = inboundParams('inbound-sms', { From: '+989121230007', Body: '', Latitude: '35.7', Longitude: '51.4', Address: 'Tehran' });
      expect((await fake.sendInbound(t.url, PUBLIC_URL, channelId, params)).status).toBe(200);
      expect((await inboundRow(params.MessageSid)).text).toBe('📍 Location (Tehran): 35.7, 51.4 https://maps.google.com/?q=35.7,51.4');
    });
  });

  describe('outbound', () => {
    it('sends a long Persian reply unchanged, stores the SID, and follows the status callbacks', async () => {
      const ticketId = await customerWrites('+989121230010');
      const text = 'سلام! سفارش شما ارسال شد و تا دو روز کاری می‌رسد. '.repeat(8) + '🙏';
      expect([...text].length).toBeGreaterThan(160);
      const reply = await t.http.post(`/api/tickets/${ticketId}/replies`, { text });
      expect(reply.status).toBe(201);
      expect(reply.body.deliveryStatus).toBe('queued');

      const sent = await waitForStatus(ticketId, reply.body.id, 'sent');
      expect(sent.error).toBeNull();
      expect(fake.sent).toHaveLength(1);
      const call = fake.sent[0];
      expect(call.params).toEqual({ To: '+989121230010', Body: text, From: fake.phoneNumber, StatusCallback: `${PUBLIC_URL}/webhooks/twilio/${channelId}/status` });
      expect(Buffer.from(call.params.Body, 'utf8').equals(Buffer.from(text, 'utf8'))).toBe(true);
      expect(call.authorization).toBe(`Basic ${Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64')}`);
      const [stored] = await sql('SELECT provider_message_id FROM messages WHERE id = $1', [reply.body.id]);
      expect(stored.provider_message_id).toBe(call.sid);

      const status = (name: string) => ({ ...fixture(name), MessageSid: call.sid, SmsSid: call.sid, AccountSid: fake.accountSid });
      expect((await fake.sendStatus(t.url, PUBLIC_URL, channelId, status('status-delivered'))).status).toBe(200);
      await waitForStatus(ticketId, reply.body.id, 'delivered', 3_000);
      // A late "sent" never moves it back.
      expect((await fake.sendStatus(t.url, PUBLIC_URL, channelId, status('status-sent'))).status).toBe(200);
      expect((await messageOf(ticketId, reply.body.id)).deliveryStatus).toBe('delivered');
      // queued/accepted/sending are not events.
      expect((await fake.sendStatus(t.url, PUBLIC_URL, channelId, { ...status('status-sent'), MessageStatus: 'sending', SmsStatus: 'sending' })).status).toBe(200);
      expect((await messageOf(ticketId, reply.body.id)).deliveryStatus).toBe('delivered');
    });

    it('turns an undelivered callback into failed with the reason in words', async () => {
      const ticketId = await customerWrites('+989121230011');
      const reply = await t.http.post(`/api/tickets/${ticketId}/replies`, { text: 'Your refund is on its way' });
      await waitForStatus(ticketId, reply.body.id, 'sent');
      const sid = fake.sent[0].sid;
      const callback = { ...fixture('status-undelivered'), MessageSid: sid, SmsSid: sid, AccountSid: fake.accountSid };

      const forged = await fake.sendStatus(t.url, PUBLIC_URL, channelId, callback, { authToken: '1'.repeat(32) });
      expect(forged.status).toBe(401);
      expect((await messageOf(ticketId, reply.body.id)).deliveryStatus).toBe('sent');

      expect((await fake.sendStatus(t.url, PUBLIC_URL, channelId, callback)).status).toBe(200);
      const failed = await waitForStatus(ticketId, reply.body.id, 'failed', 3_000);
      expect(failed.error).toBe('the handset is unreachable (Twilio error 30003)');
    });

    it('retries Twilio trouble (5xx) and then fails with Twilio’s reason', async () => {
      const ticketId = await customerWrites('+989121230012');
      fake.failNext(503, 20503, 3, 'Service Unavailable');
      const reply = await t.http.post(`/api/tickets/${ticketId}/replies`, { text: 'are you there?' });
      const failed = await waitForStatus(ticketId, reply.body.id, 'failed', 20_000);
      expect(failed.error).toBe('Twilio answered HTTP 503: Twilio error 20503: Service Unavailable');
      expect(fake.sent).toHaveLength(3);
      const outbox = await sql(`SELECT status, attempts FROM outbox WHERE payload->>'messageId' = $1`, [reply.body.id]);
      expect(outbox).toEqual([{ status: 'failed', attempts: 3 }]);
    });

    it('retries a rate limit (429) and delivers once Twilio accepts', async () => {
      const ticketId = await customerWrites('+989121230013');
      fake.failNext(429, 20429, 1);
      const reply = await t.http.post(`/api/tickets/${ticketId}/replies`, { text: 'one moment' });
      const sent = await waitForStatus(ticketId, reply.body.id, 'sent');
      expect(sent.error).toBeNull();
      expect(fake.sent).toHaveLength(2);
      const [stored] = await sql('SELECT provider_message_id FROM messages WHERE id = $1', [reply.body.id]);
      expect(stored.provider_message_id).toBe(fake.sent[1].sid);
    });

    it.each([
      [21211, "invalid 'To' number (Twilio error 21211)"],
      [21610, 'the recipient replied STOP (unsubscribed) (Twilio error 21610)'],
      [21614, "the 'To' number is not a mobile number (Twilio error 21614)"],
    ])('fails at once, without retrying, when Twilio refuses the message (%i)', async (code, reason) => {
      const ticketId = await customerWrites(`+98912124${code}`);
      fake.failNext(400, code, 1);
      const reply = await t.http.post(`/api/tickets/${ticketId}/replies`, { text: 'hello' });
      const failed = await waitForStatus(ticketId, reply.body.id, 'failed');
      expect(failed.error).toBe(reason);
      const outbox = await sql(`SELECT status, attempts FROM outbox WHERE payload->>'messageId' = $1`, [reply.body.id]);
      expect(outbox).toEqual([{ status: 'failed', attempts: 1 }]);
      expect(fake.sent).toHaveLength(1);
    });

    it('sends through the Messaging Service when the channel has one', async () => {
      const serviceChannel = await createChannel({ accountSid: fake.accountSid, authToken: fake.authToken, messagingServiceSid: fake.messagingServiceSid, apiBaseUrl: fake.url });
      const ticketId = await customerWrites('+989121230014', serviceChannel);
      const reply = await t.http.post(`/api/tickets/${ticketId}/replies`, { text: 'via the service' });
      await waitForStatus(ticketId, reply.body.id, 'sent');
      expect(fake.sent.map((s) => s.params)).toEqual([
        { To: '+989121230014', Body: 'via the service', MessagingServiceSid: fake.messagingServiceSid, StatusCallback: `${PUBLIC_URL}/webhooks/twilio/${serviceChannel}/status` },
      ]);
    });

    it('sends the text of a reply with files, and refuses a reply that is only files', async () => {
      const upload = async () => {
        const form = new FormData();
        form.append('file', new Blob([Buffer.from('%PDF-1.4 fake')], { type: 'application/pdf' }), 'invoice.pdf');
        const res = await fetch(`${t.url}/api/attachments`, { method: 'POST', headers: { authorization: `Bearer ${t.adminToken}` }, body: form });
        expect(res.status).toBe(201);
        return ((await res.json()) as { id: string }).id;
      };
      const ticketId = await customerWrites('+989121230015');
      const withText = await t.http.post(`/api/tickets/${ticketId}/replies`, { text: 'invoice attached', attachmentIds: [await upload()] });
      await waitForStatus(ticketId, withText.body.id, 'sent');
      expect(fake.sent.map((s) => s.params.Body)).toEqual(['invoice attached']);
      expect(fake.sent[0].params.MediaUrl).toBeUndefined();

      const onlyFile = await t.http.post(`/api/tickets/${ticketId}/replies`, { text: '', attachmentIds: [await upload()] });
      expect(onlyFile.status).toBe(201);
      const failed = await waitForStatus(ticketId, onlyFile.body.id, 'failed');
      expect(failed.error).toBe('Twilio SMS cannot send files from Pasokh yet');
      expect(fake.sent).toHaveLength(1);
    });
  });
});
