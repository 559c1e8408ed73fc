import { AgentClient, ApiChannel, createApiChannel, eventually, inbound, startTestServer, TestServer } from '../support/test-server';

// Every case runs with clients that take one frame per event and with clients that take batched broadcasts.
describe.each([
  ['one frame per event', false],
  ['batched broadcasts', true],
])('real-time inbox over socket.io (%s)', (_mode, batch) => {
  let t: TestServer;
  let channel: ApiChannel;
  const clients: AgentClient[] = [];
  const connect = async (token: string | undefined, options?: Record<string, unknown>) => {
    const client = await AgentClient.connect(t.url, token, { batch, ...options });
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

  it('tells an agent, on their own sockets only, that a colleague gave them a ticket; taking one yourself is no news', async () => {
    const nasrin = await newAgent('Nasrin');
    const omid = await newAgent('Omid');
    const [nasrinSocket, omidSocket] = [await connect(nasrin.token), await connect(omid.token)];
    const res = await inbound(t.http, channel, { externalMessageId: 'assign-1', from: { externalId: 'assign-customer', name: 'Reza' }, text: 'help' });
    expect((await t.http.patch(`/api/tickets/${res.body.ticketId}`, { assigneeId: nasrin.id })).status).toBe(200);
    const notice = await nasrinSocket.waitFor('ticket.assigned', (p) => p.ticket.id === res.body.ticketId);
    expect(notice).toMatchObject({ ticket: { id: res.body.ticketId, assigneeId: nasrin.id, customer: { name: 'Reza' } }, by: { name: expect.any(String) } });
    // Omid takes it himself: nobody is told (Nasrin sees the ticket.updated like everyone).
    expect((await t.http.as(omid.token).patch(`/api/tickets/${res.body.ticketId}`, { assigneeId: omid.id })).status).toBe(200);
    await nasrinSocket.waitFor('ticket.updated', (p) => p.id === res.body.ticketId && p.assigneeId === omid.id);
    await new Promise((r) => setTimeout(r, 300));
    expect(omidSocket.of('ticket.assigned')).toEqual([]);
    expect(nasrinSocket.of('ticket.assigned')).toHaveLength(1);
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

  it("sends a restricted team's tickets only to its members and supervisors", async () => {
    const member = await newAgent('Member');
    const outsider = await newAgent('Outsider');
    const supervisor = await newAgent('Boss', 'supervisor');
    const team = (await t.http.post('/api/teams', { name: `VIP ${Date.now()}`, restricted: true, memberIds: [member.id] })).body;
    const [m, o, s] = [await connect(member.token), await connect(outsider.token), await connect(supervisor.token)];
    const { ticketId } = (await inbound(t.http, channel, { externalMessageId: 'rt-team-1', from: { externalId: 'rt-team' }, text: 'a' })).body;
    await t.http.patch(`/api/tickets/${ticketId}`, { teamId: team.id });
    await inbound(t.http, channel, { externalMessageId: 'rt-team-2', from: { externalId: 'rt-team' }, text: 'secret follow-up' });
    await m.waitFor('message.created', (x) => x.text === 'secret follow-up');
    await s.waitFor('message.created', (x) => x.text === 'secret follow-up');
    await new Promise((r) => setTimeout(r, 300));
    expect(o.of('message.created').filter((x) => x.text === 'secret follow-up')).toEqual([]);
    // A hidden ticket cannot be viewed either.
    expect(await o.emit('ticket.view', { ticketId })).toMatchObject({ ok: false, error: { code: 'TICKET_NOT_FOUND' } });
    // Joining the team takes effect on open sockets.
    await t.http.patch(`/api/teams/${team.id}`, { memberIds: [member.id, outsider.id] });
    await eventually(async () => {
      await inbound(t.http, channel, { externalMessageId: `rt-team-${Math.random()}`, from: { externalId: 'rt-team' }, text: 'now visible' });
      await new Promise((r) => setTimeout(r, 100));
      return o.of('message.created').some((x) => x.text === 'now visible') ? true : undefined;
    });
  });

  it('counts several tabs as one agent and goes offline only after the grace period', async () => {
    const nima = await newAgent('Nima');
    const observer = await connect(t.adminToken);
    const presenceOf = async () => (await t.http.get('/api/agents')).body.items.find((x: { id: string }) => x.id === nima.id).presence.status;
    expect(await presenceOf()).toBe('offline');
    const tab1 = await connect(nima.token);
    await observer.waitFor('presence.updated', (p) => p.agentId === nima.id && p.status === 'online');
    const tab2 = await connect(nima.token);
    expect(await presenceOf()).toBe('online');
    tab1.close();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await presenceOf()).toBe('online'); // the other tab is still there
    expect(await tab2.emit('presence.set', { status: 'away' })).toEqual({ ok: true });
    await observer.waitFor('presence.updated', (p) => p.agentId === nima.id && p.status === 'away');
    tab2.close();
    expect(await presenceOf()).toBe('away'); // within the grace period: not offline yet
    await observer.waitFor('presence.updated', (p) => p.agentId === nima.id && p.status === 'offline', 5_000);
    expect(await presenceOf()).toBe('offline');
    expect(observer.of('presence.updated').filter((p) => p.agentId === nima.id).map((p) => p.status)).toEqual(['online', 'away', 'offline']);
  });

  it('shows who is viewing and who is replying, relays typing, and expires both without heartbeats', async () => {
    const sara = await newAgent('Sara');
    const omid = await newAgent('Omid');
    const { ticketId } = (await inbound(t.http, channel, { externalMessageId: 'rt-view', from: { externalId: 'rt-view' }, text: 'x' })).body;
    const a = await connect(sara.token);
    const b = await connect(omid.token);
    expect(await a.emit('ticket.view', { ticketId })).toMatchObject({ ok: true, viewers: [{ agentId: sara.id, name: 'Sara', replying: false }] });
    expect(await b.emit('ticket.view', { ticketId })).toMatchObject({ ok: true });
    const both = await a.waitFor('viewing', (v) => v.ticketId === ticketId && v.agents.length === 2);
    expect(both.agents.map((x: { agentId: string }) => x.agentId)).toEqual([sara.id, omid.id]);

    expect(await a.emit('typing', { ticketId, isTyping: true })).toEqual({ ok: true });
    expect(await b.waitFor('typing', (x) => x.ticketId === ticketId)).toEqual({ ticketId, agentId: sara.id, name: 'Sara', isTyping: true });
    expect(a.of('typing')).toEqual([]); // not echoed to the typist
    const replying = await b.waitFor('viewing', (v) => v.ticketId === ticketId && v.agents.some((x: { replying: boolean }) => x.replying));
    expect(replying.agents.find((x: { agentId: string }) => x.agentId === sara.id).replying).toBe(true);
    // No typing heartbeat: "replying" ends by itself (TYPING_TTL_SEC=1).
    expect(await b.waitFor('typing', (x) => x.ticketId === ticketId && x.isTyping === false, 4_000)).toMatchObject({ agentId: sara.id });
    // Omid keeps his view alive; Sara's expires without heartbeats (VIEWING_TTL_SEC=2).
    const keepAlive = setInterval(() => void b.emit('ticket.view', { ticketId }), 500);
    try {
      const alone = await b.waitFor('viewing', (v) => v.ticketId === ticketId && v.agents.length === 1, 6_000);
      expect(alone.agents[0].agentId).toBe(omid.id);
    } finally {
      clearInterval(keepAlive);
    }
    expect(await b.emit('ticket.leave', { ticketId })).toEqual({ ok: true });
  });

  it('answers malformed events with an error acknowledgement and rate-limits a tight loop', async () => {
    const a = await connect(t.adminToken);
    expect(await a.emit('ticket.view', { ticketId: 42 })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await a.emit('ticket.view', null)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await a.emit('ticket.view', { ticketId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ ok: false, error: { code: 'TICKET_NOT_FOUND' } });
    expect(await a.emit('typing', { ticketId: '00000000-0000-4000-8000-000000000000', isTyping: 'yes' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await a.emit('presence.set', { status: 'busy' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const acks = await Promise.all(Array.from({ length: 60 }, () => a.emit('presence.set', { status: 'online' })));
    expect(acks.filter((x) => x.ok === false && x.error.code === 'RATE_LIMITED').length).toBeGreaterThan(0);
    expect(a.socket.connected).toBe(true); // still serving: the gateway did not crash
    expect((await t.http.get('/api/health')).status).toBe(200);
  });

  it('disconnects an agent whose access is revoked while connected', async () => {
    const temp = await newAgent('Temp');
    const s1 = await connect(temp.token);
    const disconnected = new Promise((resolve) => s1.socket.once('disconnect', resolve));
    await t.http.patch(`/api/agents/${temp.id}`, { active: false });
    expect(await disconnected).toBe('io server disconnect');
    await expect(AgentClient.connect(t.url, temp.token)).rejects.toMatchObject({ data: { code: 'INVALID_TOKEN' } });

    const other = await newAgent('Other');
    const s2 = await connect(other.token);
    const loggedOut = new Promise((resolve) => s2.socket.once('disconnect', resolve));
    await t.http.as(other.token).post('/api/auth/logout');
    expect(await loggedOut).toBe('io server disconnect');
  });
});

describe('batched broadcasts', () => {
  let t: TestServer;
  let channel: ApiChannel;
  const clients: AgentClient[] = [];

  beforeAll(async () => {
    // A long interval makes the sharing of frames certain on a slow machine.
    t = await startTestServer({ PUSH_BATCH_MS: '1000' });
    channel = await createApiChannel(t.http);
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await t.close();
  });

  it('gathers a burst into a few frames for batching clients, in commit order, while other clients get one frame per event', async () => {
    const batched = await AgentClient.connect(t.url, t.adminToken, { batch: true });
    const single = await AgentClient.connect(t.url, t.adminToken);
    clients.push(batched, single);
    await batched.waitFor('ready');
    await single.waitFor('ready');
    const [batchedBefore, singleBefore] = [batched.frames, single.frames];

    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => inbound(t.http, channel, { externalMessageId: `burst-${i}`, from: { externalId: `burst-${i}` }, text: `burst ${i}` })),
    );
    const ids = new Set(results.map((r) => r.body.messageId as string));
    await eventually(async () => (batched.of('message.created').filter((m) => ids.has(m.id)).length === 10 ? true : undefined));
    await eventually(async () => (single.of('message.created').filter((m) => ids.has(m.id)).length === 10 ? true : undefined));

    // 20 events (a ticket.created and a message.created per message), the same for both clients.
    const names = (c: AgentClient) => c.events.filter((e) => e.name === 'ticket.created' || e.name === 'message.created').map((e) => `${e.name} ${e.payload.ticketId ?? e.payload.id}`);
    expect(names(batched)).toEqual(names(single));
    expect(single.frames - singleBefore).toBe(20);
    expect(batched.frames - batchedBefore).toBeLessThanOrEqual(4);
    // Each ticket is announced before its message.
    for (const r of results) {
      const order = names(batched);
      expect(order.indexOf(`ticket.created ${r.body.ticketId}`)).toBeLessThan(order.indexOf(`message.created ${r.body.ticketId}`));
    }
  });

  it("sends the first commit after a quiet spell at once, its ticket and message in one frame", async () => {
    const batched = await AgentClient.connect(t.url, t.adminToken, { batch: true });
    clients.push(batched);
    await batched.waitFor('ready');
    await new Promise((r) => setTimeout(r, 1_100));
    const framesBefore = batched.frames;

    const started = Date.now();
    const res = await inbound(t.http, channel, { externalMessageId: 'quiet-1', from: { externalId: 'quiet' }, text: 'alone' });
    await batched.waitFor('ticket.created', (x) => x.id === res.body.ticketId);
    await batched.waitFor('message.created', (x) => x.id === res.body.messageId);
    // The interval is 1 s: an event that waited for it would take that long.
    expect(Date.now() - started).toBeLessThan(800);
    expect(batched.frames - framesBefore).toBe(1);
  });
});
