import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TelegramFake } from '../fakes/telegram/telegram-fake';
import { eventually, startPeerServer, startTestServer, TestServer } from '../support/test-server';

// Deliberately not the address tests call: webhook URLs must be built from PUBLIC_URL, as behind a proxy.
const PUBLIC_URL = 'https://pasokh.example.com';
const ENV = { PUBLIC_URL, OUTBOX_MAX_ATTEMPTS: '3', MAX_ATTACHMENT_MB: '1', LOG_LEVEL: 'silent' };
// Short long-polling rounds keep the polling tests quick; the poller reads this at start-up.
process.env.TELEGRAM_POLL_TIMEOUT_SEC = '1';

let nextUserId = 6_100_000_000 + Math.floor(Math.random() * 1_000_000) * 100;
let nextMessageId = 5_000;

function fixture(name: string): Record<string, any> {
  return JSON.parse(readFileSync(join(__dirname, '../fixtures/telegram', `${name}.json`), 'utf8'));
}

/** A recorded update re-addressed to `userId`, with a fresh message id (update_id is left to the fake). */
function updateFrom(name: string, userId: number, edit: (message: Record<string, any>) => void = () => undefined, messageId = nextMessageId++): Record<string, any> {
  const update = fixture(name);
  delete update.update_id;
  const message = update.message ?? update.edited_message;
  message.message_id = messageId;
  message.from.id = userId;
  if (message.chat.type === 'private') message.chat.id = userId;
  if (message.contact) message.contact.user_id = userId;
  edit(message);
  return update;
}

const newUser = () => nextUserId++;

