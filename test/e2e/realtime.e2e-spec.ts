import { AgentClient, ApiChannel, createApiChannel, eventually, inbound, startTestServer, TestServer } from '../support/test-server';

describe('real-time inbox over socket.io', () => {
  let t: TestServer;
  let channel: ApiChannel;
  const clients: AgentClient[] = [];
  const connect = async (token: string | undefined, options?: Record<string, unknown>) => {
    const client = await AgentClient.connect(t.url, token, options);
    clients.push(client);
    return client;
  };
  const newAgent = async (name: string, role = 'agent') => {
    const email = `${name.toLowerCase()}-${Math.random().toString(36).slice(2, 7)}@example.com`;
    const agent = (await t.http.post('/api/agents', { name, email, password: 'agent-password', role })).body;
    const token = (await t.http.post('/api/auth/login', { email, password: 'agent-password' })).body.accessToken as string;
    return { id: agent.id as string, token };
  };

  beforeAll(async () => {
    t = await startTestServer({ PRESENCE_GRACE_SEC: '1', TYPING_TTL_SEC: '1', VIEWING_TTL_SEC: '2' });
    channel = await createApiChannel(t.http);
  });
  afterEach(() => {
    clients.splice(0).forEach((c) => c.close());
  });
  afterAll(() => t.close());

  it('refuses a missing or forged token at the handshake, with a reason', async () => {
    await expect(AgentClient.connect(t.url, undefined)).rejects.toMatchObject({ data: { code: 'MISSING_TOKEN' } });
    await expect(AgentClient.connect(t.url, 'psk_s_forged')).rejects.toMatchObject({ data: { code: 'INVALID_TOKEN' } });
    const expired = await newAgent('Expired');
    await t.db.database.dataSource.query(`UPDATE api_tokens SET expires_at = now() - interval '1 minute' WHERE agent_id = $1`, [expired.id]);
    await expect(AgentClient.connect(t.url, expired.token)).rejects.toMatchObject({ data: { code: 'INVALID_TOKEN' } });
  });

  it('pushes an inbound message to every connected agent, with the full payloads, after commit', async () => {
    const [a, b] = [await connect(t.adminToken), await connect((await newAgent('Bahar')).token)];
    const res = await inbound(t.http, channel, { externalMessageId: 'rt-1', from: { externalId: 'rt-customer', name: 'Leila' }, text: 'سلام' });
    for (const client of [a, b]) {
      const message = await client.waitFor('message.created', (m) => m.id === res.body.messageId);
      expect(message).toMatchObject({ ticketId: res.body.ticketId, direction: 'inbound', kind: 'message', text: 'سلام', deliveryStatus: 'received', attachments: [] });
      const ticket = await client.waitFor('ticket.created', (x) => x.id === res.body.ticketId);
      expect(ticket).toMatchObject({ customer: { id: res.body.customerId, name: 'Leila' }, status: 'open', channel: { id: channel.id, type: 'api' } });
    }
    // In commit order: the ticket exists before its first message is announced.
    const names = a.events.filter((e) => e.payload?.id === res.body.ticketId || e.payload?.ticketId === res.body.ticketId).map((e) => e.name);
    expect(names.slice(0, 2)).toEqual(['ticket.created', 'message.created']);
    // A duplicate delivery changes nothing and announces nothing.
    const before = a.events.length;
    await inbound(t.http, channel, { externalMessageId: 'rt-1', from: { externalId: 'rt-customer' }, text: 'سلام' });
    await new Promise((r) => setTimeout(r, 300));
    expect(a.events.slice(before).filter((e) => e.name.startsWith('message') || e.name.startsWith('ticket'))).toEqual([]);
  });

  it('pushes REST changes: ticket updates, notes (to agents), replies and their delivery status', async () => {
    const a = await connect(t.adminToken);
    const { ticketId } = (await inbound(t.http, channel, { externalMessageId: 'rt-2', from: { externalId: 'rt-2' }, text: 'x' })).body;
    await t.http.patch(`/api/tickets/${ticketId}`, { priority: 'urgent' });
    await a.waitFor('ticket.updated', (x) => x.id === ticketId && x.priority === 'urgent');
    const note = (await t.http.post(`/api/tickets/${ticketId}/notes`, { text: 'internal' })).body;
    expect(await a.waitFor('message.created', (m) => m.id === note.id)).toMatchObject({ kind: 'note' });
    const reply = (await t.http.post(`/api/tickets/${ticketId}/replies`, { text: 'hello' })).body;
    await a.waitFor('message.created', (m) => m.id === reply.id && m.deliveryStatus === 'queued');
    // The API channel has no callback URL: the delivery fails, and the failure is pushed.
    const failed = await a.waitFor('message.updated', (m) => m.id === reply.id && m.deliveryStatus === 'failed');
    expect(failed.error).toContain('no callbackUrl');
  });

  it('emits nothing for a rolled-back ingest or reply', async () => {
    const a = await connect(t.adminToken);
    await t.db.database.dataSource.query(`
      CREATE OR REPLACE FUNCTION explode() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.text = 'explode' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER explode BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION explode();`);
    try {
      const res = await inbound(t.http, channel, { externalMessageId: 'rt-rollback', from: { externalId: 'rt-rollback-customer' }, text: 'explode' });
      expect(res.status).toBe(500);
      const { ticketId } = (await inbound(t.http, channel, { externalMessageId: 'rt-3', from: { externalId: 'rt-3' }, text: 'fine' })).body;
      await a.waitFor('message.created', (m) => m.ticketId === ticketId);
      const replied = await t.http.post(`/api/tickets/${ticketId}/replies`, { text: 'explode' });
      expect(replied.status).toBe(500);
      await t.http.post(`/api/tickets/${ticketId}/notes`, { text: 'marker' });
      await a.waitFor('message.created', (m) => m.text === 'marker');
      expect(a.of('message.created').filter((m) => m.text === 'explode')).toEqual([]);
      expect(a.of('ticket.created').filter((x) => x.customer.name === null && x.subject === null && x.id !== ticketId)).toEqual([]);
      const stored = await t.db.database.dataSource.query(`SELECT count(*)::int AS n FROM customer_identities WHERE external_id = 'rt-rollback-customer'`);
      expect(stored[0].n).toBe(0);
    } finally {
      await t.db.database.dataSource.query('DROP TRIGGER explode ON messages; DROP FUNCTION explode();');
    }
  });
});
