import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { verifySignature } from '@channels/api';
import { createApiChannel, eventually, inbound, startTestServer, TestServer } from '../support/test-server';

const SECRET = 'callback-secret-0123456789';

/** A real HTTP receiver for the API channel's callbacks that can be told to fail. */
class CallbackReceiver {
  readonly calls: Array<{ body: Buffer; headers: IncomingMessage['headers'] }> = [];
  failNext = 0;
  failStatus = 500;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        this.calls.push({ body: Buffer.concat(chunks), headers: req.headers });
        if (this.failNext > 0) {
          this.failNext--;
          res.writeHead(this.failStatus).end('receiver is down');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `crm-${this.calls.length}` }));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('outbound replies through the outbox', () => {
  let t: TestServer;
  const receiver = new CallbackReceiver();

  beforeAll(async () => {
    await receiver.start();
    t = await startTestServer({ OUTBOX_MAX_ATTEMPTS: '5', LOG_LEVEL: 'error' });
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });
  beforeEach(() => {
    receiver.calls.length = 0;
    receiver.failNext = 0;
  });

  const message = async (ticketId: string, messageId: string) =>
    (await t.http.get(`/api/tickets/${ticketId}/messages?limit=200`)).body.items.find((m: { id: string }) => m.id === messageId);

  it('queues a reply, then POSTs it to the callback signed with the channel secret', async () => {
    const channel = await createApiChannel(t.http, { callbackUrl: receiver.url, secret: SECRET });
    const { ticketId } = (await inbound(t.http, channel, { externalMessageId: 'out-1', from: { externalId: 'crm-user-7' }, text: 'help' })).body;
    const reply = await t.http.post(`/api/tickets/${ticketId}/replies`, { text: 'سلام! بررسی می‌کنیم.' });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ deliveryStatus: 'queued', direction: 'outbound', kind: 'message', authorType: 'agent' });

    const sent = await eventually(async () => {
      const m = await message(ticketId, reply.body.id);
      return m.deliveryStatus === 'sent' ? m : undefined;
    });
    expect(sent.error).toBeNull();
    expect(receiver.calls).toHaveLength(1);
    const call = receiver.calls[0];
    expect(verifySignature(SECRET, call.body, call.headers['x-pasokh-signature'] as string)).toBe(true);
    expect(verifySignature('another-secret-0123456789', call.body, call.headers['x-pasokh-signature'] as string)).toBe(false);
    expect(call.headers['x-pasokh-delivery']).toBe(reply.body.id);
    const payload = JSON.parse(call.body.toString('utf8'));
    expect(payload).toMatchObject({ event: 'message.created', message: { id: reply.body.id, text: 'سلام! بررسی می‌کنیم.' }, ticket: { id: ticketId }, to: { externalId: 'crm-user-7' } });
    const stored = await t.db.database.dataSource.query('SELECT provider_message_id FROM messages WHERE id = $1', [reply.body.id]);
    expect(stored[0].provider_message_id).toBe('crm-1');
    const ticket = (await t.http.get(`/api/tickets/${ticketId}`)).body;
    expect(ticket.firstResponseAt).not.toBeNull();
  });

  it('retries a callback that fails three times and delivers it exactly once', async () => {
    const channel = await createApiChannel(t.http, { callbackUrl: receiver.url, secret: SECRET });
    const { ticketId } = (await inbound(t.http, channel, { externalMessageId: 'retry-1', from: { externalId: 'retry' }, text: 'help' })).body;
    receiver.failNext = 3;
    const reply = await t.http.post(`/api/tickets/${ticketId}/replies`, { text: 'on it' });
    await eventually(async () => ((await message(ticketId, reply.body.id)).deliveryStatus === 'sent' ? true : undefined));
    expect(receiver.calls).toHaveLength(4);
    const successes = receiver.calls.filter((_, i) => i >= 3);
    expect(successes).toHaveLength(1);
    expect(new Set(receiver.calls.map((c) => c.headers['x-pasokh-delivery']))).toEqual(new Set([reply.body.id]));
    const outbox = await t.db.database.dataSource.query(`SELECT status, attempts FROM outbox WHERE payload->>'messageId' = $1`, [reply.body.id]);
    expect(outbox).toEqual([{ status: 'done', attempts: 4 }]);
  });

  it('gives up after the attempt limit and shows the failure on the message', async () => {
    const channel = await createApiChannel(t.http, { callbackUrl: receiver.url, secret: SECRET });
    const { ticketId } = (await inbound(t.http, channel, { externalMessageId: 'fail-1', from: { externalId: 'fail' }, text: 'help' })).body;
    receiver.failNext = 100;
    const reply = await t.http.post(`/api/tickets/${ticketId}/replies`, { text: 'never arrives' });
    const failed = await eventually(async () => {
      const m = await message(ticketId, reply.body.id);
      return m.deliveryStatus === 'failed' ? m : undefined;
    }, 20_000);
    expect(failed.error).toContain('HTTP 500');
    expect(receiver.calls).toHaveLength(5);
  });

  it('does not retry a refusal (4xx) and fails at once with the reason', async () => {
    const channel = await createApiChannel(t.http, { callbackUrl: receiver.url, secret: SECRET });
    const { ticketId } = (await inbound(t.http, channel, { externalMessageId: 'refuse-1', from: { externalId: 'refuse' }, text: 'help' })).body;
    receiver.failNext = 1;
    receiver.failStatus = 422;
    try {
      const reply = await t.http.post(`/api/tickets/${ticketId}/replies`, { text: 'refused' });
      const failed = await eventually(async () => {
        const m = await message(ticketId, reply.body.id);
        return m.deliveryStatus === 'failed' ? m : undefined;
      });
      expect(failed.error).toContain('HTTP 422');
      expect(receiver.calls).toHaveLength(1);
    } finally {
      receiver.failStatus = 500;
    }
  });

  it('fails clearly when the channel has no callback URL, and never sends notes', async () => {
    const channel = await createApiChannel(t.http);
    const { ticketId } = (await inbound(t.http, channel, { externalMessageId: 'nocb-1', from: { externalId: 'nocb' }, text: 'help' })).body;
    await t.http.post(`/api/tickets/${ticketId}/notes`, { text: 'internal only' });
    const reply = await t.http.post(`/api/tickets/${ticketId}/replies`, { text: 'x' });
    const failed = await eventually(async () => {
      const m = await message(ticketId, reply.body.id);
      return m.deliveryStatus === 'failed' ? m : undefined;
    });
    expect(failed.error).toContain('no callbackUrl');
    expect(receiver.calls).toHaveLength(0);
  });

  it('refuses empty replies and replies on closed tickets', async () => {
    const channel = await createApiChannel(t.http, { callbackUrl: receiver.url, secret: SECRET });
    const { ticketId } = (await inbound(t.http, channel, { externalMessageId: 'closed-1', from: { externalId: 'closed' }, text: 'help' })).body;
    expect((await t.http.post(`/api/tickets/${ticketId}/replies`, { text: ' ' })).body.code).toBe('EMPTY_MESSAGE');
    await t.http.patch(`/api/tickets/${ticketId}`, { status: 'closed' });
    expect((await t.http.post(`/api/tickets/${ticketId}/replies`, { text: 'late' })).body).toMatchObject({ statusCode: 409, code: 'TICKET_CLOSED' });
    const rows = await t.db.database.dataSource.query('SELECT count(*)::int AS n FROM messages WHERE ticket_id = $1', [ticketId]);
    expect(rows[0].n).toBe(1);
  });

  it('sends uploaded attachments with the reply', async () => {
    const channel = await createApiChannel(t.http, { callbackUrl: receiver.url, secret: SECRET });
    const { ticketId } = (await inbound(t.http, channel, { externalMessageId: 'upload-1', from: { externalId: 'upload' }, text: 'invoice?' })).body;
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('%PDF-1.4 fake')], { type: 'application/pdf' }), 'فاکتور.pdf');
    const upload = await fetch(`${t.url}/api/attachments`, { method: 'POST', headers: { authorization: `Bearer ${t.adminToken}` }, body: form });
    expect(upload.status).toBe(201);
    const attachment = (await upload.json()) as { id: string };
    const reply = await t.http.post(`/api/tickets/${ticketId}/replies`, { text: 'attached', attachmentIds: [attachment.id] });
    expect(reply.body.attachments).toEqual([expect.objectContaining({ id: attachment.id, filename: 'فاکتور.pdf', contentType: 'application/pdf' })]);
    await eventually(async () => (receiver.calls.length ? true : undefined));
    expect(JSON.parse(receiver.calls[0].body.toString()).message.attachments).toEqual([{ filename: 'فاکتور.pdf', contentType: 'application/pdf', size: 13 }]);
    const reuse = await t.http.post(`/api/tickets/${ticketId}/replies`, { text: 'again', attachmentIds: [attachment.id] });
    expect(reuse.body.code).toBe('ATTACHMENT_IN_USE');
  });
});
