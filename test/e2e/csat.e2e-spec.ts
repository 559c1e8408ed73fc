import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { eventually, inbound, startTestServer, TestServer } from '../support/test-server';

/**
 * Customer satisfaction: a channel that asks sends one question when an agent resolves a ticket, in
 * the customer's language; a reply of 1–5 (any digits) is the rating — stored, counted in the report,
 * and the ticket stays resolved; anything else is a message as ever.
 */
describe('customer satisfaction (CSAT)', () => {
  let t: TestServer;
  let receiver: Server;
  const sent: Array<{ text: string; ticketId: string }> = [];
  let channel: { id: string; inboundToken: string };
  let n = 0;

  const say = (from: string, text: string, externalMessageId = `m-${++n}`) =>
    inbound(t.http, channel, { externalMessageId, from: { externalId: from, name: from }, text });
  const messages = async (ticketId: string) => (await t.http.get(`/api/tickets/${ticketId}/messages?limit=100`)).body.items as any[];
  const ticket = async (ticketId: string) => (await t.http.get(`/api/tickets/${ticketId}`)).body;
  const resolveAfterReply = async (ticketId: string) => {
    expect((await t.http.post(`/api/tickets/${ticketId}/replies`, { text: 'Done: it ships today.' })).status).toBe(201);
    expect((await t.http.patch(`/api/tickets/${ticketId}`, { status: 'resolved' })).status).toBe(200);
  };
  const surveyOf = (ticketId: string) =>
    eventually(async () => (await messages(ticketId)).find((m) => m.authorType === 'system' && m.direction === 'outbound'), 10_000, 'the survey');

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString());
        sent.push({ text: body.message.text, ticketId: body.ticket.id });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    t = await startTestServer();
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const res = await t.http.post('/api/channels', { type: 'api', name: 'Shop', config: { callbackUrl: url, secret: 'a-long-shared-secret-123' }, csat: true });
    expect(res.body.csat).toBe(true);
    channel = { id: res.body.id, inboundToken: res.body.inboundToken };
  });
  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it("asks once, in the customer's language, when an agent resolves a ticket they answered", async () => {
    const { ticketId } = (await say('sara', 'سلام، سفارشم كجاست؟')).body;
    await resolveAfterReply(ticketId);
    const survey = await surveyOf(ticketId);
    expect(survey.text).toBe('از پاسخ‌گویی ما چقدر راضی بودید؟ لطفاً عددی از ۱ (ناراضی) تا ۵ (بسیار راضی) بفرستید.');
    await eventually(async () => (sent.some((s) => s.ticketId === ticketId && s.text === survey.text) ? true : undefined), 10_000, 'the survey delivered');
    expect((await ticket(ticketId)).status).toBe('resolved');

    // Reopened and resolved again: not asked twice.
    await t.http.patch(`/api/tickets/${ticketId}`, { status: 'open' });
    await t.http.patch(`/api/tickets/${ticketId}`, { status: 'resolved' });
    await new Promise((r) => setTimeout(r, 500));
    expect((await messages(ticketId)).filter((m) => m.authorType === 'system')).toHaveLength(1);

    const english = (await say('john', 'Where is my parcel?')).body.ticketId;
    await resolveAfterReply(english);
    expect((await surveyOf(english)).text).toBe('How would you rate our help? Please reply with a number from 1 (poor) to 5 (great).');
  });

  it('takes "۵" as the rating: stored once, counted, and the ticket stays resolved; other replies are messages', async () => {
    const { ticketId } = (await say('leila', 'کد تخفیف کار نمی‌کند')).body;
    await resolveAfterReply(ticketId);
    await surveyOf(ticketId);
    const before = await ticket(ticketId);

    const rating = await say('leila', '۵', 'rating-1');
    expect(rating.status).toBe(202);
    expect(rating.body).toMatchObject({ ticketId, duplicate: false });
    // A retried delivery of the same message: the same ids, nothing new.
    const retry = await say('leila', '۵', 'rating-1');
    expect(retry.body).toMatchObject({ ticketId, messageId: rating.body.messageId, duplicate: true });
    const after = await ticket(ticketId);
    expect(after).toMatchObject({ status: 'resolved', lastCustomerMessageAt: before.lastCustomerMessageAt });
    expect((await messages(ticketId)).filter((m) => m.text === '۵')).toHaveLength(1);

    const from = new Date(Date.now() - 3_600_000).toISOString();
    const report = (await t.http.get(`/api/reports/response-times?groupBy=channel&from=${from}`)).body.rows.find((r: any) => r.key === channel.id);
    expect(report.csat).toMatchObject({ responses: 1, average: 5, satisfiedRatio: 1 });

    // Answered already: a second number is a message, and it reopens the ticket as any message does.
    await say('leila', '3');
    expect((await ticket(ticketId)).status).toBe('open');
  });

  it('a reply that is not a rating reopens the ticket; a number after that is a message too', async () => {
    const { ticketId } = (await say('omid', 'فاکتور نرسید')).body;
    await resolveAfterReply(ticketId);
    await surveyOf(ticketId);
    await say('omid', 'هنوز نرسیده!');
    expect((await ticket(ticketId)).status).toBe('open');
    const four = await say('omid', '4');
    expect(four.body.ticketId).toBe(ticketId);
    expect((await messages(ticketId)).find((m) => m.text === '4')).toMatchObject({ direction: 'inbound', authorType: 'customer' });
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const report = (await t.http.get(`/api/reports/response-times?groupBy=channel&from=${from}`)).body.rows.find((r: any) => r.key === channel.id);
    expect(report.csat.responses).toBe(1); // only Leila's
  });

  it('takes the rating of a customer merged into another since the question', async () => {
    const { ticketId, customerId } = (await say('parisa', 'رسید خرید را می‌خواهم')).body;
    await resolveAfterReply(ticketId);
    await surveyOf(ticketId);
    const survivor = (await say('parisa-work', 'I am Parisa, from my work account')).body.customerId;
    expect((await t.http.post(`/api/customers/${survivor}/merge`, { sourceCustomerId: customerId })).status).toBe(200);
    const rating = await say('parisa', '4');
    expect(rating.body).toMatchObject({ ticketId, customerId: survivor });
    expect((await ticket(ticketId)).status).toBe('resolved');
  });

  it('does not ask on a channel that does not, nor for a ticket no agent answered', async () => {
    const quiet = (await t.http.post('/api/channels', { type: 'api', name: 'Quiet', config: {} })).body;
    expect(quiet.csat).toBe(false);
    const res = await inbound(t.http, { id: quiet.id, inboundToken: quiet.inboundToken }, { externalMessageId: 'q-1', from: { externalId: 'q' }, text: 'hi' });
    await t.http.post(`/api/tickets/${res.body.ticketId}/replies`, { text: 'hello' });
    await t.http.patch(`/api/tickets/${res.body.ticketId}`, { status: 'resolved' });

    const { ticketId } = (await say('spam', 'buy now')).body;
    await t.http.patch(`/api/tickets/${ticketId}`, { status: 'resolved' });
    await new Promise((r) => setTimeout(r, 500));
    expect((await messages(res.body.ticketId)).some((m) => m.authorType === 'system')).toBe(false);
    expect((await messages(ticketId)).some((m) => m.authorType === 'system')).toBe(false);

    // Turned on later, by PATCH.
    expect((await t.http.patch(`/api/channels/${quiet.id}`, { csat: true })).body.csat).toBe(true);
  });
});