async function createTelegramChannel(t: TestServer, config: Record<string, unknown>) {
  const res = await t.http.post('/api/channels', { type: 'telegram', name: `bot-${Math.random().toString(36).slice(2, 8)}`, config });
  if (res.status !== 201) throw new Error(`channel create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; webhookUrl: string };
}

describe('Telegram channel: webhook mode and replies', () => {
  let t: TestServer;
  let fake: TelegramFake;
  let channel: { id: string; webhookUrl: string };

  const sql = (query: string, params: unknown[] = []) => t.db.database.dataSource.query(query, params);
  const inboundCount = async () => Number((await sql(`SELECT count(*) FROM messages WHERE channel_id = $1`, [channel.id]))[0].count);
  const stored = async (userId: number, messageId: number) =>
    (await sql(`SELECT id, ticket_id FROM messages WHERE channel_id = $1 AND external_message_id = $2`, [channel.id, `${userId}:${messageId}`]))[0] as
      | { id: string; ticket_id: string }
      | undefined;
  const messagesOf = async (ticketId: string) => (await t.http.get(`/api/tickets/${ticketId}/messages?limit=200`)).body.items as any[];
  const post = (update: Record<string, any>, secret?: string | null) => fake.postWebhook(t.url, channel.id, update, secret);

  /** Delivers an update through the webhook and returns the ticket it landed in. */
  async function deliver(update: Record<string, any>): Promise<{ ticketId: string; messageId: string }> {
    const res = await post(update);
    expect(res.status).toBe(200);
    const message = update.message ?? update.edited_message;
    const row = await stored(message.from.id, message.message_id);
    if (!row) throw new Error('the update was answered 200 but not stored');
    return { ticketId: row.ticket_id, messageId: row.id };
  }

  async function reply(ticketId: string, body: Record<string, unknown>) {
    const res = await t.http.post(`/api/tickets/${ticketId}/replies`, body);
    expect(res.status).toBe(201);
    return res.body as { id: string };
  }

  async function settled(ticketId: string, messageId: string, timeoutMs = 15_000) {
    return eventually(
      async () => {
        const message = (await messagesOf(ticketId)).find((m) => m.id === messageId);
        return message && ['sent', 'failed'].includes(message.deliveryStatus) ? message : undefined;
      },
      timeoutMs,
      'the reply to be sent or failed',
    );
  }

  beforeAll(async () => {
    fake = await new TelegramFake().start();
    t = await startTestServer(ENV);
    channel = await createTelegramChannel(t, { botToken: fake.token, mode: 'webhook', apiRoot: fake.apiRoot });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  it('refuses a bad config naming the field, and a token Telegram rejects', async () => {
    const attempt = (config: Record<string, unknown>) => t.http.post('/api/channels', { type: 'telegram', name: 'bad', config });
    const missing = await attempt({ mode: 'webhook', apiRoot: fake.apiRoot });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('config.botToken') });
    expect((await attempt({ botToken: fake.token, mode: 'push', apiRoot: fake.apiRoot })).body).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('config.mode') });
    expect((await attempt({ botToken: fake.token, mode: 'webhook', apiRoot: 'ftp://example.com' })).body).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('config.apiRoot') });
    expect((await attempt({ botToken: fake.token, mode: 'webhook', secretToken: 'has spaces', apiRoot: fake.apiRoot })).body.message).toContain('config.secretToken');

    const rejected = await attempt({ botToken: '123456:not-this-bot', mode: 'webhook', apiRoot: fake.apiRoot });
    expect(rejected.status).toBe(422);
    expect(rejected.body).toMatchObject({ code: 'CREDENTIALS_REJECTED', message: expect.stringContaining('Telegram refused the bot token') });
    expect(Number((await sql(`SELECT count(*) FROM channels WHERE type = 'telegram'`))[0].count)).toBe(1);
  });

  it('registers the PUBLIC_URL webhook with a generated secret, and never shows the secrets', async () => {
    expect(channel.webhookUrl).toBe(`${PUBLIC_URL}/webhooks/telegram/${channel.id}`);
    expect(fake.callsOf('getMe').length).toBeGreaterThanOrEqual(1);
    expect(fake.webhook).toMatchObject({ url: channel.webhookUrl, allowed_updates: ['message', 'edited_message'] });
    expect(fake.webhook!.secret_token).toMatch(/^[A-Za-z0-9_-]{32,}$/);

    const shown = await t.http.get(`/api/channels/${channel.id}`);
    expect(shown.body.config).toEqual({ mode: 'webhook', apiRoot: fake.apiRoot });
    expect(JSON.stringify((await t.http.get('/api/channels')).body)).not.toContain(fake.token.split(':')[1]);
    const [row] = await sql(`SELECT config::text AS config, secrets FROM channels WHERE id = $1`, [channel.id]);
    expect(row.config).not.toContain(fake.token);
    expect(row.secrets).not.toContain(fake.token);
    expect(row.secrets).not.toContain(fake.webhook!.secret_token);
  });

  it('turns a private message into a ticket of the Telegram user, keeping the display name', async () => {
    const user = newUser();
    const update = updateFrom('text-message', user);
    const { ticketId } = await deliver(update);
    const [message] = await messagesOf(ticketId);
    expect(message).toMatchObject({ direction: 'inbound', authorType: 'customer', text: 'سلام، سفارش ۱۲۳۴ من کجاست؟', deliveryStatus: 'received' });
    const ticket = (await t.http.get(`/api/tickets/${ticketId}`)).body;
    expect(ticket.channel).toMatchObject({ id: channel.id, type: 'telegram' });
    const customer = (await t.http.get(`/api/customers/${ticket.customer.id}`)).body;
    expect(customer.name).toBe('Sara Ahmadi');
    expect(customer.identities).toEqual([{ channelType: 'telegram', externalId: String(user) }]);
  });

  it('stores a repeated delivery once', async () => {
    const user = newUser();
    const update: Record<string, any> = { ...updateFrom('text-message', user), update_id: 900_000_001 };
    const before = await inboundCount();
    const first = await post(update);
    const again = await post(update);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(await inboundCount()).toBe(before + 1);
    const rows = await sql(`SELECT count(*) FROM messages WHERE external_message_id = $1`, [`${user}:${update.message.message_id}`]);
    expect(Number(rows[0].count)).toBe(1);
  });

  it('answers 401 to a wrong or missing secret token and stores nothing', async () => {
    const user = newUser();
    const before = await inboundCount();
    const wrong = await post(updateFrom('text-message', user), 'not-the-secret-token-at-all');
    const almost = await post(updateFrom('text-message', user), `${fake.webhook!.secret_token}x`);
    const missing = await post(updateFrom('text-message', user), null);
    expect([wrong.status, almost.status, missing.status]).toEqual([401, 401, 401]);
    expect(wrong.body.code).toBe('INVALID_SIGNATURE');
    expect(await inboundCount()).toBe(before);
    expect(await sql(`SELECT 1 FROM customer_identities WHERE external_id = $1`, [String(user)])).toEqual([]);
  });

  it('answers 400 to something that is not an update and stores nothing', async () => {
    const before = await inboundCount();
    const res = await post({ update_id: 12, message: { message_id: 1, chat: { id: 5, type: 'private' }, date: 1 } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'INVALID_PAYLOAD', message: expect.stringContaining('message.from') });
    const notAnUpdate = await fake.postWebhookBody(t.url, channel.id, JSON.stringify({ hello: 'world' }));
    expect(notAnUpdate.status).toBe(400);
    expect(notAnUpdate.body).toMatchObject({ code: 'INVALID_PAYLOAD', message: expect.stringContaining('update_id') });
    const notJson = await fake.postWebhookBody(t.url, channel.id, '{"update_id": 13, "message": ');
    expect(notJson.status).toBe(400);
    expect(await inboundCount()).toBe(before);
  });

  it('acknowledges but ignores group chats and updates without a message', async () => {
    const before = await inboundCount();
    expect((await post(updateFrom('group-message', newUser()))).status).toBe(200);
    const callback = fixture('callback-query');
    delete callback.update_id;
    expect((await post(callback)).status).toBe(200);
    expect(await inboundCount()).toBe(before);
  });

  it('replaces the text of an edited message and marks it edited', async () => {
    const user = newUser();
    const original = updateFrom('text-message', user);
    const { ticketId, messageId } = await deliver(original);
    const edit = updateFrom('edited-message', user, () => undefined, original.message.message_id);
    expect((await post(edit)).status).toBe(200);
    const messages = await messagesOf(ticketId);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ id: messageId, text: 'سلام، سفارش ۱۲۳۵ من کجاست؟', editedAt: expect.any(String) });
  });

  it('turns stickers, locations, venues and contacts into text, and a shared contact fills the phone', async () => {
    const user = newUser();
    const { ticketId } = await deliver(updateFrom('sticker-message', user));
    await deliver(updateFrom('location-message', user));
    await deliver(updateFrom('venue-message', user));
    await deliver(updateFrom('contact-message', user, (m) => (m.contact.phone_number = '989121234567')));
    const texts = (await messagesOf(ticketId)).filter((m) => m.kind === 'message').map((m) => m.text);
    expect(texts).toEqual([
      '[sticker 😀]',
      '📍 Location: 35.7, 51.4 https://www.openstreetmap.org/?mlat=35.7&mlon=51.4#map=17/35.7/51.4',
      '📍 Azadi Tower, Azadi Square, Tehran: 35.6997, 51.338 https://www.openstreetmap.org/?mlat=35.6997&mlon=51.338#map=17/35.6997/51.338',
      '📇 Contact: Sara Ahmadi +989121234567',
    ]);
    const ticket = (await t.http.get(`/api/tickets/${ticketId}`)).body;
    expect((await t.http.get(`/api/customers/${ticket.customer.id}`)).body.phone).toBe('+989121234567');
  });

  it('downloads media with the bot token and stores the largest photo size', async () => {
    const user = newUser();
    const large = Buffer.from('large-jpeg-bytes'.repeat(100));
    const photo = updateFrom('photo-message', user, (m) => {
      m.photo = [
        { ...fake.addFile(Buffer.from('small'), { path: 'photos/file_small.jpg' }), width: 90, height: 67 },
        { ...fake.addFile(Buffer.from('medium'), { path: 'photos/file_medium.jpg' }), width: 320, height: 240 },
        { ...fake.addFile(large, { path: 'photos/file_large.jpg' }), width: 1280, height: 960 },
      ];
    });
    const voiceBytes = Buffer.from('OggS fake voice');
    const voice = updateFrom('voice-message', user, (m) => (m.voice = { ...m.voice, ...fake.addFile(voiceBytes, { path: 'voice/file_1.oga' }) }));
    const { ticketId } = await deliver(photo);
    await deliver(voice);

    const [photoMessage, voiceMessage] = await messagesOf(ticketId);
    expect(photoMessage.text).toBe('the box arrived broken');
    expect(photoMessage.attachments).toEqual([expect.objectContaining({ filename: `photo_${photo.message.message_id}.jpg`, contentType: 'image/jpeg', size: large.length, stored: true })]);
    expect(voiceMessage.attachments).toEqual([expect.objectContaining({ filename: `voice_${voice.message.message_id}.ogg`, contentType: 'audio/ogg', size: voiceBytes.length })]);
    const download = await fetch(t.url + photoMessage.attachments[0].url, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(large);
    expect(fake.callsOf('getFile').map((c) => c.params.file_id)).toContain(photo.message.photo[2].file_id);
    expect(fake.callsOf('getFile').map((c) => c.params.file_id)).not.toContain(photo.message.photo[0].file_id);

    // Telegram sends an update again when our answer was slow: the retry stores nothing and downloads nothing.
    expect((await post(photo)).status).toBe(200);
    expect(fake.callsOf('getFile').filter((c) => c.params.file_id === photo.message.photo[2].file_id)).toHaveLength(1);
    expect((await messagesOf(ticketId)).filter((m) => m.kind === 'message')).toHaveLength(2);
  });

  it('keeps oversize or unreachable media as a link with the reason, never with the token', async () => {
    const user = newUser();
    // Over MAX_ATTACHMENT_MB (1) and with no file_size, so only counting the download can tell.
    const big = fake.addFile(Buffer.alloc(1.5 * 1024 * 1024, 7), { path: 'documents/file_big.pdf' });
    const oversize = updateFrom('document-message', user, (m) => (m.document = { file_name: 'scan.pdf', mime_type: 'application/pdf', file_id: big.file_id, file_unique_id: big.file_unique_id }));
    // Over the Bot API's 20 MB: not even asked for.
    const huge = updateFrom('document-message', user, (m) => (m.document = { ...m.document, file_name: 'video.zip', file_id: 'BQAC-huge-file', file_size: 26 * 1024 * 1024 }));
    const lost = fake.addFile(Buffer.from('never served'), { path: 'documents/file_lost.pdf' });
    const unreachable = updateFrom('document-message', user, (m) => (m.document = { ...m.document, file_name: 'lost.pdf', file_id: lost.file_id, file_size: lost.file_size }));

    const { ticketId } = await deliver(oversize);
    await deliver(huge);
    fake.failNext(500, 'Internal Server Error', { method: 'getFile' });
    await deliver(unreachable);

    const [a, b, c] = (await messagesOf(ticketId)).map((m) => m.attachments[0]);
    expect(a).toMatchObject({ filename: 'scan.pdf', stored: false, note: expect.stringContaining('too large to download (1.5 MB)') });
    expect(b).toMatchObject({ filename: 'video.zip', stored: false, note: expect.stringContaining('too large to download (26 MB)') });
    expect(c).toMatchObject({ filename: 'lost.pdf', stored: false, note: expect.stringContaining('download failed') });
    expect(a.url).toContain(big.file_id);
    for (const link of [a, b, c]) expect(link.url).not.toContain(fake.token);
    expect(fake.callsOf('getFile').map((call) => call.params.file_id)).not.toContain('BQAC-huge-file');
    expect((await messagesOf(ticketId))[0].text).toBe('my invoice');
  });

  it("sends a reply to the customer's chat and keeps Telegram's message id", async () => {
    const user = newUser();
    const { ticketId } = await deliver(updateFrom('text-message', user));
    const sentBefore = fake.sent.length;
    const { id } = await reply(ticketId, { text: 'سلام سارا! سفارش شما فردا می‌رسد.' });
    const message = await settled(ticketId, id);
    expect(message).toMatchObject({ deliveryStatus: 'sent', error: null });
    expect(fake.sent.slice(sentBefore)).toEqual([expect.objectContaining({ method: 'sendMessage', chatId: String(user), text: 'سلام سارا! سفارش شما فردا می‌رسد.' })]);
    const [row] = await sql('SELECT provider_message_id FROM messages WHERE id = $1', [id]);
    expect(row.provider_message_id).toBe(`${user}:${fake.sent[sentBefore].messageId}`);
  });

  it('asks for a rating with a one-time keyboard of ۱–۵ after a resolve; a tap is the rating and the ticket stays resolved', async () => {
    expect((await t.http.patch(`/api/channels/${channel.id}`, { csat: true })).status).toBe(200);
    try {
      const user = newUser();
      const { ticketId } = await deliver(updateFrom('text-message', user, (m) => (m.text = 'سلام، سفارشم کی می‌رسد؟')));
      const { id } = await reply(ticketId, { text: 'فردا.' });
      await settled(ticketId, id);
      const sentBefore = fake.sent.length;
      expect((await t.http.patch(`/api/tickets/${ticketId}`, { status: 'resolved' })).status).toBe(200);
      const survey = await eventually(async () => fake.sent.slice(sentBefore).find((s) => s.chatId === String(user)), 15_000, 'the survey on Telegram');
      expect(survey).toMatchObject({ method: 'sendMessage', text: expect.stringContaining('از ۱ (ناراضی) تا ۵'), keyboard: { rows: [['۱', '۲', '۳', '۴', '۵']], oneTime: true } });

      // The customer taps ۵: Telegram sends the button's text as their message.
      await deliver(updateFrom('text-message', user, (m) => (m.text = '۵')));
      const ticket = (await t.http.get(`/api/tickets/${ticketId}`)).body;
      expect(ticket.status).toBe('resolved');
      expect((await sql('SELECT score FROM csat_surveys WHERE ticket_id = $1', [ticketId]))[0].score).toBe(5);
      // A plain reply carries no keyboard.
      expect(fake.sent.filter((s) => s.chatId === String(user) && s.text === 'فردا.')[0].keyboard).toBeUndefined();
    } finally {
      await t.http.patch(`/api/channels/${channel.id}`, { csat: false });
    }
  });

  it('sends uploaded files: one file carries the text as caption, several follow the text', async () => {
    const user = newUser();
    const { ticketId } = await deliver(updateFrom('text-message', user));
    const upload = async (content: Buffer, type: string, filename: string) => {
      const form = new FormData();
      form.append('file', new Blob([content], { type }), filename);
      const res = await fetch(`${t.url}/api/attachments`, { method: 'POST', headers: { authorization: `Bearer ${t.adminToken}` }, body: form });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    const pdf = Buffer.from('%PDF-1.4 invoice');
    const png = Buffer.from('\x89PNG fake picture', 'latin1');

    let before = fake.sent.length;
    const one = await reply(ticketId, { text: 'your invoice', attachmentIds: [await upload(pdf, 'application/pdf', 'فاکتور.pdf')] });
    expect((await settled(ticketId, one.id)).deliveryStatus).toBe('sent');
    expect(fake.sent.slice(before)).toEqual([expect.objectContaining({ method: 'sendDocument', chatId: String(user), caption: 'your invoice', file: { filename: 'فاکتور.pdf', content: pdf } })]);

    before = fake.sent.length;
    const two = await reply(ticketId, { text: 'both files', attachmentIds: [await upload(png, 'image/png', 'shot.png'), await upload(pdf, 'application/pdf', 'copy.pdf')] });
    expect((await settled(ticketId, two.id)).deliveryStatus).toBe('sent');
    expect(fake.sent.slice(before).map((m) => [m.method, m.text ?? m.file?.filename])).toEqual([
      ['sendMessage', 'both files'],
      ['sendPhoto', 'shot.png'],
      ['sendDocument', 'copy.pdf'],
    ]);
    expect(fake.sent[before + 1].file!.content).toEqual(png);
  });

  it("retries Telegram's rate limit and server errors, then fails with Telegram's reason", async () => {
    const { ticketId } = await deliver(updateFrom('text-message', newUser()));
    let calls = fake.callsOf('sendMessage').length;
    fake.failNext(429, 'Too Many Requests: retry after 1', { method: 'sendMessage', retryAfter: 1 });
    const limited = await reply(ticketId, { text: 'after the rate limit' });
    expect(await settled(ticketId, limited.id)).toMatchObject({ deliveryStatus: 'sent', error: null });
    expect(fake.callsOf('sendMessage').length - calls).toBe(2);

    calls = fake.callsOf('sendMessage').length;
    fake.failNext(502, 'Bad Gateway', { method: 'sendMessage', times: 3 });
    const down = await reply(ticketId, { text: 'Telegram is down' });
    const failed = await settled(ticketId, down.id);
    expect(failed.deliveryStatus).toBe('failed');
    expect(failed.error).toContain('Telegram had a server error');
    expect(failed.error).toContain('502');
    expect(fake.callsOf('sendMessage').length - calls).toBe(3);
  });

  it('fails at once, without retrying, when the customer blocked the bot', async () => {
    const user = newUser();
    const { ticketId } = await deliver(updateFrom('text-message', user));
    fake.blockBot(user);
    const calls = fake.callsOf('sendMessage').length;
    const { id } = await reply(ticketId, { text: 'hello?' });
    const failed = await settled(ticketId, id);
    expect(failed.deliveryStatus).toBe('failed');
    expect(failed.error).toContain('the customer blocked the bot');
    expect(failed.error).toContain('Forbidden: bot was blocked by the user');
    expect(fake.callsOf('sendMessage').length - calls).toBe(1);
    const outbox = await sql(`SELECT status, attempts FROM outbox WHERE payload->>'messageId' = $1`, [id]);
    expect(outbox).toEqual([{ status: 'failed', attempts: 1 }]);
  });

  it('fails at once for a chat Telegram does not know', async () => {
    const user = newUser();
    const { ticketId } = await deliver(updateFrom('text-message', user));
    fake.forgetChat(user);
    const calls = fake.callsOf('sendMessage').length;
    const { id } = await reply(ticketId, { text: 'anyone there?' });
    const failed = await settled(ticketId, id);
    expect(failed).toMatchObject({ deliveryStatus: 'failed', error: expect.stringContaining('chat not found') });
    expect(fake.callsOf('sendMessage').length - calls).toBe(1);
  });
});

describe('Telegram channel: long polling', () => {
  let t: TestServer;
  let peer: TestServer | undefined;
  let fake: TelegramFake;
  let channelId: string;
  const user = newUser();

  const sql = (query: string, params: unknown[] = []) => t.db.database.dataSource.query(query, params);
  const texts = async (): Promise<string[]> =>
    (await sql(`SELECT text FROM messages WHERE channel_id = $1 AND direction = 'inbound' ORDER BY created_at, id`, [channelId])).map((r: { text: string }) => r.text);
  const cursor = async () => (await sql(`SELECT value FROM channel_cursors WHERE channel_id = $1 AND key = 'telegram.offset'`, [channelId]))[0]?.value;
  const textUpdate = (text: string) => updateFrom('text-message', user, (m) => (m.text = text));

  beforeAll(async () => {
    fake = await new TelegramFake().start();
    // A webhook left over from an earlier setup: Telegram refuses getUpdates until it is deleted.
    fake.webhook = { url: 'https://old.example.com/telegram' };
    t = await startTestServer(ENV);
  });
  afterAll(async () => {
    await peer?.close();
    await t?.close();
    await fake?.stop();
  });

  it('deletes the webhook, then stores polled messages in order and checkpoints the offset', async () => {
    const channel = await createTelegramChannel(t, { botToken: fake.token, mode: 'polling', apiRoot: fake.apiRoot });
    channelId = channel.id;
    expect(fake.webhook).toBeNull();
    expect(fake.callsOf('setWebhook')).toHaveLength(0);
    expect((await t.http.get(`/api/channels/${channelId}`)).body.config).toEqual({ mode: 'polling', apiRoot: fake.apiRoot });

    const queued = ['one', 'two', 'three'].map((text) => fake.queueUpdate(textUpdate(text)));
    await eventually(async () => ((await texts()).length === 3 ? true : undefined), 10_000, 'three polled messages');
    expect(await texts()).toEqual(['one', 'two', 'three']);
    await eventually(async () => ((await cursor()) === queued[2].update_id + 1 ? true : undefined), 5_000, 'the offset checkpoint');
    const health = (await t.http.get(`/api/channels/${channelId}`)).body.health;
    expect(health.cursor).toEqual({ 'telegram.offset': queued[2].update_id + 1 });
    const customer = await sql(`SELECT c.name FROM customers c JOIN customer_identities i ON i.customer_id = c.id WHERE i.channel_type = 'telegram' AND i.external_id = $1`, [String(user)]);
    expect(customer).toEqual([{ name: 'Sara Ahmadi' }]);
    expect(fake.conflicts).toBe(0);
  });

  it('reads edits and media through the same parser as the webhook', async () => {
    const original = fake.queueUpdate(textUpdate('typo hree'));
    const picture = Buffer.from('polled picture');
    const file = fake.addFile(picture, { path: 'photos/polled.jpg' });
    fake.queueUpdate(updateFrom('edited-message', user, (m) => (m.text = 'typo three'), original.message.message_id));
    fake.queueUpdate(updateFrom('photo-message', user, (m) => (m.photo = [{ ...file, width: 10, height: 10 }])));
    const photo = await eventually(async () => {
      const rows = await sql(`SELECT m.id, a.size FROM messages m JOIN attachments a ON a.message_id = m.id WHERE m.channel_id = $1`, [channelId]);
      return rows[0];
    }, 10_000, 'the polled photo');
    expect(Number(photo.size)).toBe(picture.length);
    const edited = await sql(`SELECT text, edited_at FROM messages WHERE external_message_id = $1`, [`${user}:${original.message.message_id}`]);
    expect(edited).toHaveLength(1);
    expect(edited[0].text).toBe('typo three');
    expect(edited[0].edited_at).not.toBeNull();
  });

  it('records a polling error on the channel, backs off and carries on', async () => {
    fake.failNext(502, 'Bad Gateway', { method: 'getUpdates' });
    const health = await eventually(async () => {
      const h = (await t.http.get(`/api/channels/${channelId}`)).body.health;
      return h.lastError ? h : undefined;
    }, 10_000, 'the polling error on the channel');
    expect(health.lastError).toContain('Telegram polling failed');
    expect(health.lastError).toContain('502');
    fake.queueUpdate(textUpdate('after the outage'));
    await eventually(async () => ((await texts()).includes('after the outage') ? true : undefined), 10_000, 'a message after the outage');
  });

  it('stops polling while the channel is deactivated and catches up when it is back', async () => {
    expect((await t.http.patch(`/api/channels/${channelId}`, { active: false })).status).toBe(200);
    const calls = fake.callsOf('getUpdates').length;
    fake.queueUpdate(textUpdate('while away'));
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await texts()).not.toContain('while away');
    expect(fake.callsOf('getUpdates').length).toBe(calls);
    expect((await t.http.patch(`/api/channels/${channelId}`, { active: true })).status).toBe(200);
    await eventually(async () => ((await texts()).includes('while away') ? true : undefined), 10_000, 'the message queued while away');
  });

  it('survives a restart mid-stream: every update stored exactly once, none skipped, cursor advanced', async () => {
    // One update per answer, slowly, so the server is stopped with updates still waiting.
    fake.maxBatch = 1;
    fake.answerDelayMs = 300;
    const first = Array.from({ length: 6 }, (_, i) => fake.queueUpdate(textUpdate(`restart ${i + 1}`)));
    await eventually(async () => ((await texts()).filter((x) => x.startsWith('restart ')).length >= 2 ? true : undefined), 10_000, 'two of the first batch');
    await t.server.close();
    const storedWhileUp = (await texts()).filter((x) => x.startsWith('restart ')).length;
    expect(storedWhileUp).toBeLessThan(6);

    const second = Array.from({ length: 6 }, (_, i) => fake.queueUpdate(textUpdate(`restart ${i + 7}`)));
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Nobody polls while the server is down.
    expect((await texts()).filter((x) => x.startsWith('restart ')).length).toBe(storedWhileUp);

    fake.answerDelayMs = 0;
    peer = await startPeerServer(t, ENV);
    const expected = Array.from({ length: 12 }, (_, i) => `restart ${i + 1}`);
    await eventually(async () => ((await texts()).filter((x) => x.startsWith('restart ')).length >= 12 ? true : undefined), 20_000, 'all twelve updates');
    expect((await texts()).filter((x) => x.startsWith('restart '))).toEqual(expected);
    const perUpdate = await sql(
      `SELECT external_message_id, count(*)::int AS n FROM messages WHERE channel_id = $1 AND text LIKE 'restart %' GROUP BY external_message_id`,
      [channelId],
    );
    expect(perUpdate).toHaveLength(12);
    expect(perUpdate.every((r: { n: number }) => r.n === 1)).toBe(true);
    const last = [...first, ...second].at(-1)!;
    await eventually(async () => ((await cursor()) === last.update_id + 1 ? true : undefined), 5_000, 'the cursor past the last update');
    await eventually(async () => (fake.pendingUpdates() === 0 ? true : undefined), 5_000, 'Telegram to forget the confirmed updates');
    expect(fake.conflicts).toBe(0);
  });
});
