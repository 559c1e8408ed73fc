import { ApiChannel, createApiChannel, inbound, startTestServer, TestServer } from '../support/test-server';

describe('exactly-once ingest through the API channel', () => {
  let t: TestServer;
  let channel: ApiChannel;

  beforeAll(async () => {
    t = await startTestServer({ MAX_ATTACHMENT_MB: '1', REOPEN_WINDOW_HOURS: '1', DEFAULT_PHONE_REGION: 'IR' });
    channel = await createApiChannel(t.http);
  });
  afterAll(() => t.close());

  const count = async (sql: string, params: unknown[] = []) => Number((await t.db.database.dataSource.query(sql, params))[0].count);

  it('stores a message once and answers a retry with the same ids', async () => {
    const body = { externalMessageId: 'once-1', from: { externalId: 'u-once', name: 'Sara' }, text: 'Where is my order?' };
    const first = await inbound(t.http, channel, body);
    const again = await inbound(t.http, channel, body);
    expect(first.status).toBe(202);
    expect(first.body.duplicate).toBe(false);
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ ...first.body, duplicate: true });
    expect(await count(`SELECT count(*) FROM messages WHERE external_message_id = 'once-1'`)).toBe(1);
  });

  it('absorbs 1,000 concurrent deliveries of 200 distinct messages into exactly 200', async () => {
    // A provider retries a delivery whose connection broke (1,000 at once on a busy 2-core machine can
    // see a reset); the retry must be absorbed like any other duplicate.
    const deliver = async (n: number) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await inbound(t.http, channel, { externalMessageId: `burst-${n}`, from: { externalId: `burst-customer-${n % 40}` }, text: `message ${n}` });
        } catch (error) {
          if (attempt === 3) throw error;
        }
      }
    };
    const deliveries = Array.from({ length: 1000 }, (_, i) => deliver(i % 200));
    const responses = await Promise.all(deliveries);
    expect(responses.filter((r) => r.status !== 202)).toEqual([]);
    expect(responses.filter((r) => !r.body.duplicate).length).toBeLessThanOrEqual(200);
    expect(await count(`SELECT count(*) FROM messages WHERE external_message_id LIKE 'burst-%'`)).toBe(200);
    // Every duplicate answer names the message that was stored.
    const byId = new Map<string, string>();
    for (const [i, r] of responses.entries()) {
      const key = `burst-${i % 200}`;
      expect(byId.get(key) ?? r.body.messageId).toBe(r.body.messageId);
      byId.set(key, r.body.messageId);
    }
    expect(await count(`SELECT count(*) FROM customers c JOIN customer_identities i ON i.customer_id = c.id WHERE i.external_id LIKE 'burst-customer-%'`)).toBe(40);
    expect(await count(`SELECT count(*) FROM tickets t JOIN customer_identities i ON i.customer_id = t.customer_id WHERE i.external_id LIKE 'burst-customer-%'`)).toBe(40);
  });

  it('turns 20 concurrent first messages from one new customer into one customer and one ticket', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => inbound(t.http, channel, { externalMessageId: `first-${i}`, from: { externalId: 'brand-new', name: 'New Person' }, text: `hi ${i}` })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(202));
    expect(new Set(responses.map((r) => r.body.customerId)).size).toBe(1);
    expect(new Set(responses.map((r) => r.body.ticketId)).size).toBe(1);
    expect(await count(`SELECT count(*) FROM customer_identities WHERE external_id = 'brand-new'`)).toBe(1);
    const ticket = await t.http.get(`/api/tickets/${responses[0].body.ticketId}`);
    expect(ticket.body.messageCount).toBe(20);
  });

  it('matches a known customer by exact email or phone, normalised, and never by name', async () => {
    const other = await createApiChannel(t.http);
    const a = await inbound(t.http, channel, { externalMessageId: 'id-1', from: { externalId: 'crm-1', name: 'Reza', email: 'Reza@Example.com', phone: '۰۹۱۲۳۴۵۶۷۸۹' }, text: 'x' });
    const byEmail = await inbound(t.http, other, { externalMessageId: 'id-2', from: { externalId: 'other-1', email: 'reza@example.COM' }, text: 'x' });
    const byPhone = await inbound(t.http, other, { externalMessageId: 'id-3', from: { externalId: 'other-2', phone: '+98 912 345 6789' }, text: 'x' });
    const sameName = await inbound(t.http, other, { externalMessageId: 'id-4', from: { externalId: 'other-3', name: 'Reza' }, text: 'x' });
    expect(byEmail.body.customerId).toBe(a.body.customerId);
    expect(byPhone.body.customerId).toBe(a.body.customerId);
    expect(sameName.body.customerId).not.toBe(a.body.customerId);
    const customer = await t.http.get(`/api/customers/${a.body.customerId}`);
    expect(customer.body.phone).toBe('+989123456789');
    expect(customer.body.email).toBe('reza@example.com');
    expect(customer.body.identities).toEqual(
      expect.arrayContaining([
        { channelType: 'api', externalId: 'crm-1' },
        { channelType: 'api', externalId: 'other-1' },
        { channelType: 'api', externalId: 'other-2' },
      ]),
    );
  });

  it('keeps threads apart, reopens a recently resolved ticket, and opens a new one after close', async () => {
    const from = { externalId: 'threads' };
    const a = await inbound(t.http, channel, { externalMessageId: 'th-1', from, text: 'a', threadKey: 'order-1' });
    const b = await inbound(t.http, channel, { externalMessageId: 'th-2', from, text: 'b', threadKey: 'order-2' });
    expect(b.body.ticketId).not.toBe(a.body.ticketId);

    expect((await t.http.patch(`/api/tickets/${a.body.ticketId}`, { status: 'resolved' })).status).toBe(200);
    const reopened = await inbound(t.http, channel, { externalMessageId: 'th-3', from, text: 'still broken', threadKey: 'order-1' });
    expect(reopened.body.ticketId).toBe(a.body.ticketId);
    expect((await t.http.get(`/api/tickets/${a.body.ticketId}`)).body.status).toBe('open');

    expect((await t.http.patch(`/api/tickets/${a.body.ticketId}`, { status: 'closed' })).status).toBe(200);
    const fresh = await inbound(t.http, channel, { externalMessageId: 'th-4', from, text: 'new problem', threadKey: 'order-1' });
    expect(fresh.body.ticketId).not.toBe(a.body.ticketId);
  });

  it('opens a new ticket when the resolved one is older than the reopen window', async () => {
    const from = { externalId: 'window' };
    const a = await inbound(t.http, channel, { externalMessageId: 'w-1', from, text: 'a' });
    await t.http.patch(`/api/tickets/${a.body.ticketId}`, { status: 'resolved' });
    await t.db.database.dataSource.query(`UPDATE tickets SET resolved_at = now() - interval '2 hours' WHERE id = $1`, [a.body.ticketId]);
    const b = await inbound(t.http, channel, { externalMessageId: 'w-2', from, text: 'b' });
    expect(b.body.ticketId).not.toBe(a.body.ticketId);
  });

  it('stores attachments with their sha256 and serves them to agents', async () => {
    const content = Buffer.from('receipt: ۱۲۳');
    const res = await inbound(t.http, channel, {
      externalMessageId: 'att-1',
      from: { externalId: 'att' },
      text: 'see attached',
      html: '<p onclick="steal()">see <b>attached</b><script>alert(1)</script></p>',
      attachments: [{ filename: 'رسید.txt', contentType: 'text/plain', contentBase64: content.toString('base64') }],
    });
    expect(res.status).toBe(202);
    const messages = await t.http.get(`/api/tickets/${res.body.ticketId}/messages`);
    const message = messages.body.items[0];
    expect(message.html).toBe('<p>see <b>attached</b></p>');
    expect(message.attachments).toEqual([expect.objectContaining({ filename: 'رسید.txt', contentType: 'text/plain', size: content.length })]);
    const rows = await t.db.database.dataSource.query('SELECT sha256 FROM attachments WHERE message_id = $1', [res.body.messageId]);
    expect(rows[0].sha256).toBe(require('node:crypto').createHash('sha256').update(content).digest('hex'));
    const download = await fetch(t.url + message.attachments[0].url, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(Buffer.from(await download.arrayBuffer())).toEqual(content);
  });

  describe('bad input: a clear 4xx and nothing stored', () => {
    const before = () => count('SELECT count(*) FROM messages');

    it.each([
      ['an unknown field', { externalMessageId: 'bad-1', from: { externalId: 'b' }, text: 'x', surprise: true }, 'INVALID_PAYLOAD'],
      ['a wrong type', { externalMessageId: 42, from: { externalId: 'b' }, text: 'x' }, 'INVALID_PAYLOAD'],
      ['a missing sender', { externalMessageId: 'bad-3', text: 'x' }, 'INVALID_PAYLOAD'],
      ['a bad date', { externalMessageId: 'bad-4', from: { externalId: 'b' }, text: 'x', sentAt: 'yesterday' }, 'INVALID_PAYLOAD'],
    ])('%s → 400', async (_what, body, code) => {
      const n = await before();
      const res = await inbound(t.http, channel, body as Record<string, unknown>);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code });
      expect(await before()).toBe(n);
    });

    it('a wrong or missing channel token → 401', async () => {
      const n = await before();
      const body = { externalMessageId: 'tok', from: { externalId: 'b' }, text: 'x' };
      const wrong = await t.http.as(undefined).post(`/api/channels/${channel.id}/inbound`, body, { 'x-channel-token': 'psk_c_wrong' });
      const missing = await t.http.as(undefined).post(`/api/channels/${channel.id}/inbound`, body);
      expect(wrong.status).toBe(401);
      expect(missing.status).toBe(401);
      expect(wrong.body.code).toBe('INVALID_SIGNATURE');
      expect(await before()).toBe(n);
    });

    it('malformed JSON → 400 INVALID_JSON; a malformed or unknown channel id → 400 / 404', async () => {
      const raw = await t.http.as(undefined).request('POST', `/api/channels/${channel.id}/inbound`, '{"text":', { 'content-type': 'application/json', 'x-channel-token': channel.inboundToken });
      expect(raw.status).toBe(400);
      expect(raw.body.code).toBe('INVALID_JSON');
      const malformed = await t.http.as(undefined).post('/api/channels/nope/inbound', {});
      expect(malformed.body).toMatchObject({ statusCode: 400, code: 'INVALID_ID' });
      const unknown = await t.http.as(undefined).post('/api/channels/00000000-0000-4000-8000-000000000000/inbound', {});
      expect(unknown.body).toMatchObject({ statusCode: 404, code: 'CHANNEL_NOT_FOUND' });
    });

    it('an attachment over the limit → 413 ATTACHMENT_TOO_LARGE; a body over the limit → 413', async () => {
      const n = await before();
      const big = Buffer.alloc(1024 * 1024 + 1, 1).toString('base64');
      const res = await inbound(t.http, channel, { externalMessageId: 'big', from: { externalId: 'b' }, text: 'x', attachments: [{ filename: 'a.bin', contentType: 'application/octet-stream', contentBase64: big }] });
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('ATTACHMENT_TOO_LARGE');
      const huge = await inbound(t.http, channel, { externalMessageId: 'huge', from: { externalId: 'b' }, text: 'x'.repeat(3 * 1024 * 1024) });
      expect(huge.status).toBe(413);
      expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await before()).toBe(n);
    });
  });
});
