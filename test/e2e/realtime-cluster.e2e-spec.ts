import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import { AgentClient, createApiChannel, eventually, inbound, startPeerServer, startTestServer, TestServer } from '../support/test-server';
import { Visitor } from '../support/visitor-client';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('real time across reconnects and instances', () => {
  const clients: AgentClient[] = [];
  const servers: TestServer[] = [];
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.close());
    for (const s of servers.splice(0).reverse()) await s.close();
  });

  const dropFor = async (client: AgentClient, ms: number, during: () => Promise<void>) => {
    const { socket } = client;
    await client.waitFor('ready');
    socket.io.opts.reconnectionDelay = ms;
    socket.io.opts.reconnectionDelayMax = ms;
    socket.io.reconnectionDelay(ms);
    socket.io.reconnectionDelayMax(ms);
    socket.io.randomizationFactor(0);
    // The socket's own connect (not the manager's reconnect) is when `recovered` is known.
    const back = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.io.engine.close(); // the network drops; the client retries after `ms`
    await during();
    await back;
  };

  it('replays every event missed during a 10 s drop, in order', async () => {
    const t = await startTestServer();
    servers.push(t);
    const channel = await createApiChannel(t.http);
    const client = await AgentClient.connect(t.url, t.adminToken, { reconnection: true });
    clients.push(client);
    const sent: string[] = [];
    await dropFor(client, 10_000, async () => {
      await new Promise((r) => setTimeout(r, 200));
      for (let i = 0; i < 5; i++) {
        const res = await inbound(t.http, channel, { externalMessageId: `gap-${i}`, from: { externalId: 'gap' }, text: `missed ${i}` });
        sent.push(res.body.messageId);
      }
    });
    expect(client.socket.recovered).toBe(true);
    await eventually(async () => (client.of('message.created').length >= 5 ? true : undefined));
    expect(client.of('message.created').map((m) => m.id)).toEqual(sent);
    expect(client.of('resync')).toEqual([]);
  }, 60_000);

  it('tells a client that was away longer than the recovery window to refetch', async () => {
    const t = await startTestServer({ RECOVERY_WINDOW_SEC: '1' });
    servers.push(t);
    const client = await AgentClient.connect(t.url, t.adminToken, { reconnection: true });
    clients.push(client);
    await dropFor(client, 3_000, async () => undefined);
    expect(client.socket.recovered).toBe(false);
    expect(await client.waitFor('resync')).toMatchObject({ reason: expect.stringContaining('refetch') });
  }, 30_000);

  describe('two instances with Redis', () => {
    const streams: string[] = [];
    afterAll(async () => {
      const redis = createClient({ url: REDIS_URL });
      await redis.connect();
      if (streams.length) await redis.del(streams);
      await redis.quit();
    });
    /** Instances A and B on one database, sharing a Redis stream of their own. */
    const startPair = async () => {
      const shared = { REDIS_URL, REDIS_STREAM_NAME: `pasokh-test-${process.pid}-${Date.now()}`, PRESENCE_GRACE_SEC: '1' };
      streams.push(shared.REDIS_STREAM_NAME);
      const a = await startTestServer(shared);
      servers.push(a);
      const b = await startPeerServer(a, shared);
      servers.push(b);
      return { a, b };
    };

    it('delivers an event produced on instance A to an agent on instance B, and shares viewers and presence', async () => {
      const { a, b } = await startPair();
      const channel = await createApiChannel(a.http);
      const onB = await AgentClient.connect(b.url, a.adminToken);
      const onA = await AgentClient.connect(a.url, a.adminToken);
      clients.push(onA, onB);
      const res = await inbound(a.http, channel, { externalMessageId: 'cross-1', from: { externalId: 'cross' }, text: 'from A' });
      expect(await onB.waitFor('message.created', (m) => m.id === res.body.messageId)).toMatchObject({ text: 'from A' });

      const agent = (await a.http.post('/api/agents', { name: 'Kian', email: 'kian@example.com', password: 'agent-password', role: 'agent' })).body;
      const kianToken = (await a.http.post('/api/auth/login', { email: 'kian@example.com', password: 'agent-password' })).body.accessToken;
      const kianOnB = await AgentClient.connect(b.url, kianToken);
      clients.push(kianOnB);
      await onA.waitFor('presence.updated', (p) => p.agentId === agent.id && p.status === 'online');
      await onA.emit('ticket.view', { ticketId: res.body.ticketId });
      await kianOnB.emit('ticket.view', { ticketId: res.body.ticketId });
      const viewing = await onA.waitFor('viewing', (v) => v.ticketId === res.body.ticketId && v.agents.length === 2);
      expect(viewing.agents.map((x: { name: string }) => x.name).sort()).toEqual(['Administrator', 'Kian']);
      await kianOnB.emit('typing', { ticketId: res.body.ticketId, isTyping: true });
      expect(await onA.waitFor('typing', (x) => x.agentId === agent.id)).toMatchObject({ isTyping: true });
    }, 60_000);

    it.each([
      ['one frame per event', false],
      ['batched broadcasts', true],
    ])('replays missed events when the client comes back through the other instance (%s)', async (_mode, batch) => {
      const { a, b } = await startPair();
      const channel = await createApiChannel(a.http);
      const client = await AgentClient.connect(a.url, a.adminToken, { reconnection: true, batch });
      clients.push(client);
      const sent: string[] = [];
      (client.socket.io as unknown as { uri: string }).uri = b.url; // the load balancer sends it to B next time
      await dropFor(client, 3_000, async () => {
        await new Promise((r) => setTimeout(r, 200));
        for (let i = 0; i < 3; i++) sent.push((await inbound(b.http, channel, { externalMessageId: `ab-${i}`, from: { externalId: 'ab' }, text: `${i}` })).body.messageId);
      });
      expect(client.socket.recovered).toBe(true);
      await eventually(async () => (client.of('message.created').length >= 3 ? true : undefined));
      expect(client.of('message.created').map((m) => m.id)).toEqual(sent);
    }, 60_000);

    it('announces an SLA breach exactly once although both instances run the scheduler', async () => {
      const { a, b } = await startPair();
      const channel = await createApiChannel(a.http);
      await a.http.post('/api/sla/policies', { name: 'Two seconds', firstResponseSec: 2 });
      const onA = await AgentClient.connect(a.url, a.adminToken);
      const onB = await AgentClient.connect(b.url, a.adminToken);
      clients.push(onA, onB);
      const { ticketId } = (await inbound(a.http, channel, { externalMessageId: 'sla-pair', from: { externalId: 'sla-pair' }, text: 'x' })).body;
      await onA.waitFor('sla.breached', (e) => e.ticket.id === ticketId, 8_000);
      await onB.waitFor('sla.breached', (e) => e.ticket.id === ticketId, 8_000);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(onA.of('sla.breached').filter((e) => e.ticket.id === ticketId)).toHaveLength(1);
      expect(onB.of('sla.breached').filter((e) => e.ticket.id === ticketId)).toHaveLength(1);
      const rows = await a.db.database.dataSource.query(`SELECT count(*)::int AS n FROM sla_events WHERE ticket_id = $1 AND kind = 'breached'`, [ticketId]);
      expect(rows[0].n).toBe(1);
    }, 60_000);

    it("delivers agents' replies to a web chat visitor on the other instance, each once", async () => {
      const { a, b } = await startPair();
      const channelId = (await a.http.post('/api/channels', { type: 'webchat', name: 'Site', config: {} })).body.id as string;
      const visitor = await Visitor.connect(b.url, { channelId });
      try {
        const sent = await visitor.say('hello from B', 'c-1');
        const ticketId = (await a.http.get(`/api/tickets?channelType=webchat&limit=10`)).body.items[0].id as string;
        expect((await a.http.get(`/api/tickets/${ticketId}/messages`)).body.items.map((m: any) => m.id)).toContain(sent.message.id);
        const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).http.post(`/api/tickets/${ticketId}/replies`, { text: `reply ${i}` })));
        const ids = replies.map((r) => r.body.id as string);
        await eventually(async () => (visitor.messages.length >= 10 ? true : undefined), 20_000, 'ten replies on the widget');
        await new Promise((r) => setTimeout(r, 500));
        expect(visitor.messages.map((m) => m.id).sort()).toEqual([...ids].sort());
      } finally {
        visitor.close();
      }
    }, 60_000);

    it('delivers each reply once although both instances run the delivery worker', async () => {
      const calls: string[] = [];
      const receiver: Server = createServer((req, res) => {
        calls.push(String(req.headers['x-pasokh-delivery']));
        req.resume();
        req.on('end', () => res.writeHead(200).end('{}'));
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
      try {
        const { a, b } = await startPair();
        const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
        const channel = await createApiChannel(a.http, { callbackUrl: url, secret: 'shared-secret-0123456789' });
        const { ticketId } = (await inbound(a.http, channel, { externalMessageId: 'once-1', from: { externalId: 'once' }, text: 'x' })).body;
        const replies = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).http.post(`/api/tickets/${ticketId}/replies`, { text: `reply ${i}` })));
        const ids = replies.map((r) => r.body.id as string);
        await eventually(async () => (calls.length >= 30 ? true : undefined), 20_000);
        await new Promise((r) => setTimeout(r, 500));
        expect(calls.sort()).toEqual([...ids].sort());
      } finally {
        await new Promise((r) => receiver.close(r));
      }
    }, 60_000);
  });
});
