import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphFake, metaJson, postWebhook } from '../fakes/meta/graph-fake';
import { createApiChannel, eventually, startTestServer, TestServer } from '../support/test-server';

const PUBLIC_URL = 'https://pasokh.example.com';
const APP_SECRET = 'meta-app-secret-0123456789abcdef';
const VERIFY_TOKEN = 'verify-me-0123456789';

type MetaType = 'messenger' | 'instagram' | 'whatsapp';

interface MetaChannel {
  id: string;
  type: MetaType;
  /** Page id (Messenger, Instagram) or phone number id (WhatsApp). */
  objectId: string;
  token: string;
}

function fixture(name: string): any {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'meta', `${name}.json`), 'utf8'));
}

const digits = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? randomInt(1, 10) : randomInt(0, 10))).join('');
const unique = () => randomBytes(6).toString('hex');
/** A valid Iranian mobile number as WhatsApp's wa_id (no +). */
const waId = () => `98912${digits(7)}`;

describe('Meta channels: Messenger, Instagram Direct, WhatsApp Cloud API', () => {
  let t: TestServer;
  const graph = new GraphFake();

  beforeAll(async () => {
    await graph.start();
    t = await startTestServer({ PUBLIC_URL, OUTBOX_MAX_ATTEMPTS: '3', MAX_ATTACHMENT_MB: '1', LOG_LEVEL: 'error' });
  });
  afterAll(async () => {
    await t?.close();
    await graph.stop();
  });
  beforeEach(() => graph.reset());

  async function createChannel(type: MetaType): Promise<MetaChannel> {
    const objectId = digits(15);
    const token = `EAAG${randomBytes(16).toString('hex')}`;
    if (type === 'whatsapp') graph.addPhoneNumber(objectId, token);
    else graph.addPage(objectId, token);
    const config =
      type === 'whatsapp'
        ? { phoneNumberId: objectId, accessToken: token, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, graphBaseUrl: graph.baseUrl }
        : { pageId: objectId, pageAccessToken: token, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, graphBaseUrl: graph.baseUrl };
    const res = await t.http.post('/api/channels', { type, name: `${type}-${unique()}`, config });
    if (res.status !== 201) throw new Error(`channel create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.id, type, objectId, token };
  }

  /** Message sends for this channel's Page / number (an earlier test's late retry may still arrive). */
  const sendsTo = (channel: MetaChannel) => graph.sends.filter((c) => c.path === `/${channel.objectId}/messages`);
  const send = (channel: MetaChannel, payload: unknown, options?: { signature?: string | null }) => postWebhook(t.url, channel.id, payload, APP_SECRET, options);
  const ticketsOf = async (channel: MetaChannel) => (await t.http.get(`/api/tickets?channelId=${channel.id}&limit=200`)).body.items as any[];
  const messagesOf = async (ticketId: string) => (await t.http.get(`/api/tickets/${ticketId}/messages?limit=200`)).body.items as any[];
  const storedCount = async (channel: MetaChannel) =>
    (await t.db.database.dataSource.query('SELECT count(*)::int AS n FROM messages WHERE channel_id = $1', [channel.id]))[0].n as number;
  const onlyTicket = async (channel: MetaChannel) => {
    const tickets = await ticketsOf(channel);
    expect(tickets).toHaveLength(1);
    return tickets[0];
  };
  const download = async (url: string) => {
    const res = await fetch(t.url + url, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };
  const messageNow = async (ticketId: string, messageId: string) => (await messagesOf(ticketId)).find((m) => m.id === messageId);
  const waitForStatus = (ticketId: string, messageId: string, status: string, timeoutMs = 10_000) =>
    eventually(async () => {
      const m = await messageNow(ticketId, messageId);
      return m?.deliveryStatus === status ? m : undefined;
    }, timeoutMs, `delivery status ${status}`);

  function messengerPayload(channel: MetaChannel, sender: string, message: Record<string, unknown>, object = 'page') {
    return {
      object,
      entry: [{ id: channel.objectId, time: Date.now(), messaging: [{ sender: { id: sender }, recipient: { id: channel.objectId }, timestamp: Date.now(), message }] }],
    };
  }

  function whatsappPayload(channel: MetaChannel, name: string, base: any, from: string) {
    const payload = structuredClone(base);
    const value = payload.entry[0].changes[0].value;
    value.metadata.phone_number_id = channel.objectId;
    if (value.contacts) value.contacts = [{ profile: { name }, wa_id: from }];
    for (const message of value.messages ?? []) {
      message.from = from;
      message.id = `wamid.${Buffer.from(unique() + unique()).toString('base64')}`;
    }
    return payload;
  }

  describe('webhook subscription and signatures', () => {
    it('answers the hub.challenge as text to the right verify token and 403 otherwise', async () => {
      const channel = await createChannel('whatsapp');
      const created = await t.http.get(`/api/channels/${channel.id}`);
      expect(created.body.webhookUrl).toBe(`${PUBLIC_URL}/webhooks/meta/${channel.id}`);
      expect(JSON.stringify(created.body.config)).not.toContain(APP_SECRET);
      expect(JSON.stringify(created.body.config)).not.toContain(channel.token);
      expect(JSON.stringify(created.body.config)).not.toContain(VERIFY_TOKEN);

      const ok = await fetch(`${t.url}/webhooks/meta/${channel.id}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await ok.text()).toBe('1158201444');

      const wrong = await fetch(`${t.url}/webhooks/meta/${channel.id}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}x&hub.challenge=1158201444`);
      expect(wrong.status).toBe(403);
      expect(await wrong.text()).not.toContain('1158201444');
      const badMode = await fetch(`${t.url}/webhooks/meta/${channel.id}?hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`);
      expect(badMode.status).toBe(403);
      const missing = await fetch(`${t.url}/webhooks/meta/${channel.id}?hub.mode=subscribe&hub.challenge=1`);
      expect(missing.status).toBe(403);

      const api = await createApiChannel(t.http);
      const other = await fetch(`${t.url}/webhooks/meta/${api.id}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`);
      expect(other.status).toBe(404);
    });

    it('refuses a bad or missing X-Hub-Signature-256 with 401 and stores nothing', async () => {
      const channel = await createChannel('messenger');
      const callsBefore = graph.calls.length;
      const payload = messengerPayload(channel, digits(16), { mid: `m_${unique()}`, text: 'سلام' });
      const wrongSecret = await postWebhook(t.url, channel.id, payload, 'another-app-secret-000000');
      expect(wrongSecret.status).toBe(401);
      expect(wrongSecret.body.code).toBe('INVALID_SIGNATURE');
      expect((await send(channel, payload, { signature: null })).status).toBe(401);
      expect((await send(channel, payload, { signature: 'sha256=' + '0'.repeat(64) })).status).toBe(401);
      // Signed over re-serialised JSON (Persian unescaped) but sent as Meta's bytes: not the same bytes.
      const reserialised = `sha256=${createHmac('sha256', APP_SECRET).update(JSON.stringify(payload)).digest('hex')}`;
      expect((await send(channel, payload, { signature: reserialised })).status).toBe(401);
      expect(await storedCount(channel)).toBe(0);
      expect(await ticketsOf(channel)).toHaveLength(0);
      expect(graph.calls).toHaveLength(callsBefore);
    });

    it('answers 400 INVALID_PAYLOAD for a body it cannot read, and stores nothing', async () => {
      const channel = await createChannel('whatsapp');
      const wrongObject = await send(channel, { object: 'page', entry: [] });
      expect(wrongObject.status).toBe(400);
      expect(wrongObject.body).toMatchObject({ code: 'INVALID_PAYLOAD', message: expect.stringContaining('whatsapp_business_account') });
      const payload = whatsappPayload(channel, 'X', fixture('whatsapp-text'), waId());
      delete payload.entry[0].changes[0].value.messages[0].id;
      const noId = await send(channel, payload);
      expect(noId.status).toBe(400);
      expect(noId.body.message).toContain('entry[0].changes[0].value.messages[0].id');
      expect(await storedCount(channel)).toBe(0);
    });

    it('validates the config and checks the credentials with Graph on create', async () => {
      const missing = await t.http.post('/api/channels', { type: 'messenger', name: 'bad', config: { pageAccessToken: 'x', appSecret: 'y', verifyToken: 'z' } });
      expect(missing.status).toBe(400);
      expect(missing.body).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('config.pageId') });
      const pageId = digits(15);
      graph.addPage(pageId, 'the-real-token');
      const rejected = await t.http.post('/api/channels', {
        type: 'messenger',
        name: 'rejected',
        config: { pageId, pageAccessToken: 'a-stale-token', appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, graphBaseUrl: graph.baseUrl },
      });
      expect(rejected.status).toBe(422);
      expect(rejected.body).toMatchObject({ code: 'CREDENTIALS_REJECTED', message: expect.stringContaining('access token') });
      expect(graph.calls.map((c) => `${c.method} ${c.path} ${c.query.fields}`)).toEqual([`GET /${pageId} id,name`]);
      const waId = digits(15);
      graph.addPhoneNumber(waId, 'wa-token');
      const wa = await t.http.post('/api/channels', {
        type: 'whatsapp',
        name: 'wa-rejected',
        config: { phoneNumberId: waId, accessToken: 'wrong', appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, graphBaseUrl: graph.baseUrl },
      });
      expect(wa.status).toBe(422);
      expect(graph.calls[graph.calls.length - 1]).toMatchObject({ path: `/${waId}`, query: { fields: 'display_phone_number' } });
    });
  });

  describe('Messenger', () => {
    it('turns a Persian message into a ticket for the PSID with the profile name, verified over the escaped raw bytes', async () => {
      const channel = await createChannel('messenger');
      const psid = digits(16);
      graph.addProfile(psid, { name: 'مریم رضایی' });
      const payload = fixture('messenger-text');
      payload.entry[0].id = channel.objectId;
      payload.entry[0].messaging[0].sender.id = psid;
      payload.entry[0].messaging[0].recipient.id = channel.objectId;
      const text = payload.entry[0].messaging[0].message.text as string;

      const res = await send(channel, payload);
      expect(res.raw).toContain('\\u0633\\u0644\\u0627\\u0645');
      expect(res.raw).toContain('\\/');
      expect(res.raw).not.toContain('سلام');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ messages: 1, statuses: 0 });

      const ticket = await onlyTicket(channel);
      expect(ticket.channel).toMatchObject({ id: channel.id, type: 'messenger' });
      expect(ticket.customer.name).toBe('مریم رضایی');
      const messages = await messagesOf(ticket.id);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({ direction: 'inbound', authorType: 'customer', text, deliveryStatus: 'received' });
      const customer = (await t.http.get(`/api/customers/${ticket.customer.id}`)).body;
      expect(customer.identities).toEqual([{ channelType: 'messenger', externalId: psid }]);
      const lookup = graph.calls.find((c) => c.path === `/${psid}`);
      expect(lookup).toMatchObject({ method: 'GET', query: { fields: 'name' }, token: channel.token });

      // The same delivery again (Meta retries): one message.
      const again = await send(channel, payload);
      expect(again.status).toBe(200);
      expect(await storedCount(channel)).toBe(1);

      // Our own reply echoed back is not the customer's message.
      const echo = fixture('messenger-echo');
      echo.entry[0].id = channel.objectId;
      echo.entry[0].messaging[0].sender.id = channel.objectId;
      echo.entry[0].messaging[0].recipient.id = psid;
      const echoed = await send(channel, echo);
      expect(echoed.status).toBe(200);
      expect(echoed.body.messages).toBe(0);
      expect(await storedCount(channel)).toBe(1);
    });

    it('stores a batch in order, reactions and postbacks as text, and ignores entries of another Page', async () => {
      const channel = await createChannel('messenger');
      const psid = digits(16);
      const reaction = fixture('messenger-reaction').entry[0].messaging[0];
      reaction.sender.id = psid;
      const event = (message: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ sender: { id: psid }, recipient: { id: channel.objectId }, timestamp: Date.now(), ...(message ? { message } : {}), ...extra });
      const payload = {
        object: 'page',
        entry: [
          { id: channel.objectId, time: Date.now(), messaging: [event({ mid: `m_${unique()}`, text: 'first' }), event({ mid: `m_${unique()}`, text: 'second' })] },
          { id: '999999999999999', time: Date.now(), messaging: [event({ mid: `m_${unique()}`, text: 'for another page' })] },
          { id: channel.objectId, time: Date.now(), messaging: [reaction, { sender: { id: psid }, recipient: { id: channel.objectId }, timestamp: Date.now(), postback: { mid: `m_${unique()}`, title: 'Talk to a human', payload: 'HUMAN' } }] },
        ],
      };
      const res = await send(channel, payload);
      expect(res.status).toBe(200);
      const ticket = await onlyTicket(channel);
      expect((await messagesOf(ticket.id)).map((m) => m.text)).toEqual(['first', 'second', 'reacted ❤️ to a message', 'Tapped "Talk to a human"']);
    });

    it('downloads an image into a stored attachment, and keeps an oversized one as a link with the reason', async () => {
      const channel = await createChannel('messenger');
      const psid = digits(16);
      const image = randomBytes(2048);
      const big = randomBytes(1024 * 1024 + 10);
      const payload = fixture('messenger-image');
      payload.entry[0].id = channel.objectId;
      payload.entry[0].messaging[0].sender.id = psid;
      payload.entry[0].messaging[0].message.attachments = [
        { type: 'image', payload: { url: graph.addCdnFile('449193_n.jpg', image, 'image/jpeg') } },
        { type: 'video', payload: { url: graph.addCdnFile('clip.mp4', big, 'video/mp4') } },
      ];
      const res = await send(channel, payload);
      expect(res.status).toBe(200);
      const [message] = await messagesOf((await onlyTicket(channel)).id);
      expect(message.attachments).toHaveLength(2);
      const [stored, link] = message.attachments;
      expect(stored).toMatchObject({ filename: '449193_n.jpg', contentType: 'image/jpeg', size: image.length, stored: true });
      expect((await download(stored.url)).equals(image)).toBe(true);
      expect(link).toMatchObject({ filename: 'clip.mp4', stored: false, url: expect.stringContaining('/cdn/'), note: expect.stringContaining('larger than the 1 MB') });
    });

    it('sends a reply to the PSID, stores the message id, and moves to delivered on the delivery callback', async () => {
      const channel = await createChannel('messenger');
      const psid = digits(16);
      await send(channel, messengerPayload(channel, psid, { mid: `m_${unique()}`, text: 'where is my order?' }));
      const ticket = await onlyTicket(channel);
      const reply = await t.http.post(`/api/tickets/${ticket.id}/replies`, { text: 'سلام! سفارش شما فردا می‌رسد.' });
      expect(reply.status).toBe(201);
      const sent = await waitForStatus(ticket.id, reply.body.id, 'sent');
      expect(sent.error).toBeNull();
      expect(sendsTo(channel)).toHaveLength(1);
      const call = sendsTo(channel)[0];
      expect(call.path).toBe(`/${channel.objectId}/messages`);
      expect(call.token).toBe(channel.token);
      expect(call.body).toEqual({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'سلام! سفارش شما فردا می‌رسد.' }, access_token: channel.token });
      const [row] = await t.db.database.dataSource.query('SELECT provider_message_id FROM messages WHERE id = $1', [reply.body.id]);
      expect(row.provider_message_id).toMatch(/^m_/);

      const delivery = { object: 'page', entry: [{ id: channel.objectId, time: Date.now(), messaging: [{ sender: { id: psid }, recipient: { id: channel.objectId }, timestamp: Date.now(), delivery: { mids: [row.provider_message_id], watermark: Date.now() } }] }] };
      const res = await send(channel, delivery);
      expect(res.body).toEqual({ messages: 0, statuses: 1 });
      await waitForStatus(ticket.id, reply.body.id, 'delivered');
    });

    it('asks for a rating with quick replies ۱–۵ after a resolve; the tapped one is the rating', async () => {
      const channel = await createChannel('messenger');
      expect((await t.http.patch(`/api/channels/${channel.id}`, { csat: true })).body.csat).toBe(true);
      const psid = digits(16);
      await send(channel, messengerPayload(channel, psid, { mid: `m_${unique()}`, text: 'سفارشم کجاست؟' }));
      const ticket = await onlyTicket(channel);
      const reply = await t.http.post(`/api/tickets/${ticket.id}/replies`, { text: 'فردا می‌رسد.' });
      await waitForStatus(ticket.id, reply.body.id, 'sent');
      await t.http.patch(`/api/tickets/${ticket.id}`, { status: 'resolved' });
      const survey = await eventually(async () => sendsTo(channel).find((c) => c.body.message.quick_replies), 10_000, 'the survey');
      expect(survey.body.message.quick_replies).toEqual(['۱', '۲', '۳', '۴', '۵'].map((n) => ({ content_type: 'text', title: n, payload: n })));
      // The plain reply had none.
      expect(sendsTo(channel)[0].body.message).toEqual({ text: 'فردا می‌رسد.' });

      await send(channel, messengerPayload(channel, psid, { mid: `m_${unique()}`, text: '۵', quick_reply: { payload: '۵' } }));
      const [row] = await t.db.database.dataSource.query('SELECT score FROM csat_surveys WHERE ticket_id = $1', [ticket.id]);
      expect(row.score).toBe(5);
      expect((await t.http.get(`/api/tickets/${ticket.id}`)).body.status).toBe('resolved');
    });

    it('fails a reply at once when Meta says the person is unavailable', async () => {
      const channel = await createChannel('messenger');
      await send(channel, messengerPayload(channel, digits(16), { mid: `m_${unique()}`, text: 'hi' }));
      const ticket = await onlyTicket(channel);
      graph.failNext(400, { error: { message: "(#551) This person isn't available right now.", type: 'OAuthException', code: 551, error_subcode: 1545041 } });
      const reply = await t.http.post(`/api/tickets/${ticket.id}/replies`, { text: 'hello?' });
      const failed = await waitForStatus(ticket.id, reply.body.id, 'failed');
      expect(failed.error).toContain("isn't available right now");
      expect(sendsTo(channel)).toHaveLength(1);
    });
  });

  describe('Instagram Direct', () => {
    it('takes a DM in with the IGSID and username, and replies through the Page', async () => {
      const channel = await createChannel('instagram');
      const igsid = digits(16);
      graph.addProfile(igsid, { username: 'sara.shop' });
      const payload = fixture('instagram-text');
      payload.entry[0].messaging[0].sender.id = igsid;
      const res = await send(channel, payload);
      expect(res.status).toBe(200);
      const ticket = await onlyTicket(channel);
      expect(ticket.customer.name).toBe('sara.shop');
      const [message] = await messagesOf(ticket.id);
      expect(message.text).toBe('Hi! Do you ship to Tehran? 🚚');
      const customer = (await t.http.get(`/api/customers/${ticket.customer.id}`)).body;
      expect(customer.identities).toEqual([{ channelType: 'instagram', externalId: igsid }]);
      expect(graph.calls.find((c) => c.path === `/${igsid}`)?.query.fields).toBe('name,username');

      const reply = await t.http.post(`/api/tickets/${ticket.id}/replies`, { text: 'Yes, in 3 days 📦' });
      await waitForStatus(ticket.id, reply.body.id, 'sent');
      expect(sendsTo(channel)).toHaveLength(1);
      expect(sendsTo(channel)[0]).toMatchObject({ path: `/${channel.objectId}/messages`, body: { recipient: { id: igsid }, messaging_type: 'RESPONSE', message: { text: 'Yes, in 3 days 📦' } } });
      const [row] = await t.db.database.dataSource.query('SELECT provider_message_id FROM messages WHERE id = $1', [reply.body.id]);
      expect(row.provider_message_id).toMatch(/^m_/);
    });
  });

  describe('WhatsApp', () => {
    it('turns a text message into a ticket for the wa_id with the contact name and phone', async () => {
      const channel = await createChannel('whatsapp');
      const from = waId();
      const payload = whatsappPayload(channel, 'Sheena Nelson', fixture('whatsapp-text'), from);
      const res = await send(channel, payload);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ messages: 1, statuses: 0 });
      const ticket = await onlyTicket(channel);
      expect(ticket.customer.name).toBe('Sheena Nelson');
      const [message] = await messagesOf(ticket.id);
      expect(message).toMatchObject({ text: 'Does it come in another color?', direction: 'inbound' });
      const customer = (await t.http.get(`/api/customers/${ticket.customer.id}`)).body;
      expect(customer.identities).toEqual([{ channelType: 'whatsapp', externalId: from }]);
      expect(customer.phone).toBe(`+${from}`);
      expect((await send(channel, payload)).status).toBe(200);
      expect(await storedCount(channel)).toBe(1);
    });

    it('ignores changes for another phone number of the business account', async () => {
      const channel = await createChannel('whatsapp');
      const payload = whatsappPayload(channel, 'X', fixture('whatsapp-text'), waId());
      payload.entry[0].changes[0].value.metadata.phone_number_id = '111111111111111';
      const res = await send(channel, payload);
      expect(res.status).toBe(200);
      expect(await storedCount(channel)).toBe(0);
    });

    it('downloads media with the token, keeps the document name, and links an oversized file with the reason', async () => {
      const channel = await createChannel('whatsapp');
      const from = waId();
      const jpeg = randomBytes(4096);
      const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(1024 * 1024 + 100)]);
      const image = whatsappPayload(channel, 'Sheena', fixture('whatsapp-image'), from);
      image.entry[0].changes[0].value.messages[0].image.id = graph.addMedia(jpeg, 'image/jpeg', channel.token);
      const doc = whatsappPayload(channel, 'Sheena', fixture('whatsapp-document'), from);
      doc.entry[0].changes[0].value.messages[0].document.id = graph.addMedia(pdf, 'application/pdf', channel.token);
      expect((await send(channel, image)).status).toBe(200);
      expect((await send(channel, doc)).status).toBe(200);

      const [first, second] = await messagesOf((await onlyTicket(channel)).id);
      expect(first.text).toBe('This is the box it came in');
      expect(first.attachments).toEqual([expect.objectContaining({ contentType: 'image/jpeg', size: jpeg.length, stored: true })]);
      expect((await download(first.attachments[0].url)).equals(jpeg)).toBe(true);
      const mediaId = image.entry[0].changes[0].value.messages[0].image.id;
      const mediaFetch = graph.calls.find((c) => c.path === `/${mediaId}`);
      expect(mediaFetch?.token).toBe(channel.token);
      // Meta redelivers a webhook it saw fail: the retry is absorbed without asking for the media again.
      expect((await send(channel, image)).status).toBe(200);
      expect(graph.calls.filter((c) => c.path === `/${mediaId}`)).toHaveLength(1);
      expect(await messagesOf((await onlyTicket(channel)).id)).toHaveLength(2);

      expect(second.text).toBe('Order video and manual');
      expect(second.attachments).toEqual([
        expect.objectContaining({ filename: 'manual.pdf', contentType: 'application/pdf', stored: false, note: expect.stringContaining('larger than the 1 MB attachment limit') }),
      ]);
      expect(second.attachments[0].url).toContain('/media-files/');
    });

    it('turns a location and a reaction into readable text, in order', async () => {
      const channel = await createChannel('whatsapp');
      const res = await send(channel, whatsappPayload(channel, 'Sheena', fixture('whatsapp-location-reaction'), waId()));
      expect(res.body).toEqual({ messages: 2, statuses: 0 });
      const texts = (await messagesOf((await onlyTicket(channel)).id)).map((m) => m.text);
      expect(texts).toEqual(['📍 Location: 35.6997, 51.338 (Tehran, Azadi Square) https://maps.google.com/?q=35.6997,51.338', 'reacted 👍 to a message']);
    });

    async function waTicket(channel: MetaChannel, from = waId()) {
      await send(channel, whatsappPayload(channel, 'Sheena', fixture('whatsapp-text'), from));
      return { ticket: await onlyTicket(channel), from };
    }

    function statusPayload(channel: MetaChannel, base: string, providerMessageId: string, status?: string) {
      const payload = structuredClone(fixture(base));
      const value = payload.entry[0].changes[0].value;
      value.metadata.phone_number_id = channel.objectId;
      value.statuses[0].id = providerMessageId;
      if (status) value.statuses[0].status = status;
      return payload;
    }

    it('sends a reply with the Bearer token and follows sent → delivered → read', async () => {
      const channel = await createChannel('whatsapp');
      const { ticket, from } = await waTicket(channel);
      const reply = await t.http.post(`/api/tickets/${ticket.id}/replies`, { text: 'سلام، بله رنگ آبی هم داریم.' });
      expect(reply.status).toBe(201);
      await waitForStatus(ticket.id, reply.body.id, 'sent');
      expect(sendsTo(channel)).toHaveLength(1);
      expect(sendsTo(channel)[0]).toMatchObject({
        path: `/${channel.objectId}/messages`,
        token: channel.token,
        body: { messaging_product: 'whatsapp', to: from, type: 'text', text: { body: 'سلام، بله رنگ آبی هم داریم.' } },
      });
      const [row] = await t.db.database.dataSource.query('SELECT provider_message_id FROM messages WHERE id = $1', [reply.body.id]);
      expect(row.provider_message_id).toMatch(/^wamid\./);

      for (const status of ['sent', 'delivered', 'read']) {
        const res = await send(channel, statusPayload(channel, 'whatsapp-status', row.provider_message_id, status));
        expect(res.body).toEqual({ messages: 0, statuses: 1 });
        await waitForStatus(ticket.id, reply.body.id, status);
      }
      // A late "delivered" does not move a read message back.
      await send(channel, statusPayload(channel, 'whatsapp-status', row.provider_message_id, 'delivered'));
      expect((await messageNow(ticket.id, reply.body.id)).deliveryStatus).toBe('read');
    });

    it('marks a reply failed with the reason in words when WhatsApp reports a failed status', async () => {
      const channel = await createChannel('whatsapp');
      const { ticket } = await waTicket(channel);
      const reply = await t.http.post(`/api/tickets/${ticket.id}/replies`, { text: 'hello' });
      await waitForStatus(ticket.id, reply.body.id, 'sent');
      const [row] = await t.db.database.dataSource.query('SELECT provider_message_id FROM messages WHERE id = $1', [reply.body.id]);
      await send(channel, statusPayload(channel, 'whatsapp-status-failed', row.provider_message_id));
      const failed = await waitForStatus(ticket.id, reply.body.id, 'failed');
      expect(failed.error).toContain('more than 24 hours have passed since the customer last replied');
      expect(failed.error).toContain('131047');
    });

    it('refuses a free-form reply after the 24-hour window with 409 before storing anything', async () => {
      const channel = await createChannel('whatsapp');
      const { ticket } = await waTicket(channel);
      await t.db.database.dataSource.query(`UPDATE tickets SET last_customer_message_at = now() - interval '25 hours' WHERE id = $1`, [ticket.id]);
      const [{ last }] = await t.db.database.dataSource.query('SELECT last_customer_message_at AS last FROM tickets WHERE id = $1', [ticket.id]);
      const closedAt = new Date(new Date(last).getTime() + 24 * 3600 * 1000).toISOString();
      const reply = await t.http.post(`/api/tickets/${ticket.id}/replies`, { text: 'too late' });
      expect(reply.status).toBe(409);
      expect(reply.body.code).toBe('REPLY_NOT_ALLOWED');
      expect(reply.body.message).toBe(
        `WhatsApp allows free-form replies only within 24 hours of the customer's last message (the window closed at ${closedAt}); a template message is needed`,
      );
      expect(await storedCount(channel)).toBe(1);
      await new Promise((r) => setTimeout(r, 200));
      expect(sendsTo(channel)).toHaveLength(0);
      // The ticket shows when the window closed.
      expect((await t.http.get(`/api/tickets/${ticket.id}`)).body.replyWindowEndsAt).toBe(closedAt);

      // Inside the window again (23 h): the reply is accepted.
      await t.db.database.dataSource.query(`UPDATE tickets SET last_customer_message_at = now() - interval '23 hours' WHERE id = $1`, [ticket.id]);
      const inTime = await t.http.post(`/api/tickets/${ticket.id}/replies`, { text: 'in time' });
      expect(inTime.status).toBe(201);
      await waitForStatus(ticket.id, inTime.body.id, 'sent');
    });

    it('retries a rate-limited send, then fails it with the reason after the attempt limit', async () => {
      const channel = await createChannel('whatsapp');
      const { ticket } = await waTicket(channel);
      graph.failNext(429, { error: { message: '(#130429) Rate limit hit', type: 'OAuthException', code: 130429, error_data: { details: 'Cloud API message throughput has been reached.' } } }, 3);
      const reply = await t.http.post(`/api/tickets/${ticket.id}/replies`, { text: 'busy?' });
      const failed = await waitForStatus(ticket.id, reply.body.id, 'failed', 20_000);
      expect(failed.error).toContain("WhatsApp's sending rate limit");
      expect(failed.error).toContain('130429');
      expect(sendsTo(channel)).toHaveLength(3);
      const outbox = await t.db.database.dataSource.query(`SELECT status, attempts FROM outbox WHERE payload->>'messageId' = $1`, [reply.body.id]);
      expect(outbox).toEqual([{ status: 'failed', attempts: 3 }]);
    });

    it('retries a server error and delivers on the next attempt', async () => {
      const channel = await createChannel('whatsapp');
      const { ticket } = await waTicket(channel);
      graph.failNext(503, { error: { message: 'Service temporarily unavailable', type: 'OAuthException', code: 2 } });
      const reply = await t.http.post(`/api/tickets/${ticket.id}/replies`, { text: 'second time lucky' });
      await waitForStatus(ticket.id, reply.body.id, 'sent');
      expect(sendsTo(channel)).toHaveLength(2);
    });

    it('fails at once, without retrying, when the number is not on WhatsApp', async () => {
      const channel = await createChannel('whatsapp');
      const { ticket } = await waTicket(channel);
      graph.failNext(400, { error: { message: '(#131026) Message undeliverable', type: 'OAuthException', code: 131026, error_data: { details: 'Message Undeliverable.' } } });
      const reply = await t.http.post(`/api/tickets/${ticket.id}/replies`, { text: 'are you there?' });
      const failed = await waitForStatus(ticket.id, reply.body.id, 'failed');
      expect(failed.error).toContain('the number is not on WhatsApp');
      await new Promise((r) => setTimeout(r, 300));
      expect(sendsTo(channel)).toHaveLength(1);
    });

    it('uploads a reply attachment and sends it as a document with the text as caption', async () => {
      const channel = await createChannel('whatsapp');
      const { ticket, from } = await waTicket(channel);
      const form = new FormData();
      const pdf = Buffer.from('%PDF-1.4 invoice');
      form.append('file', new Blob([pdf], { type: 'application/pdf' }), 'فاکتور.pdf');
      const upload = await fetch(`${t.url}/api/attachments`, { method: 'POST', headers: { authorization: `Bearer ${t.adminToken}` }, body: form });
      expect(upload.status).toBe(201);
      const attachment = (await upload.json()) as { id: string };
      const reply = await t.http.post(`/api/tickets/${ticket.id}/replies`, { text: 'Your invoice', attachmentIds: [attachment.id] });
      await waitForStatus(ticket.id, reply.body.id, 'sent');
      const uploadCall = graph.calls.find((c) => c.path === `/${channel.objectId}/media`);
      expect(uploadCall?.body).toMatchObject({ messaging_product: 'whatsapp', type: 'application/pdf' });
      expect(uploadCall?.file?.content.equals(pdf)).toBe(true);
      expect(sendsTo(channel)).toHaveLength(1);
      expect(sendsTo(channel)[0].body).toMatchObject({ to: from, type: 'document', document: { id: expect.any(String), caption: 'Your invoice', filename: 'فاکتور.pdf' } });
    });
  });

  it('serialises webhooks the way Meta does', () => {
    expect(metaJson({ text: 'سلام 😀', url: 'a/b' })).toBe('{"text":"\\u0633\\u0644\\u0627\\u0645 \\ud83d\\ude00","url":"a\\/b"}');
  });
});
